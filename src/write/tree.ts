import fs from 'node:fs/promises';
import path from 'node:path';
import type { OutputFile } from '../emit/output.js';

/** Folders a user or a build puts inside the output folder; a regeneration keeps them and `--check` ignores them. */
const KEPT = new Set(['node_modules', 'dist']);

/**
 * Writes the whole package into a temporary sibling folder, then swaps it in with two renames, so a
 * failure at any point leaves the previous output as it was.
 */
export async function writeTree(outDir: string, files: OutputFile[]): Promise<void> {
  const parent = path.dirname(path.resolve(outDir));
  await fs.mkdir(parent, { recursive: true });
  const base = path.basename(outDir);
  const tmp = path.join(parent, `.${base}.tmp-${process.pid}`);
  const old = path.join(parent, `.${base}.old-${process.pid}`);
  await fs.rm(tmp, { recursive: true, force: true });
  try {
    const dirs = new Set(files.map((f) => path.dirname(path.join(tmp, f.path))));
    for (const dir of [...dirs].sort()) await fs.mkdir(dir, { recursive: true });
    for (let i = 0; i < files.length; i += 256) await Promise.all(files.slice(i, i + 256).map((f) => fs.writeFile(path.join(tmp, f.path), f.content))); // bounded: per-schema modules make 20,000+ files (microsoft graph), past the open-file limit
    const existing = await exists(outDir);
    if (existing) {
      for (const kept of KEPT) {
        if (await exists(path.join(outDir, kept))) await fs.rename(path.join(outDir, kept), path.join(tmp, kept));
      }
      await fs.rename(outDir, old);
    }
    await fs.rename(tmp, outDir);
    if (existing) await fs.rm(old, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Files that differ between the output folder and what would be written: changed, missing or extra. */
export async function compareTree(outDir: string, files: OutputFile[]): Promise<string[]> {
  const drift: string[] = [];
  const expected = new Map(files.map((f) => [f.path, f.content]));
  const actual = await listFiles(outDir);
  for (const [file, content] of expected) {
    if (!actual.has(file)) drift.push(`missing: ${file}`);
    else if ((await fs.readFile(path.join(outDir, file), 'utf8')) !== content) drift.push(`changed: ${file}`);
  }
  for (const file of actual) if (!expected.has(file)) drift.push(`extra: ${file}`);
  return drift.sort();
}

async function listFiles(root: string, prefix = ''): Promise<Set<string>> {
  const out = new Set<string>();
  let entries;
  try {
    entries = await fs.readdir(path.join(root, prefix), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!prefix && KEPT.has(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const f of await listFiles(root, rel)) out.add(f);
    else out.add(rel);
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
