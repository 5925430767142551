import type { ApiModel, MediaContent, Operation, Parameter, Response, SecurityRequirement } from '../model/types.js';
import { ALWAYS, NEVER, record, WHEN_READ, WHEN_SENT, type Site } from './classify.js';
import { canonical } from './json.js';
import { diffSchema, type SchemaDiffContext } from './schema.js';

const isSuccess = (status: string) => status.startsWith('2');

export function operationLabel(op: Operation): string {
  return `${op.method.toUpperCase()} ${op.path} (${op.name})`;
}

/** `file#/pointer` of a model position, or undefined for models without sources (snapshots). */
export function base(source: { file: string; pointer: string } | undefined, ...tokens: string[]): string | undefined {
  if (!source || !source.file) return undefined;
  return source.file + '#' + source.pointer + tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * Pairs operations across versions: by operationId first (a client method keeps its name when its
 * URL moves), then by method and path template (path parameter names do not matter).
 */
export function pairOperations(before: Operation[], after: Operation[]): { pairs: [Operation, Operation][]; removed: Operation[]; added: Operation[] } {
  const pairs: [Operation, Operation][] = [];
  const left = new Set(before);
  const right = new Set(after);
  const byId = new Map<string, Operation[]>();
  for (const op of after) if (op.operationId !== undefined) byId.set(op.operationId, [...(byId.get(op.operationId) ?? []), op]);
  for (const op of before) {
    const match = op.operationId !== undefined ? byId.get(op.operationId) : undefined;
    if (match?.length === 1 && right.has(match[0])) {
      pairs.push([op, match[0]]);
      left.delete(op);
      right.delete(match[0]);
    }
  }
  const identity = (op: Operation) => `${op.method} ${op.path.replace(/\{[^}]*\}/g, '{}')}`;
  const byPath = new Map<string, Operation>();
  for (const op of right) byPath.set(identity(op), op);
  for (const op of [...left]) {
    const match = byPath.get(identity(op));
    if (match && right.has(match)) {
      pairs.push([op, match]);
      left.delete(op);
      right.delete(match);
    }
  }
  const order = new Map(after.map((op, i) => [op, i]));
  pairs.sort((x, y) => order.get(x[1])! - order.get(y[1])!);
  return { pairs, removed: [...left], added: [...right] };
}

export function diffOperations(before: ApiModel, after: ApiModel, ctx: SchemaDiffContext): void {
  const { pairs, removed, added } = pairOperations(before.operations, after.operations);
  const sink = ctx.sink;
  for (const op of added) {
    record(sink, { prefix: operationLabel(op), path: [], tokens: [], newBase: base(op.source), operation: op.name }, 'operation-added', 'both', NEVER, 'operation added', { addition: true });
  }
  for (const op of removed) {
    record(sink, { prefix: operationLabel(op), path: [], tokens: [], oldBase: base(op.source), operation: op.name }, 'operation-removed', 'both', ALWAYS, 'operation removed: calls to it no longer type-check', { side: 'old' });
  }
  for (const [a, b] of pairs) diffOperation(a, b, before, after, ctx);
}

function diffOperation(a: Operation, b: Operation, before: ApiModel, after: ApiModel, ctx: SchemaDiffContext): void {
  const sink = ctx.sink;
  const site: Site = { prefix: operationLabel(b), path: [], tokens: [], newBase: base(b.source), oldBase: base(a.source), operation: b.name };
  if (a.name !== b.name) {
    record(sink, site, 'operation-renamed', 'both', ALWAYS, `client method ${a.name} renamed to ${b.name}`, { before: a.name, after: b.name });
  }
  if (a.method !== b.method || a.path !== b.path) {
    record(sink, site, 'operation-moved', 'both', NEVER, `moved from ${a.method.toUpperCase()} ${a.path} (the client follows; direct HTTP callers must change)`, { before: `${a.method.toUpperCase()} ${a.path}`, after: `${b.method.toUpperCase()} ${b.path}` });
  }
  if (!a.deprecated && b.deprecated) record(sink, site, 'deprecated', 'both', NEVER, 'operation deprecated');
  if (sink.docs && (a.summary !== b.summary || a.description !== b.description)) {
    record(sink, site, 'documentation-changed', 'both', NEVER, a.summary !== b.summary ? 'summary changed' : 'description changed');
  }

  diffParameters(a, b, site, ctx);
  diffRequestBody(a, b, site, ctx);
  diffResponses(a, b, site, ctx);
  diffSecurity(a.security ?? before.security, b.security ?? after.security, site, ctx);
}

function diffParameters(a: Operation, b: Operation, site: Site, ctx: SchemaDiffContext): void {
  const key = (p: Parameter) => `${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
  const old = new Map(a.parameters.map((p) => [key(p), p]));
  const now = new Map(b.parameters.map((p) => [key(p), p]));
  const at = (p: Parameter): Site => ({ ...site, prefix: `${site.prefix} ${p.in} parameter ${p.name}`, newBase: undefined, oldBase: undefined });
  for (const [k, p] of now) {
    const was = old.get(k);
    if (!was) {
      if (p.required) record(ctx.sink, at(p), 'parameter-added', 'request', WHEN_SENT, 'required parameter added: every call must now pass it', { addition: true });
      else record(ctx.sink, at(p), 'parameter-added', 'request', NEVER, 'optional parameter added', { addition: true });
      continue;
    }
    if (!was.required && p.required) record(ctx.sink, at(p), 'required-added', 'request', WHEN_SENT, 'parameter became required: calls that omit it are rejected');
    if (was.required && !p.required) record(ctx.sink, at(p), 'required-removed', 'request', NEVER, 'parameter is now optional');
    if (!was.deprecated && p.deprecated) record(ctx.sink, at(p), 'deprecated', 'request', NEVER, 'parameter deprecated');
    diffSchema(was.schema, p.schema, at(p), 'request', ctx);
  }
  for (const [k, p] of old) {
    if (!now.has(k)) record(ctx.sink, at(p), 'parameter-removed', 'request', WHEN_SENT, 'parameter removed: calls passing it no longer type-check');
  }
}

function diffContent(
  a: MediaContent[],
  b: MediaContent[],
  site: Site,
  direction: 'request' | 'response',
  tokens: string[],
  ctx: SchemaDiffContext,
): void {
  const old = new Map(a.map((m) => [m.mediaType.toLowerCase(), m]));
  const now = new Map(b.map((m) => [m.mediaType.toLowerCase(), m]));
  for (const [type, m] of now) {
    const was = old.get(type);
    const at: Site = { ...site, prefix: `${site.prefix} (${m.mediaType})`, tokens: [...tokens, 'content', m.mediaType, 'schema'] };
    if (!was) {
      record(ctx.sink, { ...site, tokens: [...tokens, 'content', m.mediaType] }, 'media-type-added', direction, NEVER, `media type ${m.mediaType} added`, { addition: true });
      continue;
    }
    diffSchema(was.schema, m.schema, old.size === 1 && now.size === 1 ? { ...at, prefix: site.prefix } : at, direction, ctx);
  }
  for (const [type, m] of old) {
    if (now.has(type)) continue;
    record(ctx.sink, { ...site, tokens: [...tokens, 'content', m.mediaType] }, 'media-type-removed', direction, ALWAYS, `media type ${m.mediaType} removed`, { side: 'old' });
  }
}

function diffRequestBody(a: Operation, b: Operation, site: Site, ctx: SchemaDiffContext): void {
  const at: Site = { ...site, prefix: `${site.prefix} request body` };
  const x = a.requestBody;
  const y = b.requestBody;
  if (!x && !y) return;
  if (!x) {
    if (y!.required) record(ctx.sink, at, 'request-body-added', 'request', WHEN_SENT, 'required request body added: every call must now send it', { addition: true });
    else record(ctx.sink, at, 'request-body-added', 'request', NEVER, 'optional request body added', { addition: true });
    return;
  }
  if (!y) {
    record(ctx.sink, at, 'request-body-removed', 'request', WHEN_SENT, 'request body removed: calls sending one no longer type-check');
    return;
  }
  if (!x.required && y.required) record(ctx.sink, at, 'required-added', 'request', WHEN_SENT, 'request body became required');
  if (x.required && !y.required) record(ctx.sink, at, 'required-removed', 'request', NEVER, 'request body is now optional');
  diffContent(x.content, y.content, { ...at, tokens: [] }, 'request', ['requestBody'], ctx);
}

function diffResponses(a: Operation, b: Operation, site: Site, ctx: SchemaDiffContext): void {
  const old = new Map(a.responses.map((r) => [r.status, r]));
  const now = new Map(b.responses.map((r) => [r.status, r]));
  const at = (r: Response): Site => ({ ...site, prefix: `${site.prefix} response ${r.status}`, tokens: ['responses', r.status] });
  const hadSuccess = a.responses.some((r) => isSuccess(r.status));
  for (const [status, r] of now) {
    const was = old.get(status);
    if (!was) {
      // A second success response turns the result type into a union callers must narrow.
      if (isSuccess(status) && hadSuccess && r.content.length) {
        record(ctx.sink, at(r), 'response-added', 'response', WHEN_READ, 'success response added: the result type gains a variant', { addition: true });
      } else {
        record(ctx.sink, at(r), 'response-added', 'response', NEVER, `${isSuccess(status) ? 'success' : 'error'} response added`, { addition: true });
      }
      continue;
    }
    diffContent(was.content, r.content, at(r), 'response', ['responses', status], ctx);
    diffHeaders(was, r, at(r), ctx);
  }
  for (const [status, r] of old) {
    if (now.has(status)) continue;
    if (isSuccess(status)) record(ctx.sink, at(r), 'response-removed', 'response', WHEN_READ, 'success response removed: code reading its body breaks', { side: 'old' });
    else record(ctx.sink, at(r), 'response-removed', 'response', NEVER, 'error response removed', { side: 'old' });
  }
}

function diffHeaders(a: Response, b: Response, site: Site, ctx: SchemaDiffContext): void {
  const old = new Map(a.headers.map((h) => [h.name.toLowerCase(), h]));
  const now = new Map(b.headers.map((h) => [h.name.toLowerCase(), h]));
  for (const [name, h] of now) {
    const was = old.get(name);
    const at: Site = { ...site, prefix: `${site.prefix} header ${h.name}`, tokens: [...site.tokens, 'headers', h.name, 'schema'] };
    if (!was) {
      record(ctx.sink, at, 'header-added', 'response', NEVER, 'response header added', { addition: true });
      continue;
    }
    if (was.required && !h.required) record(ctx.sink, at, 'required-removed', 'response', WHEN_READ, 'response header is no longer always sent');
    diffSchema(was.schema, h.schema, at, 'response', ctx);
  }
  for (const [name, h] of old) {
    if (!now.has(name)) record(ctx.sink, { ...site, prefix: `${site.prefix} header ${h.name}`, tokens: [...site.tokens, 'headers', h.name] }, 'header-removed', 'response', WHEN_READ, 'response header removed', { side: 'old' });
  }
}

/** Security is a list of alternatives. Keeping every old alternative keeps every caller working. */
function diffSecurity(a: SecurityRequirement[], b: SecurityRequirement[], site: Site, ctx: SchemaDiffContext): void {
  const norm = (list: SecurityRequirement[]) =>
    list.map((req) => canonical(Object.fromEntries(Object.entries(req).map(([k, v]) => [k, [...v].sort()])))).sort();
  const x = norm(a);
  const y = norm(b);
  if (x.join('|') === y.join('|')) return;
  const open = (list: string[]) => list.length === 0 || list.includes('{}');
  let breaking: boolean;
  if (open(y)) breaking = false;
  else if (open(x)) breaking = true;
  else breaking = !x.every((alt) => y.includes(alt));
  record(ctx.sink, site, 'security-changed', 'request', breaking ? WHEN_SENT : NEVER, `security ${describeSecurity(a)} -> ${describeSecurity(b)}${breaking ? ': callers with the old credentials or scopes may be refused' : ''}`);
}

/** `oauth(accounts:read) + clientId or bearer`: alternatives joined by "or", schemes of one requirement by "+". */
function describeSecurity(list: SecurityRequirement[]): string {
  if (list.length === 0) return 'none';
  return list.map((req) => Object.entries(req).map(([k, v]) => (v.length ? `${k}(${v.join(' ')})` : k)).join(' + ') || 'none').join(' or ');
}
