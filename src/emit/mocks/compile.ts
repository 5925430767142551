import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { emitters } from '../index.js';
import { emitMocks } from './index.js';
import { transformSync } from 'esbuild';
import type { EmitTarget, OutputFile } from '../output.js';
import type { ApiModel } from '../../model/types.js';

/**
 * Runs the generated mocks straight from a model, for `codegen mock`: the same emitters as
 * `codegen generate` write the validators, scopes and mocks modules, esbuild strips their types in
 * memory (no type check: the generated package's own tests do that), and the JavaScript lands in a cache folder keyed by the inputs, so a second
 * start skips loading, emitting and transpiling altogether.
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

/** Emits, transpiles, caches and imports the mock modules of a model. */
export async function buildMocks(model: ApiModel, cacheDir: string, key: string, time: Timer = (_phase, fn) => fn()): Promise<MockModules> {
  const available = new Set(emitters().map(([target]) => target));
  const emit = TARGETS.filter((t) => available.has(t));
  const files: OutputFile[] = [];
  const options = { packageName: 'codegen-mock', emit };
  for (const [target, emitter] of emitters()) {
    if (!emit.includes(target)) continue;
    // The mocks' own big files come as JavaScript already; everything else is stripped of types.
    files.push(...(await time(`emit ${target}`, () => (target === 'mocks' ? emitMocks(model, options, 'js') : emitter(model, options)))));
  }
  const dir = path.join(cacheDir, key);
  const staging = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, 'package.json'), '{ "type": "module", "private": true }\n');
  await time('strip types', () => {
    for (const file of files) {
      if (!file.path.startsWith('src/') || !/\.[jt]s$/.test(file.path) || SKIP.test(file.path)) continue;
      const out = path.join(staging, file.path.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, file.path.endsWith('.js') ? file.content : toJavaScript(file.content, file.path));
    }
  });
  fs.writeFileSync(path.join(staging, 'complete'), '');
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } catch {
    // Another process cached the same key first: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return time('import', () => importModules(dir, false));
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
