import type { ApiModel, Diagnostic, Operation } from '../model/types.js';
import { camelCase, isReservedWord, nameFromPath, pascalCase, SymbolTable } from './naming.js';

/**
 * Decides every symbol: schema type names, operation names and operation type names. Schemas whose
 * key is already a valid PascalCase identifier claim it first, so they keep their name exactly.
 */
export function assignNames(model: ApiModel): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const types = new SymbolTable();
  const exact = model.schemas.filter((s) => pascalCase(s.key) === s.key);
  for (const named of exact) named.symbol = types.claim(named.key);
  for (const named of model.schemas) {
    if (named.symbol && pascalCase(named.key) === named.key) continue;
    const preferred = pascalCase(named.key);
    named.symbol = types.claim(preferred);
    if (named.symbol !== preferred) {
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

/** XRequest / XResponse / XError: the body schema's own name when it already is exactly that. */
function operationSymbols(op: Operation, types: SymbolTable, symbolOf: Map<string, string>): Operation['symbols'] {
  const base = op.name[0].toUpperCase() + op.name.slice(1);
  const pick = (suffix: string, ref: string | undefined): string => {
    const wanted = base + suffix;
    if (ref !== undefined && symbolOf.get(ref) === wanted) return wanted;
    return types.claim(wanted);
  };
  const body = op.requestBody?.content[0]?.schema;
  const success = op.responses.find((r) => /^2/.test(r.status))?.content[0]?.schema;
  return {
    request: pick('Request', body?.ref),
    response: pick('Response', success?.ref),
    error: pick('Error', undefined),
    params: pick('Params', undefined),
  };
}
