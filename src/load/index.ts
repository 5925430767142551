import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputError } from './errors.js';
import type { InputFormat, RawInput } from './inputs.js';
import { openapiFormat } from './openapi.js';
import { extraFormats } from './registry.js';

export type { RawInput, InputFormat } from './inputs.js';

/** Formats in the order they are tried: specific text formats first, plain OpenAPI last but one. */
export function inputFormats(): InputFormat[] {
  return [...extraFormats.filter((f) => f.priority === 'before-openapi'), openapiFormat, ...extraFormats.filter((f) => f.priority !== 'before-openapi')];
}

/** Expands globs (sorted, so the merge order is stable) and keeps explicit files in the order given. */
export async function resolveInputPaths(patterns: string[], cwd = process.cwd()): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    // A file whose name looks like a glob (`Orders-API-(v2).json`) is that file.
    if (isDynamicPattern(pattern) && !existsSync(path.resolve(cwd, pattern))) {
      const matches = (await glob(pattern, { cwd, onlyFiles: true })).sort();
      if (matches.length === 0) throw new InputError(`no input matches the pattern ${JSON.stringify(pattern)}`);
      files.push(...matches.map((m) => path.relative(cwd, path.resolve(cwd, m))));
    } else {
      files.push(pattern);
    }
  }
  return [...new Set(files)];
}

export async function loadInput(file: string): Promise<RawInput[]> {
  let text: string;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw new InputError('is a directory, expected a spec file (use a glob such as dir/*.yaml)', { file });
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`, { file });
  }
  if (text.trim() === '') throw new InputError('the file is empty', { file });
  for (const format of inputFormats()) {
    if (format.detect(file, text)) return format.load(file, text);
  }
  // Nothing claimed it: a structured file is parsed so that malformed YAML/JSON gets its own message.
  if (/\.(ya?ml|json)$/i.test(file)) {
    const { parseStructured } = await import('./parse.js');
    const { bundleOpenApi } = await import('./openapi.js');
    return [await bundleOpenApi(file, parseStructured(text, file))];
  }
  throw new InputError('unrecognized input: not an OpenAPI document, scope manifest, reference page or scope table', { file });
}

export async function loadInputs(patterns: string[], cwd?: string): Promise<RawInput[]> {
  const files = await resolveInputPaths(patterns, cwd);
  if (files.length === 0) throw new InputError('no input: pass --spec or set "specs" in codegen.config.json');
  const loaded = await Promise.all(files.map((file) => loadInput(file)));
  return loaded.flat();
}
