import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES, hashTree, runCli, tmpDir, writeFile } from '../helpers.js';

/**
 * Bad input: one clear line naming the file and the line or JSON pointer, exit 2, no stack trace,
 * and an existing output folder left byte-for-byte as it was.
 */
describe('bad inputs', () => {
  let dir: string;
  let out: string;
  let before: Record<string, string>;

  beforeEach(() => {
    dir = tmpDir('bad-input');
    out = path.join(dir, 'out');
    const good = runCli(['--spec', path.join(FIXTURES, 'core/semantics.yaml'), '--out', out, '--quiet']);
    expect(good.code).toBe(0);
    before = hashTree(out);
  });

  const expectRejected = (args: string[], message: RegExp) => {
    const result = runCli(['--spec', ...args, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(hashTree(out)).toEqual(before);
  };

  it('a missing file', () => {
    expectRejected([path.join(dir, 'nope.yaml')], /nope\.yaml: no such file$/m);
  });

  it('malformed YAML, with its line', () => {
    const file = writeFile(dir, 'bad.yaml', 'openapi: 3.0.3\ninfo:\n  title: x\n  version: [1\npaths: {}\n');
    expectRejected([file], /bad\.yaml:\d+: malformed YAML: /);
  });

  it('malformed JSON, with its line', () => {
    const file = writeFile(dir, 'bad.json', '{\n  "openapi": "3.0.3",\n  "info": {,\n}\n');
    expectRejected([file], /bad\.json:3: malformed JSON: /);
  });

  it('a document that is not OpenAPI', () => {
    const file = writeFile(dir, 'other.yaml', 'name: my-app\nversion: 1.0.0\ndependencies: {}\n');
    expectRejected([file], /other\.yaml#\/openapi: not an OpenAPI document: no `openapi` version field/);
  });

  it('Swagger 2.0', () => {
    const file = writeFile(dir, 'swagger.json', '{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}');
    expectRejected([file], /swagger\.json#\/swagger: Swagger 2\.0 is not supported/);
  });

  it('an invalid OpenAPI document (paths is a list)', () => {
    const file = writeFile(dir, 'invalid.yaml', 'openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths: [1, 2]\n');
    expectRejected([file], /invalid\.yaml#\/paths: invalid OpenAPI document: `paths` must be an object/);
  });

  it('an invalid OpenAPI document (a parameter without `in`)', () => {
    const file = writeFile(dir, 'param.yaml', 'openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths:\n  /a:\n    get:\n      parameters: [{ name: q }]\n      responses: { "200": { description: ok } }\n');
    expectRejected([file], /param\.yaml#\/paths\/~1a\/get\/parameters\/0: invalid OpenAPI document: parameter "q" has an invalid `in`/);
  });

  it('a missing info', () => {
    const file = writeFile(dir, 'noinfo.yaml', 'openapi: 3.0.3\npaths: {}\n');
    expectRejected([file], /noinfo\.yaml#\/info: invalid OpenAPI document: the required field `info` is missing/);
  });

  it('an empty file', () => {
    const file = writeFile(dir, 'empty.yaml', '\n');
    expectRejected([file], /empty\.yaml: the file is empty/);
  });

  it('a glob that matches nothing', () => {
    expectRejected([path.join(dir, 'none/*.yaml')], /no input matches the pattern/);
  });

  it('an unknown flag is a usage error, exit 2', () => {
    const result = runCli(['generate', '--nonsense']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown argument: nonsense/);
  });

  it('a bad --emit list', () => {
    const result = runCli(['--spec', path.join(FIXTURES, 'core/semantics.yaml'), '--out', out, '--emit', 'types,nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--emit takes/);
    expect(hashTree(out)).toEqual(before);
  });

  it('a bad config file', () => {
    writeFile(dir, 'codegen.config.json', '{ "specs": "not-a-list" }');
    const result = runCli([], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/codegen\.config\.json#\/specs: "specs" must be a list/);
  });
});

describe('--check', () => {
  it('exits 0 when up to date, 1 with the drifted files listed, and never writes', () => {
    const dir = tmpDir('check');
    const out = path.join(dir, 'out');
    const spec = path.join(FIXTURES, 'core/semantics.yaml');
    expect(runCli(['--spec', spec, '--out', out, '--quiet']).code).toBe(0);
    expect(runCli(['--spec', spec, '--out', out, '--check']).code).toBe(0);
    fs.appendFileSync(path.join(out, 'src/types.ts'), '// edited\n');
    fs.writeFileSync(path.join(out, 'stray.txt'), 'x');
    const before = hashTree(out);
    const drift = runCli(['--spec', spec, '--out', out, '--check']);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('changed: src/types.ts');
    expect(drift.stderr).toContain('extra: stray.txt');
    expect(hashTree(out)).toEqual(before);
  });

  it('reads codegen.config.json from the working directory when run with no flags', () => {
    const dir = tmpDir('config');
    fs.copyFileSync(path.join(FIXTURES, 'core/semantics.yaml'), path.join(dir, 'api.yaml'));
    writeFile(dir, 'codegen.config.json', JSON.stringify({ specs: ['api.yaml'], out: 'gen/api', name: '@acme/api' }));
    const result = runCli([], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'gen/api/package.json'), 'utf8')).name).toBe('@acme/api');
  });
});
