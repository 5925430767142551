import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tmpDir } from '../helpers.js';
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
    const types = fs.readFileSync(path.join(dir, 'deep-refs', 'src/types.ts'), 'utf8');
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
});
