import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { planRelease, type Release } from './diff/release.js';
import { readSnapshot, SNAPSHOT_FILE } from './diff/snapshot.js';
import { emitAll, emitters } from './emit/index.js';
import type { EmitTarget, OutputFile } from './emit/output.js';
import { renderChangelog } from './emit/package/changelog.js';
import { emitPackage } from './emit/package/index.js';
import { loadInputs } from './load/index.js';
import type { ApiModel } from './model/types.js';
import { buildModel } from './normalize/index.js';
import { codegenFingerprint, defaultCacheDir, formatWithCache, hashKey, openCache, withCache, type Cache } from './write/cache.js';
import { formatFiles } from './write/format.js';
import { compareTree, writeTree } from './write/tree.js';

export interface GenerateOptions {
  specs: string[];
  out: string;
  name: string;
  emit: EmitTarget[];
  prettier?: boolean;
  /** Compare with the output folder instead of writing. */
  check?: boolean;
  cwd?: string;
  /** Version of a first generation (default 0.1.0); later generations bump the previous one. */
  version?: string;
  /** Incremental cache folder, or false for none. Default: node_modules/.cache/codegen (see write/cache.ts). */
  cache?: string | false;
  /** Options of the validators emitter (codegen.config.json `validators`). */
  validators?: import('./config/index.js').ValidatorsOptions;
  /** Called when a phase ends, for progress lines. */
  onPhase?: (phase: string, ms: number) => void;
}

export interface PhaseTiming {
  phase: string;
  ms: number;
}

export interface GenerateResult {
  model: ApiModel;
  files: OutputFile[];
  bytes: number;
  timings: PhaseTiming[];
  /** With `check`: what differs (empty when up to date). */
  drift?: string[];
  /** What changed since the output folder's previous generation, and the version it implies. */
  release: Release;
  cache?: Cache['stats'];
}

/** Files whose content follows from the version or the history, not from the model alone. */
const HISTORY_FILES = new Set(['package.json', 'CHANGELOG.md', SNAPSHOT_FILE]);

/** Loads, normalizes, emits, formats, then writes or checks. Nothing is written until every phase succeeded. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const cache = options.cache === false ? undefined : openCache(options.cache ?? defaultCacheDir(cwd));
  return withCache(cache, () => run(options, cwd, cache));
}

async function run(options: GenerateOptions, cwd: string, cache: Cache | undefined): Promise<GenerateResult> {
  const timings: PhaseTiming[] = [];
  const time = async <T>(phase: string, fn: () => T): Promise<Awaited<T>> => {
    const start = performance.now();
    const value = await fn();
    const ms = performance.now() - start;
    timings.push({ phase, ms });
    options.onPhase?.(phase, ms);
    return value;
  };

  const inputs = await time('load', () => loadInputs(options.specs, cwd));
  const model = await time('normalize', () => buildModel(inputs));
  const outDir = path.resolve(cwd, options.out);
  const previous = await readSnapshot(outDir);
  const baseVersion = previous?.version ?? options.version ?? (await readVersion(outDir)) ?? '0.1.0';
  const available = new Set(emitters().map(([target]) => target));
  const emitOptions = { packageName: options.name, emit: options.emit.filter((t) => available.has(t)), version: baseVersion, validators: options.validators };
  // Each emitter's files, keyed by the whole model, the options and codegen's own code: a
  // regeneration of unchanged inputs (a watch touch, a CI re-run) skips emitting altogether.
  let modelKey: string | undefined;
  const emitTime = <T>(phase: string, fn: () => T): Promise<Awaited<T>> => {
    if (!cache || !phase.startsWith('emit ')) return time(phase, fn);
    modelKey ??= hashKey(codegenFingerprint(), JSON.stringify({ ...emitOptions, version: undefined }), JSON.stringify(model));
    // Only the package emitter writes the version (package.json): a version bump keeps the others' entries.
    const key = hashKey(modelKey, phase, phase === 'emit package' ? emitOptions.version : '');
    return time(phase, async () => {
      const hit = cache.get<Awaited<T>>('emit', key);
      if (hit !== undefined) return hit;
      const value = await fn();
      cache.set('emit', key, value);
      return value;
    });
  };
  let emitted = await emitAll(model, emitOptions, emitTime);

  const release = await time('diff', () =>
    planRelease(previous, model, {
      outputHash: hashFiles(emitted.filter((f) => !HISTORY_FILES.has(f.path))),
      entries: emitOptions.emit.filter((t) => t !== 'package'),
      initialVersion: baseVersion,
    }),
  );
  if (release.version !== baseVersion) {
    const bumped = emitPackage(model, { ...emitOptions, version: release.version }).find((f) => f.path === 'package.json');
    emitted = emitted.map((f) => (f.path === 'package.json' && bumped ? bumped : f));
  }
  const changelog = renderChangelog(await readText(path.join(outDir, 'CHANGELOG.md')), model, release, options.name);
  emitted = [...emitted.filter((f) => !HISTORY_FILES.has(f.path) || f.path === 'package.json'), { path: 'CHANGELOG.md', content: changelog }, { path: SNAPSHOT_FILE, content: release.snapshot }];
  emitted.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const prettierCode = options.prettier ?? false;
  const files = await time('format', () => formatWithCache(emitted, `prettier:${prettierCode}`, (list) => formatFiles(list, { prettierCode })));
  let drift: string[] | undefined;
  if (options.check) drift = await time('check', () => compareTree(outDir, files));
  else await time('write', () => writeTree(outDir, files));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  return { model, files, bytes, timings, drift, release, cache: cache ? { ...cache.stats } : undefined };
}

function hashFiles(files: OutputFile[]): string {
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.content}\0`);
  return h.digest('hex');
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The version in an output folder generated before snapshots existed, so that it keeps counting up. */
async function readVersion(outDir: string): Promise<string | undefined> {
  const text = await readText(path.join(outDir, 'package.json'));
  try {
    const version = text ? (JSON.parse(text) as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

export async function inspect(specs: string[], cwd?: string): Promise<ApiModel> {
  return buildModel(await loadInputs(specs, cwd));
}
