import type { ApiModel, NamedSchema } from '../model/types.js';
import { ALWAYS, NEVER, record, type ChangeSink, type Site } from './classify.js';
import { canonical, show } from './json.js';
import { base, diffOperations } from './operations.js';
import { diffSchema, type SchemaDiffContext } from './schema.js';
import { diffScopes } from './scopes.js';
import type { Bump, Change, DiffResult, DiffSummary, Direction } from './types.js';
import { mergeDirection, schemaDirections } from './usage.js';

export type { Bump, Change, ChangeKind, DiffResult, DiffSummary, Direction } from './types.js';

export interface DiffOptions {
  /** Compare descriptions, summaries and examples too (patch-level changes). Default true. */
  docs?: boolean;
}

/** Everything that changed from `before` to `after`, classified for a client of the generated package. */
export function diffModels(before: ApiModel, after: ApiModel, options: DiffOptions = {}): DiffResult {
  const changes: Change[] = [];
  const sink: ChangeSink = { docs: options.docs ?? true, add: (c) => changes.push(c) };
  const ctx: SchemaDiffContext = {
    sink,
    oldSchemas: new Map(before.schemas.map((s) => [s.key, s])),
    newSchemas: new Map(after.schemas.map((s) => [s.key, s])),
  };

  diffInfo(before, after, sink);
  diffServers(before, after, sink);
  diffSecuritySchemes(before, after, sink);
  diffOperations(before, after, ctx);
  diffNamedSchemas(before, after, ctx);
  diffScopes(before, after, sink, new Set(changes.filter((c) => c.kind === 'security-changed' && c.operation !== undefined).map((c) => c.operation!)));
  return { changes: sortChanges(changes), summary: summarize(changes) };
}

const rank = (c: Change) => (c.breaking ? 0 : c.bump === 'minor' ? 1 : 2);

/** Breaking first, then additions, then the rest, each in the order found (stable). */
function sortChanges(changes: Change[]): Change[] {
  return changes.map((c, i) => [c, i] as const).sort((x, y) => rank(x[0]) - rank(y[0]) || x[1] - y[1]).map(([c]) => c);
}

export function summarize(changes: Change[]): DiffSummary {
  const breaking = changes.filter((c) => c.breaking).length;
  const additions = changes.filter((c) => !c.breaking && c.bump === 'minor').length;
  const bump: Bump | 'none' = breaking ? 'major' : additions ? 'minor' : changes.length ? 'patch' : 'none';
  return { breaking, nonBreaking: changes.length - breaking, additions, bump };
}

function diffInfo(before: ApiModel, after: ApiModel, sink: ChangeSink): void {
  const site: Site = { prefix: 'info', path: [], tokens: [] };
  if (before.info.version !== after.info.version) {
    record(sink, site, 'documentation-changed', 'both', NEVER, `API version ${show(before.info.version)} -> ${show(after.info.version)}`, { before: before.info.version, after: after.info.version });
  }
  if (before.info.title !== after.info.title) record(sink, site, 'documentation-changed', 'both', NEVER, `title ${show(before.info.title)} -> ${show(after.info.title)}`);
}

function diffServers(before: ApiModel, after: ApiModel, sink: ChangeSink): void {
  const old = new Set(before.servers.map((s) => s.url));
  const now = new Set(after.servers.map((s) => s.url));
  for (const s of after.servers) {
    if (!old.has(s.url)) record(sink, { prefix: `server ${s.url}`, path: [], tokens: [] }, 'server-added', 'both', NEVER, `server added${s.description ? ` (${s.description})` : ''}`, { addition: true });
  }
  for (const s of before.servers) {
    if (!now.has(s.url)) record(sink, { prefix: `server ${s.url}`, path: [], tokens: [] }, 'server-removed', 'both', ALWAYS, `server removed${s.description ? ` (${s.description}): clients configured for it stop working` : ''}`);
  }
}

function diffSecuritySchemes(before: ApiModel, after: ApiModel, sink: ChangeSink): void {
  const old = new Map(before.securitySchemes.map((s) => [s.key, s]));
  const now = new Map(after.securitySchemes.map((s) => [s.key, s]));
  for (const [key, s] of now) {
    const site: Site = { prefix: `security scheme ${key}`, path: [], tokens: [] };
    const was = old.get(key);
    if (!was) record(sink, site, 'security-changed', 'both', NEVER, `security scheme added (${s.type})`, { addition: true });
    else if (canonical({ ...was, description: undefined }) !== canonical({ ...s, description: undefined })) {
      record(sink, site, 'security-changed', 'both', NEVER, 'security scheme changed (the client sends credentials the new way)');
    }
  }
  for (const [key] of old) {
    if (!now.has(key)) record(sink, { prefix: `security scheme ${key}`, path: [], tokens: [] }, 'security-changed', 'both', ALWAYS, 'security scheme removed: client options for it are gone');
  }
}

const schemaSite = (named: NamedSchema, side: 'new' | 'old'): Site => ({
  prefix: `schema ${named.key}`,
  path: [],
  tokens: [],
  schema: named.key,
  ...(side === 'new' ? { newBase: base(named.source) } : { oldBase: base(named.source) }),
});

function diffNamedSchemas(before: ApiModel, after: ApiModel, ctx: SchemaDiffContext): void {
  const sink = ctx.sink;
  // Which way each schema flows is only needed for schemas that changed: computed on first need.
  let directions: [Map<string, Direction>, Map<string, Direction>] | undefined;
  const directionOf = (key: string): Direction => {
    directions ??= [schemaDirections(before), schemaDirections(after)];
    return mergeDirection(directions[0].get(key), directions[1].get(key));
  };
  const removed = before.schemas.filter((s) => !ctx.newSchemas.has(s.key));
  const added = after.schemas.filter((s) => !ctx.oldSchemas.has(s.key));

  // A schema that only changed its name: one breaking rename, not a removal and an unrelated addition.
  const addedByShape = new Map<string, NamedSchema[]>();
  for (const s of added) {
    const key = canonical(s.schema);
    addedByShape.set(key, [...(addedByShape.get(key) ?? []), s]);
  }
  const renamed = new Set<NamedSchema>();
  for (const s of removed) {
    const twin = addedByShape.get(canonical(s.schema))?.find((t) => !renamed.has(t));
    if (!twin) {
      record(sink, schemaSite(s, 'old'), 'schema-removed', 'both', ALWAYS, `schema removed: the type ${s.symbol} is no longer exported`, { side: 'old' });
      continue;
    }
    renamed.add(twin);
    record(sink, schemaSite(twin, 'new'), 'schema-renamed', 'both', ALWAYS, `schema ${s.key} renamed to ${twin.key}: the type ${s.symbol} is now ${twin.symbol}`, { before: s.key, after: twin.key });
  }
  for (const s of added) {
    if (!renamed.has(s)) record(sink, schemaSite(s, 'new'), 'schema-added', 'both', NEVER, `schema added (type ${s.symbol})`, { addition: true });
  }
  for (const s of after.schemas) {
    const was = ctx.oldSchemas.get(s.key);
    if (!was) continue;
    const site: Site = { ...schemaSite(s, 'new'), oldBase: base(was.source) };
    if (was.symbol !== s.symbol) record(sink, site, 'schema-renamed', 'both', ALWAYS, `the type ${was.symbol} is now named ${s.symbol}`, { before: was.symbol, after: s.symbol });
    if (JSON.stringify(was.schema) === JSON.stringify(s.schema)) continue;
    diffSchema(was.schema, s.schema, site, directionOf(s.key), ctx);
  }
}
