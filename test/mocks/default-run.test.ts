import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { call, generatePackage, importMocks, type Mocks } from './helpers.js';

const CREDENTIALS = { 'plaid-client-id': 'c', 'plaid-secret': 's' };

/** The default run's inputs (codegen.config.json: the Plaid core spec and the scope manifests). */
describe('mocks of the default run', () => {
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'codegen.config.json'), 'utf8')) as { specs: string[] };
  let mocks: Mocks;
  let server: { url: string; close(): Promise<void>; engine: { invalidResponses: Set<string> } };
  let spec: { operations: { name: string; method: string; path: string; success: number; accessToken?: boolean; role?: string; responses: { status: string }[] }[]; token?: { op: number; catalog?: string }; catalogs: { id: string; scopes: string[] }[] };

  beforeAll(async () => {
    const out = generatePackage('mocks-default-run', config.specs);
    mocks = await importMocks(out);
    spec = (await import(path.join(out, 'src/mocks/api.ts'))).api.spec;
    server = await mocks.createMockServer({ port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers every operation of the core spec with its success status, statefully', async () => {
    const pub = await call(server.url, 'POST', '/sandbox/public_token/create', { body: { institution_id: 'ins_109508', initial_products: ['transactions'] }, headers: CREDENTIALS });
    expect(pub.status).toBe(200);
    const exchange = await call(server.url, 'POST', '/item/public_token/exchange', { body: { public_token: pub.json.public_token }, headers: CREDENTIALS });
    expect(exchange.status).toBe(200);
    const failures: string[] = [];
    for (const op of spec.operations) {
      if (op.role === 'exchange' || op.role === 'itemRemove' || op.role === 'token') continue;
      let body = op.method === 'post' ? mocks.mockRequest(op.name) : undefined;
      if (op.accessToken) body = { ...body, access_token: exchange.json.access_token };
      const res = await call(server.url, op.method.toUpperCase(), op.path, { body, headers: CREDENTIALS });
      if (res.status !== Number(op.responses[op.success].status)) failures.push(`${op.name}: ${res.status} ${res.text.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
    expect([...server.engine.invalidResponses]).toEqual([]);
  });

  it('issues OAuth tokens at /oauth/token for the scopes of the Plaid catalog, and refuses unknown ones', async () => {
    expect(spec.token).toBeDefined();
    const catalog = spec.catalogs.find((c) => c.id === spec.token!.catalog)!;
    expect(catalog.id).toBe('plaid');
    const tokenPath = spec.operations[spec.token!.op].path;
    const ok = await call(server.url, 'POST', tokenPath, { body: { grant_type: 'client_credentials', client_id: 'c', client_secret: 's', scope: catalog.scopes[0] }, headers: CREDENTIALS });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.access_token).toMatch(/^mock-access-/);
    const bad = await call(server.url, 'POST', tokenPath, { body: { grant_type: 'client_credentials', client_id: 'c', client_secret: 's', scope: 'no:such:scope' }, headers: CREDENTIALS });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error_type: 'OAUTH_ERROR', error_code: 'INVALID_SCOPE' });
    expect(bad.json.error_message).toMatch(/no:such:scope/);
  });
});
