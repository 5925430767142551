import path from 'node:path';
import { emitAll } from './emit/index.js';
import type { EmitTarget, OutputFile } from './emit/output.js';
import { loadInputs } from './load/index.js';
import type { ApiModel } from './model/types.js';
import { buildModel } from './normalize/index.js';
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
}

/** Loads, normalizes, emits, formats, then writes or checks. Nothing is written until every phase succeeded. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
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
  const emitted = await emitAll(model, { packageName: options.name, emit: options.emit }, time);
  const files = await time('format', () => formatFiles(emitted, { prettierCode: options.prettier ?? false }));
  const outDir = path.resolve(cwd, options.out);
  let drift: string[] | undefined;
  if (options.check) drift = await time('check', () => compareTree(outDir, files));
  else await time('write', () => writeTree(outDir, files));
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  return { model, files, bytes, timings, drift };
}

export async function inspect(specs: string[], cwd?: string): Promise<ApiModel> {
  return buildModel(await loadInputs(specs, cwd));
}
