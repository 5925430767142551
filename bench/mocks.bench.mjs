// The mock server (`codegen mock`) against Prism (@stoplight/prism-cli 5.x, from bench/node_modules)
// and a bare node:http server answering a fixed body, on the full Plaid spec and the same
// endpoint (POST /link/token/create with a valid body), measured in the same run:
//   1. start-up: spawn to first 200 answer; ours cold (empty cache), ours cached, Prism;
//   2. throughput: requests per second with keep-alive connections, a separate load process
//      (test/mocks/load-client.mjs), rounds interleaved, medians;
//   3. behaviour: what each answers to an invalid body, a missing field, malformed JSON, an
//      unknown path, and an operation whose spec example violates its own schema.
//
// Env: BENCH_RUNS (default 3) rounds; BENCH_SECONDS (default 5) per load round; BENCH_CONCURRENCY
// (default 32); BENCH_QUICK=1 for one short round of everything.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

const GOAL_RATIO_TO_BARE = 0.5;
const GOAL_STARTUP_MS = 2000;
const LINK = { client_name: 'Bench', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-1' }, products: ['auth'] };
const HEADERS = { 'content-type': 'application/json', 'plaid-client-id': 'bench', 'plaid-secret': 'bench', 'plaid-version': '2020-09-14' };
const BARE_BODY = JSON.stringify({ link_token: 'link-sandbox-af1a0311-da53-4636-b754-dd15cc058176', expiration: '2020-03-27T12:56:34Z', request_id: 'XQVgFigpGHXkb0b' });

export default async function mocksBench(ctx) {
  const { root, benchDir, plaidSpec, log } = ctx;
  const quick = process.env.BENCH_QUICK === '1';
  const RUNS = quick ? 1 : Number(process.env.BENCH_RUNS ?? 3);
  const SECONDS = quick ? 2 : Number(process.env.BENCH_SECONDS ?? 5);
  const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
  const peers = createRequire(path.join(benchDir, 'package.json'));
  const prismPkg = peers.resolve('@stoplight/prism-cli/package.json');
  const prismManifest = JSON.parse(fs.readFileSync(prismPkg, 'utf8'));
  const prismBin = path.join(path.dirname(prismPkg), typeof prismManifest.bin === 'string' ? prismManifest.bin : Object.values(prismManifest.bin)[0]);
  const cache = ctx.tmp('cache');
  const bareScript = path.join(ctx.tmp('bare'), 'bare.mjs');
  fs.writeFileSync(
    bareScript,
    `import http from 'node:http';\nconst body = ${JSON.stringify(BARE_BODY)};\nhttp.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); }); }).listen(Number(process.argv[2]), '127.0.0.1');\n`,
  );

  const servers = {
    ours: (port) => [process.execPath, [path.join(root, 'bin/codegen.js'), 'mock', '--spec', plaidSpec, '--port', String(port)], { CODEGEN_MOCK_CACHE: cache }],
    prism: (port) => [process.execPath, [prismBin, 'mock', '-h', '127.0.0.1', '-p', String(port), plaidSpec], {}],
    bare: (port) => [process.execPath, [bareScript, String(port)], {}],
  };

  // 1. Start-up: spawn to the first 200 on /link/token/create.
  const startup = { oursCold: [], oursCached: [], prism: [] };
  for (let round = 0; round < RUNS; round++) {
    fs.rmSync(cache, { recursive: true, force: true });
    // After its first answer, a cold start writes the cache in a worker thread: let it finish.
    startup.oursCold.push(await timeToFirstAnswer(servers.ours, () => fs.readdirSync(cache).some((name) => fs.existsSync(path.join(cache, name, 'complete')))));
    startup.oursCached.push(await timeToFirstAnswer(servers.ours));
    startup.prism.push(await timeToFirstAnswer(servers.prism));
  }
  const start = Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, median(v)]));
  log(`machine load average ${loadAverage() ?? 'n/a'} (2 cores shared: absolute numbers move with it, ratios less)`);
  log('start-up, spawn to first answer on the full Plaid spec (median ms):');
  log(`  codegen mock, cold (empty cache) ${fmt(start.oursCold)}   cached ${fmt(start.oursCached)}   Prism ${fmt(start.prism)}   goal < ${GOAL_STARTUP_MS}`);

  // 2. Throughput, rounds interleaved so that machine load hits every server alike.
  const rps = { bare: [], ours: [], prism: [] };
  const running = {};
  for (const name of Object.keys(rps)) running[name] = await launch(servers[name]);
  try {
    for (const name of Object.keys(rps)) await load(running[name].url, 1); // warm-up
    for (let round = 0; round < RUNS; round++) {
      for (const name of Object.keys(rps)) {
        const result = await load(running[name].url, SECONDS);
        if (result.errors || Object.keys(result.statuses).some((s) => s !== '200')) throw new Error(`${name}: unexpected answers ${JSON.stringify(result.statuses)}`);
        rps[name].push(result.rps);
      }
    }
    const throughput = Object.fromEntries(Object.entries(rps).map(([k, v]) => [k, median(v)]));
    log('');
    log(`throughput, POST /link/token/create, ${CONCURRENCY} keep-alive connections, ${SECONDS} s x ${RUNS} rounds (median req/s):`);
    log(`  bare node:http (fixed body, no checks) ${throughput.bare}`);
    log(`  codegen mock (validating, stateful)    ${throughput.ours}   = ${(throughput.ours / throughput.bare).toFixed(2)} x bare (goal >= ${GOAL_RATIO_TO_BARE}), ${(throughput.ours / throughput.prism).toFixed(1)} x Prism`);
    log(`  Prism ${prismManifest.version}                           ${throughput.prism}`);

    // 3. Behaviour on the same requests.
    const behaviour = {};
    for (const name of ['ours', 'prism']) behaviour[name] = await probe(running[name].url);
    log('');
    log('behaviour (status, what the body or headers say):');
    for (const [check, what] of Object.entries(PROBES)) {
      log(`  ${what.label}`);
      log(`    codegen mock: ${behaviour.ours[check]}`);
      log(`    Prism:        ${behaviour.prism[check]}`);
    }
    return { machineLoad: loadAverage(), runs: RUNS, seconds: SECONDS, concurrency: CONCURRENCY, startupMs: { ...start, rounds: startup }, rps: { ...throughput, rounds: rps }, ratioToBare: throughput.ours / throughput.bare, ratioToPrism: throughput.ours / throughput.prism, behaviour };
  } finally {
    for (const r of Object.values(running)) r.stop();
  }

  async function load(url, seconds) {
    const client = path.join(root, 'test/mocks/load-client.mjs');
    const out = await capture(process.execPath, [client, url, '100000000', String(CONCURRENCY), 'link', String(seconds)]);
    return JSON.parse(out);
  }
}

const PROBES = {
  invalidLink: { label: '/link/token/create with only client_name (Prism never validates this one)', path: '/link/token/create', body: JSON.stringify({ client_name: 'Bench' }) },
  missingField: { label: '/accounts/get without access_token', path: '/accounts/get', body: '{}' },
  malformed: { label: 'malformed JSON', path: '/accounts/get', body: '{"access_token": ' },
  unknownPath: { label: 'unknown path', path: '/no/such/path', body: '{}' },
  invalidExample: { label: '/signal/evaluate, whose spec example lacks the required risk_tier', path: '/signal/evaluate', body: null },
};

async function probe(url) {
  const out = {};
  let accessToken = 'access-sandbox-bench';
  // Ours checks access tokens: get a real one through the sandbox flow (Prism ignores them).
  const pub = await post(url, '/sandbox/public_token/create', JSON.stringify({ institution_id: 'ins_1', initial_products: ['auth'] }));
  if (pub.status === 200) {
    const exchange = await post(url, '/item/public_token/exchange', JSON.stringify({ public_token: JSON.parse(pub.text).public_token }));
    if (exchange.status === 200) accessToken = JSON.parse(exchange.text).access_token;
  }
  for (const [name, p] of Object.entries(PROBES)) {
    const body = p.body ?? JSON.stringify({ access_token: accessToken, account_id: 'acc_1', client_transaction_id: 'txn_1', amount: 102.05 });
    const res = await post(url, p.path, body);
    if (res.status === 'timeout') {
      out[name] = 'no answer within 5 s';
      continue;
    }
    const violations = res.headers?.['sl-violations'];
    let summary = res.text.length > 160 ? `${res.text.slice(0, 157)}...` : res.text;
    if (name === 'invalidExample' && res.status === 200) {
      const risk = JSON.parse(res.text)?.scores?.customer_initiated_return_risk;
      summary = risk && !('risk_tier' in risk) ? 'serves the example, which lacks the required risk_tier' : 'body has risk_tier (schema-valid)';
    }
    out[name] = `${res.status} ${summary}${violations ? `  [sl-violations header: ${violations.slice(0, 120)}]` : ''}`;
  }
  return out;
}

async function post(url, urlPath, body) {
  try {
    const res = await fetch(url + urlPath, { method: 'POST', headers: HEADERS, body, signal: AbortSignal.timeout(5000) });
    return { status: res.status, text: await res.text(), headers: Object.fromEntries(res.headers) };
  } catch (error) {
    return { status: error?.name === 'TimeoutError' ? 'timeout' : `error ${error?.message}`, text: '' };
  }
}

async function timeToFirstAnswer(server, settled = () => true) {
  const port = await freePort();
  const started = performance.now();
  const child = launchProcess(server, port);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/link/token/create`, { method: 'POST', headers: HEADERS, body: JSON.stringify(LINK) });
        await res.text();
        if (res.status === 200) {
          const ms = performance.now() - started;
          while (!settled() && performance.now() - started < 120_000) await new Promise((r) => setTimeout(r, 50));
          return ms;
        }
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 120_000) throw new Error('no answer within 120 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await stopProcess(child);
  }
}

async function launch(server) {
  const port = await freePort();
  const child = launchProcess(server, port);
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    try {
      const res = await fetch(`${url}/link/token/create`, { method: 'POST', headers: HEADERS, body: JSON.stringify(LINK) });
      await res.text();
      if (res.status === 200) break;
    } catch {
      // starting
    }
    if (performance.now() - started > 120_000) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, stop: () => stopProcess(child) };
}

function launchProcess(server, port) {
  const [cmd, args, env] = server(port);
  return spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}

function capture(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(args[0])} exited ${code}`))));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}

const fmt = (ms) => `${ms} ms`.padEnd(9);

function loadAverage() {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return undefined;
  }
}
