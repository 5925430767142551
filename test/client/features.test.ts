import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers.js';
import { checkApp, generateAndBuild, json, startServer, type BuiltPackage, type TestServer } from './harness.js';

/**
 * The client generated from a small bank API (test/fixtures/client/bank.yaml) that has what the
 * Plaid spec lacks: OAuth2 scopes per operation, parameters of every style, a form-urlencoded
 * token endpoint, a binary response, operations without credentials.
 */
describe('generated client: bank fixture', () => {
  let pkg: BuiltPackage;
  let c: Record<string, any>;
  let server: TestServer;

  beforeAll(async () => {
    pkg = generateAndBuild('client-bank', [path.join(FIXTURES, 'client/bank.yaml')], 'types,client,validators');
    c = await pkg.load('client.js');
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('serializes path, query and header parameters per style/explode and sends only the credentials the operation accepts', async () => {
    server.handle((req, res) => json(res, 200, { account_id: 'a/1', type: 'checking', status: 'open' }));
    const client = c.createClient({ baseUrl: server.url, clientId: 'cid-123', secret: 'shh-secret-value', accessToken: 'tok-abcdef' });
    const account = await client.accountGet({
      path: { account_id: 'a/1' },
      query: { fields: ['x', 'y'], tag: ['p', 'q'], filter: { status: 'open', min: 5 } },
      header: { 'X-Trace-Id': 'trace-1' },
    });
    expect(account).toEqual({ account_id: 'a/1', type: 'checking', status: 'open' });
    const [req] = server.requests;
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/accounts/a%2F1?fields=x,y&tag=p&tag=q&filter[status]=open&filter[min]=5');
    expect(req.headers['x-trace-id']).toBe('trace-1');
    expect(req.headers.authorization).toBe('Bearer tok-abcdef');
    expect(req.headers['bank-version']).toBe('2024-01-01');
    // accountGet's security is oauth only: the API keys stay home.
    expect(req.headers['x-client-id']).toBeUndefined();
    expect(req.headers['x-secret']).toBeUndefined();
    expect(req.headers.accept).toBe('application/json');

    server.handle((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    await expect(client.matrixGet({ path: { coords: { x: 1, y: 2 } }, query: { ids: [1, 2, 3] } })).resolves.toBeUndefined();
    expect(server.requests[0].url).toBe('/matrix/;x=1;y=2?ids=1|2|3');
    // security: [] -> no credentials, but the version header is no credential.
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(server.requests[0].headers['bank-version']).toBe('2024-01-01');
  });

  it('sends the API keys on operations that take them, and returns binary bodies as a Blob', async () => {
    server.handle((req, res) => {
      if (req.path === '/oauth/token') return json(res, 200, { access_token: 'x', token_type: 'Bearer' });
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end(Buffer.from('%PDF-1.7 binary\u0000\u00ff'));
    });
    const client = c.createClient({ baseUrl: server.url + '/', clientId: 'cid-123', secret: 'shh-secret-value', apiVersion: '2030-01-01' });
    await client.oauthToken({ grant_type: 'client_credentials' });
    expect(server.requests[0].path).toBe('/oauth/token');
    expect(server.requests[0].headers['x-client-id']).toBe('cid-123');
    expect(server.requests[0].headers['x-secret']).toBe('shh-secret-value');
    expect(server.requests[0].headers['bank-version']).toBe('2030-01-01');
    const pdf = await client.statementPdf({ path: { statement_id: 's1' } });
    expect(pdf).toBeInstanceOf(Blob);
    expect(Buffer.from(await pdf.arrayBuffer()).toString('latin1')).toBe(Buffer.from('%PDF-1.7 binary\u0000\u00ff').toString('latin1'));
  });

  it('sends HTTP basic credentials and API keys in the query and in a cookie where the scheme says so', async () => {
    server.handle((_req, res) => json(res, 200, { pong: true }));
    const client = c.createClient({ baseUrl: server.url, username: 'admin', password: 'pa:ss word', queryKey: 'q&k=1', sessionCookie: 'sess-42', clientId: 'cid-123' });
    await expect(client.adminPing()).resolves.toEqual({ pong: true });
    const [req] = server.requests;
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('admin:pa:ss word').toString('base64')}`);
    expect(req.query.get('api_key')).toBe('q&k=1');
    expect(req.headers.cookie).toBe('session=sess-42');
    expect(req.headers['x-client-id']).toBeUndefined();
  });

  it('per-operation entry points (PKG/operations/<name> on PKG/client/core) send what the client methods send, and check scopes', async () => {
    server.handle((_req, res) => json(res, 200, { account_id: 'a/1', type: 'checking', status: 'open', pong: true }));
    const core = await pkg.load('client/core.js');
    const [{ accountGet }, { adminPing }, { transactionsSync }] = await Promise.all(['accountGet', 'adminPing', 'transactionsSync'].map((op) => pkg.load(`client/operations/${op}.js`)));
    const options = { baseUrl: server.url, clientId: 'cid-123', secret: 'shh-secret-value', accessToken: 'tok-abcdef', username: 'admin', password: 'pw', queryKey: 'q&k=1', sessionCookie: 'sess-42' };
    const args = { path: { account_id: 'a/1' }, query: { fields: ['x', 'y'], filter: { status: 'open' } }, header: { 'X-Trace-Id': 'trace-1' } };
    const base = core.createBaseClient(options);
    const client = c.createClient(options);
    await accountGet(base, args);
    await client.accountGet(args);
    await adminPing(base);
    await client.adminPing();
    const [entry, method, entryPing, methodPing] = server.requests;
    const seen = (r: typeof entry) => ({ method: r.method, url: r.url, auth: r.headers.authorization, trace: r.headers['x-trace-id'], cookie: r.headers.cookie, client: r.headers['x-client-id'] });
    expect(seen(entry)).toEqual(seen(method));
    expect(seen(entryPing)).toEqual(seen(methodPing));
    expect(entryPing.query.get('api_key')).toBe('q&k=1');
    expect(entryPing.headers.cookie).toBe('session=sess-42');
    const scoped = core.createBaseClient({ ...options, scopes: ['accounts:read'] });
    await expect(transactionsSync(scoped, { access_token: 't' })).rejects.toMatchObject({ name: 'ScopeError', missing: ['transactions:read'] });
    expect(server.requests).toHaveLength(4);
  });

  it('picks the server by environment, case-insensitively, and baseUrl overrides it', async () => {
    const urls: string[] = [];
    const fetch = async (url: string) => {
      urls.push(url);
      return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    };
    await c.createClient({ environment: 'Sandbox', fetch }).statusGet();
    await c.createClient({ fetch }).statusGet();
    await c.createClient({ environment: 'sandbox', baseUrl: 'http://127.0.0.1:9/v2', fetch }).statusGet();
    expect(urls).toEqual(['https://sandbox.bank.example/status', 'https://api.bank.example/status', 'http://127.0.0.1:9/v2/status']);
    expect(() => c.createClient({ environment: 'staging' })).toThrow(/unknown environment "staging"; known: production,sandbox/);
  });

  it('sends application/x-www-form-urlencoded when asked, JSON by default, to /oauth/token', async () => {
    server.handle((_req, res) => json(res, 200, { access_token: 'x', token_type: 'Bearer' }));
    const client = c.createClient({ baseUrl: server.url });
    await client.oauthToken({ grant_type: 'client_credentials', scope: 'accounts:read accounts:write', client_id: 'cid' }, { contentType: 'application/x-www-form-urlencoded' });
    await client.oauthToken({ grant_type: 'client_credentials', scope: 'accounts:read' });
    const [form, asJson] = server.requests;
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form.body).toBe('grant_type=client_credentials&scope=accounts%3Aread+accounts%3Awrite&client_id=cid');
    expect(asJson.headers['content-type']).toBe('application/json');
    expect(asJson.json).toEqual({ grant_type: 'client_credentials', scope: 'accounts:read' });
  });

  it('token manager: one client_credentials request for concurrent calls, then exactly one refresh before expiry, and a fresh token after a 401', async () => {
    let clock = 1_000_000;
    let issued = 0;
    const grants: { grant: string; contentType: string; body: string }[] = [];
    server.handle(async (req, res) => {
      if (req.path === '/oauth/token') {
        const form = new URLSearchParams(req.body);
        grants.push({ grant: form.get('grant_type')!, contentType: String(req.headers['content-type']), body: req.body });
        await new Promise((r) => setTimeout(r, 50)); // keep the request in flight while others queue
        issued++;
        if (form.get('grant_type') === 'client_credentials') return json(res, 200, { access_token: `A${issued}`, refresh_token: 'R1', expires_in: 120, token_type: 'Bearer' });
        if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === 'R1') return json(res, 200, { access_token: `A${issued}`, expires_in: 120, token_type: 'Bearer' });
        return json(res, 400, { error: 'invalid_grant' });
      }
      if (req.headers.authorization === 'Bearer A3') return json(res, 401, { error_code: 'INVALID_TOKEN', error_message: 'revoked' });
      return json(res, 200, { account_id: String(req.headers.authorization), type: 'checking' });
    });
    const tokens = c.createTokenManager({ clientId: 'cid', clientSecret: 'client-secret-xyz', scope: ['accounts:read'], now: () => clock });
    const client = c.createClient({ baseUrl: server.url, accessToken: tokens });

    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => client.accountGet({ path: { account_id: String(i) } })));
    expect(grants.map((g) => g.grant)).toEqual(['client_credentials']);
    expect(grants[0].contentType).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(grants[0].body).get('client_secret')).toBe('client-secret-xyz');
    expect(new URLSearchParams(grants[0].body).get('scope')).toBe('accounts:read');
    expect(new Set(first.map((a: any) => a.account_id))).toEqual(new Set(['Bearer A1']));

    clock += 70_000; // inside the refresh window (60 s before the 120 s expiry)
    const second = await Promise.all(Array.from({ length: 10 }, (_, i) => client.accountGet({ path: { account_id: String(i) } })));
    expect(grants.map((g) => g.grant)).toEqual(['client_credentials', 'refresh_token']);
    expect(new URLSearchParams(grants[1].body).get('refresh_token')).toBe('R1');
    expect(new Set(second.map((a: any) => a.account_id))).toEqual(new Set(['Bearer A2']));
    expect(tokens.current().refreshToken).toBe('R1');

    // The server refuses A3: the client drops it, refreshes once and retries.
    clock += 70_000;
    const before = grants.length;
    const third = await client.accountGet({ path: { account_id: 'x' } });
    expect(grants.slice(before).map((g) => g.grant)).toEqual(['refresh_token', 'refresh_token']);
    expect(third.account_id).toBe('Bearer A4');
  });

  it('token manager: RFC 8693 token exchange', async () => {
    server.handle((_req, res) => json(res, 200, { access_token: 'exchanged', expires_in: 900, token_type: 'Bearer' }));
    const tokens = c.createTokenManager({ contentType: 'application/json' });
    const client = c.createBaseClient({ baseUrl: server.url });
    const result = await tokens.exchange(client, { subjectToken: 'user-sandbox-1', subjectTokenType: 'urn:plaid:params:tokens:user', audience: 'cid', scope: ['user:read'] });
    expect(result.accessToken).toBe('exchanged');
    expect(server.requests[0].json).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'user-sandbox-1',
      subject_token_type: 'urn:plaid:params:tokens:user',
      audience: 'cid',
      scope: 'user:read',
    });
  });

  it('refuses an operation the scopes do not allow, before any network call, with ScopeError naming the missing scopes', async () => {
    server.handle((_req, res) => json(res, 200, { account_id: '1', type: 'checking' }));
    const client = c.createClient({ baseUrl: server.url, scopes: ['accounts:read'] });
    await expect(client.accountGet({ path: { account_id: '1' } })).resolves.toMatchObject({ account_id: '1' });
    const error = await client.accountCreate({ type: 'savings' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(c.ScopeError);
    expect(error.missing).toEqual(['accounts:write']);
    expect(error.message).toBe('accountCreate needs scope(s) this client was not granted: accounts:write');
    // Standalone functions check too.
    const base = c.createBaseClient({ baseUrl: server.url, scopes: ['accounts:read'] });
    await expect(c.transactionsSync(base, { access_token: 't' })).rejects.toMatchObject({ name: 'ScopeError', missing: ['transactions:read'] });
    expect(server.requests).toHaveLength(1);
  });

  it('a missing scope is a compile error; received enums are open while request enums stay strict', () => {
    const result = checkApp(pkg.dir, {
      'ok.ts': [
        "import { createClient, createBaseClient, withRetries, withValidation, accountGet, type Received } from '../src/client.js';",
        "import type { AccountType } from '../src/index.js';",
        "const all = createClient({ baseUrl: 'http://127.0.0.1:1' });",
        "const reader = createClient({ baseUrl: 'http://127.0.0.1:1', scopes: ['accounts:read'] as const });",
        'export async function run(): Promise<void> {',
        "  const account: Received.Account = await reader.accountGet({ path: { account_id: '1' } });",
        "  const t: Received.AccountType = account.type;",
        "  const newer: Received.AccountType = 'money_market';",
        "  const status: Received.Account['status'] = 'dormant';",
        "  await all.accountCreate({ type: 'savings' });",
        '  // @ts-expect-error requests stay strict: an unknown enum value is rejected',
        "  await all.accountCreate({ type: 'money_market' });",
        "  const strict: AccountType = 'checking';",
        '  // @ts-expect-error the shared (request) enum is closed',
        "  const closed: AccountType = 'money_market';",
        "  const pdf: Blob = await all.statementPdf({ path: { statement_id: 's' } });",
        "  const viaBase = await accountGet(createBaseClient({ baseUrl: 'x' }), { path: { account_id: '2' } });",
        '  // @ts-expect-error createBaseClient validates only through withValidation(), so its options have no validate',
        "  createBaseClient({ baseUrl: 'x', validate: 'both' });",
        '  // @ts-expect-error nor maxRetries: retries come with withRetries()',
        "  createBaseClient({ baseUrl: 'x', maxRetries: 3 });",
        "  createBaseClient(withRetries(withValidation({ baseUrl: 'x', maxRetries: 3, validate: 'both' })));",
        '  viaBase.balance?.toFixed(2);',
        '  void [t, newer, status, strict, closed, pdf];',
        '}',
      ].join('\n'),
      'scoped.ts': [
        "import { createClient } from '../src/client.js';",
        "const reader = createClient({ baseUrl: 'http://127.0.0.1:1', scopes: ['accounts:read'] as const });",
        'export async function run(): Promise<void> {',
        "  await reader.accountCreate({ type: 'checking' });",
        '}',
      ].join('\n'),
    });
    const errors = result.output.split('\n').filter((l) => l.includes('error TS'));
    expect(errors).toEqual([expect.stringMatching(/^app\/scoped\.ts\(4,16\): error TS(2339|2551): Property 'accountCreate' does not exist on type 'Client<"accounts:read">'\./)]);
    expect(result.code).not.toBe(0);
  });

  it('hooks see every attempt before it is sent and every answer with its body', async () => {
    server.handle((req, res) => json(res, 200, { ok: req.headers['x-hook'] === 'yes' }));
    const seen: string[] = [];
    const client = c.createClient({
      baseUrl: server.url,
      beforeRequest: (r: any) => {
        r.headers.set('x-hook', 'yes');
        seen.push(`before ${r.operation} ${r.method} ${r.attempt}`);
      },
      afterResponse: (res: Response, r: any, body: unknown) => {
        seen.push(`after ${r.operation} ${res.status} ${JSON.stringify(body)}`);
      },
    });
    await expect(client.statusGet()).resolves.toEqual({ ok: true });
    expect(seen).toEqual(['before statusGet GET 0', 'after statusGet 200 {"ok":true}']);
  });

  it('retries 503s with growing backoff, then succeeds', async () => {
    let n = 0;
    server.handle((_req, res) => (++n <= 2 ? json(res, 503, { error_code: 'BUSY', error_message: 'try later' }) : json(res, 200, { ok: true })));
    const client = c.createClient({ baseUrl: server.url, retryDelayMs: 80, maxRetries: 2 });
    await expect(client.statusGet()).resolves.toEqual({ ok: true });
    const at = server.requests.map((r) => r.at);
    expect(at).toHaveLength(3);
    // Equal jitter: the first wait is within [40, 80] ms, the second within [80, 160] ms.
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(38);
    expect(at[1] - at[0]).toBeLessThan(80 + 60);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(78);
  });

  it('gives up after maxRetries with the last ApiError, and does not retry a 400', async () => {
    server.handle((_req, res) => json(res, 500, { error_code: 'INTERNAL', error_message: 'boom' }));
    const client = c.createClient({ baseUrl: server.url, retryDelayMs: 1, maxRetries: 3 });
    await expect(client.statusGet()).rejects.toMatchObject({ name: 'ApiError', status: 500 });
    expect(server.requests).toHaveLength(4);
    server.handle((_req, res) => json(res, 400, { error_code: 'INVALID_INPUT', error_message: 'no' }));
    await expect(client.statusGet()).rejects.toMatchObject({ status: 400 });
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After on 429, and stops when it asks for longer than maxRetryDelayMs', async () => {
    let n = 0;
    server.handle((_req, res) => (++n === 1 ? json(res, 429, { error_code: 'RATE_LIMIT' }, { 'retry-after': '1' }) : json(res, 200, { ok: true })));
    const client = c.createClient({ baseUrl: server.url, retryDelayMs: 1 });
    await expect(client.statusGet()).resolves.toEqual({ ok: true });
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(990);

    server.handle((_req, res) => json(res, 429, { error_code: 'RATE_LIMIT' }, { 'retry-after': '120' }));
    const started = performance.now();
    await expect(client.statusGet()).rejects.toMatchObject({ status: 429 });
    expect(server.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('maps connection failures to NetworkError after retrying them', async () => {
    const dead = await startServer();
    const url = dead.url;
    await dead.close();
    const client = c.createClient({ baseUrl: url, retryDelayMs: 1, maxRetries: 2 });
    const error = await client.statusGet().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(c.NetworkError);
    expect(error).toBeInstanceOf(c.ClientError);
    expect(error.message).toMatch(/^statusGet: GET \/status failed: fetch failed/);
  });

  it('times out per attempt with TimeoutError, and a caller abort stops at once without retrying', async () => {
    server.handle(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      if (!res.destroyed) json(res, 200, { ok: true });
    });
    const client = c.createClient({ baseUrl: server.url, timeoutMs: 100, maxRetries: 1, retryDelayMs: 1 });
    const started = performance.now();
    const error = await client.statusGet().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(c.TimeoutError);
    expect(error.timeoutMs).toBe(100);
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(380);

    server.handle(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      if (!res.destroyed) json(res, 200, { ok: true });
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const aborted = await client.statusGet({ signal: controller.signal, timeoutMs: 0, maxRetries: 3 }).catch((e: unknown) => e);
    expect((aborted as Error).name).toBe('AbortError');
    expect(server.requests).toHaveLength(1);
  });

  it('runs the validators on requests and responses when asked (validators module passed in)', async () => {
    server.handle((_req, res) => json(res, 201, { account_id: 7, type: 'checking' }));
    const calls: string[] = [];
    // A module of the validators contract: operationValidators and validateOperationResponse.
    const validators = {
      operationValidators: {
        accountCreate: {
          request: (v: any) => {
            calls.push('request');
            return typeof v?.nickname === 'string' && v.nickname.length > 30 ? { ok: false, errors: [{ path: '/nickname', keyword: 'maxLength', message: 'must NOT have more than 30 characters' }] } : { ok: true, value: v };
          },
          responses: {},
        },
      },
      validateOperationResponse: (op: string, status: number, body: any) => {
        calls.push(`response ${op} ${status}`);
        return typeof body?.account_id === 'string' ? { ok: true, value: body } : { ok: false, errors: [{ path: '/account_id', keyword: 'type', message: 'must be string' }] };
      },
    };
    const client = c.createClient({ baseUrl: server.url, validate: 'both', validators });
    const bad = await client.accountCreate({ type: 'checking', nickname: 'x'.repeat(31) }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(c.RequestValidationError);
    expect(bad.errors).toEqual([{ path: '/nickname', keyword: 'maxLength', message: 'must NOT have more than 30 characters' }]);
    expect(server.requests).toHaveLength(0);
    const wrong = await client.accountCreate({ type: 'checking' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(c.ResponseValidationError);
    expect(wrong.status).toBe(201);
    expect(calls).toEqual(['request', 'request', 'response accountCreate 201']);
    // 'off' (the default) never calls them.
    await c.createClient({ baseUrl: server.url, validators }).accountCreate({ type: 'checking' });
    expect(calls).toHaveLength(3);
  });

  it("validate: 'both' runs the package's generated validators, loaded on first use", async () => {
    server.handle((req, res) => json(res, 201, (req.json as any).nickname === 'bad-answer' ? { account_id: 7, type: 'checking' } : { account_id: 'a1', type: 'checking' }));
    const client = c.createClient({ baseUrl: server.url, validate: 'both' });
    const bad = await client.accountCreate({ type: 'checking', nickname: 'x'.repeat(31) }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(c.RequestValidationError);
    expect(bad.errors).toEqual([expect.objectContaining({ path: '/nickname', keyword: 'maxLength' })]);
    expect(server.requests).toHaveLength(0);
    await expect(client.accountCreate({ type: 'savings', nickname: 'ok' })).resolves.toEqual({ account_id: 'a1', type: 'checking' });
    const wrong = await client.accountCreate({ type: 'checking', nickname: 'bad-answer' }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(c.ResponseValidationError);
    expect(wrong).toMatchObject({ status: 201, errors: [expect.objectContaining({ path: '/account_id', keyword: 'type' })] });
    // 'request' only: the same bad answer comes back as data.
    await expect(c.createClient({ baseUrl: server.url, validate: 'request' }).accountCreate({ type: 'checking', nickname: 'bad-answer' })).resolves.toEqual({ account_id: 7, type: 'checking' });
    // createBaseClient stays lean: validation is opt-in through withValidation (its options type has no
    // validate: see the compile-time test), and nothing checks a body without it.
    const unchecked = c.createBaseClient({ baseUrl: server.url, validate: 'both' });
    await expect(c.accountCreate(unchecked, { type: 'checking', nickname: 'bad-answer' })).resolves.toEqual({ account_id: 7, type: 'checking' });
    const validators = await pkg.load('validators.js');
    const base = c.createBaseClient(c.withValidation({ baseUrl: server.url, validate: 'request', validators }));
    await expect(c.accountCreate(base, { type: 'checking', nickname: 'y'.repeat(40) })).rejects.toBeInstanceOf(c.RequestValidationError);
  });

  it('walks cursor pagination until has_more is false', async () => {
    const pages: Record<string, unknown> = {
      '': { added: [{ transaction_id: 't1' }], next_cursor: 'c1', has_more: true },
      c1: { added: [{ transaction_id: 't2' }], next_cursor: 'c2', has_more: true },
      c2: { added: [], next_cursor: 'c3', has_more: false },
    };
    server.handle((req, res) => json(res, 200, pages[(req.json as any).cursor ?? '']));
    const client = c.createClient({ baseUrl: server.url, accessToken: 't' });
    const seen = [];
    for await (const page of c.paginate(client, 'transactionsSync', { access_token: 'at', count: 1 })) seen.push(page.next_cursor);
    expect(seen).toEqual(['c1', 'c2', 'c3']);
    expect(server.requests.map((r) => r.json)).toEqual([{ access_token: 'at', count: 1 }, { access_token: 'at', count: 1, cursor: 'c1' }, { access_token: 'at', count: 1, cursor: 'c2' }]);
  });

  it('walks GET list endpoints that page by query parameters: a cursor, and an offset with a limit', async () => {
    const cursorPages: Record<string, unknown> = {
      '': { payees: ['a', 'b'], next_cursor: 'p2', has_more: true },
      p2: { payees: ['c'], next_cursor: 'p3', has_more: false },
    };
    server.handle((req, res) => json(res, 200, cursorPages[new URL(req.url!, 'http://x').searchParams.get('cursor') ?? '']));
    const client = c.createClient({ baseUrl: server.url });
    const payees = [];
    for await (const page of c.paginate(client, 'payeesList', { query: { limit: 2 } })) payees.push(...page.payees);
    expect(payees).toEqual(['a', 'b', 'c']);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /payees?limit=2', 'GET /payees?cursor=p2&limit=2']);
    expect(server.requests.every((r) => r.body === '')).toBe(true);

    server.requests.length = 0;
    const branches = ['b1', 'b2', 'b3', 'b4', 'b5'];
    server.handle((req, res) => {
      const q = new URL(req.url!, 'http://x').searchParams;
      const offset = Number(q.get('offset') ?? 0);
      json(res, 200, { branches: branches.slice(offset, offset + Number(q.get('limit'))), total_branches: branches.length });
    });
    const seen = [];
    for await (const page of c.paginate(client, 'branchesList', { query: { limit: 2 } })) seen.push(page.branches);
    expect(seen).toEqual([['b1', 'b2'], ['b3', 'b4'], ['b5']]);
    expect(server.requests.map((r) => r.url)).toEqual(['/branches?offset=0&limit=2', '/branches?offset=2&limit=2', '/branches?offset=4&limit=2']);
  });
});
