import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers.js';
import { generatePackage, importMocks, type Mocks } from './helpers.js';

const SPEC = path.join(FIXTURES, 'mocks/ledger-oauth.yaml');

/** The generated client against the generated MSW handlers: what a user's test suite does. */
describe('generated client against the generated MSW handlers', () => {
  let mocks: Mocks;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let client: any;
  let msw: { listen(o: object): void; close(): void; resetHandlers(): void; use(...h: unknown[]): void };

  beforeAll(async () => {
    const out = generatePackage('mocks-msw-client', [SPEC]);
    mocks = await importMocks(out);
    client = await import(path.join(out, 'src/client.ts'));
    const { setupServer } = await import('msw/node');
    msw = setupServer(...mocks.createHandlers({ seed: 5 }));
    msw.listen({ onUnhandledRequest: 'error' });
  });
  afterAll(() => msw?.close());

  it('serves typed calls on every server URL, with examples and synthesized data that the client validates', async () => {
    const api = client.createClient({ environment: 'sandbox', apiKey: 'k', validate: 'both' });
    const account = await api.getAccount({ path: { accountId: 'acc_1' } });
    expect(account.name).toBe('Rainy Day Savings');
    expect(await api.health()).toBeUndefined();
    const production = client.createClient({ environment: 'production', apiKey: 'k', validate: 'response' });
    expect((await production.getAccount({ path: { accountId: 'acc_2' } })).iban).toBe('DE89370400440532013000');
  });

  it('issues OAuth tokens the client then uses, and refuses missing scopes with 403', async () => {
    const api = client.createClient({ environment: 'sandbox', apiKey: 'k' });
    const granted = await api.createToken({ grant_type: 'client_credentials', scope: 'accounts:read' });
    expect(granted.scope).toBe('accounts:read');
    const reader = client.createClient({ environment: 'sandbox', apiKey: 'k', accessToken: granted.access_token });
    const list = await reader.listAccounts({ query: { limit: 2 } });
    expect(Array.isArray(list.accounts)).toBe(true);
    const refused = await reader.createPayment(mocks.mockRequest('createPayment')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(client.ApiError);
    expect((refused as { status: number }).status).toBe(403);
    expect((refused as { body: unknown }).body).toEqual({ error: 'insufficient_scope', message: 'insufficient scope: createPayment needs payments:write' });
  });

  it('gives per-test overrides priority, then falls back to the spec', async () => {
    msw.use(...mocks.createHandlers({ baseUrl: 'https://sandbox.ledger.example/v1', overrides: { getAccount: { status: 404, example: 'missing' } } }));
    const api = client.createClient({ environment: 'sandbox', apiKey: 'k' });
    const error = await api.getAccount({ path: { accountId: 'acc_1' } }).catch((e: unknown) => e);
    expect((error as { status: number }).status).toBe(404);
    expect((error as { body: unknown }).body).toEqual({ error: 'not_found', message: 'no account acc_404' });
    msw.resetHandlers();
    expect((await api.getAccount({ path: { accountId: 'acc_1' } })).name).toBe('Rainy Day Savings');
  });

  it('answers unknown paths under a server URL with 404 in the API error shape', async () => {
    const res = await fetch('https://sandbox.ledger.example/v1/unknown', { headers: { 'x-api-key': 'k' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'not found: GET /unknown' });
  });
});

/** No `servers` in the spec: the handlers match the paths on any origin (Node has no page URL to resolve against). */
describe('MSW handlers of a spec without servers', () => {
  it('answer on any origin, validate path parameters and leave other URLs alone', async () => {
    const out = generatePackage('mocks-no-servers', [path.join(FIXTURES, 'mocks/no-servers.yaml')], 'types,validators,mocks');
    const mocks = await importMocks(out);
    expect(mocks.serverUrls).toEqual([]);
    const { setupServer } = await import('msw/node');
    const unhandled: string[] = [];
    const msw = setupServer(...mocks.handlers);
    msw.listen({ onUnhandledRequest: (request: Request) => unhandled.push(request.url) });
    try {
      for (const origin of ['http://localhost', 'https://pets.example.com']) {
        const res = await fetch(`${origin}/pets/3`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
      }
      const bad = await fetch('http://localhost/pets/abc');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'invalid_request', message: 'path parameter id must be an integer' });
      await fetch('http://127.0.0.1:9/elsewhere').catch(() => undefined);
      expect(unhandled).toEqual(['http://127.0.0.1:9/elsewhere']);
    } finally {
      msw.close();
    }
  });
});
