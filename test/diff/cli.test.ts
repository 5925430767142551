import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PLAID_SPEC, runCli, tmpDir, writeFile } from '../helpers.js';

const V1 = path.join(FIXTURES, 'diff/ledger-v1.yaml');
const V2 = path.join(FIXTURES, 'diff/ledger-v2.yaml');

interface Change {
  kind: string;
  breaking: boolean;
  bump: string;
  location: string;
  message: string;
  pointer?: string;
}

/** Every change v2 makes to v1 (one of each class), as `mark kind location`: ! breaking, + addition, ~ other. */
const EXPECTED = [
  '! server-removed server https://development.ledger.example',
  '! operation-removed POST /legacy/remove (legacyRemove)',
  '! security-changed POST /accounts/get (accountsGet)',
  '! parameter-added GET /items/{item_id} (itemGet) query parameter client_version',
  '! parameter-removed GET /items/{item_id} (itemGet) query parameter include_metadata',
  '! media-type-removed GET /items/{item_id} (itemGet) response 200',
  '! header-removed GET /items/{item_id} (itemGet) response 200 header X-Rate-Limit',
  '! operation-renamed POST /items/delete (itemRemove)',
  '! required-added POST /items/delete (itemRemove) request body',
  '! schema-removed schema LegacyThing',
  '! schema-renamed schema ItemMetadata',
  '! format-changed schema AccountsGetRequest: options.account_ids[]',
  '! required-removed schema Account: type',
  '! enum-value-added schema AccountType',
  '! nullable-added schema Balances: current',
  '! type-changed schema Balances: limit',
  '! variant-added schema PaymentSource',
  '! property-added schema TransferCreateRequest: idempotency_key',
  '! property-removed schema TransferCreateRequest: legacy_flag',
  '! required-added schema TransferCreateRequest: description',
  '! constraint-changed schema TransferCreateRequest: description',
  '! constraint-changed schema TransferCreateRequest: ach_class',
  '! property-removed schema Transfer: failure_reason',
  '! required-removed schema Transfer: status',
  '! format-changed schema Transfer: created',
  '+ server-added server https://eu.ledger.example',
  '+ operation-added POST /investments/holdings/get (investmentsHoldingsGet)',
  '+ media-type-added POST /transfer/create (transferCreate) request body',
  '+ parameter-added GET /items/{item_id} (itemGet) query parameter locale',
  '+ response-added GET /items/{item_id} (itemGet) response 404',
  '+ schema-added schema WalletSource',
  '+ property-added schema Account: official_name',
  '+ enum-value-added schema TransferType',
  '+ property-added schema TransferCreateRequest: metadata',
  '+ property-added schema Transfer: expected_settlement_date',
  '~ documentation-changed info',
  '~ deprecated POST /accounts/get (accountsGet)',
  '~ documentation-changed POST /accounts/get (accountsGet)',
  '~ required-removed GET /items/{item_id} (itemGet) query parameter page_size',
  '~ operation-moved POST /webhook_verification_key/get (webhookVerify)',
  '~ default-changed schema AccountsGetRequest: count',
  '~ enum-value-removed schema AccountSubtype',
  '~ nullable-removed schema Balances: available',
];

const mark = (c: Change) => `${c.breaking ? '!' : c.bump === 'minor' ? '+' : '~'} ${c.kind} ${c.location}`;

describe('codegen diff on two versions of a fixture API', () => {
  it('finds every change, classified, breaking first (--json)', () => {
    const result = runCli(['diff', V1, V2, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: Record<string, unknown>; changes: Change[] };
    expect(report.changes.map(mark)).toEqual(EXPECTED);
    expect(report.summary).toEqual({ breaking: 25, nonBreaking: 18, additions: 10, bump: 'major' });
  });

  it('says why a change breaks, and points into the spec that has it', () => {
    const report = JSON.parse(runCli(['diff', V1, V2, '--json']).stdout) as { changes: Change[] };
    const find = (m: string) => report.changes.find((c) => mark(c) === m)!;
    expect(find('! enum-value-added schema AccountType').message).toMatch(/handle it/);
    expect(find('! required-added schema TransferCreateRequest: description').message).toMatch(/became required/);
    expect(find('! required-added schema TransferCreateRequest: description').pointer).toBe(`${V2}#/components/schemas/TransferCreateRequest/properties/description`);
    // Removals point into the old spec, where the removed thing still is.
    expect(find('! property-removed schema Transfer: failure_reason').pointer).toBe(`${V1}#/components/schemas/Transfer/properties/failure_reason`);
    expect(find('! header-removed GET /items/{item_id} (itemGet) response 200 header X-Rate-Limit').pointer).toBe(`${V1}#/paths/~1items~1{item_id}/get/responses/200/headers/X-Rate-Limit`);
  });

  it('prints breaking changes first for people, and exits 1 with --fail-on-breaking', () => {
    const plain = runCli(['diff', V1, V2]);
    expect(plain.code).toBe(0);
    const lines = plain.stdout.split('\n');
    expect(lines[0]).toBe(`${V1} -> ${V2}: 25 breaking, 10 additions, 8 other changes (major)`);
    const breakingAt = lines.indexOf('Breaking (25):');
    const addedAt = lines.indexOf('Added (10):');
    expect(breakingAt).toBeGreaterThan(0);
    expect(addedAt).toBeGreaterThan(breakingAt);
    expect(lines[breakingAt + 1]).toMatch(/^ {2}! server https:\/\/development\.ledger\.example: server removed/);
    // Documentation changes are counted, and listed only with --verbose.
    expect(plain.stdout).toContain('Documentation: 2 change(s) to descriptions, examples or the API version');
    expect(plain.stdout).not.toContain('description changed');
    expect(runCli(['diff', V1, V2, '--verbose']).stdout).toContain('POST /accounts/get (accountsGet): description changed');

    const failing = runCli(['diff', V1, V2, '--fail-on-breaking']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('Breaking (25):');
  });

  it('exits 0 with --fail-on-breaking when every change is an addition (minor)', () => {
    const dir = tmpDir('diff-additive');
    const additive = writeFile(
      dir,
      'ledger-additive.yaml',
      fs.readFileSync(V1, 'utf8').replace('        request_id:\n          type: string\n', '        request_id:\n          type: string\n        next_cursor:\n          type: string\n'),
    );
    const result = runCli(['diff', V1, additive, '--fail-on-breaking', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: { bump: string }; changes: Change[] };
    expect(report.changes.map(mark)).toEqual(['+ property-added schema AccountsGetResponse: next_cursor']);
    expect(report.summary.bump).toBe('minor');
  });

  it('compares a generated folder (its .codegen/model.jsonl) with a spec: the same changes but documentation', () => {
    const dir = tmpDir('diff-folder');
    const out = path.join(dir, 'ledger');
    expect(runCli(['generate', '--spec', V1, '--out', out, '--name', 'ledger', '--emit', 'types', '-q'], { env: { CODEGEN_CACHE_DIR: path.join(dir, 'cache') } }).code).toBe(0);
    const result = runCli(['diff', out, V2, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { changes: Change[] };
    // Descriptions are not kept in the folder; the API version is.
    const expected = EXPECTED.filter((line) => line !== '~ documentation-changed POST /accounts/get (accountsGet)');
    expect(report.changes.map(mark)).toEqual(expected);
    const folderWithout = runCli(['diff', dir, V2]);
    expect(folderWithout.code).toBe(2);
    expect(folderWithout.stderr).toContain('is a folder without .codegen/model.jsonl');
  });

  it('reports no change from a version to itself', () => {
    const result = runCli(['diff', V1, V1, '--fail-on-breaking']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${V1} -> ${V1}: no changes\n`);
  });

  it('exits 2 with one line naming the file on bad input, and on missing arguments', () => {
    const dir = tmpDir('diff-bad');
    const broken = writeFile(dir, 'broken.yaml', 'openapi: 3.0.0\ninfo:\n  title: x\n   version: 1\npaths: {}\n');
    const bad = runCli(['diff', V1, broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/broken\.yaml:\d+: malformed YAML/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = runCli(['diff', path.join(dir, 'nope.yaml'), V1]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: no such file');
    expect(runCli(['diff', V1]).code).toBe(2);
  });
});

describe('codegen diff on the real Plaid spec', () => {
  it('finds no changes between the spec and itself', () => {
    const result = runCli(['diff', PLAID_SPEC, PLAID_SPEC, '--json', '--fail-on-breaking']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { summary: unknown; changes: Change[] };
    expect(report.changes).toEqual([]);
    expect(report.summary).toEqual({ breaking: 0, nonBreaking: 0, additions: 0, bump: 'none' });
  });

  it('finds exactly the one change made to a copy: a new AccountType value breaks exhaustive switches', () => {
    const dir = tmpDir('diff-plaid');
    const text = fs.readFileSync(PLAID_SPEC, 'utf8');
    const at = text.indexOf('\n    AccountType:\n');
    const enumAt = text.indexOf('      - investment\n', at);
    expect(at).toBeGreaterThan(0);
    expect(enumAt).toBeGreaterThan(at);
    const changed = writeFile(dir, 'plaid.yml', text.slice(0, enumAt) + '      - crypto\n' + text.slice(enumAt));
    const report = JSON.parse(runCli(['diff', PLAID_SPEC, changed, '--json']).stdout) as { changes: Change[] };
    expect(report.changes.map(mark)).toEqual(['! enum-value-added schema AccountType']);
    expect(report.changes[0].message).toContain('"crypto"');
  });
});
