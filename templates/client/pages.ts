// Walks paginated operations page by page as an async iterator: cursor pagination (a request
// cursor, the response's next cursor and has-more flag) and offset/count pagination.

import type { BaseClient, CallOptions, Op, ParamValues } from './runtime.js';

/**
 * How an operation pages: ['cursor', request cursor field, response next-cursor field, response has-more field]
 * or ['offset', path of offset in the request, path of count, response items field, response total field];
 * a final 1 when the cursor or offset is a query parameter (the walk then sends parameters, no body).
 */
export type PageSpec =
  | readonly [kind: 'cursor', cursor: string, next: string, more?: string | null, query?: 1]
  | readonly [kind: 'offset', offset: readonly string[], count: readonly string[], items: string, total?: string | null, query?: 1];

export interface PageOptions extends CallOptions {
  /** Stop after this many pages. */
  maxPages?: number;
}

export async function* walkPages(client: BaseClient, op: Op, spec: PageSpec, input: unknown, options: PageOptions = {}): AsyncGenerator<unknown, void, undefined> {
  const maxPages = options.maxPages ?? Infinity;
  // Query pagination: the input is the operation's parameters, and the walk moves `query`'s fields.
  const inQuery = spec[0] === 'cursor' ? spec[4] === 1 : spec[5] === 1;
  const base = { ...(input as Record<string, unknown>) };
  const request = { ...((inQuery ? base.query : base) as Record<string, unknown>) };
  const call = async (values: Record<string, unknown>) => (await client.$call(op, inQuery ? undefined : values, inQuery ? ({ ...base, query: values } as ParamValues) : undefined, options)) as Record<string, unknown>;
  if (spec[0] === 'cursor') {
    const [, cursorField, nextField, moreField] = spec;
    let cursor = request[cursorField];
    for (let n = 0; n < maxPages; n++) {
      const page = await call(cursor === undefined ? request : { ...request, [cursorField]: cursor });
      yield page;
      const next = page?.[nextField];
      // A next cursor equal to the one sent would fetch the same page forever, whatever has-more says.
      if (next === cursor && cursor !== undefined) return;
      if (moreField != null && page?.[moreField] !== undefined ? page[moreField] !== true : next == null || next === '' || next === cursor) return;
      cursor = next;
    }
    return;
  }
  const [, offsetPath, countPath, itemsField, totalField] = spec;
  let offset = Number(get(request, offsetPath) ?? 0);
  const count = get(request, countPath);
  for (let n = 0; n < maxPages; n++) {
    let next = set(request, offsetPath, offset);
    if (count !== undefined) next = set(next, countPath, count);
    const page = await call(next);
    yield page;
    const items = page?.[itemsField];
    const got = Array.isArray(items) ? items.length : 0;
    offset += got;
    const total = totalField == null ? undefined : page?.[totalField];
    // An empty or short page is the last one.
    if (got === 0 || (typeof count === 'number' && got < count) || (typeof total === 'number' && offset >= total)) return;
  }
}

function get(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** A copy of `value` with `path` set; the objects along the path are copied, not changed. */
function set(value: Record<string, unknown>, path: readonly string[], to: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const child = value[head];
  return { ...value, [head]: rest.length ? set(child && typeof child === 'object' ? (child as Record<string, unknown>) : {}, rest, to) : to };
}
