import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, seed, tmpDir } from '../helpers.js';

const FRAGMENTS = path.join(FIXTURES, 'fragments');
const strip = ({ title: _t, description: _d, source: _s, ...rest }: Record<string, unknown>) => rest;

describe('codegen import-scopes', () => {
  it('writes the manifest of a scope page to stdout, warnings to stderr as review notes', () => {
    const result = runCli(['import-scopes', seed('002'), '--provider', 'moneyhub']);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'codegen: warning: line 23: [empty-section] the section "Authentication" has no scopes or text (the copy may have lost its content)',
      'codegen: warning: [undescribed-default] the default scope tax:read is not described on the page; added without a description',
    ]);
    expect(result.stdout).toContain('# review: line 23: the section "Authentication" has no scopes or text');
    const written = yaml.load(result.stdout) as Record<string, unknown>;
    const reviewed = yaml.load(fs.readFileSync(path.join(ROOT, 'specs/scopes/moneyhub.yaml'), 'utf8')) as Record<string, unknown>;
    expect(strip(written)).toEqual(strip(reviewed));
  });

  it('--out writes a file that codegen reads back', () => {
    const dir = tmpDir('import-scopes');
    const out = path.join(dir, 'apiture.yaml');
    const result = runCli(['import-scopes', seed('003'), '--provider', 'apiture', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`codegen: wrote scope catalog apiture (6 scopes, 1 rules) to ${out}\n`);
    const inspect = runCli(['inspect', '--spec', out, '--json']);
    expect(inspect.code).toBe(0);
    const model = JSON.parse(inspect.stdout);
    expect(model.scopeCatalogs.map((c: { id: string; operations: unknown[] }) => [c.id, c.operations])).toEqual([['apiture', [{ operation: 'listAccounts', allOf: ['banking/read'] }]]]);
  });

  it('takes the scope list of a reference page, and the oauth2 scopes of an OpenAPI document', () => {
    const plaid = runCli(['import-scopes', seed('004')]);
    expect(plaid.code).toBe(0);
    expect(yaml.load(plaid.stdout)).toMatchObject({ kind: 'scope-manifest', id: 'plaid', tokenOperation: 'POST /oauth/token', scopes: { 'user:read': 'Allows reading user data.' } });
    const oauth = runCli(['import-scopes', path.join(FRAGMENTS, 'oauth-bank.yaml'), '--provider', 'bank']);
    expect(oauth.code).toBe(0);
    expect(yaml.load(oauth.stdout)).toMatchObject({ id: 'bank', rules: [{ kind: 'grantType', grantTypes: ['authorization_code'] }, { kind: 'grantType', grantTypes: ['client_credentials'] }] });
  });

  it('exits 2 with one line naming the file when there is nothing to import', () => {
    for (const [file, message] of [
      [seed('000'), 'holds no scope catalog'],
      [path.join(FRAGMENTS, 'scopes-empty-table.txt'), 'no scopes found'],
      [path.join(FRAGMENTS, 'missing.txt'), 'no such file'],
    ]) {
      const result = runCli(['import-scopes', file]);
      expect(result.code, file).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toContain(file);
      expect(lines[0]).toContain(message);
    }
  });
});

describe('codegen inspect on fragments and scope tables', () => {
  it('shows the catalogs with their rules, and every importer warning', () => {
    const result = runCli(['inspect', ...['000', '001', '002', '003', '004'].flatMap((n) => ['--spec', seed(n)])]);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toContain('scope catalogs (3):');
    expect(text).toContain('  scopes: 55 scopes, 5 groups, 8 rules, 30 defaults, 0 operation mappings');
    expect(text).toContain('    - exclusive: transactions:read:all transactions:read:in transactions:read:out');
    expect(text).toContain('    - requiresOneOf: transactions:write -> transactions:read:all | transactions:read:in | transactions:read:out');
    expect(text).toContain('  scopesEntitlements: 6 scopes, 0 groups, 1 rules, 0 defaults, 1 operation mappings');
    expect(text).toContain('  plaid: 4 scopes, 0 groups, 0 rules, 0 defaults, 0 operation mappings');
    for (const code of ['lost-values', 'ignored-text', 'ambiguous-nesting', 'empty-value', 'guessed-field-name', 'no-provider', 'empty-section', 'undescribed-default']) {
      expect(text, code).toContain(`[${code}]`);
    }
    expect(text).toMatch(/^ {2}itemApplicationScopesUpdate +POST +\/item\/application\/scopes\/update {2}\[application\/json\]$/m);
    expect(text).toMatch(/^ {2}oauthToken +POST +\/oauth\/token {2}\[application\/json, application\/x-www-form-urlencoded\]$/m);
  });

  it('a broken manifest is one line naming the file and JSON pointer, exit 2', () => {
    const file = path.join(FRAGMENTS, 'manifest-bad-key.yaml');
    const result = runCli(['inspect', '--spec', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`codegen: ${file}#/rules/0/severity: invalid scope manifest: unknown key \`severity\` for a required rule\n`);
  });
});

describe('codegen generate on damaged inputs', () => {
  it('truncated and partly unplaceable fragments generate, with their warnings', () => {
    const out = path.join(tmpDir('damaged'), 'pkg');
    const result = runCli(['generate', '--spec', path.join(FRAGMENTS, 'truncated-001.txt'), '--spec', path.join(FRAGMENTS, 'unplaced.txt'), '--out', out, '--emit', 'types,scopes', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.operations).toBe(2);
    expect(summary.warnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['truncated', 'unplaced-text']));
    expect(fs.existsSync(path.join(out, 'src/scopes.ts'))).toBe(true);
  });

  it('an input error leaves --out untouched', () => {
    const out = path.join(tmpDir('bad-input'), 'pkg');
    const result = runCli(['generate', '--spec', path.join(FRAGMENTS, 'scopes-empty-table.txt'), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('scopes-empty-table.txt:1: no scopes found');
    expect(fs.existsSync(out)).toBe(false);
  });
});
