import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAID_SPEC, ROOT } from '../helpers.js';
import { startCliMock, type RunningMock } from './serve.js';

const run = promisify(execFile);
const CLIENT = path.join(ROOT, 'test/mocks/load-client.mjs');

/** The only statuses each kind of request may get (load-client.mjs names the kinds). */
const EXPECTED: Record<string, string> = {
  link: '200',
  flow: '200',
  invalid: '400',
  malformed: '400',
  unknownToken: '400',
  noCredentials: '400',
  wrongType: '400',
  unknownPath: '404',
  huge: '413',
  preferError: '500',
};

interface LoadResult {
  requests: number;
  rps: number;
  statuses: Record<string, number>;
  kinds: Record<string, Record<string, number>>;
  errors: number;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Thousands of mixed valid and invalid requests against `codegen mock` on the full Plaid spec. */
describe('mock server under load', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startCliMock(['--spec', PLAID_SPEC, '--port', '0'], { CODEGEN_MOCK_CACHE: path.join(ROOT, 'test/.tmp/mock-cache') });
  });
  afterAll(async () => {
    if (mock) expect(await mock.stop()).toBe(0);
  });

  it('answers 6,000 mixed requests with only the expected statuses, no crash, and flat memory', async () => {
    const batch = async (requests: number) => JSON.parse((await run(process.execPath, [CLIENT, mock.url, String(requests), '16', 'plaid'])).stdout) as LoadResult;
    const pid = mock.child.pid!;
    const results: LoadResult[] = [];
    const rss: number[] = [];
    for (let i = 0; i < 4; i++) {
      results.push(await batch(1500));
      rss.push(rssMb(pid));
    }
    for (const result of results) {
      expect(result.errors).toBe(0);
      for (const [kind, byStatus] of Object.entries(result.kinds)) expect(Object.keys(byStatus), kind).toEqual([EXPECTED[kind]]);
    }
    const total = results.reduce((n, r) => n + r.requests, 0);
    expect(total).toBe(6000);
    expect(mock.child.exitCode).toBeNull();
    // After the first batch warmed it up, the server's memory stays put (tokens are capped, bodies cached).
    console.log(`load: ${total} requests, ${results.map((r) => r.rps).join(' / ')} req/s per batch, RSS ${rss.map((m) => m.toFixed(0)).join(' -> ')} MB`);
    expect(rss[3] - rss[1]).toBeLessThan(40);
  });
});
