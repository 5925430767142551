import { preferredMedia, successResponses } from '../../model/operation.js';
import { operationScopeNeeds } from '../../model/scopes.js';
import type { ApiModel, JsonValue, NamedSchema, Operation, Schema, SecurityRequirement } from '../../model/types.js';

/**
 * The data half of the generated mocks (src/mocks/api.ts): what the runtime needs to know of each
 * operation, as plain JSON. Its shape is the runtime's `ApiSpec` (templates/mocks/runtime.ts);
 * keep the two in step.
 */
export interface ApiSpecData {
  title: string;
  servers: { url: string; base: string; env: string }[];
  schemes: { key: string; type: string; name?: string; in?: string; scheme?: string; field?: string; optional?: boolean }[];
  security: SecurityRequirement[];
  errors: { typed: boolean; roles: Roles; typeEnum?: string[]; nullable: string[] };
  operations: OperationData[];
  catalogs: { id: string; errorCode: string; scopes: string[]; implies: [string, string[]][] }[];
  token?: { op: number; catalog?: string };
  plaidFlow: boolean;
}

interface Roles {
  type?: string;
  code?: string;
  message?: string;
  display?: string;
  requestId?: string;
  status?: string;
}

type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

export interface OperationData {
  name: string;
  method: string;
  path: string;
  params: { name: string; in: string; required: boolean; t?: ParamType; enum?: (string | number | boolean)[] }[];
  body?: { required: boolean; media: string[]; form?: { [prop: string]: ParamType } };
  security?: SecurityRequirement[];
  scopes?: { catalog: string; allOf: string[]; anyOf?: string[] }[];
  responses: { status: string; media?: string; binary?: boolean; examples: { name?: string; value: JsonValue }[]; headers: { name: string; required: boolean }[]; props?: string[] }[];
  success: number;
  role?: string;
  accessToken?: boolean;
}

export class SchemaLookup {
  readonly byKey: Map<string, NamedSchema>;
  constructor(model: ApiModel) {
    this.byKey = new Map(model.schemas.map((s) => [s.key, s]));
  }
  /** Follows refs to the schema that says something. */
  deref(schema: Schema | undefined, seen = new Set<string>()): Schema | undefined {
    let node = schema;
    while (node?.ref !== undefined && !seen.has(node.ref)) {
      seen.add(node.ref);
      const target = this.byKey.get(node.ref)?.schema;
      if (!target) return node;
      // A ref with siblings (3.1) keeps its own keywords; the target's shape is reached through allOf below.
      if (Object.keys(node).some((k) => !['ref', 'description', 'title', 'nullable', 'type', 'example', 'hasExample', 'deprecated'].includes(k))) break;
      node = target;
    }
    return node;
  }
  /** Top-level properties of an object schema, through refs and allOf branches. */
  properties(schema: Schema | undefined, seen = new Set<string>()): Map<string, Schema> {
    const out = new Map<string, Schema>();
    const visit = (node: Schema | undefined) => {
      if (!node) return;
      if (node.ref !== undefined) {
        if (seen.has(node.ref)) return;
        seen.add(node.ref);
        visit(this.byKey.get(node.ref)?.schema);
      }
      for (const p of node.properties ?? []) if (!out.has(p.name)) out.set(p.name, p.schema);
      for (const b of node.allOf ?? []) visit(b);
    };
    visit(schema);
    return out;
  }
  /** The first JSON type (not null) of a node, through refs. */
  type(schema: Schema | undefined): ParamType | undefined {
    const node = this.deref(schema);
    const t = node?.type?.find((x) => x !== 'null');
    if (t === undefined) {
      if (node?.enum?.some((v) => typeof v === 'string')) return 'string';
      if (node?.properties) return 'object';
      return undefined;
    }
    return t;
  }
}

const PLAID_ROLES: { [path: string]: string } = {
  '/link/token/create': 'linkToken',
  '/sandbox/public_token/create': 'publicToken',
  '/item/public_token/exchange': 'exchange',
  '/item/remove': 'itemRemove',
  '/item/public_token/create': 'itemPublicToken',
  '/item/access_token/invalidate': 'invalidate',
};

export function buildApiSpec(model: ApiModel, lookup: SchemaLookup, errorSchema: Schema | undefined): ApiSpecData {
  const paths = new Set(model.operations.map((o) => `${o.method} ${o.path}`));
  const plaidFlow = paths.has('post /item/public_token/exchange') && paths.has('post /sandbox/public_token/create');
  const needs = operationScopeNeeds(model);
  const tokenOp = findTokenOperation(model);
  const schemes = model.securitySchemes.map((s) => ({
    key: s.key,
    type: s.type,
    ...(s.name !== undefined ? { name: s.name } : {}),
    ...(s.in !== undefined ? { in: s.in } : {}),
    ...(s.scheme !== undefined ? { scheme: s.scheme } : {}),
    ...(s.type === 'apiKey' ? bodyField(model, lookup, s.name) : {}),
    // An API version header has a default (the spec's version): clients may leave it out.
    ...(s.type === 'apiKey' && /version/i.test(s.name ?? s.key) ? { optional: true } : {}),
  }));

  const operations = model.operations.map((op): OperationData => {
    const requestMedia = op.requestBody ? preferredMedia(op.requestBody.content) : undefined;
    const requestProps = requestMedia ? lookup.properties(requestMedia.schema) : new Map<string, Schema>();
    const success = successResponses(op)[0];
    const form = op.requestBody?.content.find((m) => /x-www-form-urlencoded/i.test(m.mediaType));
    const out: OperationData = {
      name: op.name,
      method: op.method,
      path: op.path,
      params: op.parameters
        .filter((p) => p.in !== 'cookie' || p.required)
        .map((p) => {
          const node = lookup.deref(p.schema);
          const t = lookup.type(p.schema);
          const values = node?.enum?.filter((v): v is string | number | boolean => v !== null && typeof v !== 'object');
          return { name: p.name, in: p.in, required: p.required, ...(t ? { t } : {}), ...(values?.length ? { enum: values } : {}) };
        }),
      responses: op.responses.map((r) => {
        const media = preferredMedia(r.content);
        const binary = media && !/json/i.test(media.mediaType) && !/^text\//i.test(media.mediaType);
        const props = r === success && media ? [...lookup.properties(media.schema).keys()] : undefined;
        return {
          status: r.status,
          ...(media ? { media: media.mediaType } : {}),
          ...(binary ? { binary: true } : {}),
          examples: binary || !media ? [] : media.examples.map((e) => ({ ...(e.name !== undefined ? { name: e.name } : {}), value: e.value })),
          headers: r.headers.map((h) => ({ name: h.name, required: h.required })),
          ...(props?.length ? { props } : {}),
        };
      }),
      success: success ? op.responses.indexOf(success) : -1,
    };
    if (op.requestBody) {
      out.body = { required: op.requestBody.required, media: op.requestBody.content.map((m) => m.mediaType.toLowerCase()) };
      if (form) {
        const types: { [prop: string]: ParamType } = {};
        for (const [name, schema] of lookup.properties(form.schema)) {
          const t = lookup.type(schema);
          if (t && t !== 'string') types[name] = t;
        }
        out.body.form = types;
      }
    }
    if (op.security) out.security = op.security;
    const scopeNeeds = needs.get(op.name);
    if (scopeNeeds?.length) out.scopes = scopeNeeds;
    const role = tokenOp === op ? 'token' : plaidFlow && op.method === 'post' ? PLAID_ROLES[op.path] : undefined;
    if (role) out.role = role;
    if (plaidFlow && requestProps.has('access_token')) out.accessToken = true;
    return out;
  });

  const tokenIndex = tokenOp ? model.operations.indexOf(tokenOp) : -1;
  return {
    title: model.info.title,
    servers: model.servers.map((s) => serverData(s.url, s.variables, s.description)),
    schemes,
    security: model.security,
    errors: errorShape(lookup, errorSchema),
    operations,
    catalogs: model.scopeCatalogs.map((c) => ({
      id: c.id,
      errorCode: c.errorCode,
      scopes: c.scopes.map((s) => s.name),
      implies: c.rules.flatMap((r): [string, string[]][] => (r.kind === 'implies' ? [[r.scope, r.implies]] : [])),
    })),
    ...(tokenIndex >= 0 ? { token: { op: tokenIndex, ...tokenCatalog(model, tokenOp!) } } : {}),
    plaidFlow,
  };
}

function serverData(url: string, variables: { name: string; default: string }[], description?: string): { url: string; base: string; env: string } {
  let resolved = url;
  for (const v of variables) resolved = resolved.split(`{${v.name}}`).join(v.default);
  resolved = resolved.replace(/\/+$/, '');
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)(\/.*)?$/i.exec(resolved);
  const base = m ? (m[2] ?? '') : resolved.startsWith('/') ? resolved : '';
  const words = `${description ?? ''} ${m?.[1] ?? ''}`.toLowerCase();
  const env = /sandbox/.test(words) ? 'sandbox' : /develop/.test(words) ? 'development' : /production|\bprod\b/.test(words) ? 'production' : /stag/.test(words) ? 'staging' : 'sandbox';
  return { url: resolved, base, env };
}

/** A request body field that carries an API key header's value (PLAID-CLIENT-ID -> client_id). */
function bodyField(model: ApiModel, lookup: SchemaLookup, header: string | undefined): { field?: string } {
  if (!header) return {};
  const snake = header.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const candidates = [snake, snake.slice(snake.indexOf('_') + 1)];
  const counts = new Map<string, number>();
  for (const op of model.operations) {
    const media = op.requestBody ? preferredMedia(op.requestBody.content) : undefined;
    if (!media) continue;
    const props = lookup.properties(media.schema);
    for (const c of candidates) if (props.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const best = candidates.find((c) => counts.has(c));
  return best ? { field: best } : {};
}

/** The OAuth token endpoint: the path of an oauth2 flow's tokenUrl, else POST .../oauth/token. */
function findTokenOperation(model: ApiModel): Operation | undefined {
  const posts = model.operations.filter((o) => o.method === 'post');
  for (const scheme of model.securitySchemes) {
    for (const flow of scheme.flows ?? []) {
      if (!flow.tokenUrl) continue;
      const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/[^?#]*)?/i.exec(flow.tokenUrl)?.[1] ?? flow.tokenUrl.split(/[?#]/)[0];
      const hit = posts.find((o) => o.path === path || (path.length > 1 && path.endsWith(o.path)));
      if (hit) return hit;
    }
  }
  return posts.find((o) => /\/oauth2?\/token$/.test(o.path));
}

function tokenCatalog(model: ApiModel, op: Operation): { catalog?: string } {
  if (model.scopeCatalogs.length === 0) return {};
  for (const scheme of model.securitySchemes) {
    const id = scheme.key.replace(/[^A-Za-z0-9_]/g, '_');
    const usesOp = (scheme.flows ?? []).some((f) => f.tokenUrl && (f.tokenUrl.endsWith(op.path) || f.tokenUrl === op.path));
    if (usesOp && model.scopeCatalogs.some((c) => c.id === id)) return { catalog: id };
  }
  // Catalogs from scope tables: the one that mentions the endpoint, names the API, and holds the
  // scopes the endpoint's examples request wins; the first one otherwise.
  const requested = new Set(exampleScopes(op));
  const title = model.info.title.toLowerCase();
  let best = model.scopeCatalogs[0];
  let bestScore = -1;
  for (const c of model.scopeCatalogs) {
    let score = c.scopes.filter((s) => requested.has(s.name)).length;
    if (c.operations.some((e) => [op.name, op.operationId, op.path, `${op.method.toUpperCase()} ${op.path}`].includes(e.operation))) score += 100;
    if (title.includes(c.id.toLowerCase()) || (c.title && title.includes(c.title.toLowerCase()))) score += 10;
    if (score > bestScore) [best, bestScore] = [c, score];
  }
  return { catalog: best.id };
}

/** Scope values in the token endpoint's request examples (`scope: "user:read user:write"`). */
function exampleScopes(op: Operation): string[] {
  const out: string[] = [];
  for (const media of op.requestBody?.content ?? []) {
    for (const example of media.examples) {
      const value = example.value;
      if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.scope === 'string') out.push(...value.scope.split(/\s+/));
    }
  }
  return out;
}

/**
 * The error schema most operations answer with (Plaid: PlaidError as every `default`), which the
 * mock's own errors (404, 400, 401, 403, 413) imitate.
 */
export function dominantErrorSchema(model: ApiModel): Schema | undefined {
  const counts = new Map<string, { schema: Schema; n: number }>();
  for (const op of model.operations) {
    for (const r of op.responses) {
      if (/^[123]/.test(r.status)) continue;
      const media = preferredMedia(r.content);
      if (!media || !/json/i.test(media.mediaType)) continue;
      const key = media.schema.ref ?? JSON.stringify(media.schema);
      const entry = counts.get(key) ?? { schema: media.schema, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
  }
  let best: { schema: Schema; n: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.n > best.n) best = entry;
  return best?.schema;
}

function errorShape(lookup: SchemaLookup, schema: Schema | undefined): ApiSpecData['errors'] {
  const props = schema ? lookup.properties(schema) : new Map<string, Schema>();
  const find = (names: string[], types: string[]) =>
    names.find((n) => {
      const p = props.get(n);
      if (!p) return false;
      const t = lookup.type(p);
      return t === undefined || types.includes(t);
    });
  const roles: Roles = {};
  const set = (role: keyof Roles, names: string[], types: string[]) => {
    const name = find(names, types);
    if (name) roles[role] = name;
  };
  set('type', ['error_type', 'type'], ['string']);
  set('code', ['error_code', 'code', 'error'], ['string', 'integer']);
  set('message', ['error_message', 'message', 'error_description', 'detail', 'description'], ['string']);
  set('display', ['display_message'], ['string']);
  set('requestId', ['request_id', 'requestId', 'trace_id'], ['string']);
  set('status', ['status', 'http_status'], ['integer']);
  const typeNode = roles.type ? lookup.deref(props.get(roles.type)) : undefined;
  const typeEnum = typeNode?.enum?.filter((v): v is string => typeof v === 'string');
  const nullable: string[] = [];
  for (const [name, p] of props) {
    const node = lookup.deref(p);
    if (name !== roles.message && name !== roles.code && name !== roles.type && (p.nullable || node?.nullable) && /message|reason|action|display/.test(name)) nullable.push(name);
  }
  return { typed: !!(roles.type && roles.code), roles, ...(typeEnum?.length ? { typeEnum } : {}), nullable };
}
