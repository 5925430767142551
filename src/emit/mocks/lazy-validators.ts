import path from 'node:path';
import { transformSync } from 'esbuild';
import { emitValidators } from '../validators/index.js';
import type { ApiModel, NamedSchema, Operation, Schema } from '../../model/types.js';
import { walkSchema } from '../../model/walk.js';

/**
 * The validators of `codegen mock`, compiled one operation at a time on its first request.
 *
 * Emitting and transpiling the validators of every operation up front is most of a cold start on a
 * big spec (about 0.9 s of 1.9 s on Plaid's 329 operations); a mock server in a test run meets a
 * handful of them. Each operation gets the same emitter's code for a model cut down to that
 * operation and the schemas it reaches, so its checks are exactly those of the generated package.
 */

/** What the mock engine asks of validators (MockApiDefinition['validators'] in the mock runtime). */
export interface ValidatorProvider {
  request(operation: string): ((value: unknown, options?: { allErrors?: boolean }) => { ok: boolean }) | undefined;
  response(operation: string, status: number, body: unknown): { ok: boolean };
}

interface CompiledOperation {
  operationValidators: { [name: string]: { request?: (value: unknown, options?: { allErrors?: boolean }) => { ok: boolean } } | undefined };
  validateOperationResponse: (operation: string, status: number, body: unknown) => { ok: boolean };
}

export function lazyValidators(model: ApiModel, onCompile?: (operation: string, ms: number) => void): ValidatorProvider {
  const byName = new Map(model.operations.map((op) => [op.name, op]));
  const byKey = new Map(model.schemas.map((s) => [s.key, s]));
  const compiled = new Map<string, CompiledOperation | undefined>();
  const get = (name: string): CompiledOperation | undefined => {
    if (compiled.has(name)) return compiled.get(name);
    const op = byName.get(name);
    let module: CompiledOperation | undefined;
    if (op) {
      const started = performance.now();
      module = compileValidators(operationModel(model, op, byKey));
      onCompile?.(name, performance.now() - started);
    }
    compiled.set(name, module);
    return module;
  };
  return {
    request: (operation) => get(operation)?.operationValidators[operation]?.request,
    response: (operation, status, body) => get(operation)?.validateOperationResponse(operation, status, body) ?? { ok: true },
  };
}

/** The model cut down to one operation and the named schemas its parameters, bodies and headers reach. */
export function operationModel(model: ApiModel, op: Operation, byKey = new Map(model.schemas.map((s) => [s.key, s]))): ApiModel {
  const reached = new Set<string>();
  const pending: Schema[] = [];
  const visit = (schema: Schema) => {
    const keys = [schema.ref, ...Object.values(schema.discriminator?.mapping ?? {}), ...Object.values(schema.dynamicScope ?? {})];
    for (const key of keys) {
      if (key === undefined || reached.has(key)) continue;
      const named = byKey.get(key);
      if (!named) continue;
      reached.add(key);
      pending.push(named.schema);
    }
  };
  for (const p of op.parameters) walkSchema(p.schema, visit);
  for (const m of op.requestBody?.content ?? []) walkSchema(m.schema, visit);
  for (const r of op.responses) {
    for (const m of r.content) walkSchema(m.schema, visit);
    for (const h of r.headers) walkSchema(h.schema, visit);
  }
  while (pending.length) walkSchema(pending.pop()!, visit);
  // Model order, so that the emitted code does not depend on the walk.
  const schemas: NamedSchema[] = model.schemas.filter((s) => reached.has(s.key));
  return { ...model, operations: [op], schemas };
}

/**
 * Emits the validators of a model (here one operation's) and runs them: esbuild turns each file into
 * CommonJS, and a small linker resolves their relative imports among themselves (the emitted
 * files import nothing else), all in memory and synchronously, as the engine's calls are.
 */
export function compileValidators(model: ApiModel): CompiledOperation {
  const files = emitValidators(model, { packageName: 'codegen-mock', emit: ['validators'] });
  const sources = new Map(files.map((f) => [f.path.replace(/\.ts$/, '.js'), f.content]));
  const cache = new Map<string, { exports: Record<string, unknown> }>();
  const load = (file: string): Record<string, unknown> => {
    const hit = cache.get(file);
    if (hit) return hit.exports;
    const source = sources.get(file);
    if (source === undefined) throw new Error(`codegen mock: the validators import ${file}, which they do not define`);
    const module = { exports: {} as Record<string, unknown> };
    cache.set(file, module);
    const code = transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: file }).code;
    const require = (specifier: string) => load(path.posix.join(path.posix.dirname(file), specifier));
    new Function('exports', 'require', 'module', code)(module.exports, require, module);
    return module.exports;
  };
  return load('src/validators.js') as unknown as CompiledOperation;
}
