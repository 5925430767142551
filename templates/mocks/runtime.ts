/**
 * The mock engine: one request in, one reply out, with no I/O. The MSW handlers and the node:http
 * server are thin adapters around it, so both behave the same. What it does, in order: route,
 * read the body (size, media type, JSON), check parameters, credentials and scopes, validate the
 * body with the generated request validator, apply overrides and the Prefer header, run the
 * stateful flows, and answer with a spec example or synthesized data that passes the generated
 * response validator.
 */
import { define, hashSeed, MockGen, Rng, type GenMode, type Synth } from './gen.js';

// --- What the generated api.ts provides -------------------------------------------------------

export interface ValidationErrorLike {
  path: string;
  keyword: string;
  message: string;
}
export type ValidationResultLike = { ok: true; value?: unknown } | { ok: false; errors: ValidationErrorLike[] };
export type ValidatorLike = (value: unknown, options?: { allErrors?: boolean }) => ValidationResultLike;
export type ScopeCheckLike = (
  catalog: string,
  requested: readonly string[],
  options: { grantType?: string },
) => { ok: true } | { ok: false; error?: string; problems: { rule: string; scopes: readonly string[]; message: string }[] };

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  t?: ParamType;
  enum?: (string | number | boolean)[];
}

export interface ResponseSpec {
  status: string;
  /** The media type served (JSON first); absent when the response has no body. */
  media?: string;
  /** Served as bytes (PDF, ZIP, octet-stream...). */
  binary?: boolean;
  examples: { name?: string; value: unknown }[];
  headers: { name: string; required: boolean }[];
  /** Top-level property names of the body schema (for stateful fields). */
  props?: string[];
}

export interface Requirement {
  [scheme: string]: string[];
}

export type OpRole = 'linkToken' | 'publicToken' | 'exchange' | 'itemRemove' | 'itemPublicToken' | 'invalidate' | 'token';

export interface OperationSpec {
  name: string;
  method: string;
  path: string;
  params: ParamSpec[];
  body?: { required: boolean; media: string[]; form?: { [prop: string]: ParamType }; props?: string[] };
  security?: Requirement[];
  scopes?: { catalog: string; allOf: string[]; anyOf?: string[] }[];
  responses: ResponseSpec[];
  /** Index into `responses` of the documented success response (-1: none). */
  success: number;
  role?: OpRole;
  /** The request carries an access token that must have been issued by the stateful flow. */
  accessToken?: boolean;
}

export interface SchemeSpec {
  key: string;
  type: string;
  name?: string;
  in?: string;
  scheme?: string;
  /** A request body field that may carry the credential instead (Plaid's client_id, secret). */
  field?: string;
  /** Not enforced (API version headers have a default). */
  optional?: boolean;
}

export interface ErrorShape {
  /** The API's error body has a type and a code (Plaid's error_type / error_code). */
  typed: boolean;
  roles: { type?: string; code?: string; message?: string; display?: string; requestId?: string; status?: string };
  typeEnum?: string[];
  /** display_message and friends that may be null. */
  nullable: string[];
}

export interface CatalogSpec {
  id: string;
  errorCode: string;
  scopes: string[];
  implies: [string, string[]][];
}

export interface ApiSpec {
  title: string;
  servers: { url: string; base: string; env: string }[];
  schemes: SchemeSpec[];
  security: Requirement[];
  errors: ErrorShape;
  operations: OperationSpec[];
  catalogs: CatalogSpec[];
  /** The operation issuing OAuth tokens, and the catalog its scopes are checked against. */
  token?: { op: number; catalog?: string };
  /** Plaid's link -> public token -> access token flow is modelled. */
  plaidFlow: boolean;
}

export interface OperationSynth {
  request?: Synth;
  responses: (Synth | undefined)[];
  headers: (Synth | undefined)[][];
}

export interface MockApiDefinition {
  spec: ApiSpec;
  synth: OperationSynth[];
  /** The API's usual error body, for paths no operation answers. */
  errorSynth?: Synth;
  validators?: {
    request(operation: string): ValidatorLike | undefined;
    response(operation: string, status: number, body: unknown): ValidationResultLike;
  };
  checkScopes?: ScopeCheckLike;
}

// --- What users pass ----------------------------------------------------------------------------

export interface MockOptions {
  /** Seed of synthesized data (default 1): the same seed gives the same bodies. */
  seed?: number | string;
  /** Check request bodies with the generated request validators (default true). */
  validateRequests?: boolean;
  /** Require credentials and scopes as the spec declares them (default true). */
  auth?: boolean;
  /** Exact values API keys must have, by security scheme key or header name (default: any non-empty value). */
  apiKeys?: { [schemeOrHeader: string]: string };
  /** Bearer tokens accepted besides those the mock token endpoint issues, with their scopes. */
  tokens?: { [token: string]: readonly string[] };
  /** Per-operation answers, by operation name. */
  overrides?: { [operation: string]: MockOverride };
  /** Largest request body accepted (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
}

export interface MockOverrideValue {
  status?: number;
  /** A body to send as it is (not validated: tests use overrides to send what the spec would not). */
  body?: unknown;
  /** A named example of the spec. */
  example?: string;
  headers?: { [name: string]: string };
}

export interface MockCall {
  operation: string;
  method: string;
  path: string;
  pathParams: { [name: string]: string };
  query: URLSearchParams;
  header(name: string): string | undefined;
  body: unknown;
  state: MockState;
}

export type MockOverride = MockOverrideValue | ((call: MockCall) => MockOverrideValue | undefined | void);

export interface MockRequest {
  method: string;
  /** Path and query as sent, e.g. `/v1/pets/7?limit=2` (no origin). */
  url: string;
  header(name: string): string | undefined;
  body?: string | Uint8Array;
  /** The server environment the request went to (sandbox, production...), for issued tokens. */
  environment?: string;
}

export interface MockReply {
  status: number;
  headers: { [name: string]: string };
  body: string | Uint8Array;
}

interface TokenGrant {
  scopes: readonly string[];
  catalog?: string;
  refresh?: boolean;
}

interface ItemRecord {
  itemId: string;
  institutionId?: string;
}

/** How many tokens of each kind a mock remembers; the oldest are forgotten first (memory stays flat). */
const STATE_LIMIT = 10_000;

/** What the stateful flows remember; `reset()` forgets it. */
export class MockState {
  readonly linkTokens = new Map<string, true>();
  readonly publicTokens = new Map<string, ItemRecord>();
  readonly accessTokens = new Map<string, ItemRecord>();
  readonly bearerTokens = new Map<string, TokenGrant>();
  clear(): void {
    this.linkTokens.clear();
    this.publicTokens.clear();
    this.accessTokens.clear();
    this.bearerTokens.clear();
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.set(key, value);
  if (map.size > STATE_LIMIT) map.delete(map.keys().next().value as string);
}

type ErrorKind =
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_body'
  | 'unsupported_media'
  | 'too_large'
  | 'missing_fields'
  | 'invalid_field'
  | 'missing_credentials'
  | 'invalid_api_keys'
  | 'unauthorized'
  | 'insufficient_scope'
  | 'invalid_scope'
  | 'invalid_grant'
  | 'invalid_access_token'
  | 'invalid_public_token'
  | 'timeout'
  | 'mock_usage'
  | 'internal';

/** [status for typed (Plaid-like) errors, status otherwise, error type, error code, plain code]. */
const KINDS: { [K in ErrorKind]: [number, number, string, string, string] } = {
  not_found: [404, 404, 'INVALID_REQUEST', 'NOT_FOUND', 'not_found'],
  method_not_allowed: [404, 405, 'INVALID_REQUEST', 'NOT_FOUND', 'method_not_allowed'],
  invalid_body: [400, 400, 'INVALID_REQUEST', 'INVALID_BODY', 'invalid_body'],
  unsupported_media: [400, 415, 'INVALID_REQUEST', 'INVALID_BODY', 'unsupported_media_type'],
  too_large: [413, 413, 'INVALID_REQUEST', 'INVALID_BODY', 'payload_too_large'],
  missing_fields: [400, 400, 'INVALID_REQUEST', 'MISSING_FIELDS', 'invalid_request'],
  invalid_field: [400, 400, 'INVALID_REQUEST', 'INVALID_FIELD', 'invalid_request'],
  missing_credentials: [400, 401, 'INVALID_REQUEST', 'MISSING_FIELDS', 'unauthorized'],
  invalid_api_keys: [400, 401, 'INVALID_INPUT', 'INVALID_API_KEYS', 'unauthorized'],
  unauthorized: [401, 401, 'OAUTH_ERROR', 'INVALID_TOKEN', 'invalid_token'],
  insufficient_scope: [403, 403, 'OAUTH_ERROR', 'INSUFFICIENT_SCOPE', 'insufficient_scope'],
  invalid_scope: [400, 400, 'OAUTH_ERROR', 'INVALID_SCOPE', 'invalid_scope'],
  invalid_grant: [400, 400, 'OAUTH_ERROR', 'INVALID_GRANT', 'invalid_grant'],
  invalid_access_token: [400, 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN', 'invalid_access_token'],
  invalid_public_token: [400, 400, 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN', 'invalid_public_token'],
  timeout: [408, 408, 'INVALID_REQUEST', 'REQUEST_TIMEOUT', 'request_timeout'],
  mock_usage: [400, 400, 'INVALID_REQUEST', 'INVALID_FIELD', 'mock_usage'],
  internal: [500, 500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', 'internal_error'],
};

class Reject {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly headers?: { [name: string]: string };
  constructor(kind: ErrorKind, message: string, headers?: { [name: string]: string }) {
    this.kind = kind;
    this.message = message;
    this.headers = headers;
  }
}

interface Route {
  op: number;
  params: { [name: string]: string };
}

interface CachedBody {
  text: string | Uint8Array;
  /** The parsed JSON body, for the stateful flows to copy and patch (never mutated). */
  value?: unknown;
  /** A warning for the x-mock-warning header (e.g. an example that failed validation). */
  warning?: string;
}

const JSON_MEDIA = /^application\/(?:[\w.+-]*\+)?json$/;
const DEFAULT_MAX_BODY = 1024 * 1024;
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/** The engine behind the MSW handlers and the node:http server. Create one per server or test. */
export class MockEngine {
  readonly state = new MockState();
  /** Responses that found no example or synthesized body passing the response validator. */
  readonly invalidResponses = new Set<string>();
  private readonly spec: ApiSpec;
  private readonly seed: string;
  private readonly staticRoutes = new Map<string, number>();
  private readonly dynamicRoutes: { method: string; re: RegExp; names: string[]; op: number }[] = [];
  private readonly knownPaths: RegExp[] = [];
  private readonly cache = new Map<string, CachedBody>();
  private readonly byName = new Map<string, number>();
  private counter = 0;
  private readonly ids: Rng;
  private readonly environment: string;
  private readonly headerCache = new Map<string, { [name: string]: string }>();
  private readonly errorBases = new Map<ErrorKind, { [key: string]: unknown }>();
  private readonly hasBasePaths: boolean;
  /** Content type -> media type of the operation it matches, per operation (the hot path asks often). */
  private readonly mediaCache = new Map<string, string | null>();
  readonly maxBodyBytes: number;

  readonly api: MockApiDefinition;
  readonly options: MockOptions;

  constructor(api: MockApiDefinition, options: MockOptions = {}) {
    this.api = api;
    this.options = options;
    this.spec = api.spec;
    this.seed = String(options.seed ?? 1);
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.ids = new Rng(hashSeed(this.seed, 'ids'));
    this.hasBasePaths = this.spec.servers.some((s) => s.base !== '');
    this.environment = this.spec.servers.some((s) => s.env === 'sandbox') ? 'sandbox' : (this.spec.servers[0]?.env ?? 'sandbox');
    this.spec.operations.forEach((op, i) => {
      this.byName.set(op.name, i);
      const method = op.method.toUpperCase();
      if (!op.path.includes('{')) {
        this.staticRoutes.set(`${method} ${op.path}`, i);
        this.knownPaths.push(new RegExp(`^${escapeRe(op.path)}$`));
        return;
      }
      const names: string[] = [];
      const source = op.path
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const m = /^\{([^}]+)\}$/.exec(part);
          if (!m) return escapeRe(part);
          names.push(m[1]);
          return '([^/]+)';
        })
        .join('');
      const re = new RegExp(`^${source}$`);
      this.dynamicRoutes.push({ method, re, names, op: i });
      this.knownPaths.push(re);
    });
    for (const [token, scopes] of Object.entries(options.tokens ?? {})) this.state.bearerTokens.set(token, { scopes });
  }

  /** Forgets issued tokens and items (and re-registers `options.tokens`). */
  reset(): void {
    this.state.clear();
    for (const [token, scopes] of Object.entries(this.options.tokens ?? {})) this.state.bearerTokens.set(token, { scopes });
  }

  /** A bearer token carrying these scopes, as if the token endpoint had issued it. */
  issueToken(scopes: readonly string[], catalog?: string): string {
    const token = `mock-access-${this.id(24)}`;
    remember(this.state.bearerTokens, token, { scopes: this.expand(scopes, catalog), catalog });
    return token;
  }

  /** Handles one request; never throws. */
  handle(req: MockRequest): MockReply {
    try {
      return this.dispatch(req);
    } catch (error) {
      if (error instanceof Reject) return this.error(error.kind, error.message, error.headers);
      return this.error('internal', `the mock failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** An error reply in the API's shape, for adapters (timeouts, oversized bodies). */
  errorReply(kind: 'too_large' | 'timeout' | 'invalid_body', message: string): MockReply {
    return this.error(kind, message);
  }

  /** A response body for an operation, as the mock would serve it (for tests and fixtures). */
  responseBody(operation: string, options: { status?: number; example?: string } = {}): unknown {
    const index = this.byName.get(operation);
    if (index === undefined) throw new Error(`no operation ${operation}`);
    const op = this.spec.operations[index];
    const r = options.status === undefined ? op.success : pickResponse(op, options.status);
    if (r < 0) return undefined;
    const response = op.responses[r];
    const body = this.body(index, r, options.status ?? statusOf(response.status), options.example, false);
    return typeof body.text === 'string' && body.text !== '' && !response.binary ? JSON.parse(body.text) : body.text;
  }

  /** A request body for an operation, synthesized from its schema (valid unless the schema cannot be met). */
  requestBody(operation: string, seed: number | string = this.seed): unknown {
    const index = this.byName.get(operation);
    if (index === undefined) throw new Error(`no operation ${operation}`);
    const synth = this.api.synth[index].request;
    if (!synth) return undefined;
    const validator = this.api.validators?.request(operation);
    let value: unknown;
    for (let attempt = 0; attempt < 8; attempt++) {
      const g = new MockGen(hashSeed(seed, operation, 'request', attempt), 'request', modeFor(attempt));
      value = synth(g, 0);
      if (!validator || validator(value).ok) return value;
    }
    return value;
  }

  // --- the request pipeline ---------------------------------------------------------------

  private dispatch(req: MockRequest): MockReply {
    const method = req.method.toUpperCase();
    const q = req.url.indexOf('?');
    const rawPath = q < 0 ? req.url : req.url.slice(0, q);
    const route = this.route(method, rawPath);
    if (route === undefined) throw new Reject('not_found', `not found: ${method} ${rawPath}`);
    if (route === 'method') throw new Reject('method_not_allowed', `${method} is not allowed on ${rawPath}`);
    const op = this.spec.operations[route.op];
    const query = q < 0 ? EMPTY_QUERY : new URLSearchParams(req.url.slice(q + 1));
    const body = this.readBody(op, req);
    this.checkParams(op, route.params, query, req);
    const prefer = parsePrefer(req.header('prefer'));
    if (this.options.auth !== false) {
      this.checkCredentials(op, req, body);
      this.checkScopes(op, req);
    }
    const asksError = prefer.code !== undefined && prefer.code >= 400;
    if (this.options.validateRequests !== false && !asksError) this.validateRequest(op, body);

    const override = this.options.overrides?.[op.name];
    if (override !== undefined) {
      const value =
        typeof override === 'function'
          ? override({ operation: op.name, method, path: rawPath, pathParams: route.params, query: query === EMPTY_QUERY ? new URLSearchParams() : query, header: (n) => req.header(n), body, state: this.state })
          : override;
      if (value) return this.fromOverride(route.op, value, prefer);
    }

    if (!asksError && this.spec.plaidFlow) this.checkAccessToken(op, body);
    const status = prefer.code ?? (op.success >= 0 ? statusOf(op.responses[op.success].status) : 200);
    const r = prefer.code !== undefined ? pickResponse(op, prefer.code) : op.success;
    if (r < 0) {
      if (prefer.code !== undefined) throw new Reject('mock_usage', `${op.name} declares no response for status ${prefer.code}`);
      return { status, headers: {}, body: '' };
    }
    const served = this.body(route.op, r, status, prefer.example, prefer.dynamic);
    let text = served.text;
    if (!asksError && (op.role || (this.spec.plaidFlow && op.accessToken)) && served.value !== undefined && !op.responses[r].binary) {
      text = this.stateful(op, r, body, copyTop(served.value), req.environment ?? this.environment);
    }
    const headers = this.responseHeaders(route.op, r);
    return { status, headers: served.warning ? { ...headers, 'x-mock-warning': served.warning } : headers, body: text };
  }

  private route(method: string, rawPath: string): Route | 'method' | undefined {
    for (const path of this.candidatePaths(rawPath)) {
      const exact = this.staticRoutes.get(`${method} ${path}`);
      if (exact !== undefined) return { op: exact, params: {} };
      for (const r of this.dynamicRoutes) {
        if (r.method !== method) continue;
        const m = r.re.exec(path);
        if (!m) continue;
        const params: { [name: string]: string } = {};
        r.names.forEach((name, i) => define(params, name, safeDecode(m[i + 1])));
        return { op: r.op, params };
      }
    }
    for (const path of this.candidatePaths(rawPath)) if (this.knownPaths.some((re) => re.test(path))) return 'method';
    return undefined;
  }

  /** The path as sent, and without each server's base path (`/v1`). */
  private candidatePaths(rawPath: string): string[] {
    if (!this.hasBasePaths) return [rawPath];
    const out = [rawPath];
    for (const server of this.spec.servers) {
      if (server.base && rawPath.startsWith(server.base) && (rawPath.length === server.base.length || rawPath[server.base.length] === '/')) {
        out.unshift(rawPath.slice(server.base.length) || '/');
      }
    }
    return out;
  }

  private readBody(op: OperationSpec, req: MockRequest): unknown {
    if (!op.body) return undefined;
    const raw = req.body;
    if (raw !== undefined && tooLarge(raw, this.maxBodyBytes)) throw new Reject('too_large', `request body exceeds ${this.maxBodyBytes} bytes`);
    const text = raw === undefined ? '' : typeof raw === 'string' ? raw : new TextDecoder().decode(raw);
    if (!/\S/.test(text)) {
      if (op.body.required) throw new Reject('invalid_body', 'body could not be parsed as JSON: the request body is empty');
      return undefined;
    }
    const header = req.header('content-type') ?? '';
    const cacheKey = `${op.name}\u0000${header}`;
    let media = this.mediaCache.get(cacheKey);
    if (media === undefined) {
      const contentType = header.split(';')[0].trim().toLowerCase();
      media = op.body.media.find((m) => m === contentType || (JSON_MEDIA.test(m) && JSON_MEDIA.test(contentType))) ?? null;
      if (this.mediaCache.size < 10_000) this.mediaCache.set(cacheKey, media);
    }
    if (!media) {
      const contentType = header.split(';')[0].trim().toLowerCase();
      throw new Reject('unsupported_media', `content-type ${contentType ? `'${contentType}'` : 'is missing; it'} must be ${op.body.media.map((m) => `'${m}'`).join(' or ')}`);
    }
    if (JSON_MEDIA.test(media)) {
      try {
        return JSON.parse(text);
      } catch {
        throw new Reject('invalid_body', 'body could not be parsed as JSON');
      }
    }
    if (media === 'application/x-www-form-urlencoded') return parseForm(text, op.body.form ?? {});
    return text;
  }

  private checkParams(op: OperationSpec, pathParams: { [name: string]: string }, query: URLSearchParams, req: MockRequest): void {
    const missing: string[] = [];
    for (const p of op.params) {
      let value: string | undefined;
      if (p.in === 'path') value = Object.prototype.hasOwnProperty.call(pathParams, p.name) ? pathParams[p.name] : undefined;
      else if (p.in === 'query') value = query.get(p.name) ?? undefined;
      else if (p.in === 'header') value = req.header(p.name.toLowerCase());
      else value = readCookie(req.header('cookie'), p.name);
      if (value === undefined) {
        if (p.required) missing.push(`${p.in} parameter ${p.name}`);
        continue;
      }
      const problem = checkParam(p, value);
      if (problem) throw new Reject('invalid_field', `${p.in} parameter ${p.name} ${problem}`);
    }
    if (missing.length) throw new Reject('missing_fields', `the following required fields are missing: ${missing.join(', ')}`);
  }

  private checkCredentials(op: OperationSpec, req: MockRequest, body: unknown): void {
    const requirements = op.security ?? this.spec.security;
    if (requirements.length === 0) return;
    let firstFailure: Reject | undefined;
    for (const requirement of requirements) {
      const failure = this.checkRequirement(requirement, req, body);
      if (!failure) return;
      firstFailure ??= failure;
    }
    if (firstFailure) throw firstFailure;
  }

  private checkRequirement(requirement: Requirement, req: MockRequest, body: unknown): Reject | undefined {
    const missing: string[] = [];
    for (const key of Object.keys(requirement)) {
      const scheme = this.spec.schemes.find((s) => s.key === key);
      if (!scheme || scheme.optional) continue;
      if (scheme.type === 'apiKey') {
        const value = apiKeyValue(scheme, req, body);
        if (value === undefined || value === '') {
          missing.push(scheme.field ?? scheme.name ?? key);
          continue;
        }
        const expected = this.options.apiKeys?.[scheme.key] ?? (scheme.name ? this.options.apiKeys?.[scheme.name] : undefined);
        if (expected !== undefined && expected !== value) return new Reject('invalid_api_keys', `invalid ${scheme.field ?? scheme.name ?? key} provided`);
      } else if (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'basic') {
        if (!/^basic\s+\S/i.test(req.header('authorization') ?? '')) return new Reject('unauthorized', 'missing HTTP basic credentials', { 'www-authenticate': 'Basic' });
      } else if (scheme.type === 'http' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
        const token = bearer(req);
        if (!token) return new Reject('unauthorized', 'missing bearer token', { 'www-authenticate': 'Bearer' });
        // Only tokens this mock issued (or was given) carry scopes; scope needs are checked next.
        if ((scheme.type !== 'http' || requirement[key].length) && !this.state.bearerTokens.has(token)) {
          return new Reject('unauthorized', 'the bearer token is not valid', { 'www-authenticate': 'Bearer error="invalid_token"' });
        }
      }
    }
    if (missing.length) return new Reject('missing_credentials', `the following required fields are missing: ${missing.join(', ')}`);
    return undefined;
  }

  private checkScopes(op: OperationSpec, req: MockRequest): void {
    if (!op.scopes?.length) return;
    const token = bearer(req);
    const wanted = op.scopes.flatMap((n) => [...n.allOf, ...(n.anyOf ?? [])]).join(' ');
    if (!token) throw new Reject('unauthorized', `${op.name} needs a bearer token with scope ${wanted}`, { 'www-authenticate': `Bearer scope="${headerSafe(wanted)}"` });
    const grant = this.state.bearerTokens.get(token);
    if (!grant) throw new Reject('unauthorized', 'the bearer token is not valid', { 'www-authenticate': 'Bearer error="invalid_token"' });
    const missing: string[] = [];
    for (const need of op.scopes) {
      for (const scope of need.allOf) if (!hasScope(grant.scopes, scope)) missing.push(scope);
      if (need.anyOf?.length && !need.anyOf.some((s) => hasScope(grant.scopes, s))) missing.push(`one of ${need.anyOf.join(' | ')}`);
    }
    if (missing.length) {
      throw new Reject('insufficient_scope', `insufficient scope: ${op.name} needs ${missing.join(', ')}`, {
        'www-authenticate': `Bearer error="insufficient_scope", scope="${headerSafe(wanted)}"`,
      });
    }
  }

  private validateRequest(op: OperationSpec, body: unknown): void {
    if (!op.body || body === undefined) return;
    const validator = this.api.validators?.request(op.name);
    if (!validator) return;
    if (validator(body).ok) return;
    const result = validator(body, { allErrors: true });
    if (result.ok) return;
    const missing = result.errors.filter((e) => e.keyword === 'required');
    if (missing.length) throw new Reject('missing_fields', `the following required fields are missing: ${unique(missing.map((e) => fieldName(e.path))).join(', ')}`);
    const first = result.errors[0];
    throw new Reject('invalid_field', `${fieldName(first.path) || 'body'} ${first.message.replace(/^must\b/, 'must')}`);
  }

  private checkAccessToken(op: OperationSpec, body: unknown): void {
    if (!op.accessToken || !isObject(body)) return;
    const token = body.access_token;
    if (typeof token !== 'string') return;
    if (!this.state.accessTokens.has(token)) {
      throw new Reject('invalid_access_token', /^access-[a-z]+-/.test(token) ? 'could not find matching access token' : 'provided access token is in an invalid format. expected format: access-<environment>-<identifier>');
    }
  }

  // --- responses ------------------------------------------------------------------------------

  private fromOverride(opIndex: number, value: MockOverrideValue, prefer: Prefer): MockReply {
    const op = this.spec.operations[opIndex];
    const status = value.status ?? prefer.code ?? (op.success >= 0 ? statusOf(op.responses[op.success].status) : 200);
    const headers: { [name: string]: string } = {};
    let text: string | Uint8Array;
    if (value.body !== undefined) {
      text = typeof value.body === 'string' || value.body instanceof Uint8Array ? value.body : JSON.stringify(value.body);
      if (typeof value.body !== 'string' && !(value.body instanceof Uint8Array)) headers['content-type'] = 'application/json';
    } else {
      const r = pickResponse(op, status);
      if (r < 0) throw new Reject('mock_usage', `${op.name} declares no response for status ${status}`);
      text = this.body(opIndex, r, status, value.example ?? prefer.example, false).text;
      Object.assign(headers, this.responseHeaders(opIndex, r));
    }
    for (const [k, v] of Object.entries(value.headers ?? {})) headers[k.toLowerCase()] = v;
    return { status, headers, body: text };
  }

  /** Content type and the spec's response headers; the same object for every answer (never mutated). */
  private responseHeaders(opIndex: number, r: number): { [name: string]: string } {
    const key = `${opIndex}|${r}`;
    const hit = this.headerCache.get(key);
    if (hit) return hit;
    const op = this.spec.operations[opIndex];
    const response = op.responses[r];
    const headers: { [name: string]: string } = {};
    if (response.media) headers['content-type'] = JSON_MEDIA.test(response.media) ? `${response.media}; charset=utf-8` : response.media;
    const synths = this.api.synth[opIndex].headers[r] ?? [];
    response.headers.forEach((h, i) => {
      const synth = synths[i];
      if (!synth || /^content-(type|length)$/i.test(h.name)) return;
      const g = new MockGen(hashSeed(this.seed, op.name, response.status, h.name), 'response');
      g.key = h.name;
      const value = synth(g, 1);
      headers[h.name.toLowerCase()] = typeof value === 'string' ? value : JSON.stringify(value);
    });
    this.headerCache.set(key, headers);
    return headers;
  }

  /**
   * The body for one response: the named example, else the first example that passes the response
   * validator, else synthesized data (a few seeds, then less realism) that passes it. Cached, so
   * the same request gets the same bytes and the hot path is a map lookup.
   */
  private body(opIndex: number, r: number, status: number, example: string | undefined, dynamic: boolean): CachedBody {
    const key = `${opIndex}|${r}|${status}|${example ?? ''}`;
    if (!dynamic) {
      const hit = this.cache.get(key);
      if (hit) return hit;
    }
    const op = this.spec.operations[opIndex];
    const response = op.responses[r];
    let out: CachedBody;
    if (!response.media) out = { text: '' };
    else if (response.binary) out = { text: binaryBody(response.media) };
    else {
      const validate = (value: unknown) => !this.api.validators || this.api.validators.response(op.name, status, value).ok;
      let warning: string | undefined;
      let chosen: { value: unknown } | undefined;
      if (example !== undefined) {
        const named = response.examples.find((e) => e.name === example);
        if (!named) {
          const names = response.examples.map((e) => e.name).filter(Boolean);
          throw new Reject('mock_usage', `${op.name} has no example named '${example}' for status ${response.status}${names.length ? ` (examples: ${names.join(', ')})` : ''}`);
        }
        if (validate(named.value)) chosen = named;
        else warning = `example '${example}' fails the response schema; serving synthesized data`;
      } else if (!dynamic) {
        chosen = response.examples.find((e) => validate(e.value));
        if (!chosen && response.examples.length) warning = 'the spec examples fail the response schema; serving synthesized data';
      }
      if (!chosen) {
        const synth = this.api.synth[opIndex].responses[r];
        const round = dynamic ? ++this.counter : 0;
        let value: unknown = null;
        let valid = false;
        for (let attempt = 0; synth && attempt < 8 && !valid; attempt++) {
          const g = new MockGen(hashSeed(this.seed, op.name, response.status, round, attempt), 'response', modeFor(attempt));
          value = synth(g, 0);
          valid = validate(value);
        }
        if (!valid && synth) {
          this.invalidResponses.add(`${op.name} ${response.status}`);
          warning = 'no synthesized body passes the response schema';
        }
        chosen = { value };
      }
      out = { text: JSON.stringify(chosen.value) ?? 'null', value: chosen.value, warning };
    }
    if (!dynamic) this.cache.set(key, out);
    return out;
  }

  /** Plaid's flows: tokens issued by one call and required by the next. */
  private stateful(op: OperationSpec, r: number, request: unknown, body: unknown, env: string): string {
    if (!isObject(body)) return JSON.stringify(body);
    const req = isObject(request) ? request : {};
    const props = op.responses[r].props ?? Object.keys(body);
    const set = (name: string, value: unknown) => {
      if (props.includes(name) || Object.prototype.hasOwnProperty.call(body, name)) define(body, name, value);
    };
    switch (op.role) {
      case 'linkToken': {
        const token = `link-${env}-${this.uuid()}`;
        remember(this.state.linkTokens, token, true);
        set('link_token', token);
        break;
      }
      case 'publicToken': {
        const token = `public-${env}-${this.uuid()}`;
        remember(this.state.publicTokens, token, { itemId: this.id(37), institutionId: typeof req.institution_id === 'string' ? req.institution_id : undefined });
        set('public_token', token);
        break;
      }
      case 'itemPublicToken': {
        const item = typeof req.access_token === 'string' ? this.state.accessTokens.get(req.access_token) : undefined;
        const token = `public-${env}-${this.uuid()}`;
        remember(this.state.publicTokens, token, item ?? { itemId: this.id(37) });
        set('public_token', token);
        break;
      }
      case 'exchange': {
        const publicToken = req.public_token;
        const item = typeof publicToken === 'string' ? this.state.publicTokens.get(publicToken) : undefined;
        if (!item) throw new Reject('invalid_public_token', 'provided public token is expired. Public tokens expire 30 minutes after creation at which point they can no longer be exchanged');
        this.state.publicTokens.delete(publicToken as string);
        const token = `access-${env}-${this.uuid()}`;
        remember(this.state.accessTokens, token, item);
        set('access_token', token);
        set('item_id', item.itemId);
        break;
      }
      case 'invalidate': {
        const old = typeof req.access_token === 'string' ? this.state.accessTokens.get(req.access_token) : undefined;
        if (old) {
          this.state.accessTokens.delete(req.access_token as string);
          const token = `access-${env}-${this.uuid()}`;
          remember(this.state.accessTokens, token, old);
          set('new_access_token', token);
        }
        break;
      }
      case 'itemRemove':
        if (typeof req.access_token === 'string') this.state.accessTokens.delete(req.access_token);
        break;
      case 'token':
        this.issueFromEndpoint(req, set);
        break;
    }
    // Later calls on an Item see its item_id.
    if (op.accessToken && typeof req.access_token === 'string' && op.role !== 'itemRemove') {
      const item = this.state.accessTokens.get(req.access_token);
      if (item) {
        if (Object.prototype.hasOwnProperty.call(body, 'item_id')) define(body, 'item_id', item.itemId);
        const nested = body.item;
        if (isObject(nested) && Object.prototype.hasOwnProperty.call(nested, 'item_id')) define(nested, 'item_id', item.itemId);
      }
    }
    return JSON.stringify(body);
  }

  /** The mock OAuth token endpoint: checks the requested scopes with the catalog's rules. */
  private issueFromEndpoint(req: { [key: string]: unknown }, set: (name: string, value: unknown) => void): void {
    const grantType = typeof req.grant_type === 'string' ? req.grant_type : undefined;
    const catalog = this.spec.token?.catalog;
    let requested = typeof req.scope === 'string' ? req.scope.split(/\s+/).filter(Boolean) : Array.isArray(req.scope) ? req.scope.map(String) : undefined;
    if (grantType === 'refresh_token') {
      const previous = typeof req.refresh_token === 'string' ? this.state.bearerTokens.get(req.refresh_token) : undefined;
      if (!previous || !previous.refresh) throw new Reject('invalid_grant', 'the refresh token is not valid');
      requested ??= [...previous.scopes];
      const extra = requested.filter((s) => !hasScope(previous.scopes, s));
      if (extra.length) throw new Reject('invalid_scope', `invalid_scope: ${extra.join(' ')} exceeds the scope originally granted`);
    } else if (requested?.length && catalog !== undefined) {
      const result = this.checkScopeSet(catalog, requested, grantType);
      if (!result.ok) throw new Reject('invalid_scope', `${result.error ?? 'invalid_scope'}: ${result.problems.map((p) => p.message).join('; ')}`);
    }
    const scopes = this.expand(requested ?? [], catalog);
    const access = `mock-access-${this.id(24)}`;
    const refresh = `mock-refresh-${this.id(24)}`;
    remember(this.state.bearerTokens, access, { scopes, catalog });
    remember(this.state.bearerTokens, refresh, { scopes, catalog, refresh: true });
    set('access_token', access);
    set('refresh_token', refresh);
    set('token_type', 'Bearer');
    set('expires_in', 3600);
    set('scope', scopes.join(' '));
    if (typeof req.subject_token === 'string') set('issued_token_type', 'urn:ietf:params:oauth:token-type:access_token');
  }

  private checkScopeSet(catalogId: string, requested: string[], grantType: string | undefined): ReturnType<ScopeCheckLike> {
    if (this.api.checkScopes) return this.api.checkScopes(catalogId, requested, grantType ? { grantType } : {});
    // Without the scopes module: every requested scope must be one the catalog defines.
    const catalog = this.spec.catalogs.find((c) => c.id === catalogId);
    const unknownScopes = catalog ? requested.filter((s) => !hasScope(catalog.scopes, s) && !catalog.scopes.some((c) => c.includes('{') && s.startsWith(c.slice(0, c.indexOf('{'))))) : [];
    if (unknownScopes.length === 0) return { ok: true };
    return { ok: false, error: catalog?.errorCode ?? 'invalid_scope', problems: [{ rule: 'unknown', scopes: unknownScopes, message: `unknown scope ${unknownScopes.join(', ')}` }] };
  }

  /** Scopes plus those they imply (catalog `implies` rules). */
  private expand(scopes: readonly string[], catalogId: string | undefined): string[] {
    const out = [...scopes];
    const catalog = this.spec.catalogs.find((c) => c.id === catalogId) ?? (this.spec.catalogs.length === 1 ? this.spec.catalogs[0] : undefined);
    for (let i = 0; i < out.length; i++) {
      for (const [scope, implied] of catalog?.implies ?? []) if (scope === out[i]) for (const s of implied) if (!out.includes(s)) out.push(s);
    }
    return out;
  }

  /** An error body in the API's own error shape (Plaid: error_type, error_code, error_message...). */
  private error(kind: ErrorKind, message: string, extraHeaders?: { [name: string]: string }): MockReply {
    const shape = this.spec.errors;
    const [typedStatus, plainStatus, type, code, plainCode] = KINDS[kind];
    const status = shape.typed ? typedStatus : plainStatus;
    const roles = shape.roles;
    let body: { [key: string]: unknown };
    if (!roles.code && !roles.message) {
      body = { error: plainCode, message };
    } else {
      // The API's error body with only its required fields, synthesized once per kind.
      let base = this.errorBases.get(kind);
      if (!base) {
        const value = this.api.errorSynth?.(new MockGen(hashSeed(this.seed, 'error', kind), 'response', 2), 0);
        base = isObject(value) ? value : {};
        this.errorBases.set(kind, base);
      }
      body = copyTop(base) as { [key: string]: unknown };
      for (const name of shape.nullable) define(body, name, null);
      if (roles.type) define(body, roles.type, shape.typeEnum && !shape.typeEnum.includes(type) ? (shape.typeEnum.includes('INVALID_REQUEST') ? 'INVALID_REQUEST' : shape.typeEnum[0]) : type);
      if (roles.code) define(body, roles.code, shape.typed ? code : plainCode);
      if (roles.message) define(body, roles.message, message);
      if (roles.requestId) define(body, roles.requestId, this.id(15));
      if (roles.status && Object.prototype.hasOwnProperty.call(body, roles.status)) define(body, roles.status, status);
    }
    const headers: { [name: string]: string } = { 'content-type': 'application/json; charset=utf-8', ...extraHeaders };
    return { status, headers, body: JSON.stringify(body) };
  }

  /** Ids and tokens come from one PRNG per engine: a seeded server issues the same sequence every run. */
  private id(n: number): string {
    return this.ids.alnum(n);
  }

  private uuid(): string {
    return this.ids.uuid();
  }
}

// --- helpers ------------------------------------------------------------------------------------

const EMPTY_QUERY = new URLSearchParams();

/** A copy of an object's top level and of its `item` (the fields the flows patch). */
function copyTop(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: { [key: string]: unknown } = {};
  for (const key of Object.keys(value)) define(out, key, value[key]);
  if (isObject(out.item)) out.item = { ...out.item };
  return out;
}

function modeFor(attempt: number): GenMode {
  return attempt < 4 ? 0 : attempt < 6 ? 1 : 2;
}

function statusOf(status: string): number {
  if (/^\d{3}$/.test(status)) return Number(status);
  if (/^\dXX$/i.test(status)) return Number(status[0]) * 100;
  return 200;
}

/** Exact status, then its range (4XX), then default. */
export function pickResponse(op: OperationSpec, status: number): number {
  const exact = op.responses.findIndex((r) => r.status === String(status));
  if (exact >= 0) return exact;
  const range = op.responses.findIndex((r) => r.status.toUpperCase() === `${String(status)[0]}XX`);
  if (range >= 0) return range;
  return op.responses.findIndex((r) => r.status === 'default');
}

interface Prefer {
  code?: number;
  example?: string;
  dynamic: boolean;
}

/** `Prefer: code=404, example=name, dynamic=true` (as Prism reads it). */
export function parsePrefer(header: string | undefined): Prefer {
  const out: Prefer = { dynamic: false };
  if (!header) return out;
  for (const m of header.matchAll(/([a-z]+)\s*=\s*("([^"]*)"|[^,;\s]*)/gi)) {
    const name = m[1].toLowerCase();
    const value = m[3] ?? m[2];
    if (name === 'code' && /^[1-5]\d\d$/.test(value)) out.code = Number(value);
    else if (name === 'example') out.example = value;
    else if (name === 'dynamic') out.dynamic = value === 'true';
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Whether a body exceeds `max` bytes; counts UTF-8 bytes only when the length alone cannot tell. */
function tooLarge(raw: string | Uint8Array, max: number): boolean {
  if (typeof raw !== 'string') return raw.byteLength > max;
  if (raw.length > max) return true;
  return raw.length * 3 > max && byteLength(raw) > max;
}

function byteLength(s: string): number {
  // Fast path: ASCII-only strings are their length.
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) n += c > 0x7ff ? (c >= 0xd800 && c <= 0xdbff ? 1 : 2) : 1;
  }
  return n;
}

function isObject(v: unknown): v is { [key: string]: unknown } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** `/user/client_user_id` -> `user.client_user_id`; `/products/0` -> `products[0]`. */
function fieldName(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function headerSafe(s: string): string {
  return s.replace(/["\\\r\n]/g, '');
}

function bearer(req: MockRequest): string | undefined {
  const m = /^bearer\s+(\S+)/i.exec(req.header('authorization') ?? '');
  return m ? m[1] : undefined;
}

function hasScope(granted: readonly string[], scope: string): boolean {
  if (granted.includes(scope)) return true;
  const brace = scope.indexOf('{');
  return brace > 0 && granted.some((g) => g.startsWith(scope.slice(0, brace)));
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return safeDecode(part.slice(eq + 1).trim());
  }
  return undefined;
}

function apiKeyValue(scheme: SchemeSpec, req: MockRequest, body: unknown): string | undefined {
  let value: string | undefined;
  if (scheme.in === 'header' && scheme.name) value = req.header(scheme.name.toLowerCase());
  else if (scheme.in === 'query' && scheme.name) {
    const q = req.url.indexOf('?');
    value = q < 0 ? undefined : (new URLSearchParams(req.url.slice(q + 1)).get(scheme.name) ?? undefined);
  } else if (scheme.in === 'cookie' && scheme.name) value = readCookie(req.header('cookie'), scheme.name);
  if ((value === undefined || value === '') && scheme.field && isObject(body)) {
    const field = body[scheme.field];
    if (typeof field === 'string') value = field;
  }
  return value;
}

function checkParam(p: ParamSpec, value: string): string | undefined {
  switch (p.t) {
    case 'integer':
      if (!/^-?\d+$/.test(value)) return 'must be an integer';
      break;
    case 'number':
      if (value.trim() === '' || !Number.isFinite(Number(value))) return 'must be a number';
      break;
    case 'boolean':
      if (value !== 'true' && value !== 'false') return 'must be true or false';
      break;
  }
  if (p.enum && !p.enum.some((e) => String(e) === value)) return `must be one of ${p.enum.join(', ')}`;
  return undefined;
}

function parseForm(text: string, types: { [prop: string]: ParamType }): { [key: string]: unknown } {
  const params = new URLSearchParams(text);
  const out: { [key: string]: unknown } = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    const type = Object.prototype.hasOwnProperty.call(types, name) ? types[name] : 'string';
    const one = values[values.length - 1];
    let value: unknown = one;
    if (type === 'array') value = values.length === 1 && one.includes(',') ? one.split(',') : values;
    else if ((type === 'integer' || type === 'number') && one.trim() !== '' && Number.isFinite(Number(one))) value = Number(one);
    else if (type === 'boolean' && (one === 'true' || one === 'false')) value = one === 'true';
    else if (type === 'object') {
      try {
        value = JSON.parse(one);
      } catch {
        value = one;
      }
    }
    define(out, name, value);
  }
  return out;
}

function binaryBody(media: string): string | Uint8Array {
  if (media === 'application/pdf') return PDF;
  if (media === 'application/zip') return new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);
  if (media.startsWith('text/')) return 'mock';
  return new Uint8Array([0x6d, 0x6f, 0x63, 0x6b]);
}
