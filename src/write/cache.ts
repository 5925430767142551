import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The incremental cache: values keyed by a hash of the content they were computed from, stored as
 * JSON files in an ignored folder (`node_modules/.cache/codegen`, or `.cache/codegen` where there is
 * no node_modules; `CODEGEN_CACHE_DIR` overrides). Only pure functions of their key are cached, so a
 * stale or foreign entry cannot be wrong, only missing; a corrupt one is a miss. Several processes
 * may share the folder: every write is a rename of a complete file.
 */
export interface Cache {
  readonly dir: string;
  get<T>(namespace: string, key: string): T | undefined;
  set(namespace: string, key: string, value: unknown): void;
  /** `fn()` unless a value for the key is stored. */
  memo<T>(namespace: string, key: string, fn: () => T): T;
  readonly stats: { hits: number; misses: number; writes: number };
}

/** Cached data stays below this; the oldest entries go first. */
const MAX_BYTES = 512 * 1024 * 1024;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export function hashKey(...parts: (string | Buffer)[]): string {
  const h = crypto.createHash('sha256');
  for (const part of parts) {
    h.update(String(Buffer.byteLength(part)));
    h.update(':');
    h.update(part);
  }
  return h.digest('hex');
}

export function defaultCacheDir(cwd: string): string {
  if (process.env.CODEGEN_CACHE_DIR) return path.resolve(cwd, process.env.CODEGEN_CACHE_DIR);
  return fs.existsSync(path.join(cwd, 'node_modules')) ? path.join(cwd, 'node_modules/.cache/codegen') : path.join(cwd, '.cache/codegen');
}

export function openCache(dir: string): Cache {
  const stats = { hits: 0, misses: 0, writes: 0 };
  const file = (namespace: string, key: string) => path.join(dir, namespace, key.slice(0, 2), `${key}.json`);
  let pruned = false;
  const cache: Cache = {
    dir,
    stats,
    get<T>(namespace: string, key: string): T | undefined {
      try {
        const value = JSON.parse(fs.readFileSync(file(namespace, key), 'utf8')) as { v: T };
        stats.hits++;
        return value.v;
      } catch {
        stats.misses++;
        return undefined;
      }
    },
    set(namespace: string, key: string, value: unknown): void {
      const target = file(namespace, key);
      const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      try {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(tmp, JSON.stringify({ v: value }));
        fs.renameSync(tmp, target);
        stats.writes++;
      } catch {
        // A cache that cannot be written (read-only folder, full disk) only makes the next run slower.
        fs.rmSync(tmp, { force: true });
      }
      if (!pruned) {
        pruned = true;
        pruneIfDue(dir);
      }
    },
    memo<T>(namespace: string, key: string, fn: () => T): T {
      const hit = cache.get<T>(namespace, key);
      if (hit !== undefined) return hit;
      const value = fn();
      cache.set(namespace, key, value);
      return value;
    },
  };
  return cache;
}

/** Drops the least recently written entries once the folder outgrows MAX_BYTES; checked at most hourly. */
function pruneIfDue(dir: string): void {
  const stamp = path.join(dir, '.pruned');
  try {
    if (Date.now() - fs.statSync(stamp).mtimeMs < PRUNE_EVERY_MS) return;
  } catch {
    // never pruned
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(stamp, '');
    const entries: { file: string; size: number; mtime: number }[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.json')) {
          const st = fs.statSync(p);
          entries.push({ file: p, size: st.size, mtime: st.mtimeMs });
        }
      }
    };
    walk(dir);
    let total = entries.reduce((n, e) => n + e.size, 0);
    entries.sort((a, b) => a.mtime - b.mtime);
    for (const e of entries) {
      if (total <= MAX_BYTES * 0.75) break;
      fs.rmSync(e.file, { force: true });
      total -= e.size;
    }
  } catch {
    // best effort
  }
}

const scope = new AsyncLocalStorage<Cache>();

/** Runs `fn` with `cache` as the cache of every phase it calls (loaders, emitters, formatting). */
export function withCache<T>(cache: Cache | undefined, fn: () => T): T {
  return cache ? scope.run(cache, fn) : fn();
}

/** The cache of the generation in progress, if caching is on. */
export function activeCache(): Cache | undefined {
  return scope.getStore();
}

/**
 * Formats files through `format`, skipping those formatted before: prettier on a README or a
 * changelog costs more than emitting all the types of a large spec, and rarely has new input.
 */
export async function formatWithCache<F extends { path: string; content: string }>(
  files: F[],
  salt: string,
  format: (files: F[]) => Promise<F[]>,
): Promise<F[]> {
  const cache = activeCache();
  if (!cache) return format(files);
  const keys = files.map((f) => hashKey(salt, path.extname(f.path), f.content));
  const out: (F | undefined)[] = files.map((f, i) => {
    // `true` stands for "formatting leaves it as it is" (code when prettier is off): no copy kept.
    const hit = cache.get<string | true>('format', keys[i]);
    return hit === undefined ? undefined : hit === true ? f : { ...f, content: hit };
  });
  const missing = files.filter((_, i) => out[i] === undefined);
  if (missing.length) {
    const formatted = await format(missing);
    let j = 0;
    files.forEach((f, i) => {
      if (out[i] !== undefined) return;
      const done = formatted[j++];
      out[i] = done;
      cache.set('format', keys[i], done.content === f.content ? true : done.content);
    });
  }
  return out as F[];
}

let fingerprint: string | undefined;

/**
 * A hash of codegen's own code and templates: part of the key of anything whose value depends on
 * how codegen works (emitted files), so that a new codegen never reuses an old one's output.
 */
export function codegenFingerprint(): string {
  if (fingerprint) return fingerprint;
  // The folder the running code is in (dist/, or src/ under a test runner), and the templates.
  const code = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const root = path.dirname(code);
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|hbs|json|md|ts)$/.test(e.name) && !e.name.endsWith('.map')) h.update(`${path.relative(root, p)}\0`).update(fs.readFileSync(p)).update('\0');
    }
  };
  walk(code);
  walk(path.join(root, 'templates'));
  fingerprint = h.digest('hex');
  return fingerprint;
}

/**
 * Memoized pieces of one generated file (one declaration each), kept together in one cache entry
 * per file and API: a spec update that changes one schema re-renders one piece, and reads and
 * writes one entry, not thousands. `identity` names the file and the API, so that projects
 * sharing a cache folder do not evict each other's pieces.
 */
export interface Pieces {
  memo(key: string, render: () => string): string;
  /** Stores the pieces used this run (and only those). */
  save(): void;
}

export function openPieces(namespace: string, identity: string[]): Pieces {
  const cache = activeCache();
  if (!cache) return { memo: (_key, render) => render(), save: () => undefined };
  const packKey = hashKey(namespace, codegenFingerprint(), ...identity);
  const stored = cache.get<Record<string, string>>(namespace, packKey) ?? {};
  const used: Record<string, string> = {};
  let misses = 0;
  return {
    memo(key, render) {
      let text = Object.prototype.hasOwnProperty.call(stored, key) ? stored[key] : undefined;
      if (text === undefined) {
        text = render();
        misses++;
      }
      used[key] = text;
      return text;
    },
    save() {
      if (misses > 0 || Object.keys(used).length !== Object.keys(stored).length) cache.set(namespace, packKey, used);
    },
  };
}
