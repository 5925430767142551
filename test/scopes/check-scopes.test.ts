import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, hashTree, ROOT, runCli, tmpDir, typecheck } from '../helpers.js';

/**
 * The generated `PKG/scopes` module, compiled and imported for real: every rule of seeds 002
 * (moneyhub) and 003 (apiture), positive and negative, through the reviewed manifests in
 * specs/scopes, plus a catalog read from an OpenAPI oauth2 scheme.
 */

type Problem = { rule: string; scopes: string[]; message: string };
type Result = { ok: true } | { ok: false; error: 'invalid_scope'; problems: Problem[] };
interface ScopesModule {
  scopeCatalogs: Record<string, { id: string; defaults: readonly string[]; rules: readonly { kind: string }[]; missingScopeStatus?: number; entitlements: readonly unknown[]; tokenOperation?: string }>;
  checkScopes(catalog: unknown, requested: readonly string[] | string, options?: { allowed?: readonly string[]; grantType?: string; clientManaged?: boolean }): Result;
  operationScopes: Record<string, readonly { catalog: string; allOf: readonly string[]; anyOf?: readonly string[] }[]>;
  missingScopes(operation: string, granted: readonly string[]): string[];
  refreshTokenEnabled(catalog: unknown, scopes: readonly string[]): boolean;
  defaultScopes(catalog: unknown): readonly string[];
  expandScopes(catalog: unknown, scopes: readonly string[]): string[];
}

const SPECS = [path.join(ROOT, 'specs/scopes/*.yaml'), path.join(FIXTURES, 'fragments/oauth-bank.yaml')];

let out: string;
let m: ScopesModule;
const rules = (r: Result) => (r.ok ? [] : r.problems.map((p) => [p.rule, p.scopes]));

beforeAll(async () => {
  out = path.join(tmpDir('scopes-pkg'), 'pkg');
  const args = ['generate', ...SPECS.flatMap((s) => ['--spec', path.relative(ROOT, s)]), '--out', out, '--name', '@acme/scopes', '--emit', 'types,scopes', '--quiet'];
  const result = runCli(args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  // Transpile the three scope files to JS beside a package.json that makes them ESM, then import.
  const js = path.join(path.dirname(out), 'js');
  for (const file of ['scopes.ts', 'scopes/check.ts', 'scopes/catalogs.ts']) {
    const source = fs.readFileSync(path.join(out, 'src', file), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
    fs.mkdirSync(path.dirname(path.join(js, file)), { recursive: true });
    fs.writeFileSync(path.join(js, file.replace(/\.ts$/, '.js')), outputText);
  }
  fs.writeFileSync(path.join(js, 'package.json'), '{"type":"module"}');
  m = (await import(pathToFileURL(path.join(js, 'scopes.js')).href)) as ScopesModule;
});

describe('the generated scopes module', () => {
  it('exports every catalog by id', () => {
    // Scope inputs in input order, then catalogs read from OpenAPI security schemes.
    expect(Object.keys(m.scopeCatalogs)).toEqual(['apiture', 'moneyhub', 'plaid', 'oauth']);
    expect(m.scopeCatalogs.plaid.tokenOperation).toBe('POST /oauth/token');
  });

  it('answers the contract example with the exclusive problem first', () => {
    const r = m.checkScopes(m.scopeCatalogs.moneyhub, ['openid', 'id:all', 'id:api']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBe('invalid_scope');
    expect(r.problems[0]).toEqual({ rule: 'exclusive', scopes: ['id:all', 'id:api'], message: expect.stringContaining('cannot be requested together') });
    // id:all and id:api are not in a new client's allowed set either.
    expect(rules(r)).toEqual([
      ['exclusive', ['id:all', 'id:api']],
      ['notAllowed', ['id:all', 'id:api']],
    ]);
    for (const p of r.problems) expect(p.message.length).toBeGreaterThan(10);
  });

  it('takes a catalog id, and a space-separated scope string', () => {
    expect(m.checkScopes('moneyhub', 'openid accounts:read')).toEqual({ ok: true });
    expect(() => m.checkScopes('nope', ['openid'])).toThrow(/unknown scope catalog "nope"/);
  });
});

describe('seed 002 rules (moneyhub)', () => {
  const c = () => m.scopeCatalogs.moneyhub;
  const all = () => ({ allowed: ['openid', 'offline_access', 'id:{bank_id}', 'id:all', 'id:api', 'id:legacy', 'id:test', 'transactions:read:all', 'transactions:read:in', 'transactions:write', 'accounts:read', 'accounts_details:read', 'accounts:write:all', 'user:create', 'payment'] });

  it('required: openid', () => {
    expect(rules(m.checkScopes(c(), ['accounts:read']))).toEqual([['required', ['openid']]]);
    expect(m.checkScopes(c(), ['openid', 'accounts:read'])).toEqual({ ok: true });
  });

  it('exclusive: the bank-chooser scopes, id:{bank_id} included as a pattern', () => {
    expect(rules(m.checkScopes(c(), ['openid', 'id:all', 'id:legacy'], all()))).toEqual([['exclusive', ['id:all', 'id:legacy']]]);
    expect(rules(m.checkScopes(c(), ['openid', 'id:ob-natwest', 'id:test'], all()))).toEqual([['exclusive', ['id:ob-natwest', 'id:test']]]);
    expect(m.checkScopes(c(), ['openid', 'id:ob-natwest'], all())).toEqual({ ok: true });
    expect(m.checkScopes(c(), ['openid', 'id:test'])).toEqual({ ok: true });
  });

  it('exclusive: the transactions:read scopes', () => {
    expect(rules(m.checkScopes(c(), ['openid', 'transactions:read:all', 'transactions:read:out']))).toEqual([['exclusive', ['transactions:read:all', 'transactions:read:out']]]);
    expect(m.checkScopes(c(), ['openid', 'transactions:read:out'])).toEqual({ ok: true });
  });

  it('the default set is an allow-list, not a valid request', () => {
    expect(m.defaultScopes(c())).toContain('transactions:read:all');
    const r = m.checkScopes(c(), c().defaults, { clientManaged: true });
    expect(rules(r)).toEqual([['exclusive', ['transactions:read:all', 'transactions:read:in', 'transactions:read:out']]]);
  });

  it('requiresOneOf: transactions:write needs a transactions:read scope', () => {
    expect(rules(m.checkScopes(c(), ['openid', 'transactions:write']))).toEqual([['requiresOneOf', ['transactions:write']]]);
    expect(m.checkScopes(c(), ['openid', 'transactions:write', 'transactions:read:in'])).toEqual({ ok: true });
  });

  it('grantType: user:create/read/delete only with client_credentials', () => {
    for (const scope of ['user:create', 'user:read', 'user:delete']) {
      expect(rules(m.checkScopes(c(), ['openid', scope], { grantType: 'authorization_code' }))).toEqual([['grantType', [scope]]]);
      expect(m.checkScopes(c(), ['openid', scope], { grantType: 'client_credentials' })).toEqual({ ok: true });
    }
    // Without a grant type the check cannot know, and does not guess.
    expect(m.checkScopes(c(), ['openid', 'user:create'])).toEqual({ ok: true });
  });

  it('clientManagedOnly: the *:write:all family', () => {
    for (const scope of ['accounts:write:all', 'transactions:write:all', 'spending_goals:write:all', 'savings_goals:write:all']) {
      const request = scope.startsWith('transactions') ? ['openid', scope, 'transactions:read:all'] : ['openid', scope];
      expect(rules(m.checkScopes(c(), request))).toEqual([['clientManagedOnly', [scope]]]);
      expect(m.checkScopes(c(), request, { clientManaged: true })).toEqual({ ok: true });
    }
  });

  it('enablesRefreshToken: offline_access', () => {
    expect(m.refreshTokenEnabled(c(), ['openid', 'offline_access'])).toBe(true);
    expect(m.refreshTokenEnabled(c(), ['openid', 'accounts:read'])).toBe(false);
  });

  it('needsEnablement: accounts_details:read and user:update must be enabled for the client', () => {
    expect(rules(m.checkScopes(c(), ['openid', 'accounts_details:read']))).toEqual([['needsEnablement', ['accounts_details:read']]]);
    expect(m.checkScopes(c(), ['openid', 'accounts_details:read'], all())).toEqual({ ok: true });
    expect(rules(m.checkScopes(c(), ['openid', 'user:update']))).toEqual([['needsEnablement', ['user:update']]]);
  });

  it('the allowed set: a scope outside it is reported; unknown scopes too', () => {
    expect(rules(m.checkScopes(c(), ['openid', 'payment']))).toEqual([['notAllowed', ['payment']]]);
    expect(m.checkScopes(c(), ['openid', 'payment'], all())).toEqual({ ok: true });
    expect(rules(m.checkScopes(c(), ['openid', 'bogus:scope']))).toEqual([['unknown', ['bogus:scope']]]);
  });

  it('several problems at once, in rule order', () => {
    const r = m.checkScopes(c(), ['id:all', 'id:api', 'transactions:write', 'user:create', 'nope'], { grantType: 'authorization_code' });
    expect(rules(r)).toEqual([
      ['required', ['openid']],
      ['exclusive', ['id:all', 'id:api']],
      ['requiresOneOf', ['transactions:write']],
      ['grantType', ['user:create']],
      ['unknown', ['nope']],
      ['notAllowed', ['id:all', 'id:api']],
    ]);
  });
});

describe('seed 003 rules (apiture): operation scopes, implied scopes, entitlements', () => {
  it('listAccounts needs banking/read; a missing scope is what a 403 names', () => {
    expect(m.operationScopes.listAccounts).toEqual([{ catalog: 'apiture', allOf: ['banking/read'] }]);
    expect(m.missingScopes('listAccounts', [])).toEqual(['banking/read']);
    expect(m.missingScopes('listAccounts', ['profile/read'])).toEqual(['banking/read']);
    expect(m.missingScopes('listAccounts', ['banking/read'])).toEqual([]);
    expect(m.scopeCatalogs.apiture.missingScopeStatus).toBe(403);
  });

  it('banking/write implies banking/read', () => {
    expect(m.missingScopes('listAccounts', ['banking/write'])).toEqual([]);
    expect(m.expandScopes(m.scopeCatalogs.apiture, ['banking/write'])).toEqual(['banking/write', 'banking/read']);
    expect(m.missingScopes('listAccounts', ['profile/write'])).toEqual(['banking/read']);
  });

  it('with no default set, every catalog scope may be requested; others are unknown', () => {
    expect(m.checkScopes('apiture', ['banking/read', 'moneyMovement/write'])).toEqual({ ok: true });
    expect(rules(m.checkScopes('apiture', ['banking/admin']))).toEqual([['unknown', ['banking/admin']]]);
  });

  it('exports the entitlements', () => {
    expect(m.scopeCatalogs.apiture.entitlements).toEqual([expect.objectContaining({ resource: 'account', property: 'allows', permissions: ['approve', 'edit', 'submit', 'delete'] })]);
  });
});

describe('a catalog from OpenAPI oauth2 flows and operation security', () => {
  it('operation needs: allOf, anyOf for alternatives, none when an alternative needs no oauth', () => {
    expect(m.operationScopes.getAccounts).toEqual([{ catalog: 'oauth', allOf: ['accounts:read'] }]);
    expect(m.operationScopes.createPayment).toEqual([{ catalog: 'oauth', allOf: ['payments:write', 'accounts:read'] }]);
    expect(m.operationScopes.getThing).toEqual([{ catalog: 'oauth', allOf: [], anyOf: ['a', 'b'] }]);
    expect(m.operationScopes.publicThing).toBeUndefined();
    expect(m.operationScopes.apiKeyOrOauth).toBeUndefined();
    expect(m.missingScopes('getThing', ['b'])).toEqual([]);
    expect(m.missingScopes('getThing', [])).toEqual(['a', 'b']);
    expect(m.missingScopes('createPayment', ['accounts:read'])).toEqual(['payments:write']);
    expect(m.missingScopes('publicThing', [])).toEqual([]);
    expect(m.missingScopes('constructor', [])).toEqual([]);
  });

  it('a scope only one flow declares is only granted with that grant type', () => {
    expect(rules(m.checkScopes('oauth', ['payments:write'], { grantType: 'client_credentials' }))).toEqual([['grantType', ['payments:write']]]);
    expect(rules(m.checkScopes('oauth', ['admin:users'], { grantType: 'authorization_code' }))).toEqual([['grantType', ['admin:users']]]);
    expect(m.checkScopes('oauth', ['accounts:read'], { grantType: 'client_credentials' })).toEqual({ ok: true });
  });
});

describe('the generated package', () => {
  it('type-checks under tsc --strict, scope names typed as string literals (patterns as templates)', () => {
    fs.writeFileSync(
      path.join(out, 'src/consumer-check.ts'),
      [
        "import { checkScopes, scopeCatalogs, type MoneyhubScope, type ScopeCatalogId, type CatalogScope } from './scopes.js';",
        "const bank: MoneyhubScope = 'id:ob-natwest';",
        "const ok: MoneyhubScope = 'transactions:read:all';",
        '// @ts-expect-error not a moneyhub scope',
        "const bad: MoneyhubScope = 'banking/read';",
        "const id: ScopeCatalogId = 'apiture';",
        '// @ts-expect-error not a catalog',
        "const other: ScopeCatalogId = 'nope';",
        "const apiture: CatalogScope['apiture'] = 'moneyMovement/write';",
        '// @ts-expect-error not a catalog id',
        "checkScopes('nope', ['openid']);",
        "const first: 'openid' = scopeCatalogs.moneyhub.scopes[0].name;",
        'export const used = [bank, ok, bad, id, other, apiture, first];',
        '',
      ].join('\n'),
    );
    const result = typecheck(out);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('is byte-identical when generated again', () => {
    const again = path.join(tmpDir('scopes-pkg-again'), 'pkg');
    const result = runCli(['generate', ...SPECS.flatMap((s) => ['--spec', path.relative(ROOT, s)]), '--out', again, '--name', '@acme/scopes', '--emit', 'types,scopes', '--quiet']);
    expect(result.code).toBe(0);
    const first = hashTree(out);
    delete first['src/consumer-check.ts'];
    expect(hashTree(again)).toEqual(first);
  });
});
