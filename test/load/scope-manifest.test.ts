import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/load/errors.js';
import { loadInput } from '../../src/load/index.js';
import type { RawInput } from '../../src/load/inputs.js';
import { readScopeManifest, writeScopeManifest } from '../../src/load/scope-manifest.js';
import { parseScopeTable } from '../../src/load/scope-table.js';
import type { ScopeCatalog } from '../../src/model/types.js';
import { FIXTURES, ROOT, seed } from '../helpers.js';

const FRAGMENTS = path.join(FIXTURES, 'fragments');
const MANIFESTS = path.join(ROOT, 'specs/scopes');

async function manifest(file: string): Promise<ScopeCatalog> {
  const [input] = await loadInput(file);
  expect(input).toMatchObject({ kind: 'scopes', format: 'scope-manifest', warnings: [] });
  return (input as RawInput & { kind: 'scopes' }).catalog;
}

/** What review may change: titles and descriptions for people, and where the catalog came from. */
const content = ({ title: _t, description: _d, source: _s, ...rest }: ScopeCatalog) => rest;

describe('the reviewed manifests in specs/scopes', () => {
  it('are exactly what the importer reads from seeds 002 and 003, apart from titles', async () => {
    for (const [file, id, n] of [
      ['moneyhub.yaml', 'moneyhub', '002'],
      ['apiture.yaml', 'apiture', '003'],
    ] as const) {
      const reviewed = await manifest(path.join(MANIFESTS, file));
      const imported = parseScopeTable(fs.readFileSync(seed(n), 'utf8'), seed(n), { provider: id }).catalog;
      expect(content(reviewed)).toEqual(content(imported));
      expect(reviewed.title).toBeTruthy();
    }
  });

  it('plaid.yaml holds the scope values of seed 004 and names the token operation', async () => {
    const reviewed = await manifest(path.join(MANIFESTS, 'plaid.yaml'));
    const fromPage = ((await loadInput(seed('004')))[1] as RawInput & { kind: 'scopes' }).catalog;
    expect(content(reviewed)).toEqual(content(fromPage));
    expect(reviewed.tokenOperation).toBe('POST /oauth/token');
  });
});

describe('scope manifest format', () => {
  it('round-trips: write then read gives the same catalog', () => {
    for (const n of ['002', '003']) {
      const { catalog, warnings } = parseScopeTable(fs.readFileSync(seed(n), 'utf8'), seed(n), { provider: `p${n}` });
      const text = writeScopeManifest(catalog, { source: 'seed', notes: warnings.map((w) => w.message) });
      expect(text.startsWith('# Scope manifest')).toBe(true);
      for (const w of warnings) expect(text).toContain(`# review: ${w.message}`);
      const back = readScopeManifest(yaml.load(text), 'again.yaml');
      expect(back.warnings).toEqual([]);
      expect(content(back.catalog)).toEqual(content(catalog));
    }
  });

  it('the example in docs/scope-manifest.md is a valid manifest', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/scope-manifest.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1];
    const { catalog, warnings } = readScopeManifest(yaml.load(example), 'docs/scope-manifest.md');
    expect(warnings).toEqual([]);
    expect(catalog.id).toBe('moneyhub');
    expect(catalog.rules.map((r) => r.kind)).toEqual(['required', 'exclusive', 'exclusive', 'requiresOneOf', 'grantType', 'clientManagedOnly', 'enablesRefreshToken']);
  });

  it('rejects an unknown key with the JSON pointer of the mistake', async () => {
    const error = await loadInput(path.join(FRAGMENTS, 'manifest-bad-key.yaml')).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.format()).toBe(`${path.join(FRAGMENTS, 'manifest-bad-key.yaml')}#/rules/0/severity: invalid scope manifest: unknown key \`severity\` for a required rule`);
  });

  it('rejects an unknown rule kind, naming the kinds it knows', async () => {
    const error = await loadInput(path.join(FRAGMENTS, 'manifest-bad-kind.yaml')).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.pointer).toBe('/rules/0/kind');
    expect(error.message).toContain('unknown rule kind "mutuallyExclusive" (expected one of required, exclusive, requiresOneOf');
  });

  it('warns about scopes that rules and defaults name but nobody declares (typos)', async () => {
    const [input] = await loadInput(path.join(FRAGMENTS, 'manifest-typos.yaml'));
    expect(input.warnings.map((w) => [w.pointer, w.message])).toEqual([
      ['/defaults/1', 'a:wirte is not declared in this manifest'],
      ['/rules/0/oneOf/0', 'a:raed is not declared in this manifest'],
    ]);
  });

  it('checks structure: ids, statuses, rule sizes, scope names', () => {
    const base = { kind: 'scope-manifest', id: 'acme', scopes: { 'a:read': 'Read', 'b:read': null } };
    const fails = (data: object, pointer: string) => {
      try {
        readScopeManifest(data, 'm.yaml');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).pointer).toBe(pointer);
        return;
      }
      throw new Error(`accepted ${JSON.stringify(data)}`);
    };
    fails({ ...base, id: 'has space' }, '/id');
    fails({ ...base, id: '__proto__' }, '/id');
    fails({ ...base, kind: 'openapi' }, '/kind');
    fails({ ...base, version: 2 }, '/version');
    fails({ ...base, missingScopeStatus: 200 }, '/missingScopeStatus');
    fails({ ...base, scopes: { 'a b': 'x' } }, '/scopes/a b');
    fails({ ...base, scopes: {} }, '/scopes');
    fails({ ...base, rules: [{ kind: 'exclusive', scopes: ['a:read'] }] }, '/rules/0');
    fails({ ...base, rules: [{ kind: 'exclusive', scopes: ['a:read'], patterns: ['b:read'] }] }, '/rules/0/patterns');
    fails({ ...base, rules: [{ kind: 'grantType', scopes: ['a:read'] }] }, '/rules/0/grantTypes');
    fails({ ...base, operations: [{ operation: 'x' }] }, '/operations/0');
    fails({ ...base, defaults: 'a:read' }, '/defaults');
    const ok = readScopeManifest({ ...base, rules: [{ kind: 'exclusive', scopes: ['a:read', 'b:read'] }] }, 'm.yaml');
    expect(ok.catalog.scopes).toEqual([{ name: 'a:read', description: 'Read' }, { name: 'b:read' }]);
  });
});
