// The client's fixed runtime: servers, credentials, request building, timeouts (AbortController,
// plus the caller's signal), hooks, error mapping, and plugins. Generated modules describe
// operations as small `Op` records and call `$call`; nothing here knows about a particular API.
// What not every program needs lives elsewhere, so a bundle holds only what it uses: parameters,
// non-JSON bodies and scope checks in features.ts (referenced by the operations needing them);
// retries (retries.ts), bearer tokens (bearer.ts) and validation (validation.ts) are plugins, which
// createClient installs and a createBaseClient program adds with withRetries() and the like.

import { ApiError, NetworkError, TimeoutError, type ClientError, type Redact } from './errors.js';

/** Puts parameter values into the URL, its query, headers and cookies (see params() in features.ts); returns the URL. */
export type ParamApplier = (url: string, values: ParamValues | undefined, headers: Headers) => string;
/** Puts an encoded `name=value` pair into the query or the cookie header; returns the URL (see place() in features.ts). */
export type Placer = (url: string, headers: Headers, location: 'query' | 'cookie', pair: string) => string;
/** Throws ScopeError when granted scopes lack what the operation needs (see needs() in features.ts). */
export type ScopeCheck = (operation: string, granted: readonly string[]) => void;
/** Encodes a body for a media type other than JSON (see encodeBody() in features.ts); may change the content-type header. */
export type BodyEncoder = (body: unknown, type: string, headers: Headers) => BodyInit;
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

/**
 * Extends what a call does (see retries.ts, bearer.ts, validation.ts, hooks.ts). Like layers around
 * the fetch, plugins see a request in their order and its outcome in the reverse order: the last
 * one added is nearest to the network. Each may throw to end the call with its error.
 */
export interface Plugin {
  /** Before each attempt: may change the URL and headers (a bearer token). */
  request?(request: RequestContext, call: CallContext): void | Promise<void>;
  /** After each attempt: true sends the request again (a retry, a renewed token), and no plugin before it sees this outcome. */
  response?(outcome: Outcome, request: RequestContext, call: CallContext): unknown;
}

/** The options with `plugin` added after the plugins already there (what withRetries() and the like return). */
export function plugged<O extends RuntimeOptions>(options: O, plugin: Plugin): O {
  return { ...options, plugins: [...(options.plugins ?? []), plugin] };
}

/** One call as plugins see it, the same object for every attempt. */
export interface CallContext {
  readonly op: Op;
  /** The request body as given, before encoding. */
  readonly body: unknown;
  readonly options: CallOptions;
  readonly client: BaseClient;
  readonly spec: ApiSpec;
  /** Keeps a credential out of every error message (returns it). */
  readonly remember: (secret: string) => string;
  readonly redact: Redact;
}

/** What one attempt gave: a response (with its parsed body), or the failure of fetch itself. */
export interface Outcome {
  /** Absent when fetch failed or timed out. */
  readonly response?: Response;
  /** A 2xx answer whose body is what it claims to be: the call returns `data`. */
  readonly ok: boolean;
  /** The parsed body (undefined when it was not valid JSON). */
  readonly data: unknown;
  /** NetworkError or TimeoutError, when there is no response. */
  readonly error?: ClientError;
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
  // @if serverVariables
  /** Values for `{variables}` in server URLs. */
  serverVariables?: Readonly<Record<string, string>>;
  // @end
  /** The fetch to use (default: the global one). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Per attempt, including reading the body; 0 turns it off. Default 60000. */
  timeoutMs?: number;
  /** Sent with every request. */
  headers?: HeadersInit;
  // @if basic
  /** HTTP basic credentials. */
  username?: string;
  password?: string;
  // @end
  /** Your own plugins; createClient adds its own after them (withValidation, withBearer, withRetries, withHooks do so around createBaseClient's options). */
  plugins?: readonly Plugin[];
  /** The scopes the client's token holds: an operation needing others fails with ScopeError before sending. */
  scopes?: readonly string[];
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Overrides the client's maxRetries for this call (with the retries plugin). */
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
// @if operationServers
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// @end

export function createRuntimeClient(o: RuntimeOptions, spec: ApiSpec): BaseClient {
  // Looked up per call: a fetch replaced after the client was created (tests, msw) is used.
  const fetchFn = o.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  const plugins = o.plugins ?? [];
  const baseUrl = pickServer(spec.servers, o);
  // @if scopes
  const granted = o.scopes && [...new Set(o.scopes.flatMap((s) => [s, ...(Object.hasOwn(spec.implies, s) ? spec.implies[s] : [])]))];
  // @else
  const granted = o.scopes;
  // @end

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
    let value = !a.t && (typeof given === 'string' ? given : a.d);
    // @if basic
    if (a.t === 'basic' && o.username !== undefined) value = `Basic ${btoa(`${remember(o.username)}:${remember(o.password ?? '')}`)}`;
    // @end
    // @if bearerSchemes
    // A fixed token. A token source or function needs withBearer(), which takes accessToken out of the options.
    if (a.t === 'bearer' && typeof given === 'string') value = `Bearer ${remember(given)}`;
    // @end
    if (value) credentials.push([a, a.a ? value : remember(value)]);
  }

  const client: BaseClient = {
    $baseUrl: baseUrl,
    $scopes: granted,
    $call: (async (op: Op, body: unknown, params: ParamValues | undefined, call: CallOptions = {}) => {
      const { id, m: method, b: media, r: binary } = op;
      // @if scopes
      if (granted && op.s) op.s(id, granted);
      // @end
      const hasBody = body !== undefined && !!media;

      const schemes = op.k ?? spec.security;
      // @if operationServers
      let url = SCHEME.test(op.p) ? op.p : (op.u && o.baseUrl === undefined ? pickServer(op.u, o) : baseUrl) + op.p;
      // @else
      let url = baseUrl + op.p;
      // @end
      const headers = new Headers(o.headers);
      for (const [a, value] of credentials) {
        if (a.a || schemes.includes(a.k ?? a.o)) {
          // @if placedKeys
          if (a.i) url = spec.c!(url, headers, a.i, `${encodeURIComponent(a.n!)}=${encodeURIComponent(value)}`);
          else headers.set(a.n ?? 'authorization', value);
          // @else
          headers.set(a.n ?? 'authorization', value);
          // @end
        }
      }
      if (op.a) url = op.a(url, params, headers);
      new Headers(call.headers).forEach((v, k) => headers.set(k, v));

      let payload: BodyInit | undefined;
      if (hasBody) {
        const type = call.contentType ?? media![0];
        headers.set('content-type', type);
        payload = JSON_TYPE.test(type) ? JSON.stringify(body) : op.x ? op.x(body, type, headers) : (body as BodyInit);
      }
      if (!headers.has('accept')) headers.set('accept', binary ? '*/*' : 'application/json');

      // For error messages only: computed when one is thrown.
      const path = () => new URL(url, 'http://h').pathname;
      const limit = call.timeoutMs ?? o.timeoutMs ?? 60_000;
      const signal = call.signal;
      const context: CallContext = { op, body, options: call, client, spec, remember, redact };
      for (let attempt = 0; ; attempt++) {
        const request: RequestContext = { operation: id, method, url, headers, body: payload, attempt };
        for (const p of plugins) await p.request?.(request, context);

        if (signal?.aborted) throw signal.reason;
        const controller = new AbortController();
        const onAbort = () => controller.abort(signal!.reason);
        signal?.addEventListener('abort', onAbort);
        let timedOut: unknown;
        const timer = limit > 0 ? setTimeout(() => controller.abort((timedOut = 1)), limit) : undefined;
        let response: Response | undefined;
        let data: unknown;
        let failure: ClientError | undefined;
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
        const broken = data instanceof SyntaxError;
        if (broken) data = undefined;
        const ok = !!response?.ok && !broken;
        const outcome: Outcome = { response, ok, data, error: failure };
        let again: unknown;
        for (let i = plugins.length; i-- > 0; ) if ((again = await plugins[i].response?.(outcome, request, context))) break;
        if (again) continue;
        if (!response) throw failure;
        if (ok) return data;
        const { status, headers: answer } = response;
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
  // @if serverVariables
  const vars: Record<string, string | undefined> = { ...server[2], ...o.serverVariables };
  return server[0].replace(/\{([^}]+)\}/g, (m, name: string) => vars[name] ?? m).replace(/\/+$/, '');
  // @else
  return server[0].replace(/\/+$/, '');
  // @end
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
