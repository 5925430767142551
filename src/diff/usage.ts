import type { ApiModel, Schema } from '../model/types.js';
import { walkSchema } from '../model/walk.js';
import type { Direction } from './types.js';

/**
 * Which way each named schema flows: reachable from what a client sends (parameters, request
 * bodies), from what it receives (responses, response headers), or both. A schema no operation
 * reaches is only a type to callers, who may use it either way: it counts as both.
 */
export function schemaDirections(model: Pick<ApiModel, 'schemas' | 'operations'>): Map<string, Direction> {
  const byKey = new Map(model.schemas.map((s) => [s.key, s.schema]));
  const reach = (roots: Schema[]): Set<string> => {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length) {
      walkSchema(stack.pop()!, (node) => {
        if (node.ref === undefined || seen.has(node.ref)) return;
        seen.add(node.ref);
        const target = byKey.get(node.ref);
        if (target) stack.push(target);
      });
    }
    return seen;
  };
  const requestRoots: Schema[] = [];
  const responseRoots: Schema[] = [];
  for (const op of model.operations) {
    for (const p of op.parameters) requestRoots.push(p.schema);
    for (const m of op.requestBody?.content ?? []) requestRoots.push(m.schema);
    for (const r of op.responses) {
      for (const m of r.content) responseRoots.push(m.schema);
      for (const h of r.headers) responseRoots.push(h.schema);
    }
  }
  const sent = reach(requestRoots);
  const received = reach(responseRoots);
  const out = new Map<string, Direction>();
  for (const { key } of model.schemas) {
    const s = sent.has(key);
    const r = received.has(key);
    out.set(key, s && !r ? 'request' : r && !s ? 'response' : 'both');
  }
  return out;
}

/** Both directions merged: a schema the old version sent and the new one receives is both. */
export function mergeDirection(a: Direction | undefined, b: Direction | undefined): Direction {
  if (!a) return b ?? 'both';
  if (!b || a === b) return a;
  return 'both';
}
