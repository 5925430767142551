import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCached, splitYaml } from '../../src/load/cached-parse.js';
import { parseStructured } from '../../src/load/parse.js';
import { openCache, withCache } from '../../src/write/cache.js';
import { hashTree, PLAID_SPEC, runCli, tmpDir, writeFile } from '../helpers.js';

const plaid = fs.readFileSync(PLAID_SPEC, 'utf8');

/** Edits a spec update could make: one schema, one path, a removal, an addition at the end. */
const EDITS: [string, (t: string) => string][] = [
  ['a schema changes', (t) => t.replace('\n    AccountType:\n      type: string\n', '\n    AccountType:\n      type: string\n      x-changed: true\n')],
  ['a path changes', (t) => t.replace('  /asset_report/create:\n    post:\n', '  /asset_report/create:\n    post:\n      deprecated: true\n')],
  ['a schema is removed', (t) => t.replace(/\n {4}AccountType:\n(?: {6}.*\n|\n)+/, '\n')],
  ['a schema is added last', (t) => `${t.trimEnd()}\n    ZzNew:\n      type: object\n      properties:\n        a:\n          type: string\n`],
  ['a top-level field changes', (t) => t.replace('version: 2020-09-14_1.', 'version: 2020-09-15_1.')],
];

describe('the YAML parse cache', () => {
  it('cuts the Plaid spec into its paths and component entries', () => {
    const chunks = splitYaml(plaid)!;
    expect(chunks).toBeDefined();
    const entries = chunks.filter((c) => c.at.length === 3 && c.at[1] === 'schemas');
    expect(entries).toHaveLength(2275);
    expect(chunks.filter((c) => c.at[0] === 'paths' && c.at.length === 2).length).toBeGreaterThan(300);
  });

  it('gives exactly the document a full parse gives, cold, warm and after each kind of edit', () => {
    const cache = openCache(path.join(tmpDir('parse-cache'), 'cache'));
    const file = path.join(tmpDir('parse-cache-spec'), 'plaid.yml');
    const parse = (text: string) => withCache(cache, () => parseCached(text, file));
    expect(parse(plaid)).toEqual(parseStructured(plaid, file));
    const hitsBefore = cache.stats.hits;
    expect(parse(plaid)).toEqual(parseStructured(plaid, file));
    expect(cache.stats.hits).toBe(hitsBefore + 1);
    for (const [name, edit] of EDITS) {
      const text = edit(plaid);
      expect(text, name).not.toBe(plaid);
      const expected = parseStructured(text, file);
      // Key order matters to the model (it decides output order): compare the serialized text.
      expect(JSON.stringify(parse(text)), name).toBe(JSON.stringify(expected));
    }
  });

  it('does not cut documents whose entries could depend on each other (anchors), and still parses them', () => {
    const cache = openCache(path.join(tmpDir('parse-cache-anchors'), 'cache'));
    const text = plaid.replace('\n    AccountType:\n      type: string\n', '\n    AccountType: &account-type\n      type: string\n') + '    AliasOfAccountType: *account-type\n';
    expect(splitYaml(text)).toBeUndefined();
    const file = path.join(tmpDir('parse-cache-anchors-spec'), 'plaid.yml');
    const parsed = withCache(cache, () => parseCached(text, file)) as { components: { schemas: Record<string, unknown> } };
    expect(parsed.components.schemas.AliasOfAccountType).toEqual(parsed.components.schemas.AccountType);
  });
});

describe('generate with the incremental cache', () => {
  it('re-renders a declaration when a schema its allOf reaches changes, not only its own', () => {
    const dir = tmpDir('cache-allof');
    const env = { CODEGEN_CACHE_DIR: path.join(dir, 'cache') };
    const spec = (bRequired: string) => `openapi: 3.0.3
info: { title: allOf, version: '1' }
paths: {}
components:
  schemas:
    A:
      allOf:
        - $ref: '#/components/schemas/B'
        - type: object
          required: [name]
    B:
      type: object
      ${bRequired}
      properties:
        name: { type: string }
        other: { $ref: '#/components/schemas/C' }
    C:
      type: string
`;
    const file = writeFile(dir, 'spec.yaml', spec(''));
    const gen = (out: string, ...extra: string[]) => runCli(['generate', '--spec', file, '--out', path.join(dir, out), '--name', 'x', '--emit', 'types', '-q', ...extra], { env });
    expect(gen('warm').code).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'warm/src/types.ts'), 'utf8');
    expect(before).toContain('Required<Pick<NonNullable<B>, "name">>');
    // B changes; A's own text does not, but A's type depends on B through allOf.
    fs.writeFileSync(file, spec('required: [other]').replace("other: { $ref: '#/components/schemas/C' }", 'other: { type: integer }').replace('        name: { type: string }\n', ''));
    expect(gen('warm').code).toBe(0);
    expect(gen('cold', '--no-cache').code).toBe(0);
    const warm = fs.readFileSync(path.join(dir, 'warm/src/types.ts'), 'utf8');
    expect(warm).toBe(fs.readFileSync(path.join(dir, 'cold/src/types.ts'), 'utf8'));
    expect(warm).not.toContain('Required<Pick<NonNullable<B>, "name">>');
  });

  it('writes the same package with a warm cache after a one-schema change as without any cache', () => {
    const dir = tmpDir('cache-e2e');
    const env = { CODEGEN_CACHE_DIR: path.join(dir, 'cache') };
    const spec = writeFile(dir, 'plaid.yml', plaid);
    const warm = path.join(dir, 'warm');
    const cold = path.join(dir, 'cold');
    expect(runCli(['generate', '--spec', spec, '--out', warm, '--name', 'p', '--emit', 'types,validators', '-q'], { env }).code).toBe(0);
    fs.writeFileSync(spec, EDITS[0][1](plaid).replace('      - investment\n', '      - investment\n      - crypto\n'));
    const second = runCli(['generate', '--spec', spec, '--out', warm, '--name', 'p', '--emit', 'types,validators', '--json'], { env });
    expect(second.code).toBe(0);
    const stats = (JSON.parse(second.stdout) as { cache: { hits: number } }).cache;
    expect(stats.hits).toBeGreaterThan(0);
    // The same inputs from scratch, no cache: same bytes (the snapshot history aside).
    expect(runCli(['generate', '--spec', spec, '--out', cold, '--name', 'p', '--emit', 'types,validators', '--no-cache', '-q'], { env }).code).toBe(0);
    const strip = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([f]) => !['CHANGELOG.md', 'package.json', '.codegen/model.jsonl'].includes(f)));
    expect(strip(hashTree(warm))).toEqual(strip(hashTree(cold)));
    expect(fs.readFileSync(path.join(warm, 'src/types.ts'), 'utf8')).toContain('"crypto"');
  });
});
