import { preferredMedia, successResponses } from '../../model/operation.js';
import type { ApiModel, NamedSchema, Operation, Schema } from '../../model/types.js';
import { jsonLiteral } from '../shared/escape.js';
import { collectProperties, isArraySchema, isNumberSchema, resolve } from './shape.js';

/** `query`: the cursor or offset travels as query parameters (GET list endpoints), not in the body. */
export type Pagination =
  | { kind: 'cursor'; cursor: string; next: string; more?: string; query?: true }
  | { kind: 'offset'; offset: string[]; count: string[]; items: string; total?: string; query?: true };

const CURSORS: [request: string, response: string][] = [
  ['cursor', 'next_cursor'],
  ['page_token', 'next_page_token'],
  ['pageToken', 'nextPageToken'],
  ['cursor', 'nextCursor'],
];
const MORE = ['has_more', 'hasMore'];

/**
 * How an operation pages, read from its request and response: a request cursor with a next cursor
 * in the response (transactions/sync: cursor, next_cursor, has_more), or an offset and count in
 * the request (top level or one object down, as Plaid's `options`) with an items array and a total
 * in the response. The cursor or offset is a body field, or, for an operation without a body, a
 * query parameter (`GET /items?cursor=...`, `GET /items?offset=..&limit=..`).
 */
export function detectPagination(op: Operation, schemas: Map<string, NamedSchema>): Pagination | undefined {
  const resMedia = successResponses(op).map((r) => preferredMedia(r.content)).find(Boolean);
  if (!resMedia || !/json/i.test(resMedia.mediaType)) return undefined;
  const res = collectProperties(resMedia.schema, schemas);
  if (op.requestBody) {
    const reqMedia = preferredMedia(op.requestBody.content);
    if (!reqMedia || !/json/i.test(reqMedia.mediaType)) return undefined;
    return detectIn(collectProperties(reqMedia.schema, schemas), res, schemas, true);
  }
  const query = new Map(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p.schema] as const));
  const found = query.size ? detectIn(query, res, schemas, false) : undefined;
  return found && { ...found, query: true };
}

function detectIn(req: Map<string, Schema>, res: Map<string, Schema>, schemas: Map<string, NamedSchema>, nested: boolean): Pagination | undefined {
  for (const [cursor, next] of CURSORS) {
    if (req.has(cursor) && res.has(next)) return { kind: 'cursor', cursor, next, more: MORE.find((m) => res.has(m)) };
  }

  const findPair = (): { offset: string[]; count: string[] } | undefined => {
    const count = (props: Map<string, unknown>) => (props.has('count') ? 'count' : props.has('limit') ? 'limit' : undefined);
    if (req.has('offset') && count(req)) return { offset: ['offset'], count: [count(req)!] };
    if (!nested) return undefined;
    for (const [name, schema] of req) {
      const inner = collectProperties(resolve(schema, schemas), schemas);
      if (inner.has('offset') && count(inner)) return { offset: [name, 'offset'], count: [name, count(inner)!] };
    }
    return undefined;
  };
  const pair = findPair();
  if (!pair) return undefined;
  const totals = [...res.keys()].filter((k) => /^total(_|$)|^total[A-Z]/.test(k) && isNumberSchema(res.get(k)!, schemas));
  const arrays = [...res.keys()].filter((k) => isArraySchema(res.get(k)!, schemas));
  const total = totals[0];
  const named = total && arrays.find((a) => total === `total_${a}` || total.toLowerCase() === `total${a}`.toLowerCase());
  const items = named ?? (arrays.length === 1 ? arrays[0] : undefined);
  if (!items) return undefined;
  return { kind: 'offset', ...pair, items, total };
}

export function paginatedOperations(model: ApiModel): [Operation, Pagination][] {
  const schemas = new Map(model.schemas.map((s) => [s.key, s]));
  return model.operations.flatMap((op) => {
    const p = detectPagination(op, schemas);
    return p ? [[op, p] as [Operation, Pagination]] : [];
  });
}

export function pageSpecLiteral(p: Pagination): string {
  const query = p.query ? [1] : [];
  if (p.kind === 'cursor') return jsonLiteral(['cursor', p.cursor, p.next, ...(p.more || p.query ? [p.more ?? null] : []), ...query]);
  return jsonLiteral(['offset', p.offset, p.count, p.items, ...(p.total || p.query ? [p.total ?? null] : []), ...query]);
}
