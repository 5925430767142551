import type { ApiModel, Diagnostic, Operation, Schema } from '../model/types.js';
import { preferredMedia, successResponses } from '../model/operation.js';
import { camelCase, isReservedWord, nameFromPath, pascalCase, SymbolTable } from './naming.js';

/**
 * Names the generated types declare or use themselves: the `Operations` map, and the utility types
 * of allOf-required properties. A schema with one of these names is renumbered (amazonaws.com's
 * cloudcontrol has a schema `Operations`, which shadowed the map).
 */
const EMITTED_TYPE_NAMES: ReadonlySet<string> = new Set(['Operations', 'Required', 'Pick', 'NonNullable']);

const ANNOTATIONS = new Set(['ref', 'description', 'title', 'deprecated', 'example', 'hasExample', 'examples', 'default', 'hasDefault', 'readOnly', 'writeOnly']);

/** The ref of a schema node that is only a ref (annotations aside): its type is the named type itself. */
function pureRef(schema: Schema | undefined): string | undefined {
  if (schema?.ref === undefined) return undefined;
  for (const key in schema) if (!ANNOTATIONS.has(key)) return undefined;
  return schema.ref;
}

/**
 * Decides every symbol: schema type names, operation names and operation type names. Schemas whose
 * key is already a valid PascalCase identifier claim it first, so they keep their name exactly.
 */
export function assignNames(model: ApiModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const types = new SymbolTable();
  for (const name of EMITTED_TYPE_NAMES) types.claim(name);
  const exact = model.schemas.filter((s) => pascalCase(s.key) === s.key && !EMITTED_TYPE_NAMES.has(s.key));
  for (const named of exact) named.symbol = types.claim(named.key);
  for (const named of model.schemas) {
    if (named.symbol && pascalCase(named.key) === named.key) continue;
    const preferred = pascalCase(named.key);
    named.symbol = types.claim(preferred);
    if (EMITTED_TYPE_NAMES.has(preferred)) {
      diagnostics.push({
        severity: 'warning',
        code: 'reserved-name',
        message: `schema ${JSON.stringify(named.key)} would be named ${preferred}, which the generated types use themselves; named ${named.symbol}`,
        file: named.source.file,
        pointer: named.source.pointer,
      });
    } else if (named.symbol !== preferred) {
      diagnostics.push({
        severity: 'warning',
        code: 'name-collision',
        message: `schema ${JSON.stringify(named.key)} would be named ${preferred}, which another schema has; named ${named.symbol}`,
        file: named.source.file,
        pointer: named.source.pointer,
      });
    }
  }

  const operations = new SymbolTable();
  const symbolOf = new Map(model.schemas.map((s) => [s.key, s.symbol]));
  for (const op of model.operations) {
    let preferred = op.operationId !== undefined ? camelCase(op.operationId) : nameFromPath(op.path);
    if (isReservedWord(preferred)) {
      diagnostics.push({ severity: 'warning', code: 'reserved-name', message: `operation name ${preferred} is a reserved word; named ${preferred}Operation`, file: op.source.file, pointer: op.source.pointer });
      preferred += 'Operation';
    }
    if (operations.has(preferred) && op.operationId === undefined) preferred = camelCase(`${op.method} ${preferred}`);
    op.name = operations.claim(preferred);
    if (op.name !== preferred || (op.operationId !== undefined && operations.has(preferred) && op.name !== preferred)) {
      diagnostics.push({ severity: 'warning', code: 'name-collision', message: `operation name ${preferred} is taken; this operation is named ${op.name}`, file: op.source.file, pointer: op.source.pointer });
    }
  }
  for (const op of model.operations) op.symbols = operationSymbols(op, types, symbolOf);
  return diagnostics;
}

/**
 * XRequest / XResponse / XError: the body schema's own name when the operation's type is exactly
 * that schema (the types emitter then writes no alias). Anything more (a second 2xx response, a
 * body without content: `X | void`) is an alias, which needs a name of its own (ebay.com's
 * GetCompatibilityPropertyValuesResponse was both).
 */
function operationSymbols(op: Operation, types: SymbolTable, symbolOf: Map<string, string>): Operation['symbols'] {
  const base = op.name[0].toUpperCase() + op.name.slice(1);
  const pick = (suffix: string, ref: string | undefined): string => {
    const wanted = base + suffix;
    if (ref !== undefined && symbolOf.get(ref) === wanted) return wanted;
    return types.claim(wanted);
  };
  const body = op.requestBody && preferredMedia(op.requestBody.content)?.schema;
  // Several 2xx bodies of one schema (200 and 201) are still that schema; a 2xx without one is `| void`.
  const refs = new Set(successResponses(op).map((r) => pureRef(preferredMedia(r.content)?.schema)));
  const success = refs.size === 1 ? [...refs][0] : undefined;
  return {
    request: pick('Request', pureRef(body)),
    response: pick('Response', success),
    error: pick('Error', undefined),
    params: pick('Params', undefined),
  };
}
