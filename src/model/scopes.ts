import type { ApiModel, Operation } from './types.js';

/** What one operation needs from one scope catalog: every scope of `allOf`, and one of `anyOf` when given. */
export interface ScopeNeed {
  catalog: string;
  allOf: string[];
  anyOf?: string[];
}

/**
 * The scope needs of every model operation, keyed by operation name. Catalog entries name an
 * operation by its model name, its operationId, `METHOD /path`, or its path alone (what docs pages
 * say); entries that match no operation are ignored here (the scopes emitter still lists them).
 * Client, scopes and mocks all read scope needs through this one function.
 */
export function operationScopeNeeds(model: Pick<ApiModel, 'operations' | 'scopeCatalogs'>): Map<string, ScopeNeed[]> {
  const out = new Map<string, ScopeNeed[]>();
  const find = (ref: string): Operation | undefined => {
    const r = ref.trim();
    return model.operations.find(
      (op) =>
        op.name === r ||
        op.operationId === r ||
        `${op.method.toUpperCase()} ${op.path}` === r.replace(/^(\w+)\s+/, (m) => m.toUpperCase()) ||
        op.path === r,
    );
  };
  for (const catalog of model.scopeCatalogs) {
    for (const entry of catalog.operations) {
      const op = find(entry.operation);
      if (!op) continue;
      const list = out.get(op.name) ?? [];
      list.push({ catalog: catalog.id, allOf: [...entry.allOf], ...(entry.anyOf?.length ? { anyOf: [...entry.anyOf] } : {}) });
      out.set(op.name, list);
    }
  }
  return out;
}

/** The catalog operation reference an operation is found by, for catalogs built from the spec itself. */
export function operationRef(op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}
