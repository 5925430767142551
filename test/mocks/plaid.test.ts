import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAID_SPEC } from '../helpers.js';
import { createReferee, type SpecReferee } from './ajv-openapi.js';
import { call, generatePackage, importMocks, type Answer, type Mocks } from './helpers.js';

const CREDENTIALS = { 'plaid-client-id': 'test-client', 'plaid-secret': 'test-secret' };

interface OperationSpec {
  name: string;
  method: string;
  path: string;
  success: number;
  accessToken?: boolean;
  responses: { status: string; media?: string; binary?: boolean }[];
}

/** The real Plaid spec (329 operations): every operation mocked, validated and stateful where Plaid is. */
describe('mocks of the full Plaid spec', () => {
  let out: string;
  let mocks: Mocks;
  let operations: OperationSpec[];
  let server: { url: string; close(): Promise<void>; engine: { invalidResponses: Set<string> } };
  let referee: SpecReferee;

  const plaid = (urlPath: string, body: unknown, headers: Record<string, string> = CREDENTIALS) => call(server.url, 'POST', urlPath, { body, headers });

  /** link -> public token -> access token, as an app does it in the sandbox. */
  const newItem = async () => {
    const pub = await plaid('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['transactions'] });
    expect(pub.status).toBe(200);
    const exchange = await plaid('/item/public_token/exchange', { public_token: pub.json.public_token });
    expect(exchange.status).toBe(200);
    return exchange.json as { access_token: string; item_id: string };
  };

  const expectPlaidError = (res: Answer, status: number, type: string, code: string) => {
    expect(res.status, res.text).toBe(status);
    expect(res.json).toMatchObject({ error_type: type, error_code: code, display_message: null });
    expect(typeof res.json.request_id).toBe('string');
    const check = referee.response('post', '/link/token/create', 'default')!;
    expect(check(res.json), JSON.stringify(check.errors)).toBe(true);
  };

  beforeAll(async () => {
    out = plaidPackage();
    mocks = await importMocks(out);
    operations = (await import(path.join(out, 'src/mocks/api.ts'))).api.spec.operations;
    server = await mocks.createMockServer({ port: 0, seed: 1 });
    referee = createReferee(PLAID_SPEC);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a valid request to each of the 329 operations with its documented status and a body ajv accepts', async () => {
    expect(operations).toHaveLength(329);
    const item = await newItem();
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      let body = op.method === 'post' ? mocks.mockRequest(op.name, { seed: 11 }) : undefined;
      const requestCheck = referee.request(op.method, op.path);
      if (requestCheck && body !== undefined && !requestCheck(body)) failures.push(`${op.name}: synthesized request rejected by ajv: ${JSON.stringify(requestCheck.errors)}`);
      // Calls that consume or revoke a token get their own Item; the rest share one.
      if (op.accessToken && body && typeof body === 'object') {
        const own = op.path === '/item/remove' || op.path === '/item/access_token/invalidate' ? (await newItem()).access_token : item.access_token;
        body = { ...body, access_token: own };
      }
      if (op.path === '/item/public_token/exchange') body = { ...body, public_token: (await plaid('/sandbox/public_token/create', { institution_id: 'ins_1', initial_products: ['auth'] })).json.public_token };
      const urlPath = op.path.replace(/\{[^}]+\}/g, 'id_123');
      const res = await call(server.url, op.method.toUpperCase(), urlPath, { body, headers: CREDENTIALS });
      const expected = op.responses[op.success];
      if (res.status !== Number(expected.status)) {
        failures.push(`${op.name}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      if (expected.binary) {
        expect(res.headers.get('content-type')).toBe(expected.media);
        expect(res.text.length).toBeGreaterThan(0);
        continue;
      }
      if (!expected.media) {
        // A response the spec declares without content (POST /fdx/notifications).
        expect(res.text, op.name).toBe('');
        checked++;
        continue;
      }
      const check = referee.response(op.method, op.path, expected.status);
      if (!check) failures.push(`${op.name}: no JSON schema for ${expected.status}`);
      else if (!check(res.json)) failures.push(`${op.name}: body rejected by ajv: ${JSON.stringify(check.errors)}`);
      else checked++;
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(329 - operations.filter((o) => o.responses[o.success].binary).length);
    expect([...server.engine.invalidResponses]).toEqual([]);
  });

  it('synthesizes request and response bodies that ajv accepts for every operation, seed and realism level', async () => {
    const { api } = await import(path.join(out, 'src/mocks/api.ts'));
    const { MockGen } = await import(path.join(out, 'src/mocks/gen.ts'));
    const failures = new Map<string, string>();
    let checked = 0;
    for (const seed of [1, 2, 3]) {
      operations.forEach((op, i) => {
        const r = op.responses[op.success];
        const synth = api.synth[i];
        const targets: [string, ((g: unknown, d: number) => unknown) | undefined, ReturnType<SpecReferee['request']>][] = [
          ['request', synth.request, referee.request(op.method, op.path)],
          ['response', r.binary ? undefined : synth.responses[op.success], referee.response(op.method, op.path, r.status)],
        ];
        for (const [direction, make, check] of targets) {
          if (!make || !check) continue;
          // Mode 0: full realism; 1: no schema examples; 2: required fields only (the fallbacks).
          for (const mode of [0, 1, 2]) {
            const value = make(new MockGen(seed * 7919 + i, direction, mode), 0);
            checked++;
            if (!check(value)) failures.set(`${op.name} ${direction} mode ${mode}`, JSON.stringify(check.errors?.[0]));
          }
        }
      });
    }
    console.log(`synthesized ${checked} Plaid bodies, ${failures.size} rejected by ajv`);
    expect([...failures]).toEqual([]);
    expect(checked).toBeGreaterThan(5000);
  });

  it('runs the Plaid flow: link token, sandbox public token, exchange, then calls with the access token', async () => {
    const link = await plaid('/link/token/create', { client_name: 'App', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-1' }, products: ['auth'] });
    expect(link.status).toBe(200);
    expect(link.json.link_token).toMatch(/^link-sandbox-[0-9a-f-]{36}$/);
    const pub = await plaid('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['auth'] });
    expect(pub.json.public_token).toMatch(/^public-sandbox-/);
    const exchange = await plaid('/item/public_token/exchange', { public_token: pub.json.public_token });
    expect(exchange.status).toBe(200);
    expect(exchange.json.access_token).toMatch(/^access-sandbox-/);
    const accounts = await plaid('/accounts/get', { access_token: exchange.json.access_token });
    expect(accounts.status).toBe(200);
    expect(accounts.json.item.item_id).toBe(exchange.json.item_id);
    expect(referee.response('post', '/accounts/get', '200')!(accounts.json)).toBe(true);

    // A public token is exchanged once.
    expectPlaidError(await plaid('/item/public_token/exchange', { public_token: pub.json.public_token }), 400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN');
    // Tokens the mock never issued, and removed Items, answer like Plaid.
    expectPlaidError(await plaid('/accounts/get', { access_token: 'access-sandbox-00000000-0000-0000-0000-000000000000' }), 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
    expectPlaidError(await plaid('/transactions/sync', { access_token: 'not-a-token' }), 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
    expect((await plaid('/item/remove', { access_token: exchange.json.access_token })).status).toBe(200);
    expectPlaidError(await plaid('/accounts/get', { access_token: exchange.json.access_token }), 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
  });

  it('rejects invalid bodies with a PlaidError naming the field (even /link/token/create, which Prism skips)', async () => {
    const missing = await plaid('/link/token/create', { client_name: 'App', language: 'en', country_codes: ['US'], user: {}, products: ['auth'] });
    expectPlaidError(missing, 400, 'INVALID_REQUEST', 'MISSING_FIELDS');
    expect(missing.json.error_message).toBe('the following required fields are missing: user.client_user_id');
    const wrong = await plaid('/link/token/create', { client_name: 'App', language: 'en', country_codes: ['US'], user: { client_user_id: 42 }, products: ['auth'] });
    expectPlaidError(wrong, 400, 'INVALID_REQUEST', 'INVALID_FIELD');
    expect(wrong.json.error_message).toMatch(/^user\.client_user_id /);
    const badEnum = await plaid('/link/token/create', { client_name: 'App', language: 'en', country_codes: ['XX'], user: { client_user_id: 'u' }, products: ['auth'] });
    expectPlaidError(badEnum, 400, 'INVALID_REQUEST', 'INVALID_FIELD');
    expect(badEnum.json.error_message).toMatch(/^country_codes\[0\] /);
  });

  it('requires credentials like Plaid: headers or client_id/secret in the body', async () => {
    const body = { access_token: (await newItem()).access_token };
    const none = await call(server.url, 'POST', '/accounts/get', { body });
    expectPlaidError(none, 400, 'INVALID_REQUEST', 'MISSING_FIELDS');
    expect(none.json.error_message).toBe('the following required fields are missing: client_id, secret');
    const noSecret = await call(server.url, 'POST', '/accounts/get', { body, headers: { 'plaid-client-id': 'c' } });
    expect(noSecret.json.error_message).toBe('the following required fields are missing: secret');
    const inBody = await call(server.url, 'POST', '/accounts/get', { body: { ...body, client_id: 'c', secret: 's' } });
    expect(inBody.status).toBe(200);
  });

  it('answers malformed JSON, unknown paths and Prefer error codes with PlaidErrors', async () => {
    const malformed = await call(server.url, 'POST', '/link/token/create', { body: '{"client_name": ', raw: true, headers: { ...CREDENTIALS, 'content-type': 'application/json' } });
    expectPlaidError(malformed, 400, 'INVALID_REQUEST', 'INVALID_BODY');
    expect(malformed.json.error_message).toBe('body could not be parsed as JSON');
    const unknown = await plaid('/no/such/endpoint', {});
    expectPlaidError(unknown, 404, 'INVALID_REQUEST', 'NOT_FOUND');
    const asked = await call(server.url, 'POST', '/accounts/get', { body: {}, headers: { ...CREDENTIALS, prefer: 'code=400' } });
    expect(asked.status).toBe(400);
    expect(referee.response('post', '/accounts/get', 'default')!(asked.json)).toBe(true);
  });

  it('never serves a spec example that fails the response schema (Prism does)', async () => {
    // The spec's example for /signal/evaluate lacks a required field (risk_tier).
    const example = referee.doc.paths['/signal/evaluate'].post.responses!['200'] as { content: { 'application/json': { example?: unknown; examples?: Record<string, { value: unknown }> } } };
    const media = example.content['application/json'];
    const value = media.example ?? Object.values(media.examples ?? {})[0]?.value;
    expect(referee.response('post', '/signal/evaluate', '200')!(value)).toBe(false);
    const res = await plaid('/signal/evaluate', { ...mocks.mockRequest('signalEvaluate'), access_token: (await newItem()).access_token });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-mock-warning')).toMatch(/examples fail the response schema/);
    expect(referee.response('post', '/signal/evaluate', '200')!(res.json)).toBe(true);
  });
});

/** The same mocks as MSW v2 handlers (setupServer from msw/node, real fetch). */
describe('MSW handlers of the full Plaid spec', () => {
  let mocks: Mocks;
  let msw: { listen(o: object): void; close(): void; resetHandlers(): void; use(...h: unknown[]): void };

  beforeAll(async () => {
    mocks = await importMocks(plaidPackage());
    const { setupServer } = await import('msw/node');
    msw = setupServer(...mocks.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(() => msw?.close());

  it('has one handler per operation and server URL, plus a catch-all per server', () => {
    expect(mocks.serverUrls).toEqual(['https://production.plaid.com', 'https://sandbox.plaid.com']);
    expect(mocks.handlers).toHaveLength(2 * (329 + 1));
  });

  it('answers fetch calls to every Plaid server, statefully and validated', async () => {
    const post = (base: string, urlPath: string, body: unknown) => call(base, 'POST', urlPath, { body, headers: CREDENTIALS });
    const sandbox = 'https://sandbox.plaid.com';
    const pub = await post(sandbox, '/sandbox/public_token/create', { institution_id: 'ins_1', initial_products: ['auth'] });
    expect(pub.json.public_token).toMatch(/^public-sandbox-/);
    const exchange = await post(sandbox, '/item/public_token/exchange', { public_token: pub.json.public_token });
    expect(exchange.json.access_token).toMatch(/^access-sandbox-/);
    expect((await post(sandbox, '/accounts/get', { access_token: exchange.json.access_token })).status).toBe(200);
    const production = await post('https://production.plaid.com', '/link/token/create', { client_name: 'App', language: 'en', country_codes: ['US'], user: { client_user_id: 'u' }, products: ['auth'] });
    expect(production.json.link_token).toMatch(/^link-production-/);
    const invalid = await post(sandbox, '/link/token/create', { client_name: 'App' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error_code).toBe('MISSING_FIELDS');
    const unknown = await post(sandbox, '/nope', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.error_code).toBe('NOT_FOUND');
  });

  it('takes per-test overrides from createHandlers', async () => {
    msw.use(
      ...mocks.createHandlers({
        baseUrl: 'https://sandbox.plaid.com',
        overrides: { itemGet: { status: 400, body: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'login required', display_message: null, request_id: 'r1' } } },
        auth: false,
        validateRequests: false,
      }),
    );
    try {
      const res = await call('https://sandbox.plaid.com', 'POST', '/item/get', { body: {} });
      expect(res.status).toBe(400);
      expect(res.json.error_code).toBe('ITEM_LOGIN_REQUIRED');
    } finally {
      msw.resetHandlers();
    }
    const back = await call('https://sandbox.plaid.com', 'POST', '/item/get', { body: {}, headers: CREDENTIALS });
    expect(back.json.error_code).toBe('MISSING_FIELDS');
  });
});

let generated: string | undefined;
/** One generated package for both describes (types, validators and mocks: what the mocks need). */
function plaidPackage(): string {
  generated ??= generatePackage('mocks-plaid', [PLAID_SPEC], 'types,validators,mocks');
  return generated;
}
