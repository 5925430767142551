import type { ApiModel } from '../model/types.js';
import type { Emitter, EmitOptions, EmitTarget, OutputFile } from './output.js';
import { emitPackage } from './package/index.js';
import { emitTypes } from './types/index.js';
import { extraEmitters } from './registry.js';

/** Emitters in output order; each reads only the model. `package` always runs (it needs the others' entry list). */
export function emitters(): [EmitTarget, Emitter][] {
  return [['types', emitTypes], ...extraEmitters, ['package', emitPackage]];
}

export async function emitAll(model: ApiModel, options: EmitOptions, time: <T>(phase: string, fn: () => T) => Promise<Awaited<T>>): Promise<OutputFile[]> {
  const files: OutputFile[] = [];
  const available = new Set(emitters().map(([target]) => target));
  // The package lists only entries that an emitter actually produced.
  options = { ...options, emit: options.emit.filter((t) => available.has(t)) };
  for (const [target, emitter] of emitters()) {
    if (target !== 'package' && !options.emit.includes(target)) continue;
    files.push(...(await time(`emit ${target}`, () => emitter(model, options))));
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
