import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { emitters } from '../index.js';
import { emitMocks } from './index.js';
import { lazyValidators } from './lazy-validators.js';
import { transformSync } from 'esbuild';
import type { EmitTarget, OutputFile } from '../output.js';
import type { ApiModel } from '../../model/types.js';

/**
 * Runs the generated mocks straight from a model, for `codegen mock`. Two ways:
 * - from the cache: a previous run left the JavaScript of the validators, scopes and mocks modules
 *   in a folder keyed by the inputs; importing it skips loading, emitting and transpiling;
 * - cold: the same emitters as `codegen generate` write the scopes and mocks modules, esbuild
 *   strips their types in memory (no type check: the generated package's own tests do that), and
 *   the validators are compiled per operation on first use (lazy-validators.ts). Once the server
 *   answers, a worker thread fills the cache for the next start.
 */

/** What the server needs at run time; types, the client and the MSW adapter are left out. */
const TARGETS: EmitTarget[] = ['validators', 'scopes', 'mocks'];
const SKIP = /^src\/(types|index|mocks|client)\.ts$|^src\/client\/|^src\/mocks\/msw\.ts$/;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface MockModules {
  /** `startMockServer(api, options)` from the generated src/mocks/server.ts. */
  startMockServer: (api: unknown, options: object) => Promise<{ url: string; close(): Promise<void>; engine: unknown }>;
  api: { spec: { title: string; operations: unknown[] } };
  /** Folder of the transpiled modules. */
  dir: string;
  cached: boolean;
}

/** The cache key: the input files' bytes and codegen's own build (dist and templates). */
export function mockCacheKey(files: string[]): string {
  const h = crypto.createHash('sha256');
  for (const file of files) h.update(file).update('\0').update(fs.readFileSync(file)).update('\0');
  for (const dir of ['dist', 'templates']) stampTree(path.join(ROOT, dir), h);
  return h.digest('hex').slice(0, 32);
}

function stampTree(dir: string, h: crypto.Hash): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) stampTree(full, h);
    else if (!entry.name.endsWith('.map')) {
      const stat = fs.statSync(full);
      h.update(`${full}:${stat.size}:${stat.mtimeMs}\n`);
    }
  }
}

/** CODEGEN_MOCK_CACHE, else a folder in the system's temporary directory. */
export function defaultMockCacheDir(): string {
  return process.env.CODEGEN_MOCK_CACHE || path.join(os.tmpdir(), 'codegen-mock');
}

/** Loads cached modules for `key`, if a previous run left them. */
export async function loadCachedMocks(cacheDir: string, key: string): Promise<MockModules | undefined> {
  const dir = path.join(cacheDir, key);
  if (!fs.existsSync(path.join(dir, 'complete'))) return undefined;
  return importModules(dir, true);
}

/**
 * Cold start: emits and strips the scopes and mocks modules into a folder of this process (removed
 * by `dispose`), imports them, and gives the engine validators compiled per operation on first use.
 */
export async function startLazyMocks(model: ApiModel, cacheDir: string, time: Timer = (_phase, fn) => fn()): Promise<MockModules & { dispose(): void }> {
  const files = await emitRuntime(model, TARGETS.filter((t) => t !== 'validators'), time);
  const dir = path.join(cacheDir, `run.${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  await time('strip types', () => writeJavaScript(files, dir));
  const modules = await time('import', () => importModules(dir, false));
  const debug = process.env.DEBUG?.includes('codegen') ?? false;
  const onCompile = debug ? (op: string, ms: number) => process.stderr.write(`  validators of ${op} compiled in ${ms.toFixed(0)} ms\n`) : undefined;
  const api = { ...modules.api, validators: lazyValidators(model, onCompile) };
  return { ...modules, api, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Emits, transpiles and caches every mock module of a model (validators included), then imports them unless told not to. */
export async function buildMocks(model: ApiModel, cacheDir: string, key: string, time: Timer = (_phase, fn) => fn(), load = true): Promise<MockModules | undefined> {
  const files = await emitRuntime(model, TARGETS, time);
  const dir = path.join(cacheDir, key);
  const staging = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  await time('strip types', () => writeJavaScript(files, staging));
  fs.writeFileSync(path.join(staging, 'complete'), '');
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } catch {
    // Another process cached the same key first: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return load ? time('import', () => importModules(dir, false)) : undefined;
}

/**
 * Fills the cache for `key` in a worker thread, which loads the inputs itself (cloning a big model
 * across threads would cost the serving thread more than the worker's own load). Unreferenced: a
 * server that stops first just leaves the cache to a later run.
 */
export function fillCacheInBackground(specs: string[], cacheDir: string, key: string): Promise<boolean> {
  const worker = new Worker(new URL('./cache-worker.js', import.meta.url), { workerData: { specs, cacheDir, key } });
  worker.unref();
  return new Promise((resolve) => {
    worker.once('message', () => resolve(true));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
}

/**
 * Removes what runs killed before they could clean up left behind: `run.PID-*` folders and
 * `KEY.tmp-PID-*` staging folders of processes that no longer exist.
 */
export function sweepCache(cacheDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^run\.(\d+)-|\.tmp-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1] ?? m[2]);
    if (pid === process.pid || alive(pid)) continue;
    fs.rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The files of the wanted emitters that exist; the mocks' own big files come as JavaScript already, the rest are stripped of types later. */
async function emitRuntime(model: ApiModel, wanted: EmitTarget[], time: Timer): Promise<OutputFile[]> {
  const available = new Set(emitters().map(([target]) => target));
  const emit = wanted.filter((t) => available.has(t));
  const options = { packageName: 'codegen-mock', emit };
  const files: OutputFile[] = [];
  for (const [target, emitter] of emitters()) {
    if (!emit.includes(target)) continue;
    files.push(...(await time(`emit ${target}`, () => (target === 'mocks' ? emitMocks(model, options, 'js') : emitter(model, options)))));
  }
  return files;
}

/** Writes the package's runtime modules as JavaScript under `dir` (types stripped, JS files as they are). */
function writeJavaScript(files: OutputFile[], dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  for (const file of files) {
    if (!file.path.startsWith('src/') || !/\.[jt]s$/.test(file.path) || SKIP.test(file.path)) continue;
    const out = path.join(dir, file.path.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, file.path.endsWith('.js') ? file.content : toJavaScript(file.content, file.path));
  }
}

/** Runs a phase and reports its duration (for `DEBUG=codegen`). */
export type Timer = <T>(phase: string, fn: () => T) => T | Promise<T>;

/**
 * Type stripping by esbuild: no type check, no module rewriting (imports already end in `.js`).
 * On the full Plaid spec it strips the 4.7 MB of validators in about 0.5 s, where the TypeScript
 * compiler's transpileModule takes about 9 s.
 */
export function toJavaScript(source: string, fileName: string): string {
  return transformSync(source, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: fileName }).code;
}

async function importModules(dir: string, cached: boolean): Promise<MockModules> {
  const server = (await import(pathToFileURL(path.join(dir, 'src/mocks/server.js')).href)) as Pick<MockModules, 'startMockServer'>;
  const api = (await import(pathToFileURL(path.join(dir, 'src/mocks/api.js')).href)) as Pick<MockModules, 'api'>;
  return { startMockServer: server.startMockServer, api: api.api, dir, cached };
}
