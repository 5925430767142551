import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, runCli, tmpDir } from '../helpers.js';
import { generateAndTypecheck, type Checked } from './check.js';

/**
 * One small fixture per class of failure the real-spec corpus found (`npm run corpus`), each named
 * after the real specs that showed it. Every one must generate and type-check.
 */
const DIR = path.join(FIXTURES, 'corpus');
const FIXTURE_FILES = fs.readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const id = (file: string) => file.replace(/\.(ya?ml|json)$/, '').replace(/[^A-Za-z0-9._-]+/g, '_');

describe('corpus failure classes', () => {
  let dir: string;
  let checked: Checked;

  beforeAll(() => {
    dir = tmpDir('corpus-fixtures');
    checked = generateAndTypecheck(dir, FIXTURE_FILES.map((file) => ({ id: id(file), file: path.join(DIR, file) })));
  });

  it('tsc ran on them and reported nothing outside a package', () => {
    expect(checked.unattributed).toEqual([]);
  });

  for (const file of FIXTURE_FILES) {
    it(`${file}: generates and type-checks`, () => {
      const result = checked.generated.get(id(file))!;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(checked.errors.get(id(file)) ?? []).toEqual([]);
    });
  }

  it('deep-refs: $refs into a component schema become named types, once each (not 2^24 inlined copies)', () => {
    // All the type text, whether in one types.ts or in per-schema modules under src/types/.
    const src = path.join(dir, 'deep-refs', 'src');
    const modules = fs.existsSync(path.join(src, 'types')) ? fs.readdirSync(path.join(src, 'types')).sort().map((f) => path.join(src, 'types', f)) : [];
    const types = [path.join(src, 'types.ts'), ...modules].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(types.length).toBeLessThan(200_000);
    expect(types).toMatch(/^export (interface|type) BaseL24\b/m);
    expect(types).toMatch(/^export (interface|type) BaseL3ItemsItem\b/m);
    // The operation's body is the promoted schema, by name.
    expect(types).toMatch(/^export type ThingGetResponse = BaseL24;$/m);
  });

  it('paths-extensions: x- keys under paths and responses are extensions, not paths or statuses', () => {
    const json = runCli(['inspect', '--spec', path.join(DIR, 'paths-extensions.yaml'), '--json']);
    const model = JSON.parse(json.stdout) as { operations: { path: string; responses: { status: string }[] }[]; warnings: unknown[] };
    expect(model.operations.map((o) => o.path)).toEqual(['/search']);
    expect(model.operations[0].responses.map((r) => r.status)).toEqual(['200']);
    expect(model.warnings).toEqual([]);
  });

  it('blank-parameter-name: the blank parameter is skipped with a warning naming it', () => {
    const json = runCli(['inspect', '--spec', path.join(DIR, 'blank-parameter-name.yaml'), '--json']);
    const model = JSON.parse(json.stdout) as { operations: { parameters: { name: string }[] }[]; warnings: { code: string; pointer: string }[] };
    expect(model.operations[0].parameters.map((p) => p.name)).toEqual(['id', 'Notion-Version']);
    expect(model.warnings).toEqual([expect.objectContaining({ code: 'invalid-parameter', pointer: '/paths/~1v1~1pages~1{id}/get/parameters/2' })]);
  });

  it('backtracking-pattern-example: an example tested against a pattern with a quantified group cannot hang generation', () => {
    // Before: the mocks emitter tested the example against its pattern, which backtracks for hours.
    // The beforeAll generated this fixture already; this re-run bounds its time on its own.
    const file = path.join(DIR, 'backtracking-pattern-example.yaml');
    const started = performance.now();
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/codegen.js'), 'generate', '--spec', file, '--out', path.join(dir, 'backtracking-again'), '--name', 'bt', '--emit', 'mocks', '--no-cache', '--quiet'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(0);
    expect(performance.now() - started).toBeLessThan(30_000);
    // The example does not match its pattern, so the mock data must not serve it.
    const data = fs.readdirSync(path.join(dir, 'backtracking-again', 'src/mocks')).map((f) => fs.readFileSync(path.join(dir, 'backtracking-again', 'src/mocks', f), 'utf8')).join('\n');
    expect(data).not.toContain('aaaaaaaaaaaaaaaaaaaa,jpg');
  });

  it('operations-schema-name: a schema named Operations is renumbered, with a warning, and the map keeps its name', () => {
    const json = runCli(['inspect', '--spec', path.join(DIR, 'operations-schema-name.yaml'), '--json']);
    const model = JSON.parse(json.stdout) as { schemas: { key: string; symbol: string }[]; warnings: { code: string; pointer: string }[] };
    expect(model.schemas.find((s) => s.key === 'Operations')?.symbol).toBe('Operations2');
    expect(model.warnings).toEqual([expect.objectContaining({ code: 'reserved-name', pointer: '/components/schemas/Operations' })]);
  });

  it('response-name-taken: an operation whose success type is `Schema | void` gets its own alias name', () => {
    const json = runCli(['inspect', '--spec', path.join(DIR, 'response-name-taken.yaml'), '--json']);
    const model = JSON.parse(json.stdout) as { operations: { symbols: { request: string; response: string } }[] };
    // The request body is exactly its schema, so it keeps the schema's name; the response is not.
    expect(model.operations[0].symbols).toMatchObject({ request: 'GetCompatibilityPropertyValuesRequest', response: 'GetCompatibilityPropertyValuesResponse2' });
  });

  it('required-additional-properties: a required key defined only by additionalProperties has their type', () => {
    const src = path.join(dir, 'required-additional-properties', 'src');
    const modules = fs.existsSync(path.join(src, 'types')) ? fs.readdirSync(path.join(src, 'types')).map((f) => path.join(src, 'types', f)) : [];
    const types = [path.join(src, 'types.ts'), ...modules].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(types).toContain('"20": number[];');
    expect(types).toContain('[key: string]: number[];');
  });
});
