import fs from 'node:fs';
import path from 'node:path';
import { inspect as inspectValue } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAID_SPEC, ROOT } from '../helpers.js';
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { checkApp, checkConsumer, generateAndBuild, json, startServer, type BuiltPackage, type TestServer } from './harness.js';

const SECRET = 'plaid-secret-9f8e7d6c5b4a';
const CLIENT_ID = 'client-id-0123456789';

/** The client generated from the real Plaid spec, compiled with tsc, against a local HTTP server. */
describe('generated client: the real Plaid spec', () => {
  let pkg: BuiltPackage;
  let c: Record<string, any>;
  let server: TestServer;
  let operations: { name: string; method: string; path: string }[];

  beforeAll(async () => {
    pkg = generateAndBuild('client-plaid', [PLAID_SPEC]);
    c = await pkg.load('client.js');
    server = await startServer();
    const { inspect } = await import(path.join(ROOT, 'dist/generate.js'));
    operations = (await inspect([PLAID_SPEC])).operations;
  });
  afterAll(() => server?.close());

  it('has every one of the 329 operations as a client method, a standalone function and a typed method signature', () => {
    expect(operations).toHaveLength(329);
    const client = c.createClient({ baseUrl: server.url });
    const methods = fs.readFileSync(path.join(pkg.dir, 'src/client/methods.ts'), 'utf8');
    const declared = new Set([...methods.matchAll(/^ {2}(\w+)\((?:body|params|options)/gm)].map((m) => m[1]));
    for (const op of operations) {
      expect(typeof client[op.name], op.name).toBe('function');
      expect(typeof c[op.name], op.name).toBe('function');
      expect(declared.has(op.name), op.name).toBe(true);
    }
    expect(declared.size).toBe(329);
  });

  it('sends the right method, path, headers and body, and returns the parsed data', async () => {
    server.handle((req, res) => {
      if (req.path === '/link/token/create') return json(res, 200, { link_token: 'link-sandbox-1', expiration: '2030-01-01T00:00:00Z', request_id: 'r1' });
      if (req.path === '/categories/get') return json(res, 200, { categories: [], request_id: 'r2' });
      if (req.path.startsWith('/fdx/consents/')) return json(res, 200, { id: 'c 1', status: 'ACTIVE' });
      if (req.path.startsWith('/fdx/recipient/')) return json(res, 200, { recipientId: 'r1' });
      json(res, 404, {});
    });
    const plaid = c.createClient({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET });
    const body = { client_name: 'Acme', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-1' }, products: ['transactions'] };
    const created = await plaid.linkTokenCreate(body);
    expect(created).toEqual({ link_token: 'link-sandbox-1', expiration: '2030-01-01T00:00:00Z', request_id: 'r1' });
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/link/token/create');
    expect(req.headers['plaid-client-id']).toBe(CLIENT_ID);
    expect(req.headers['plaid-secret']).toBe(SECRET);
    expect(req.headers['plaid-version']).toBe('2020-09-14');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.json).toEqual(body);

    // /categories/get declares `security: []`: no credentials, only the API version.
    await plaid.categoriesGet({});
    expect(server.requests[1].headers['plaid-secret']).toBeUndefined();
    expect(server.requests[1].headers['plaid-version']).toBe('2020-09-14');

    await plaid.fdxConsentGet({ path: { consentId: 'c 1' } });
    expect(server.requests[2]).toMatchObject({ method: 'GET', url: '/fdx/consents/c%201' });
    await c.getRecipient(plaid, { path: { recipientId: 'r1' }, header: { 'OAUTH-STATE-ID': 'state-1' } });
    expect(server.requests[3]).toMatchObject({ method: 'GET', url: '/fdx/recipient/r1' });
    expect(server.requests[3].headers['oauth-state-id']).toBe('state-1');
  });

  it('the same call through a base client and a standalone function; environment picks the Plaid server', async () => {
    server.handle((_req, res) => json(res, 200, { item: { item_id: 'i1' }, request_id: 'r' }));
    const base = c.createBaseClient({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET, plaidVersion: '2020-09-14' });
    await expect(c.itemGet(base, { access_token: 'access-sandbox-1' })).resolves.toMatchObject({ item: { item_id: 'i1' } });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/item/get', json: { access_token: 'access-sandbox-1' } });
    expect(c.createBaseClient({ environment: 'sandbox' }).$baseUrl).toBe('https://sandbox.plaid.com');
    expect(c.createBaseClient({ environment: 'Production' }).$baseUrl).toBe('https://production.plaid.com');
  });

  it('maps a Plaid error to ApiError with status, typed PlaidError body, request id, method and path', async () => {
    const plaidError = { error_type: 'INVALID_REQUEST', error_code: 'MISSING_FIELDS', error_message: 'the following required fields are missing: user.client_user_id', display_message: null, request_id: 'req-42' };
    server.handle((_req, res) => json(res, 400, plaidError));
    const plaid = c.createClient({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET });
    const error = await plaid.linkTokenCreate({ client_name: 'x', language: 'en', country_codes: ['US'], user: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(c.ApiError);
    expect(c.isApiError(error, 'linkTokenCreate')).toBe(true);
    expect(c.isApiError(error, 'itemGet')).toBe(false);
    expect(error).toMatchObject({ name: 'ApiError', status: 400, requestId: 'req-42', method: 'POST', path: '/link/token/create', operation: 'linkTokenCreate', body: plaidError });
    expect(error.message).toBe('linkTokenCreate failed: 400 POST /link/token/create: MISSING_FIELDS the following required fields are missing: user.client_user_id');
  });

  it('never shows the secret in an error message, toString, JSON or inspect output', async () => {
    // A server that echoes credentials back in its error body.
    server.handle((req, res) => json(res, 400, { error_type: 'INVALID_INPUT', error_code: 'INVALID_API_KEYS', error_message: `bad secret ${req.headers['plaid-secret']} for ${req.headers['plaid-client-id']}`, secret: req.headers['plaid-secret'], request_id: 'r' }));
    const plaid = c.createClient({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET });
    const error = await plaid.itemGet({ access_token: 'access-sandbox-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(c.ApiError);
    for (const shown of [error.message, String(error), JSON.stringify(error), inspectValue(error, { depth: 5 }), error.stack]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(CLIENT_ID);
    }
    expect(error.message).toContain('bad secret [REDACTED] for [REDACTED]');
    expect(JSON.parse(JSON.stringify(error)).body.secret).toBe('[REDACTED]');
    // Nor does the client object itself hold them in view.
    expect(inspectValue(plaid, { depth: 3 })).not.toContain(SECRET);
    expect(JSON.stringify(plaid)).not.toContain(SECRET);

    // A failing fetch whose message carries the secret is scrubbed too.
    const leaky = c.createClient({ baseUrl: server.url, secret: SECRET, maxRetries: 0, fetch: async (_url: string, init: RequestInit) => Promise.reject(new Error(`refused with headers ${JSON.stringify(Object.fromEntries(new Headers(init.headers)))}`)) });
    const network = await leaky.itemGet({ access_token: 'a' }).catch((e: unknown) => e);
    expect(network).toBeInstanceOf(c.NetworkError);
    for (const shown of [network.message, String(network), JSON.stringify(network), inspectValue(network, { depth: 5 })]) expect(shown).not.toContain(SECRET);
  });

  it('walks a multi-page /transactions/sync with paginate, and offset pages of /transactions/get', async () => {
    const pages: Record<string, object> = {
      '': { added: [{ transaction_id: 't1' }, { transaction_id: 't2' }], modified: [], removed: [], accounts: [], next_cursor: 'cur-1', has_more: true, transactions_update_status: 'HISTORICAL_UPDATE_COMPLETE', request_id: 'a' },
      'cur-1': { added: [{ transaction_id: 't3' }], modified: [], removed: [{ transaction_id: 't0' }], accounts: [], next_cursor: 'cur-2', has_more: true, transactions_update_status: 'HISTORICAL_UPDATE_COMPLETE', request_id: 'b' },
      'cur-2': { added: [], modified: [], removed: [], accounts: [], next_cursor: 'cur-3', has_more: false, transactions_update_status: 'HISTORICAL_UPDATE_COMPLETE', request_id: 'c' },
    };
    const all = Array.from({ length: 12 }, (_, i) => ({ transaction_id: `tx${i}` }));
    const handler = (req: any, res: any) => {
      const body = req.json as any;
      if (req.path === '/transactions/sync') return json(res, 200, pages[body.cursor ?? '']);
      const { offset = 0, count = 100 } = body.options ?? {};
      json(res, 200, { accounts: [], transactions: all.slice(offset, offset + count), total_transactions: all.length, item: {}, request_id: 'x' });
    };
    server.handle(handler);
    const plaid = c.createClient({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET });
    const added: string[] = [];
    let last = '';
    for await (const page of c.paginate(plaid, 'transactionsSync', { access_token: 'access-sandbox-1' })) {
      added.push(...page.added.map((t: any) => t.transaction_id));
      last = page.next_cursor;
    }
    expect(added).toEqual(['t1', 't2', 't3']);
    expect(last).toBe('cur-3');
    expect(server.requests.map((r) => (r.json as any).cursor)).toEqual([undefined, 'cur-1', 'cur-2']);

    server.handle(handler);
    const ids: string[] = [];
    for await (const page of c.paginate(plaid, 'transactionsGet', { access_token: 'a', start_date: '2024-01-01', end_date: '2024-02-01', options: { count: 5 } })) ids.push(...page.transactions.map((t: any) => t.transaction_id));
    expect(ids).toEqual(all.map((t) => t.transaction_id));
    expect(server.requests.map((r) => (r.json as any).options)).toEqual([{ count: 5, offset: 0 }, { count: 5, offset: 5 }, { count: 5, offset: 10 }]);
  });

  describe('webhook verification (Plaid-Verification ES256 JWT)', () => {
    let keys: CryptoKeyPair;
    let jwk: JsonWebKey & Record<string, unknown>;
    const kid = 'bfbd5111-8e33-4643-8ced-b2e642a72f3c';
    const b64url = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');
    const sha256 = async (text: string) => Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))).toString('hex');
    const sign = async (header: object, claims: object, key = keys.privateKey) => {
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new TextEncoder().encode(input)));
      return `${input}.${b64url(signature)}`;
    };
    const body = JSON.stringify({ webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: 'wz666MBjYWTp2PDzzggYhM6oWWmBb', initial_update_complete: true, historical_update_complete: false, environment: 'sandbox' }, null, 2);

    beforeAll(async () => {
      keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      jwk = { ...(await crypto.subtle.exportKey('jwk', keys.publicKey)), kid, alg: 'ES256', use: 'sig', created_at: 1560466150, expired_at: null };
    });

    const serveKeys = () =>
      server.handle((req, res) => {
        if (req.path !== '/webhook_verification_key/get') return json(res, 404, {});
        if ((req.json as any).key_id !== kid) return json(res, 400, { error_type: 'INVALID_INPUT', error_code: 'INVALID_WEBHOOK_VERIFICATION_KEY_ID', error_message: 'invalid key_id provided', request_id: 'k' });
        json(res, 200, { key: jwk, request_id: 'k' });
      });

    it('accepts a valid signed payload, fetching the key once through /webhook_verification_key/get', async () => {
      serveKeys();
      const plaid = c.createClient({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET });
      const getKey = c.createWebhookKeyFetcher(plaid);
      const token = await sign({ alg: 'ES256', kid, typ: 'JWT' }, { iat: Math.floor(Date.now() / 1000) - 10, request_body_sha256: await sha256(body) });
      const result = await c.verifyWebhook(body, { 'plaid-verification': token, 'content-type': 'application/json' }, { getKey });
      expect(result).toEqual({ ok: true, kid, webhook: JSON.parse(body) });
      // Headers objects and Uint8Array bodies work too; the key comes from the cache.
      const again = await c.verifyWebhook(new TextEncoder().encode(body), new Headers({ 'Plaid-Verification': token }), { getKey });
      expect(again.ok).toBe(true);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ path: '/webhook_verification_key/get', json: { key_id: kid } });
      expect(server.requests[0].headers['plaid-secret']).toBe(SECRET);
    });

    it('rejects a tampered body, an expired token, an unknown key id, another algorithm and a foreign signature', async () => {
      serveKeys();
      const getKey = c.createWebhookKeyFetcher(c.createClient({ baseUrl: server.url }));
      const now = Math.floor(Date.now() / 1000);
      const hash = await sha256(body);
      const good = await sign({ alg: 'ES256', kid }, { iat: now, request_body_sha256: hash });
      const verify = (b: string, token: string) => c.verifyWebhook(b, { 'plaid-verification': token }, { getKey });

      expect(await verify(body.replace('"sandbox"', '"production"'), good)).toEqual({ ok: false, reason: 'body does not match the signed hash' });
      expect(await verify(body, await sign({ alg: 'ES256', kid }, { iat: now - 301, request_body_sha256: hash }))).toEqual({ ok: false, reason: 'token is too old' });
      expect(await verify(body, await sign({ alg: 'ES256', kid: 'no-such-kid' }, { iat: now, request_body_sha256: hash }))).toEqual({ ok: false, reason: 'unknown key id no-such-kid' });
      const [, payload, signature] = good.split('.');
      expect(await verify(body, `${b64url(JSON.stringify({ alg: 'HS256', kid }))}.${payload}.${signature}`)).toEqual({ ok: false, reason: 'unsupported algorithm "HS256"' });
      expect(await verify(body, `${b64url(JSON.stringify({ alg: 'none', kid }))}.${payload}.`)).toEqual({ ok: false, reason: 'unsupported algorithm "none"' });
      const other = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
      expect(await verify(body, await sign({ alg: 'ES256', kid }, { iat: now, request_body_sha256: hash }, other.privateKey))).toEqual({ ok: false, reason: 'bad signature' });
      expect(await c.verifyWebhook(body, {}, { getKey })).toEqual({ ok: false, reason: 'missing verification header' });
      // A key Plaid has marked expired is refused.
      expect(await c.verifyWebhook(body, { 'plaid-verification': good }, { getKey: () => ({ ...jwk, expired_at: 1700000000 }) })).toEqual({ ok: false, reason: `key ${kid} has expired` });
      expect(await verify(body, good)).toMatchObject({ ok: true });
    });

    it('types every keyed webhook payload: 90 of the 91 *Webhook schemas carry webhook_type and webhook_code', () => {
      const source = fs.readFileSync(path.join(pkg.dir, 'src/client/webhooks.ts'), 'utf8');
      const payloads = [...source.matchAll(/^export type (\w+)Payload = Keyed<\$[RT]\.\w+, "(\w+)", "(\w+)">;$/gm)];
      expect(payloads).toHaveLength(90);
      const types = fs.readFileSync(path.join(pkg.dir, 'src/types.ts'), 'utf8');
      const webhookSchemas = [...types.matchAll(/^export (?:interface|type) (\w+Webhook)\b/gm)].map((m) => m[1]);
      expect(webhookSchemas).toHaveLength(91);
      // The one left out is a status record, not a payload.
      expect(webhookSchemas.filter((s) => !payloads.some((p) => p[1] === s))).toEqual(['ItemStatusLastWebhook']);
      expect(payloads.find((p) => p[1] === 'SyncUpdatesAvailableWebhook')!.slice(2)).toEqual(['TRANSACTIONS', 'SYNC_UPDATES_AVAILABLE']);
    });
  });

  it('type-checks an app against the emitted declarations: typed bodies, results, errors, webhooks, open response enums', () => {
    const result = checkApp(pkg.dir, {
      'app.ts': [
        "import { createClient, isApiError, paginate, verifyWebhook, createWebhookKeyFetcher, type Received, type Webhook, type WebhookOf } from '../dist/client.js';",
        "import type { AccountSubtype, LinkTokenCreateRequest } from '../dist/index.js';",
        "const plaid = createClient({ environment: 'sandbox', clientId: 'id', secret: 's' });",
        'export async function run(body: string, headers: Record<string, string>): Promise<void> {',
        "  const request: LinkTokenCreateRequest = { client_name: 'Acme', language: 'en', country_codes: ['US'], user: { client_user_id: 'u' }, products: ['transactions'] };",
        '  const created = await plaid.linkTokenCreate(request);',
        '  created.link_token.toUpperCase();',
        '  // @ts-expect-error client_name is required',
        "  await plaid.linkTokenCreate({ language: 'en', country_codes: ['US'], user: { client_user_id: 'u' } });",
        "  // @ts-expect-error no such environment",
        "  createClient({ environment: 'staging' });",
        '  try {',
        "    await plaid.itemGet({ access_token: 'a' });",
        '  } catch (e) {',
        "    if (isApiError(e, 'itemGet')) console.log(e.status, e.requestId, e.body?.error_code, e.body?.error_type);",
        '  }',
        "  for await (const page of paginate(plaid, 'transactionsSync', { access_token: 'a' })) page.added.forEach((t) => t.transaction_id);",
        "  const accounts = await plaid.accountsGet({ access_token: 'a' });",
        "  const subtype: Received.AccountSubtype = accounts.accounts[0].subtype;",
        "  const future: Received.AccountSubtype = 'crypto wallet';",
        "  // @ts-expect-error request-side enums stay closed",
        "  const strict: AccountSubtype = 'crypto wallet';",
        '  const checked = await verifyWebhook(body, headers, { getKey: createWebhookKeyFetcher(plaid) });',
        '  if (!checked.ok) return;',
        '  const hook: Webhook = checked.webhook;',
        "  if (hook.webhook_type === 'TRANSACTIONS' && hook.webhook_code === 'SYNC_UPDATES_AVAILABLE') console.log(hook.historical_update_complete, hook.environment);",
        "  const removed: WebhookOf<'TRANSACTIONS', 'TRANSACTIONS_REMOVED'> | undefined = undefined;",
        '  void [subtype, future, strict, removed];',
        '}',
      ].join('\n'),
    });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  describe('one operation on its own: PKG/client/core and PKG/operations/<name>', () => {
    const LEAN_APP = [
      "import { createBaseClient, ApiError } from '@test/client-plaid/client/core';",
      "import { linkTokenCreate, type LinkTokenCreateRequest } from '@test/client-plaid/operations/linkTokenCreate';",
      'export async function run(baseUrl: string): Promise<string> {',
      "  const plaid = createBaseClient({ baseUrl, clientId: 'id', secret: 's' });",
      "  const body: LinkTokenCreateRequest = { client_name: 'Acme', language: 'en', country_codes: ['US'], user: { client_user_id: 'u' }, products: ['transactions'] };",
      '  try {',
      '    const created = await linkTokenCreate(plaid, body, { timeoutMs: 5000 });',
      '    return created.link_token.toUpperCase();',
      '  } catch (e) {',
      '    if (e instanceof ApiError) return `${e.status} ${e.requestId}`;',
      '    throw e;',
      '  }',
      '}',
      '// @ts-expect-error client_name is required',
      "export const missing: LinkTokenCreateRequest = { language: 'en', country_codes: ['US'], user: { client_user_id: 'u' } };",
      '',
    ].join('\n');

    it('type-checks through the package exports while tsc reads only that operation\'s few declaration files', () => {
      const result = checkConsumer(pkg.dir, '@test/client-plaid', LEAN_APP);
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
      const all = fs.readdirSync(path.join(pkg.dir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'));
      const read = result.packageFiles.map((f) => f.slice(f.indexOf('/dist/') + 1));
      // Neither the index of every type nor the whole client is read.
      for (const whole of ['dist/types.d.ts', 'dist/client.d.ts', 'dist/client/methods.d.ts', 'dist/client/types.d.ts', 'dist/client/operations.d.ts']) expect(read).not.toContain(whole);
      expect(read).toContain('dist/client/operations/linkTokenCreate.d.ts');
      expect(all.length).toBeGreaterThan(1000);
      expect(read.length).toBeLessThan(all.length / 10);
      const lines = read.reduce((n, f) => n + fs.readFileSync(path.join(pkg.dir, f), 'utf8').split('\n').length, 0);
      const total = all.reduce((n, f) => n + fs.readFileSync(path.join(pkg.dir, 'dist', f), 'utf8').split('\n').length, 0);
      expect(lines).toBeLessThan(total / 20);
    });

    it('runs against the local server, with errors of the same classes as PKG/client', async () => {
      const core = await pkg.load('client/core.js');
      const op = await pkg.load('client/operations/linkTokenCreate.js');
      expect(core.ApiError).toBe(c.ApiError);
      server.handle((req, res) => ((req.json as { client_name?: string })?.client_name === 'Acme' ? json(res, 200, { link_token: 'link-sandbox-2', expiration: 'x', request_id: 'r' }) : json(res, 400, { error_code: 'INVALID_FIELD', error_message: 'no', request_id: 'req-7' })));
      const plaid = core.createBaseClient({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET });
      await expect(op.linkTokenCreate(plaid, { client_name: 'Acme' })).resolves.toMatchObject({ link_token: 'link-sandbox-2' });
      expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/link/token/create' });
      expect(server.requests[0].headers['plaid-secret']).toBe(SECRET);
      const error = await op.linkTokenCreate(plaid, { client_name: 'Other' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(c.ApiError);
      expect(error).toMatchObject({ status: 400, requestId: 'req-7', path: '/link/token/create' });
    });

    it('carries only the plugins it is given: no retries by default, withRetries and withBearer on request', async () => {
      const core = await pkg.load('client/core.js');
      const oauth = await pkg.load('client/oauth.js');
      const op = await pkg.load('client/operations/linkTokenCreate.js');
      const options = { baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET };
      let calls = 0;
      server.handle((req, res) => {
        if (req.path === '/oauth/token') return json(res, 200, { access_token: 'access-oauth-1', expires_in: 900, token_type: 'Bearer' });
        return ++calls % 2 === 1 ? json(res, 503, { error_code: 'PLANNED_MAINTENANCE', error_message: 'later', request_id: 'r' }) : json(res, 200, { link_token: 'link-sandbox-3', expiration: 'x', request_id: 'r' });
      });
      // Bare: one attempt, the 503 as an ApiError.
      await expect(op.linkTokenCreate(core.createBaseClient(options), { client_name: 'Acme' })).rejects.toMatchObject({ name: 'ApiError', status: 503 });
      expect(server.requests).toHaveLength(1);
      // With the retries plugin: the 503, a backoff, then the answer.
      server.requests.length = 0;
      calls = 0;
      const retrying = core.createBaseClient(core.withRetries({ ...options, retryDelayMs: 1 }));
      await expect(op.linkTokenCreate(retrying, { client_name: 'Acme' })).resolves.toMatchObject({ link_token: 'link-sandbox-3' });
      expect(server.requests.map((r) => r.path)).toEqual(['/link/token/create', '/link/token/create']);
      // With the bearer plugin and the token manager: the token endpoint once, then the token on the call.
      server.requests.length = 0;
      calls = 1;
      const withToken = core.createBaseClient(core.withBearer({ ...options, accessToken: oauth.createTokenManager({ clientId: CLIENT_ID, clientSecret: SECRET }) }));
      await expect(op.linkTokenCreate(withToken, { client_name: 'Acme' })).resolves.toMatchObject({ link_token: 'link-sandbox-3' });
      expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/oauth/token', undefined], ['/link/token/create', 'Bearer access-oauth-1']]);
    });

    it('runs a plugin of your own: it changes each attempt and sees each outcome, innermost last', async () => {
      const core = await pkg.load('client/core.js');
      const op = await pkg.load('client/operations/linkTokenCreate.js');
      let calls = 0;
      server.handle((_req, res) => (++calls === 1 ? json(res, 429, { error_code: 'RATE_LIMIT', request_id: 'r' }, { 'retry-after': '0' }) : json(res, 200, { link_token: 'link-sandbox-4', expiration: 'x', request_id: 'r' })));
      const seen: string[] = [];
      const stamp = {
        request: (r: { headers: Headers; attempt: number }) => void r.headers.set('x-attempt', String(r.attempt)),
        response: (o: { response?: Response }) => void seen.push(`mine ${o.response?.status}`),
      };
      // Mine first (outermost): the retries plugin, nearer the network, takes the 429 before mine sees it.
      const plaid = core.createBaseClient(core.withRetries({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET, retryDelayMs: 1, plugins: [stamp] }));
      await expect(op.linkTokenCreate(plaid, { client_name: 'Acme' })).resolves.toMatchObject({ link_token: 'link-sandbox-4' });
      expect(server.requests.map((r) => r.headers['x-attempt'])).toEqual(['0', '1']);
      expect(seen).toEqual(['mine 200']);
      // The hooks plugin added after the retries is nearer the network: it sees both answers.
      seen.length = 0;
      server.requests.length = 0;
      calls = 0;
      const watched = core.createBaseClient(core.withHooks(core.withRetries({ baseUrl: server.url, clientId: CLIENT_ID, secret: SECRET, retryDelayMs: 1, afterResponse: (r: Response) => void seen.push(`hooks ${r.status}`) })));
      await expect(op.linkTokenCreate(watched, { client_name: 'Acme' })).resolves.toMatchObject({ link_token: 'link-sandbox-4' });
      expect(seen).toEqual(['hooks 429', 'hooks 200']);
    });

    it('leaves out of the runtime what the Plaid spec cannot use: basic credentials, server variables, per-operation servers, scope checks', () => {
      const runtime = fs.readFileSync(path.join(pkg.dir, 'src/client/runtime.ts'), 'utf8');
      for (const unused of ['Basic ', 'serverVariables', 'op.u', 'op.s(', 'spec.c!', '// @']) expect(runtime).not.toContain(unused);
      expect(runtime).toContain("headers.set(a.n ?? 'authorization', value)");
    });

    it('bundles to one operation descriptor and the runtime, under 5 KB gzipped', async () => {
      const app = path.join(path.dirname(pkg.dir), 'consumer');
      fs.writeFileSync(path.join(app, 'main.ts'), "import { run } from './app.js';\nconsole.log(await run('http://127.0.0.1:9'));\n");
      const out = await build({ entryPoints: [path.join(app, 'main.ts')], bundle: true, minify: true, format: 'esm', platform: 'node', target: 'es2022', write: false, logLevel: 'silent', absWorkingDir: app });
      const code = out.outputFiles[0].text;
      expect(code).toContain('"/link/token/create"');
      for (const other of ['"/link/token/get"', '"/asset_report/create"', '"/transactions/sync"', 'webhook_verification_key', 'PlaidApi']) expect(code).not.toContain(other);
      expect(gzipSync(code, { level: 9 }).length).toBeLessThan(5 * 1024);
    });
  });
});
