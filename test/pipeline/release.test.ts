import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, hashTree, runCli, tmpDir, writeFile } from '../helpers.js';

const V1 = path.join(FIXTURES, 'diff/ledger-v1.yaml');
const V2 = path.join(FIXTURES, 'diff/ledger-v2.yaml');

/**
 * One output folder through a series of spec updates, as a build pipeline would see it: each
 * generation compares with the snapshot the folder keeps, prints one line, bumps the version and
 * adds a CHANGELOG entry; a regeneration of unchanged inputs changes nothing.
 */
describe('generate across spec versions', () => {
  let dir: string;
  let out: string;
  const env = () => ({ CODEGEN_CACHE_DIR: path.join(dir, 'cache') });
  const gen = (spec: string, ...extra: string[]) => runCli(['generate', '--spec', spec, '--out', out, '--name', '@acme/ledger', '--emit', 'types,package', ...extra], { env: env() });
  const version = () => (JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { version: string }).version;
  const changelog = () => fs.readFileSync(path.join(out, 'CHANGELOG.md'), 'utf8');

  beforeAll(() => {
    dir = tmpDir('release');
    out = path.join(dir, 'ledger');
  });

  it('starts at 0.1.0 with a changelog and a snapshot of the API', () => {
    const result = gen(V1);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('codegen: first generation, version 0.1.0');
    expect(version()).toBe('0.1.0');
    expect(changelog()).toMatch(/^# Changelog\n/);
    expect(changelog()).toContain('## 0.1.0\n\nFirst generation, from Ledger API 2024-01-01_1.0: 6 operations, 15 schemas.');
    const snapshot = fs.readFileSync(path.join(out, '.codegen/model.jsonl'), 'utf8').trim().split('\n');
    // A header, then one line per schema, per operation and per scope catalog (the OAuth scheme's).
    expect(snapshot).toHaveLength(1 + 15 + 6 + 1);
    expect(snapshot.every((line) => JSON.parse(line))).toBe(true);
    // Documentation stays out of the snapshot; a hash stands for it.
    expect(snapshot.join('\n')).not.toContain('A bank account.');
  });

  it('regenerates unchanged inputs byte for byte, and --check agrees', () => {
    const before = hashTree(out);
    const result = gen(V1);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('codegen: no API changes since the previous generation (version 0.1.0)');
    expect(hashTree(out)).toEqual(before);
    expect(gen(V1, '--check').code).toBe(0);
  });

  it('--check on a new spec version reports drift and the version it would become, and writes nothing', () => {
    const before = hashTree(out);
    const result = gen(V2, '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('codegen: the inputs changed since that generation: 25 breaking, 10 additions, 7 other changes (major); regenerating makes it version 1.0.0');
    expect(hashTree(out)).toEqual(before);
  });

  it('a breaking update bumps the major version and lists breaking changes first in the changelog', () => {
    const result = gen(V2, '--json');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { release: { previousVersion: string; version: string; summary: { bump: string; breaking: number }; changes: { kind: string }[] } };
    expect(summary.release.previousVersion).toBe('0.1.0');
    expect(summary.release.version).toBe('1.0.0');
    expect(summary.release.summary).toMatchObject({ bump: 'major', breaking: 25 });
    expect(version()).toBe('1.0.0');
    const text = changelog();
    expect(text.indexOf('## 1.0.0')).toBeGreaterThan(0);
    expect(text.indexOf('## 1.0.0')).toBeLessThan(text.indexOf('## 0.1.0'));
    const entry = text.slice(text.indexOf('## 1.0.0'), text.indexOf('## 0.1.0'));
    expect(entry).toContain('(previous version 0.1.0): 25 breaking, 10 additions, 7 other changes (major).');
    expect(entry.indexOf('### Breaking changes')).toBeLessThan(entry.indexOf('### Added'));
    expect(entry.indexOf('### Added')).toBeLessThan(entry.indexOf('### Other changes'));
    expect(entry).toContain('- schema AccountType: enum value "investment" added: code handling every known value must handle it');
    expect(entry).toContain('- POST /accounts/get (accountsGet): security oauth(accounts:read) -\\> oauth(accounts:read accounts:write)');
  });

  it('an additive update is a minor bump, a documentation-only one a patch; the changelog grows only then', () => {
    const dir2 = tmpDir('release-specs');
    const v2text = fs.readFileSync(V2, 'utf8');
    const additive = writeFile(dir2, 'v3.yaml', v2text.replace('        request_id:\n          type: string\n', '        request_id:\n          type: string\n        next_cursor:\n          type: string\n'));
    let result = gen(additive);
    expect(result.stderr).toContain('codegen: since the previous generation: 0 breaking, 1 addition, 0 other changes (minor); version 1.0.0 -> 1.1.0 (see CHANGELOG.md)');
    expect(version()).toBe('1.1.0');
    expect(changelog()).toContain('- schema AccountsGetResponse: next_cursor: optional property added');

    const docs = writeFile(dir2, 'v4.yaml', fs.readFileSync(additive, 'utf8').replace('description: A bank account.', 'description: A bank account at a financial institution.'));
    result = gen(docs);
    expect(result.stderr).toContain('(patch); version 1.1.0 -> 1.1.1');
    expect(changelog()).toContain('- documentation: descriptions or examples changed');
    const after = changelog();
    expect(gen(docs).stderr).toContain('no API changes since the previous generation (version 1.1.1)');
    expect(changelog()).toBe(after);
    expect(after.match(/^## /gm)).toHaveLength(4);
  });

  it('dropping an entry point is breaking', () => {
    const dir2 = tmpDir('release-entries');
    const target = path.join(dir2, 'pkg');
    const run = (emit: string) => runCli(['generate', '--spec', V1, '--out', target, '--name', 'x', '--emit', emit], { env: env() });
    expect(run('types,validators').code).toBe(0);
    const result = run('types');
    expect(result.stderr).toContain('1 breaking');
    expect(fs.readFileSync(path.join(target, 'CHANGELOG.md'), 'utf8')).toContain('entry point validators: entry point removed');
  });
});
