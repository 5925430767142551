import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, hashTree, typecheck } from '../helpers.js';
import { createReferee, type SpecReferee } from './ajv-openapi.js';
import { call, generatePackage, importMocks, rawExchange, type Mocks } from './helpers.js';

const SPEC = path.join(FIXTURES, 'mocks/ledger-oauth.yaml');
const KEY = { 'x-api-key': 'test-key' };

/** A spec with an API key, OAuth2 scopes, path/query/header parameters, examples, oneOf and recursion. */
describe('mock server of a spec with API keys and OAuth scopes', () => {
  let out: string;
  let mocks: Mocks;
  let server: { url: string; port: number; close(): Promise<void>; engine: { invalidResponses: Set<string> } };
  let referee: SpecReferee;
  const base = () => `${server.url}/v1`;

  const token = async (scope: string) => {
    const res = await call(base(), 'POST', '/oauth/token', { body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`, raw: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    return res.json as { access_token: string; refresh_token: string; scope: string };
  };

  beforeAll(async () => {
    out = generatePackage('mocks-ledger', [SPEC]);
    mocks = await importMocks(out);
    server = await mocks.createMockServer({ port: 0, seed: 7, requestTimeoutMs: 700, maxBodyBytes: 64 * 1024 });
    referee = createReferee(SPEC);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('emits src/mocks.ts and src/mocks/** that type-check under tsc --strict', () => {
    expect(fs.existsSync(path.join(out, 'src/mocks.ts'))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'src/mocks')).sort()).toEqual(['api.ts', 'data.ts', 'gen.ts', 'msw.ts', 'runtime.ts', 'server.ts']);
    expect(fs.readFileSync(path.join(out, 'src/mocks/api.ts'), 'utf8')).toContain("from '../validators.js'");
    const result = typecheck(out);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('generates byte-identical mocks on a second run', () => {
    const again = generatePackage('mocks-ledger-again', [SPEC]);
    const pick = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([k]) => k.startsWith('src/mocks')));
    expect(pick(hashTree(again))).toEqual(pick(hashTree(out)));
  });

  it('answers every operation with its documented success status and a body ajv accepts', async () => {
    const { access_token } = await token('accounts:read accounts:write payments:write');
    const auth = { ...KEY, authorization: `Bearer ${access_token}` };
    const cases: [string, string, string, number][] = [
      ['GET', '/accounts', 'listAccounts', 200],
      ['POST', '/accounts', 'createAccount', 201],
      ['GET', '/accounts/acc_1', 'getAccount', 200],
      ['POST', '/payments', 'createPayment', 201],
      ['GET', '/health', 'health', 204],
    ];
    for (const [method, urlPath, operation, status] of cases) {
      const body = method === 'POST' ? mocks.mockRequest(operation) : undefined;
      if (body !== undefined) expect(referee.request(method.toLowerCase(), urlPath)!(body), `${operation} request ${JSON.stringify(body)}`).toBe(true);
      const res = await call(base(), method, urlPath, { body, headers: auth });
      expect(res.status, `${operation}: ${res.text}`).toBe(status);
      const check = referee.response(method.toLowerCase(), urlPath === '/accounts/acc_1' ? '/accounts/{accountId}' : urlPath, String(status));
      if (status === 204) expect(res.text).toBe('');
      else {
        expect(check!(res.json), `${operation}: ${JSON.stringify(check!.errors)}`).toBe(true);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      }
    }
    expect([...server.engine.invalidResponses]).toEqual([]);
  });

  it('serves the first valid spec example, never one that fails the response schema', async () => {
    const plain = await call(base(), 'GET', '/accounts/acc_1', { headers: KEY });
    // The spec lists 'broken' (no iban, bad uuid) first; 'savings' is the first valid one.
    expect(plain.json.name).toBe('Rainy Day Savings');
    const broken = await call(base(), 'GET', '/accounts/acc_1', { headers: { ...KEY, prefer: 'example=broken' } });
    expect(broken.status).toBe(200);
    expect(broken.headers.get('x-mock-warning')).toMatch(/example 'broken' fails the response schema/);
    expect(broken.json.name).not.toBe('Broken');
    expect(referee.response('get', '/accounts/{accountId}', '200')!(broken.json)).toBe(true);
    const unknown = await call(base(), 'GET', '/accounts/acc_1', { headers: { ...KEY, prefer: 'example=nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/no example named 'nope'.*broken, savings/);
  });

  it('answers the status and example a Prefer header asks for', async () => {
    const notFound = await call(base(), 'GET', '/accounts/acc_1', { headers: { ...KEY, prefer: 'code=404, example=missing' } });
    expect(notFound.status).toBe(404);
    expect(notFound.json).toEqual({ error: 'not_found', message: 'no account acc_404' });
    const serverError = await call(base(), 'GET', '/accounts/acc_1', { headers: { ...KEY, prefer: 'code=500' } });
    expect(serverError.status).toBe(500);
    expect(referee.response('get', '/accounts/{accountId}', 'default')!(serverError.json)).toBe(true);
    // A 4XX range response serves any 4xx asked for.
    const { access_token } = await token('accounts:read payments:write');
    const conflict = await call(base(), 'POST', '/payments', { body: {}, headers: { ...KEY, authorization: `Bearer ${access_token}`, prefer: 'code=409' } });
    expect(conflict.status).toBe(409);
    expect(referee.response('post', '/payments', '4XX')!(conflict.json)).toBe(true);
  });

  it('synthesizes realistic data: formats, patterns, enums, bounds, nullable, oneOf with its tag', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const account = mocks.mockSchema('Account', { seed });
      expect(referee.response('get', '/accounts/{accountId}', '200')!(account), JSON.stringify(account)).toBe(true);
      expect(account.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(account.opened).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(account.iban).toMatch(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,20}$/);
      expect(['USD', 'EUR', 'GBP']).toContain(account.balance.currency);
      expect(Number.isInteger(Math.round(account.balance.amount * 100))).toBe(true);
      const payment = mocks.mockSchema('Payment', { seed });
      expect(payment.method === 'card' ? /^\d{4}$/.test(payment.card_last4) : /^[0-9]{9}$/.test(payment.routing)).toBe(true);
    }
    const kinds = new Set(Array.from({ length: 60 }, (_, seed) => mocks.mockSchema('AccountKind', { seed })));
    expect(kinds).toEqual(new Set(['checking', 'savings']));
  });

  it('gives the same bodies for the same seed and different ones for another seed', async () => {
    const again = await mocks.createMockServer({ port: 0, seed: 7 });
    const other = await mocks.createMockServer({ port: 0, seed: 8 });
    try {
      const { access_token } = await token('accounts:read');
      const get = async (url: string) => {
        // Tokens are per server: give each its own.
        const t = url === server.url ? access_token : ((await call(`${url}/v1`, 'POST', '/oauth/token', { body: { grant_type: 'client_credentials', scope: 'accounts:read' } })).json.access_token as string);
        return (await call(`${url}/v1`, 'GET', '/accounts', { headers: { ...KEY, authorization: `Bearer ${t}` } })).text;
      };
      const first = await get(server.url);
      expect(await get(again.url)).toBe(first);
      expect(await get(other.url)).not.toBe(first);
      expect(mocks.mockResponse('listAccounts', { seed: 3 })).toEqual(mocks.mockResponse('listAccounts', { seed: 3 }));
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('synthesizes a fresh body per request with Prefer: dynamic=true', async () => {
    const headers = { ...KEY, prefer: 'code=200, dynamic=true' };
    const first = await call(base(), 'POST', '/oauth/token', { body: { grant_type: 'client_credentials' }, headers });
    const second = await call(base(), 'POST', '/oauth/token', { body: { grant_type: 'client_credentials' }, headers });
    expect(first.status).toBe(200);
    expect(first.json.access_token).not.toBe(second.json.access_token);
    const a = await call(base(), 'GET', '/accounts/acc_1', { headers: { ...KEY, prefer: 'dynamic=true' } });
    const b = await call(base(), 'GET', '/accounts/acc_1', { headers: { ...KEY, prefer: 'dynamic=true' } });
    expect(a.text).not.toBe(b.text);
    expect(referee.response('get', '/accounts/{accountId}', '200')!(a.json)).toBe(true);
  });

  it('runs createMockServer without msw installed (handlers is then empty)', async () => {
    // The package's JavaScript in a folder with no node_modules above it: `msw` cannot resolve.
    const { toJavaScript } = await import('../../src/emit/mocks/compile.js');
    const lonely = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-no-msw-'));
    try {
      for (const file of fs.readdirSync(path.join(out, 'src'), { recursive: true }) as string[]) {
        if (!file.endsWith('.ts')) continue;
        const target = path.join(lonely, file.replace(/\.ts$/, '.js'));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, toJavaScript(fs.readFileSync(path.join(out, 'src', file), 'utf8'), file));
      }
      fs.writeFileSync(path.join(lonely, 'package.json'), '{ "type": "module" }');
      const script = path.join(lonely, 'run.mjs');
      fs.writeFileSync(
        script,
        [
          "const m = await import('./mocks.js');",
          "let createHandlers = 'ok';",
          'try { m.createHandlers(); } catch (e) { createHandlers = e.message; }',
          'const s = await m.createMockServer({ port: 0 });',
          "const r = await fetch(s.url + '/v1/accounts/acc_1', { headers: { 'x-api-key': 'k' } });",
          'console.log(JSON.stringify({ handlers: m.handlers.length, createHandlers, status: r.status, name: (await r.json()).name }));',
          'await s.close();',
        ].join('\n'),
      );
      const result = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' }));
      expect(result).toEqual({ handlers: 0, createHandlers: 'createHandlers needs msw: npm install --save-dev msw', status: 200, name: 'Rainy Day Savings' });
    } finally {
      fs.rmSync(lonely, { recursive: true, force: true });
    }
  });

  it('requires the API key header, in the API error shape', async () => {
    const res = await call(base(), 'GET', '/accounts/acc_1');
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'unauthorized', message: 'the following required fields are missing: X-API-Key' });
    expect(referee.response('get', '/accounts/{accountId}', 'default')!(res.json)).toBe(true);
    const strict = await mocks.createMockServer({ port: 0, apiKeys: { apiKey: 'right' } });
    try {
      expect((await call(`${strict.url}/v1`, 'GET', '/accounts/acc_1', { headers: { 'x-api-key': 'wrong' } })).status).toBe(401);
      expect((await call(`${strict.url}/v1`, 'GET', '/accounts/acc_1', { headers: { 'x-api-key': 'right' } })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it('needs a bearer token carrying the operation scopes: 401 without, 403 when one is missing', async () => {
    const none = await call(base(), 'POST', '/payments', { body: mocks.mockRequest('createPayment'), headers: KEY });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const forged = await call(base(), 'POST', '/payments', { body: mocks.mockRequest('createPayment'), headers: { ...KEY, authorization: 'Bearer made-up' } });
    expect(forged.status).toBe(401);
    const readOnly = await token('accounts:read');
    expect(readOnly.scope).toBe('accounts:read');
    const denied = await call(base(), 'POST', '/payments', { body: mocks.mockRequest('createPayment'), headers: { ...KEY, authorization: `Bearer ${readOnly.access_token}` } });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ error: 'insufficient_scope', message: 'insufficient scope: createPayment needs payments:write' });
    expect(denied.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="payments:write accounts:read"');
    const both = await token('accounts:read payments:write');
    const ok = await call(base(), 'POST', '/payments', { body: mocks.mockRequest('createPayment'), headers: { ...KEY, authorization: `Bearer ${both.access_token}` } });
    expect(ok.status).toBe(201);
  });

  it('issues tokens at /oauth/token (form or JSON) after checking the scope set with checkScopes', async () => {
    const bad = await call(base(), 'POST', '/oauth/token', { body: { grant_type: 'client_credentials', scope: 'accounts:read bogus' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_scope');
    expect(bad.json.message).toMatch(/bogus/);
    const first = await token('accounts:read');
    const refreshed = await call(base(), 'POST', '/oauth/token', { body: { grant_type: 'refresh_token', refresh_token: first.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).not.toBe(first.access_token);
    expect(refreshed.json.scope).toBe('accounts:read');
    const widened = await call(base(), 'POST', '/oauth/token', { body: { grant_type: 'refresh_token', refresh_token: first.refresh_token, scope: 'accounts:read payments:write' } });
    expect(widened.status).toBe(400);
    expect(widened.json.error).toBe('invalid_scope');
    const stolen = await call(base(), 'POST', '/oauth/token', { body: { grant_type: 'refresh_token', refresh_token: first.access_token } });
    expect(stolen.status).toBe(400);
    expect(stolen.json.error).toBe('invalid_grant');
    expect(referee.response('post', '/oauth/token', '200')!(refreshed.json)).toBe(true);
  });

  it('rejects request bodies the request validator rejects, naming the field', async () => {
    const { access_token } = await token('accounts:read accounts:write payments:write');
    const auth = { ...KEY, authorization: `Bearer ${access_token}` };
    const missing = await call(base(), 'POST', '/payments', { body: { account_id: 'a' }, headers: auth });
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'invalid_request', message: 'the following required fields are missing: amount, payment' });
    const wrongType = await call(base(), 'POST', '/payments', { body: { account_id: 'a', amount: { amount: 'ten', currency: 'USD' }, payment: { method: 'card', card_last4: '1234' } }, headers: auth });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.message).toMatch(/^amount\.amount /);
    const extra = await call(base(), 'POST', '/accounts', { body: { name: 'Main', colour: 'red' }, headers: auth });
    expect(extra.status).toBe(400);
    expect(extra.json.message).toMatch(/colour/);
    const badQuery = await call(base(), 'GET', '/accounts?limit=many', { headers: auth });
    expect(badQuery.status).toBe(400);
    expect(badQuery.json.message).toBe('query parameter limit must be an integer');
    const badEnum = await call(base(), 'GET', '/accounts?kind=brokerage', { headers: auth });
    expect(badEnum.status).toBe(400);
    expect(badEnum.json.message).toMatch(/query parameter kind must be one of checking, savings/);
  });

  it('answers unknown paths with 404 and wrong methods with 405, in the API error shape', async () => {
    const missing = await call(base(), 'GET', '/nowhere', { headers: KEY });
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'not_found', message: 'not found: GET /v1/nowhere' });
    const wrong = await call(base(), 'DELETE', '/accounts', { headers: KEY });
    expect(wrong.status).toBe(405);
    expect(wrong.json.error).toBe('method_not_allowed');
  });

  it('answers CORS preflights so a web app on another origin can call it', async () => {
    const preflight = await fetch(`${base()}/payments`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    const res = await call(base(), 'GET', '/accounts/acc_1', { headers: { ...KEY, origin: 'http://localhost:5173' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('declares response headers the spec requires', async () => {
    const res = await call(base(), 'GET', '/accounts/acc_1', { headers: KEY });
    const remaining = Number(res.headers.get('x-ratelimit-remaining'));
    expect(Number.isInteger(remaining) && remaining >= 0 && remaining <= 100).toBe(true);
  });

  it('never crashes on bad requests: malformed JSON, wrong content type, huge bodies, slow and broken clients', async () => {
    const { access_token } = await token('accounts:read payments:write');
    const auth = { ...KEY, authorization: `Bearer ${access_token}` };
    const malformed = await call(base(), 'POST', '/payments', { body: '{"account_id": ', raw: true, headers: { ...auth, 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({ error: 'invalid_body', message: 'body could not be parsed as JSON' });
    const text = await call(base(), 'POST', '/payments', { body: 'hello', raw: true, headers: { ...auth, 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const empty = await call(base(), 'POST', '/payments', { body: '', raw: true, headers: { ...auth, 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);

    const huge = JSON.stringify({ account_id: 'x'.repeat(200 * 1024) });
    const tooLarge = await call(base(), 'POST', '/payments', { body: huge, raw: true, headers: { ...auth, 'content-type': 'application/json' } });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error).toBe('payload_too_large');
    // Chunked, so no content-length gives it away up front.
    const chunked = await rawExchange(server.port, [
      { data: `POST /v1/payments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-api-key: k\r\ntransfer-encoding: chunked\r\n\r\n` },
      ...Array.from({ length: 5 }, () => ({ data: `${(20 * 1024).toString(16)}\r\n${'a'.repeat(20 * 1024)}\r\n` })),
      { data: '0\r\n\r\n' },
    ]);
    expect(chunked.response).toMatch(/^HTTP\/1\.1 413/);

    // A client that sends half a request and stalls gets 408 once the request timeout passes.
    const slow = await rawExchange(server.port, [{ data: 'POST /v1/payments HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"acc' }], 5_000);
    expect(slow.response).toMatch(/^HTTP\/1\.1 408/);
    expect(slow.closed).toBe(true);
    expect(slow.ms).toBeLessThan(4_000);
    const garbage = await rawExchange(server.port, [{ data: 'NOT HTTP AT ALL\r\n\r\n' }]);
    expect(garbage.response).toMatch(/^HTTP\/1\.1 400/);

    // Still serving.
    expect((await call(base(), 'GET', '/accounts/acc_1', { headers: KEY })).status).toBe(200);
  });

  it('applies per-operation overrides: a fixed answer or a function of the request', async () => {
    const custom = await mocks.createMockServer({
      port: 0,
      overrides: {
        getAccount: (req: { pathParams: { accountId: string } }) => (req.pathParams.accountId === 'gone' ? { status: 404, example: 'missing' } : undefined),
        listAccounts: { status: 503, body: { error: 'maintenance', message: 'back soon' }, headers: { 'retry-after': '30' } },
      },
      auth: false,
    });
    try {
      expect((await call(`${custom.url}/v1`, 'GET', '/accounts/gone')).status).toBe(404);
      expect((await call(`${custom.url}/v1`, 'GET', '/accounts/here')).status).toBe(200);
      const down = await call(`${custom.url}/v1`, 'GET', '/accounts');
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('30');
      expect(down.json).toEqual({ error: 'maintenance', message: 'back soon' });
    } finally {
      await custom.close();
    }
  });
});
