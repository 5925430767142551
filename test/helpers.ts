import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = path.resolve(ROOT, '../shared');
export const PLAID_SPEC = path.join(SHARED, 'specs/plaid/2020-09-14.yml');
export const SEEDS = path.join(SHARED, 'seeds');
export const FIXTURES = path.join(ROOT, 'test/fixtures');
export const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/** The seed file whose name starts with the given number, e.g. seed('001'). */
export function seed(prefix: string): string {
  const name = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix + '_'));
  if (!name) throw new Error(`no seed ${prefix} in ${SEEDS}`);
  return path.join(SEEDS, name);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (`npm test` builds dist/ first). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/codegen.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh, empty folder under test/.tmp (ignored by git). */
export function tmpDir(name: string): string {
  const dir = path.join(ROOT, 'test/.tmp', `${name}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** `tsc --noEmit -p DIR` (the generated package's own strict tsconfig). */
export function typecheck(dir: string, extra: string[] = []): { code: number; output: string } {
  const result = spawnSync(process.execPath, [TSC, '-p', dir, '--noEmit', ...extra], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

/** Path -> sha256 of every file below a folder, for byte-for-byte comparisons. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out[child] = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, child))).digest('hex');
    }
  };
  walk('');
  return out;
}

export function writeFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}
