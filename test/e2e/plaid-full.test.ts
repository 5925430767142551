import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashTree, PLAID_SPEC, runCli, tmpDir, typecheck } from '../helpers.js';

/** The real Plaid spec (329 operations, 2275 schemas), end to end through the CLI. */
describe('the real Plaid spec', () => {
  let out: string;
  let summary: { operations: number; schemas: number; files: number; warnings: { code: string; pointer?: string }[] };

  beforeAll(() => {
    out = path.join(tmpDir('plaid-full'), 'pkg');
    const result = runCli(['generate', '--spec', PLAID_SPEC, '--out', out, '--name', '@acme/plaid', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    summary = JSON.parse(result.stdout);
  });

  it('models every operation and schema', () => {
    expect(summary.operations).toBe(329);
    expect(summary.schemas).toBe(2275);
  });

  it('emits a type for each of the 2275 schemas and request/response types for each operation', () => {
    const types = fs.readFileSync(path.join(out, 'src/types.ts'), 'utf8');
    const declared = new Set([...types.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]));
    for (const name of ['LinkTokenCreateRequest', 'LinkTokenCreateResponse', 'LinkOAuthCorrelationIdExchangeResponse', 'AAMVAAnalysis', 'PlaidError', 'AccountSubtype', 'TransactionsSyncResponse']) {
      expect(declared, name).toContain(name);
    }
    // 2275 schemas + per-operation Error types (+ Request/Response aliases where no schema has the name).
    expect(declared.size).toBeGreaterThanOrEqual(2275 + 329);
    const operations = types.slice(types.indexOf('export interface Operations {'));
    expect(operations.match(/^ {2}\w+: \{ request: /gm)).toHaveLength(329);
  });

  it('keeps nullable enums nullable (AccountSubtype admits null)', () => {
    const types = fs.readFileSync(path.join(out, 'src/types.ts'), 'utf8');
    expect(types).toMatch(/export type AccountSubtype = "401a" \| [^;]* \| null;/);
  });

  it('reports the spec defect under /transfer/originator/get instead of failing', () => {
    const defect = summary.warnings.find((w) => w.code === 'invalid-media-type' && w.pointer?.includes('~1transfer~1originator~1get'));
    expect(defect).toBeDefined();
  });

  it('type-checks under tsc --strict with 0 errors', () => {
    const result = typecheck(out);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('gives byte-identical output on a second run', () => {
    const again = path.join(tmpDir('plaid-full-again'), 'pkg');
    const result = runCli(['generate', '--spec', PLAID_SPEC, '--out', again, '--name', '@acme/plaid', '--quiet']);
    expect(result.code).toBe(0);
    expect(hashTree(again)).toEqual(hashTree(out));
  });
});
