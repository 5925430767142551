import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/load/errors.js';
import { loadInput } from '../../src/load/index.js';
import { parseScopeTable } from '../../src/load/scope-table.js';
import type { Diagnostic, ScopeCatalog } from '../../src/model/types.js';
import { FIXTURES, seed } from '../helpers.js';

const FRAGMENTS = path.join(FIXTURES, 'fragments');

describe('bulleted scope lists with rules in prose (seed 002)', () => {
  let catalog: ScopeCatalog;
  let warnings: Diagnostic[];
  const group = (name: string) => catalog.groups.find((g) => g.name === name)!;

  beforeAll(() => {
    ({ catalog, warnings } = parseScopeTable(fs.readFileSync(seed('002'), 'utf8'), seed('002'), { provider: 'moneyhub' }));
  });

  it('is detected as a scope table when given as a spec', async () => {
    const [input] = await loadInput(seed('002'));
    expect(input).toMatchObject({ kind: 'scopes', format: 'scope-table' });
  });

  it('reads every scope with its description and group, patterns marked', () => {
    expect(catalog.id).toBe('moneyhub');
    expect(catalog.title).toBe('Scopes');
    expect(catalog.scopes).toHaveLength(55);
    expect(catalog.scopes.slice(0, 5).map((s) => [s.name, s.group])).toEqual([
      ['openid', undefined],
      ['offline_access', undefined],
      ['reauth', undefined],
      ['reconsent', undefined],
      ['refresh', undefined],
    ]);
    expect(catalog.scopes.find((s) => s.name === 'id:{bank_id}')).toEqual({
      name: 'id:{bank_id}',
      description: 'if you pass a specific bank id (available via the endpoints listed above) then we will bypass the bank chooser and take the user directly to the selected bank',
      group: 'Financial institutions',
      pattern: true,
    });
    // "regular_transactions:read- Read access ..." has no space before its dash.
    expect(catalog.scopes.find((s) => s.name === 'regular_transactions:read')?.description).toBe('Read access to regular transactions series');
    expect(catalog.scopes.find((s) => s.name === 'user:update')?.description).toBe(
      "this scope allows to update a user's connection for re consent purposes. This scope is only allowed for API clients that have their own consent screen",
    );
    // Listed among the defaults only.
    expect(catalog.scopes.find((s) => s.name === 'tax:read')).toEqual({ name: 'tax:read' });
  });

  it('reads the groups in page order', () => {
    expect(catalog.groups.map((g) => [g.name, g.scopes.length])).toEqual([
      ['Financial institutions', 5],
      ['Data access', 29],
      ['Affordability', 3],
      ['Payments', 8],
      ['User management', 4],
    ]);
    expect(group('Financial institutions').scopes).toEqual(['id:{bank_id}', 'id:all', 'id:api', 'id:legacy', 'id:test']);
    expect(group('Data access').description).toBe('Most data access scopes are available to use in both use cases. The scopes ending in write:all are only available in the second use.');
    expect(group('User management').scopes).toEqual(['user:create', 'user:read', 'user:delete', 'user:update']);
  });

  it('reads the default set as an allow-list, plus id:test which its description says is on by default', () => {
    expect(catalog.defaults).toEqual([
      'accounts:read', 'accounts:write', 'accounts:write:all', 'categories:read', 'categories:write', 'offline_access', 'openid', 'projects:delete', 'projects:read', 'projects:write',
      'reauth', 'reconsent', 'refresh', 'savings_goals:read', 'savings_goals:write', 'savings_goals:write:all', 'spending_analysis:read', 'spending_goals:read', 'spending_goals:write',
      'spending_goals:write:all', 'tax:read', 'transactions:read:all', 'transactions:read:in', 'transactions:read:out', 'transactions:write', 'transactions:write:all', 'user:create',
      'user:delete', 'user:read', 'id:test',
    ]);
  });

  it('reads every rule the page states', () => {
    expect(catalog.rules.map(({ description: _d, ...r }) => r)).toEqual([
      { kind: 'required', scopes: ['openid'] },
      { kind: 'exclusive', scopes: ['id:all', 'id:api', 'id:legacy', 'id:test'], patterns: ['id:{bank_id}'] },
      { kind: 'exclusive', scopes: ['transactions:read:all', 'transactions:read:in', 'transactions:read:out'] },
      { kind: 'requiresOneOf', scope: 'transactions:write', oneOf: ['transactions:read:all', 'transactions:read:in', 'transactions:read:out'] },
      { kind: 'grantType', scopes: ['user:create', 'user:read', 'user:delete'], grantTypes: ['client_credentials'] },
      { kind: 'clientManagedOnly', scopes: ['transactions:write:all', 'accounts:write:all', 'spending_goals:write:all', 'savings_goals:write:all'] },
      { kind: 'needsEnablement', scopes: ['accounts_details:read', 'user:update'] },
      { kind: 'enablesRefreshToken', scopes: ['offline_access'] },
    ]);
    expect(catalog.rules[1].description).toBe('The above scopes are mutually exclusive and we will return an error of invalid_scope if more than one of the above is supplied.');
    expect(catalog.errorCode).toBe('invalid_scope');
    expect(catalog.operations).toEqual([]);
  });

  it('reports the empty section and the undescribed default, and nothing it understood', () => {
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['empty-section', 23],
      ['undescribed-default', undefined],
    ]);
    expect(warnings[1].message).toContain('tax:read');
  });
});

describe('scope table with operations and entitlements (seed 003)', () => {
  let catalog: ScopeCatalog;
  let warnings: Diagnostic[];

  beforeAll(() => {
    ({ catalog, warnings } = parseScopeTable(fs.readFileSync(seed('003'), 'utf8'), seed('003'), { provider: 'apiture' }));
  });

  it('reads the six scopes of the table (its header split over three lines)', () => {
    expect(catalog.scopes).toEqual([
      { name: 'profile/read', description: 'Read access to customer and business profile information.' },
      { name: 'profile/write', description: 'Create, write, and delete access to customer and business profile information.' },
      { name: 'banking/read', description: "Read access to banking data and resources related to customer's accounts." },
      { name: 'banking/write', description: "Read, write, and delete access to banking data and resources related to customer's accounts." },
      { name: 'moneyMovement/write', description: "Create and write access to move money to and from customer's accounts." },
      { name: 'data/read', description: 'Read access to other non-account, non-banking, non-profile data, such as financial institution data and settings.' },
    ]);
    expect(catalog.groups).toEqual([]);
    expect(catalog.defaults).toEqual([]);
  });

  it('reads operation -> scope from the prose, and that a missing scope means 403', () => {
    expect(catalog.operations).toEqual([{ operation: 'listAccounts', allOf: ['banking/read'] }]);
    expect(catalog.missingScopeStatus).toBe(403);
  });

  it('reads that banking/write includes read access', () => {
    expect(catalog.rules).toEqual([{ kind: 'implies', scope: 'banking/write', implies: ['banking/read'], description: expect.stringContaining('Read, write, and delete access') }]);
  });

  it('reads the per-resource entitlement with its `allows` permission flags', () => {
    expect(catalog.entitlements).toEqual([
      { resource: 'account', property: 'allows', schema: 'accountPermsisions', permissions: ['approve', 'edit', 'submit', 'delete'], description: expect.any(String) },
    ]);
  });

  it('warns about nothing when the provider is given', () => {
    expect(warnings).toEqual([]);
  });
});

describe('scope table edge cases', () => {
  const parse = (name: string) => parseScopeTable(fs.readFileSync(path.join(FRAGMENTS, name), 'utf8'), name);

  it('a "|" inside a description and a cut-off last row are reported, the rest is read', () => {
    const { catalog, warnings } = parse('scopes-table-malformed.txt');
    expect(catalog.scopes.map((s) => [s.name, s.description])).toEqual([
      ['accounts/read', 'Read accounts | balances included.'],
      ['payments/write', 'Create payments.'],
    ]);
    expect(catalog.operations).toEqual([
      { operation: 'listAccounts', allOf: ['accounts/read'] },
      { operation: 'getAccount', allOf: ['accounts/read'] },
      { operation: 'createPayment', allOf: ['payments/write'] },
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['no-provider', 'malformed-table', 'malformed-table']);
    expect(warnings[2].message).toContain('an incomplete row (1 of 3 cells: "payments/admin | Manage") is skipped');
  });

  it('a table without rows is an input error naming the file', () => {
    expect(() => parse('scopes-empty-table.txt')).toThrow(InputError);
    expect(() => parse('scopes-empty-table.txt')).toThrow(/no scopes found/);
  });

  it('sentences that sound like rules but match no recognizer are reported for review', () => {
    const { catalog, warnings } = parse('scopes-unparsed.txt');
    expect(catalog.scopes.map((s) => s.name)).toEqual(['read:things', 'write:things', 'admin:things']);
    // "This scope is required to change things" is a purpose, not a required-scope rule.
    expect(catalog.rules).toEqual([]);
    expect(warnings.filter((w) => w.code === 'unparsed-rule').map((w) => w.message)).toEqual([
      'not understood as a rule, check by hand: "The above scopes are only available on weekdays."',
      'not understood as a rule, check by hand: "Write scopes require the approval of a human."',
    ]);
  });
});
