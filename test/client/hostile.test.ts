import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tmpDir, hashTree } from '../helpers.js';
import { generateAndBuild, json, startServer, type BuiltPackage, type TestServer } from './harness.js';

/**
 * A spec whose every string tries to break out of the code it lands in: comment terminators,
 * quotes, template literals, `__proto__` keys. The client must compile, import without running
 * any of it, and still send what the spec describes.
 */
describe('generated client: hostile spec', () => {
  let pkg: BuiltPackage;
  let server: TestServer;

  beforeAll(async () => {
    pkg = generateAndBuild('client-hostile', [path.join(FIXTURES, 'client/hostile.yaml')]);
    server = await startServer();
  });
  afterAll(() => server?.close());

  it('compiles under tsc --strict and runs none of the injected code when loaded', async () => {
    // Every emitted module, the per-operation entry points and per-type modules included.
    const dist = path.join(pkg.dir, 'dist');
    const modules = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    expect(modules.filter((f) => f.startsWith('client/operations/')).length).toBeGreaterThan(0);
    expect(modules.filter((f) => f.startsWith('types/')).length).toBeGreaterThan(0);
    for (const file of modules) await pkg.load(file);
    const c = await pkg.load('client.js');
    c.createClient({ baseUrl: 'http://127.0.0.1:1' });
    expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
  });

  it('sends the hostile path and a __proto__ query parameter as data; header names HTTP cannot carry fail loudly', async () => {
    const c = await pkg.load('client.js');
    server.handle((_req, res) => json(res, 200, { kind: 'brand-new-kind' }));
    const client = c.createClient({ baseUrl: server.url, scopes: ['__proto__'] });
    const result = await client.getItemsGlobalThisPwned5({ constructor: 'a"b' }, { path: { id: 'x/y' }, query: JSON.parse('{"__proto__":"p"}') });
    expect(result).toEqual({ kind: 'brand-new-kind' });
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(decodeURIComponent(req.path)).toBe("/it'ems/x%2Fy/`${globalThis.__pwned=4}`".replace('%2F', '/'));
    expect(req.query.get('__proto__')).toBe('p');
    // `X-Key"*/` and `a"b*/` are not HTTP header names: fetch refuses them instead of sending garbage.
    await expect(c.createClient({ baseUrl: server.url, key: 'k-123456' }).getItemsGlobalThisPwned5({}, { path: { id: '1' } })).rejects.toThrow(/invalid header name/);
    await expect(client.getItemsGlobalThisPwned5({}, { path: { id: '1' }, header: { 'a"b*/': 'h' } })).rejects.toThrow(/invalid header name/);
    expect(req.json).toEqual({ constructor: 'a"b' });
    // A scope named __proto__ is a scope like any other.
    const error = await client.oauthToken({ grant_type: 'client_credentials' }).catch((e: unknown) => e);
    expect(error.name).toBe('ScopeError');
    expect(error.missing).toEqual(['scope"*/ globalThis.__pwned=9']);
    expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
  });

  it('emits byte-identical client files on a second run', () => {
    const again = path.join(tmpDir('client-hostile-again'), 'pkg');
    const result = runCli(['generate', '--spec', path.join(FIXTURES, 'client/hostile.yaml'), '--out', again, '--name', '@test/client-hostile', '--emit', 'types,client', '--quiet']);
    expect(result.code).toBe(0);
    const first = hashTree(path.join(pkg.dir, 'src'));
    expect(hashTree(path.join(again, 'src'))).toEqual(first);
    expect(Object.keys(first).filter((f) => f.startsWith('client')).length).toBeGreaterThan(10);
  });
});
