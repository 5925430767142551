import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, PLAID_SPEC, runCli, tmpDir, writeFile } from '../helpers.js';
import { call } from './helpers.js';
import { startCliMock, type RunningMock } from './serve.js';

const LEDGER = path.join(FIXTURES, 'mocks/ledger-oauth.yaml');
const LINK = { client_name: 'App', language: 'en', country_codes: ['US'], user: { client_user_id: 'u-1' }, products: ['auth'] };
const CREDENTIALS = { 'plaid-client-id': 'c', 'plaid-secret': 's' };

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('codegen mock', () => {
  const running: RunningMock[] = [];
  const cache = tmpDir('mock-cli-cache');
  afterAll(async () => {
    for (const r of running) await r.stop();
  });

  it('serves the full Plaid spec straight from the model, validating, and again faster from its cache', async () => {
    // DEBUG=codegen reports each operation whose validators get compiled, and when the cache is written.
    const cold = await startCliMock(['--spec', PLAID_SPEC, '--port', '0', '--seed', '42'], { CODEGEN_MOCK_CACHE: cache, DEBUG: 'codegen' });
    running.push(cold);
    const coldFirst = performance.now();
    const ok = await call(cold.url, 'POST', '/link/token/create', { body: LINK, headers: CREDENTIALS });
    expect(ok.status).toBe(200);
    expect(ok.json.link_token).toMatch(/^link-sandbox-/);
    const coldMs = cold.readyMs + (performance.now() - coldFirst);
    const invalid = await call(cold.url, 'POST', '/link/token/create', { body: { client_name: 'App' }, headers: CREDENTIALS });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error_code).toBe('MISSING_FIELDS');
    expect(cold.stderr()).toMatch(/The Plaid API, 329 operations on http:\/\/127\.0\.0\.1:\d+ \(ready in \d+ ms, \d+ spec warning/);
    // A cold start compiles the validators of the operations it is asked for, and no others.
    expect([...cold.stderr().matchAll(/validators of (\w+) compiled/g)].map((m) => m[1])).toEqual(['linkTokenCreate']);
    // Meanwhile a worker thread writes the whole compiled mock for the next start.
    await until(() => /cache written/.test(cold.stderr()), 120_000);
    expect(await cold.stop()).toBe(0);
    expect(fs.readdirSync(cache).filter((name) => name.startsWith('run.'))).toEqual([]);

    const warm = await startCliMock(['--spec', PLAID_SPEC, '--port', '0', '--seed', '42'], { CODEGEN_MOCK_CACHE: cache });
    running.push(warm);
    const warmFirst = performance.now();
    const again = await call(warm.url, 'POST', '/link/token/create', { body: LINK, headers: CREDENTIALS });
    const warmMs = warm.readyMs + (performance.now() - warmFirst);
    expect(warm.stderr()).toMatch(/, cached\)/);
    // Same seed, same bytes (the link token comes from the seeded id sequence too).
    expect(again.text).toBe(ok.text);
    console.log(`codegen mock on the full Plaid spec: first answer ${coldMs.toFixed(0)} ms cold, ${warmMs.toFixed(0)} ms from the cache`);
    expect(warmMs).toBeLessThan(coldMs);
  });

  it('serves any spec, with its OAuth token endpoint and scopes', async () => {
    const mock = await startCliMock(['--spec', LEDGER, '--port', '0'], { CODEGEN_MOCK_CACHE: cache });
    running.push(mock);
    const token = await call(`${mock.url}/v1`, 'POST', '/oauth/token', { body: { grant_type: 'client_credentials', scope: 'accounts:read' } });
    expect(token.status).toBe(200);
    const denied = await call(`${mock.url}/v1`, 'POST', '/accounts', { body: { name: 'Main' }, headers: { 'x-api-key': 'k', authorization: `Bearer ${token.json.access_token}` } });
    expect(denied.status).toBe(403);
    const listed = await call(`${mock.url}/v1`, 'GET', '/accounts', { headers: { 'x-api-key': 'k', authorization: `Bearer ${token.json.access_token}` } });
    expect(listed.status).toBe(200);
  });

  it('exits 2 with one line naming the problem on bad input or a busy port', async () => {
    const dir = tmpDir('mock-cli-bad');
    const broken = writeFile(dir, 'broken.yaml', 'openapi: 3.0.3\ninfo: [not, an, object\n');
    const bad = runCli(['mock', '--spec', broken], { env: { CODEGEN_MOCK_CACHE: cache } });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/broken\.yaml/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = runCli(['mock', '--spec', path.join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml: no such file/);

    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const busy = runCli(['mock', '--spec', LEDGER, '--port', String(port)], { env: { CODEGEN_MOCK_CACHE: cache } });
      expect(busy.code).toBe(2);
      expect(busy.stderr).toBe(`codegen: port ${port} is already in use on 127.0.0.1\nRun codegen --help for usage.\n`);
    } finally {
      blocker.close();
    }
    const badPort = runCli(['mock', '--spec', LEDGER, '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(fs.existsSync(cache)).toBe(true);
  });
});
