import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, hashTree, ROOT, tmpDir } from '../helpers.js';

const V1 = fs.readFileSync(path.join(FIXTURES, 'diff/ledger-v1.yaml'), 'utf8');

/** `codegen generate --watch` as a user runs it, in its own process, driven by editing its input. */
describe('generate --watch', () => {
  let dir: string;
  let spec: string;
  let out: string;
  let child: ChildProcess;
  let stderr = '';
  let exit: Promise<number | null>;

  const until = async (what: string, ok: () => boolean, timeoutMs = 60_000) => {
    const start = Date.now();
    while (!ok()) {
      if (Date.now() - start > timeoutMs || child.exitCode !== null) throw new Error(`${child.exitCode !== null ? `exited ${child.exitCode}` : 'timed out'} waiting for ${what}; stderr so far:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const count = (text: string) => stderr.split(text).length - 1;
  // The output folder is swapped in with two renames; between them it is briefly absent.
  const types = () => {
    try {
      return fs.readFileSync(path.join(out, 'src/types.ts'), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw error;
    }
  };

  beforeAll(async () => {
    dir = tmpDir('watch');
    spec = path.join(dir, 'ledger.yaml');
    out = path.join(dir, 'out');
    fs.writeFileSync(spec, V1);
    child = spawn(process.execPath, [path.join(ROOT, 'bin/codegen.js'), 'generate', '--spec', spec, '--out', out, '--name', 'ledger', '--emit', 'types', '--quiet', '--watch'], {
      cwd: ROOT,
      env: { ...process.env, CODEGEN_CACHE_DIR: path.join(dir, 'cache'), CODEGEN_WATCH_DEBOUNCE_MS: '300' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await until('the first generation', () => stderr.includes('watching 1 input(s)'));
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('generates at start', () => {
    expect(types()).toContain('export interface LegacyThing');
  });

  it('regenerates when the input changes', async () => {
    fs.writeFileSync(spec, V1.replace('    LegacyThing:\n', '    WatchedThing:\n      type: string\n    LegacyThing:\n'));
    await until('the regeneration', () => count('changed, regenerating') === 1 && fs.existsSync(path.join(out, 'src/types.ts')) && types().includes('WatchedThing'));
  });

  it('regenerates once for a burst of saves (debounced)', async () => {
    const before = count('changed, regenerating');
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(spec, V1.replace('    LegacyThing:\n', `    Burst${i}:\n      type: string\n    LegacyThing:\n`));
      await new Promise((r) => setTimeout(r, 20));
    }
    await until('the burst regeneration', () => types().includes('Burst4'));
    // Give a second (wrong) regeneration time to show up.
    await new Promise((r) => setTimeout(r, 1500));
    expect(count('changed, regenerating')).toBe(before + 1);
    expect(types()).not.toContain('Burst3');
  });

  it('keeps the previous output on a bad input and says why', async () => {
    const before = hashTree(out);
    fs.writeFileSync(spec, 'openapi: 3.0.0\ninfo:\n  title: x\n   version: 1\npaths: {}\n');
    await until('the error report', () => stderr.includes('(keeping the previous output)'));
    expect(stderr).toMatch(/ledger\.yaml:4: malformed YAML: .* \(keeping the previous output\)/);
    expect(hashTree(out)).toEqual(before);
    expect(child.exitCode).toBeNull();
  });

  it('recovers when the input is fixed, and stops on SIGINT', async () => {
    fs.writeFileSync(spec, V1.replace('    LegacyThing:\n', '    Recovered:\n      type: string\n    LegacyThing:\n'));
    await until('the recovery', () => types().includes('Recovered'));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  });
});
