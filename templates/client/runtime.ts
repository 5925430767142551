// The client's fixed runtime: servers, credentials, request building, timeouts (AbortController,
// plus the caller's signal), retries with backoff, jitter and Retry-After, hooks, error mapping.
// Generated modules describe operations as small `Op` records and call `$call`; nothing here knows
// about a particular API. Parameters, non-JSON bodies and scope checks live in features.ts,
// validation in validation.ts: bundles include them only when an imported operation needs them.

import { ApiError, NetworkError, TimeoutError, type Redact, type ValidationIssue } from './errors.js';

/** Puts parameter values into the URL, its query, headers and cookies (see params() in features.ts); returns the URL. */
export type ParamApplier = (url: string, values: ParamValues | undefined, headers: Headers) => string;
/** Puts an encoded `name=value` pair into the query or the cookie header; returns the URL (see place() in features.ts). */
export type Placer = (url: string, headers: Headers, location: 'query' | 'cookie', pair: string) => string;
/** Throws ScopeError when granted scopes lack what the operation needs (see needs() in features.ts). */
export type ScopeCheck = (operation: string, granted: readonly string[]) => void;
/** Encodes a body for a media type other than JSON (see encodeBody() in features.ts). */
export type BodyEncoder = (body: unknown, type: string) => BodyInit;
/** A server: URL template, environment name, variable defaults. */
export type ServerSpec = readonly [url: string, name?: string, variables?: Readonly<Record<string, string>>];

/**
 * An operation as the runtime sees it. Short keys keep bundles small, and what only some
 * operations need (parameters, non-JSON bodies, scope checks) is a function the descriptor
 * references: a bundle that imports no such operation leaves that code out.
 */
export interface Op {
  /** The operation's name: its method name on the client. */
  readonly id: string;
  /** HTTP method, upper case. */
  readonly m: string;
  /** Path template, or an absolute URL. */
  readonly p: string;
  /** Request body media types, preferred first; absent when the operation takes no body. */
  readonly b?: readonly string[];
  /** Encoder for the non-JSON media types of b. */
  readonly x?: BodyEncoder;
  /** Parameters. */
  readonly a?: ParamApplier;
  /** 1 when the success body is binary (returned as a Blob). */
  readonly r?: 1;
  /** Scope needs. */
  readonly s?: ScopeCheck;
  /** Security schemes the operation accepts, when they differ from the API's ([] = no credentials). */
  readonly k?: readonly string[];
  /** Servers of this operation, when they differ from the API's. */
  readonly u?: readonly ServerSpec[];
}

/**
 * How a credential option is sent: option name, scheme key (when not the option name), kind (absent
 * for an API key), location (absent for a header), header/query/cookie name, default, always sent.
 */
export interface AuthSpec {
  readonly o: string;
  readonly k?: string;
  readonly t?: 'bearer' | 'basic';
  readonly i?: 'query' | 'cookie';
  readonly n?: string;
  readonly d?: string;
  readonly a?: 1;
}

/** What the generated code tells the runtime about the API. */
export interface ApiSpec {
  readonly servers: readonly ServerSpec[];
  readonly auth: readonly AuthSpec[];
  /** Security schemes that apply when an operation does not say otherwise. */
  readonly security: readonly string[];
  /** Scope -> scopes it grants too (transitively closed). */
  readonly implies: Readonly<Record<string, readonly string[]>>;
  /** Sends API keys in the query or a cookie; present only when the API has such keys. */
  readonly c?: Placer;
}

/** Supplies bearer tokens: a token manager from `createTokenManager`, or your own. */
export interface TokenSource {
  getToken(client: BaseClient): Promise<string>;
  /** Called with a token the server refused (401); the next getToken should return a new one. */
  invalidate?(token: string): void;
}

export type AccessToken = string | TokenSource | ((client: BaseClient) => string | Promise<string>);

export type ValidationOutcome = { ok: true; value: unknown } | { ok: false; errors: ValidationIssue[] };

/** The shape of the generated validators module (`PKG/validators`) the client uses. */
export interface ValidatorsModule {
  readonly operationValidators: { readonly [operation: string]: { readonly request?: (value: unknown) => ValidationOutcome } | undefined };
  validateOperationResponse(operation: string, status: number, body: unknown): ValidationOutcome;
}

/** What hooks see of a request about to be sent; `url` and `headers` may be changed. */
export interface RequestContext {
  readonly operation: string;
  readonly method: string;
  url: string;
  headers: Headers;
  readonly body: BodyInit | undefined;
  /** 0 for the first try, then 1, 2, ... for retries. */
  readonly attempt: number;
}

export interface RuntimeOptions {
  /** Overrides the server: every request goes to this URL plus the operation's path. */
  baseUrl?: string;
  /** Picks a server by its description, case-insensitively (`sandbox`, `production`, ...). */
  environment?: string;
  /** Values for `{variables}` in server URLs. */
  serverVariables?: Readonly<Record<string, string>>;
  /** The fetch to use (default: the global one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Per attempt, including reading the body; 0 turns it off. Default 60000. */
  timeoutMs?: number;
  /** Retries after a network error, a timeout, 408, 429 or a 5xx. Default 2. */
  maxRetries?: number;
  /** Base of the exponential backoff (with jitter). Default 500. */
  retryDelayMs?: number;
  /** Longest wait between tries; a longer Retry-After ends the retries. Default 30000. */
  maxRetryDelayMs?: number;
  /** Sent with every request. */
  headers?: HeadersInit;
  /** Bearer token, or a source of tokens (see createTokenManager). */
  accessToken?: AccessToken;
  /** HTTP basic credentials. */
  username?: string;
  password?: string;
  /** Run the generated validators on request bodies, responses, or both. Default 'off'. */
  validate?: 'off' | 'request' | 'response' | 'both';
  /** The validators module (loaded on first use by createClient when the package has one). */
  validators?: ValidatorsModule | (() => Promise<ValidatorsModule>);
  /** What runs the validators: set by createClient; with createBaseClient, wrap the options in withValidation(). */
  validation?: Validation;
  /** The scopes the client's token holds: an operation needing others fails with ScopeError before sending. */
  scopes?: readonly string[];
  /** Called before every attempt; may change the URL and headers. */
  beforeRequest?: (request: RequestContext) => void | Promise<void>;
  /** Called after every answer, with its parsed body. */
  afterResponse?: (response: Response, request: RequestContext, body: unknown) => void | Promise<void>;
}

/** Runs validators before sending and after receiving (see withValidation in validation.ts). */
export interface Validation {
  request(op: Op, body: unknown, redact: Redact): Promise<void>;
  response(op: Op, status: number, body: unknown, redact: Redact): Promise<void>;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  /** Extra headers for this call. */
  headers?: HeadersInit;
  /** Picks the request media type when the operation accepts several (default: JSON). */
  contentType?: string;
  /** false: send no bearer token (used by the token manager itself). */
  auth?: false;
}

/** Values of an operation's parameters, by location. */
export interface ParamValues {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  header?: Record<string, unknown>;
  cookie?: Record<string, unknown>;
}

export interface BaseClient<S extends string = string> {
  /** Sends one operation; every method and standalone operation function goes through it. */
  $call<R = unknown>(op: Op, body: unknown, params: ParamValues | undefined, options: CallOptions | undefined): Promise<R>;
  /** The server URL operations without servers of their own are sent to. */
  readonly $baseUrl: string;
  /** The scopes given at creation (after implied scopes are added), if any. */
  readonly $scopes: readonly S[] | undefined;
}

const JSON_TYPE = /[/+]json\b/i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function createRuntimeClient(o: RuntimeOptions, spec: ApiSpec): BaseClient {
  // Looked up per call: a fetch replaced after the client was created (tests, msw) is used.
  const fetchFn = o.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const maxDelay = o.maxRetryDelayMs ?? 30_000;
  const wait = (ms: number | undefined, attempt: number, signal?: AbortSignal) => sleep(ms ?? backoff(attempt, o.retryDelayMs ?? 500, maxDelay), signal);
  const baseUrl = pickServer(spec.servers, o);
  const granted = o.scopes && [...new Set(o.scopes.flatMap((s) => [s, ...(Object.hasOwn(spec.implies, s) ? spec.implies[s] : [])]))];
  const validation = o.validation;
  if (!validation && o.validate && o.validate !== 'off') throw new Error('validate: use createClient or withValidation()');

  // Credentials are resolved once; their values are what errors are scrubbed of.
  const secrets = new Set<string>();
  const remember = (value: string) => (value.length > 3 && secrets.add(value), value);
  const redact: Redact = (text) => {
    for (const s of secrets) text = text.split(s).join('[REDACTED]');
    return text;
  };
  const credentials: [AuthSpec, string][] = [];
  for (const a of spec.auth) {
    const given = (o as Record<string, unknown>)[a.o];
    const value = a.t === 'basic' ? o.username !== undefined && `Basic ${btoa(`${remember(o.username)}:${remember(o.password ?? '')}`)}` : !a.t && (typeof given === 'string' ? given : a.d);
    if (value) credentials.push([a, a.a ? value : remember(value)]);
  }
  const bearerSchemes = spec.auth.filter((a) => a.t === 'bearer').map((a) => a.k ?? a.o);
  const token = o.accessToken;
  if (typeof token === 'string') remember(token);

  const client: BaseClient = {
    $baseUrl: baseUrl,
    $scopes: granted,
    $call: (async (op: Op, body: unknown, params: ParamValues | undefined, call: CallOptions = {}) => {
      const { id, m: method, b: media, r: binary } = op;
      if (granted && op.s) op.s(id, granted);
      const hasBody = body !== undefined && !!media;
      if (validation && hasBody) await validation.request(op, body, redact);

      const schemes = op.k ?? spec.security;
      let url = SCHEME.test(op.p) ? op.p : (op.u && o.baseUrl === undefined ? pickServer(op.u, o) : baseUrl) + op.p;
      const headers = new Headers(o.headers);
      for (const [a, value] of credentials) {
        if (a.a || schemes.includes(a.k ?? a.o)) {
          if (a.i) url = spec.c!(url, headers, a.i, `${encodeURIComponent(a.n!)}=${encodeURIComponent(value)}`);
          else headers.set(a.n ?? 'authorization', value);
        }
      }
      const useBearer = token !== undefined && call.auth !== false && (bearerSchemes.length ? schemes.some((k) => bearerSchemes.includes(k)) : op.k?.length !== 0);
      if (op.a) url = op.a(url, params, headers);
      new Headers(call.headers).forEach((v, k) => headers.set(k, v));

      let payload: BodyInit | undefined;
      if (hasBody) {
        const type = call.contentType ?? media![0];
        payload = JSON_TYPE.test(type) ? JSON.stringify(body) : op.x ? op.x(body, type) : (body as BodyInit);
        // FormData sets its own multipart boundary.
        if (!(payload instanceof FormData)) headers.set('content-type', type);
      }
      if (!headers.has('accept')) headers.set('accept', binary ? '*/*' : 'application/json');

      // For error messages only: computed when one is thrown.
      const path = () => new URL(url, 'http://h').pathname;
      const retries = call.maxRetries ?? o.maxRetries ?? 2;
      const limit = call.timeoutMs ?? o.timeoutMs ?? 60_000;
      const signal = call.signal;
      let renewed = false;
      for (let attempt = 0; ; attempt++) {
        let bearer: string | undefined;
        if (useBearer) {
          bearer = typeof token === 'string' ? token : remember(await (typeof token === 'function' ? token(client) : token!.getToken(client)));
          headers.set('authorization', 'Bearer ' + bearer);
        }
        const request: RequestContext = { operation: id, method, url, headers, body: payload, attempt };
        await o.beforeRequest?.(request);

        if (signal?.aborted) throw signal.reason;
        const controller = new AbortController();
        const onAbort = () => controller.abort(signal!.reason);
        signal?.addEventListener('abort', onAbort);
        let timedOut: unknown;
        const timer = limit > 0 ? setTimeout(() => controller.abort((timedOut = 1)), limit) : undefined;
        let response: Response | undefined;
        let data: unknown;
        let failure: unknown;
        try {
          response = await fetchFn(request.url, { method, headers: request.headers, body: payload, signal: controller.signal });
          data = await readBody(response, !!binary && response.ok);
        } catch (error) {
          if (signal?.aborted) throw signal.reason;
          failure = timedOut ? new TimeoutError(id, method, path(), limit, redact) : new NetworkError(id, method, path(), error, redact);
        } finally {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        }
        if (!response) {
          if (attempt >= retries) throw failure;
          await wait(undefined, attempt, signal);
          continue;
        }
        await o.afterResponse?.(response, request, data);

        const { status, headers: answer } = response;
        const broken = data instanceof SyntaxError;
        if (broken) data = undefined;
        if (response.ok && !broken) {
          if (validation) await validation.response(op, status, data, redact);
          return data;
        }
        if (status === 401 && bearer !== undefined && !renewed && typeof token === 'object' && token.invalidate) {
          // A token the server no longer accepts: get a fresh one and try once more.
          renewed = true;
          token.invalidate(bearer);
          attempt--;
          continue;
        }
        // 408, 429 and 5xx but 501 (not implemented) and 505 (HTTP version) are worth retrying.
        if (attempt < retries && (status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505))) {
          const after = retryAfter(answer.get('retry-after'));
          if (!(after! > maxDelay)) {
            await wait(after, attempt, signal);
            continue;
          }
        }
        const requestId = answer.get('x-request-id') ?? answer.get('request-id') ?? (data as { request_id?: unknown } | undefined)?.request_id;
        throw new ApiError({ operation: id, status, body: data, requestId: typeof requestId === 'string' ? requestId : undefined, method, path: path(), detail: broken ? 'the response is not valid JSON' : undefined }, redact);
      }
    }) as BaseClient['$call'],
  };
  return client;
}

/** Calls `op` with method-style arguments: body (when the operation has one), parameters (when it has any), options. */
export function invoke(client: BaseClient, op: Op, args: unknown[]): Promise<unknown> {
  let i = 0;
  const body = op.b ? args[i++] : undefined;
  const params = op.a ? (args[i++] as ParamValues | undefined) : undefined;
  return client.$call(op, body, params, args[i] as CallOptions | undefined);
}

function pickServer(servers: readonly ServerSpec[], o: RuntimeOptions): string {
  const env = o.environment?.toLowerCase();
  const server: ServerSpec | undefined = o.baseUrl !== undefined ? [o.baseUrl] : env === undefined ? servers[0] : servers.find((s) => s[1] === env) ?? servers.find((s) => s[1]?.includes(env));
  if (!server) throw new Error(`unknown environment ${JSON.stringify(o.environment)}; known: ${servers.map((s) => s[1])}`);
  const vars: Record<string, string | undefined> = { ...server[2], ...o.serverVariables };
  return server[0].replace(/\{([^}]+)\}/g, (m, name: string) => vars[name] ?? m).replace(/\/+$/, '');
}

/** JSON (or JSON-looking text), text, a Blob for binary bodies, undefined when empty; a SyntaxError for broken JSON. */
async function readBody(response: Response, binary: boolean): Promise<unknown> {
  if (binary) return response.blob();
  const text = await response.text();
  const type = response.headers.get('content-type');
  if (!text || !(type ? JSON_TYPE.test(type) : /^\s*[[{]/.test(text))) return text || undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    return error;
  }
}

/** Exponential backoff with equal jitter: between half and all of base * 2^attempt, capped. */
export function backoff(attempt: number, base: number, cap: number): number {
  const full = Math.min(cap, base * 2 ** attempt);
  return full / 2 + Math.random() * (full / 2);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const ms = /^\s*\d+(\.\d+)?\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop);
  });
}
