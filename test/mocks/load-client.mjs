// A bounded load generator for the mock server (run as its own process by load.test.ts and the bench):
//   node load-client.mjs URL REQUESTS CONCURRENCY [mix]
// mix "plaid": valid and invalid Plaid calls interleaved; "link": valid /link/token/create only.
// Prints one JSON line: { requests, ms, rps, statuses: { "200": n, ... }, kinds: { kind: { status: n } }, errors }.
import http from 'node:http';

const [url, total = '2000', concurrency = '16', mix = 'plaid', seconds] = process.argv.slice(2);
const base = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const CREDENTIALS = { 'plaid-client-id': 'load', 'plaid-secret': 'load', 'plaid-version': '2020-09-14' };
const LINK = JSON.stringify({ client_name: 'Load', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-1' }, products: ['auth'] });

/** Each request kind: path, body, headers. */
const KINDS = {
  link: () => ({ path: '/link/token/create', body: LINK, headers: CREDENTIALS }),
  invalid: () => ({ path: '/link/token/create', body: JSON.stringify({ client_name: 'Load', user: {} }), headers: CREDENTIALS }),
  malformed: () => ({ path: '/link/token/create', body: '{"client_name": ', headers: CREDENTIALS }),
  unknownToken: () => ({ path: '/accounts/get', body: JSON.stringify({ access_token: 'access-sandbox-unknown' }), headers: CREDENTIALS }),
  noCredentials: () => ({ path: '/accounts/get', body: JSON.stringify({ access_token: 'x' }), headers: {} }),
  unknownPath: () => ({ path: '/no/such/path', body: '{}', headers: CREDENTIALS }),
  wrongType: () => ({ path: '/link/token/create', body: LINK, headers: CREDENTIALS, contentType: 'text/plain' }),
  huge: () => ({ path: '/link/token/create', body: JSON.stringify({ client_name: 'x'.repeat(1_200_000) }), headers: CREDENTIALS }),
  preferError: () => ({ path: '/link/token/create', body: LINK, headers: { ...CREDENTIALS, prefer: 'code=500' } }),
  flow: null,
};
const PLAID_MIX = ['link', 'link', 'link', 'invalid', 'malformed', 'unknownToken', 'noCredentials', 'unknownPath', 'wrongType', 'preferError', 'flow', 'link'];

function send({ path, body, headers, contentType = 'application/json' }) {
  return new Promise((resolve) => {
    const req = http.request(
      { agent, host: base.hostname, port: base.port, path, method: 'POST', headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: 'error' }));
      },
    );
    req.on('error', (e) => resolve({ status: `error:${e.code ?? e.message}` }));
    req.end(body);
  });
}

/** sandbox public token -> exchange -> accounts/get: three calls, the last must be 200. */
async function flow() {
  const pub = await send({ path: '/sandbox/public_token/create', body: JSON.stringify({ institution_id: 'ins_1', initial_products: ['auth'] }), headers: CREDENTIALS });
  if (pub.status !== 200) return pub;
  const exchange = await send({ path: '/item/public_token/exchange', body: JSON.stringify({ public_token: JSON.parse(pub.text).public_token }), headers: CREDENTIALS });
  if (exchange.status !== 200) return exchange;
  return send({ path: '/accounts/get', body: JSON.stringify({ access_token: JSON.parse(exchange.text).access_token }), headers: CREDENTIALS });
}

const statuses = {};
const kinds = {};
let errors = 0;
let next = 0;
let done = 0;
const deadline = seconds ? performance.now() + Number(seconds) * 1000 : Infinity;
const limit = Number(total);
const started = performance.now();
async function worker() {
  for (;;) {
    const i = next++;
    if (i >= limit || performance.now() > deadline) return;
    const kind = mix === 'link' ? 'link' : i % 500 === 7 ? 'huge' : PLAID_MIX[i % PLAID_MIX.length];
    const res = kind === 'flow' ? await flow() : await send(KINDS[kind]());
    const key = String(res.status);
    if (key.startsWith('error')) errors++;
    statuses[key] = (statuses[key] ?? 0) + 1;
    kinds[kind] ??= {};
    kinds[kind][key] = (kinds[kind][key] ?? 0) + 1;
    done++;
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const ms = performance.now() - started;
agent.destroy();
process.stdout.write(JSON.stringify({ requests: done, ms: Math.round(ms), rps: Math.round((done / ms) * 1000), statuses, kinds, errors }) + '\n');
