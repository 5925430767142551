// Error classes of the client. Every message, toString() and toJSON() goes through the client's
// redaction, so credentials never reach logs, error trackers or serialized errors.

/** Replaces every credential the client knows with [REDACTED]. */
export type Redact = (text: string) => string;

// Field names whose values are secrets wherever they appear in a body.
const SENSITIVE = /secret|password|token|authorization|api[-_]?key|credential/i;

/**
 * A deep copy of a JSON value with credentials and sensitive fields replaced. Through JSON, so a
 * `__proto__` key stays a plain key and non-JSON values (a Blob) are left out.
 */
export function scrub(value: unknown, redact: Redact): unknown {
  const json = JSON.stringify(value, (key, v: unknown) => (key && SENSITIVE.test(key) && v != null && v !== '' ? '[REDACTED]' : typeof v === 'string' ? redact(v) : v));
  return json === undefined ? undefined : JSON.parse(json);
}

/** Base class of every error the client throws. */
export class ClientError extends Error {
  override name = 'ClientError';
  /** The operation that failed (its method name on the client). */
  declare readonly operation: string;

  /** `fields`: the subclass's own properties, set here so each subclass stays a one-liner. */
  constructor(operation: string, message: string, cause?: unknown, fields?: object) {
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, { operation }, fields);
  }

  toJSON(): object {
    return Object.assign({ name: this.name, message: this.message }, this);
  }
}

/** The server answered with a status outside 2xx. `body` is the parsed error body (typed per operation). */
export class ApiError<Body = unknown> extends ClientError {
  override name = 'ApiError';
  declare readonly status: number;
  declare readonly body: Body;
  /** The server's id for this request (x-request-id header or a `request_id` body field), for support tickets. */
  declare readonly requestId: string | undefined;
  declare readonly method: string;
  /** The request path (query string left out). */
  declare readonly path: string;

  constructor(init: { operation: string; status: number; body: unknown; requestId?: string; method: string; path: string; detail?: string }, redact: Redact) {
    const b = init.body as { [key: string]: unknown } | string | undefined;
    // One line from common error bodies: Plaid (error_code, error_message), OAuth (error, error_description), RFC 7807.
    const detail = init.detail ?? (typeof b === 'string' ? b.slice(0, 200) : [b?.error_code ?? b?.code ?? b?.error, b?.error_message ?? b?.error_description ?? b?.message ?? b?.detail].filter((s) => typeof s === 'string' && s).join(' '));
    super(init.operation, redact(`${init.operation} failed: ${init.status} ${init.method} ${init.path}${detail ? `: ${detail}` : ''}`), undefined, { status: init.status, body: scrub(b, redact), requestId: init.requestId && redact(init.requestId), method: init.method, path: redact(init.path) });
  }
}

/** fetch itself failed: DNS, refused connection, reset, TLS. Retried up to maxRetries. */
export class NetworkError extends ClientError {
  override name = 'NetworkError';
  declare readonly method: string;
  declare readonly path: string;

  constructor(operation: string, method: string, path: string, cause: unknown, redact: Redact) {
    const text = cause instanceof Error ? cause.message + cause.stack : String(cause);
    // The cause is kept only when it shows no credential.
    super(operation, redact(`${operation}: ${method} ${path} failed: ${cause instanceof Error ? cause.message : text}`), redact(text) === text ? cause : undefined, { method, path: redact(path) });
  }
}

/** No complete answer within timeoutMs (per attempt). Retried up to maxRetries. */
export class TimeoutError extends ClientError {
  override name = 'TimeoutError';
  declare readonly timeoutMs: number;
  declare readonly method: string;
  declare readonly path: string;

  constructor(operation: string, method: string, path: string, timeoutMs: number, redact: Redact) {
    super(operation, redact(`${operation}: ${method} ${path} got no answer within ${timeoutMs} ms`), undefined, { timeoutMs, method, path: redact(path) });
  }
}

/** The client's scopes do not allow the operation; thrown before anything is sent. */
export class ScopeError extends ClientError {
  override name = 'ScopeError';
  /** Scopes the operation needs that the client was not given. */
  declare readonly missing: string[];
  /** Groups of which the operation needs one scope, none of which the client has. */
  declare readonly missingOneOf: string[][];

  constructor(operation: string, missing: string[], missingOneOf: string[][]) {
    const parts = [...(missing.length ? [missing.join(', ')] : []), ...missingOneOf.map((g) => `one of ${g.join(' | ')}`)];
    super(operation, `${operation} needs scope(s) this client was not granted: ${parts.join('; ')}`, undefined, { missing, missingOneOf });
  }
}

export interface ValidationIssue {
  /** JSON pointer into the validated value. */
  path: string;
  keyword: string;
  message: string;
}

/** The request body failed the generated validator (validate: 'request' or 'both'); nothing was sent. */
export class RequestValidationError extends ClientError {
  override name = 'RequestValidationError';
  declare readonly errors: ValidationIssue[];

  constructor(operation: string, errors: ValidationIssue[], redact: Redact) {
    super(operation, redact(`${operation}: invalid request body: ${summarize(errors)}`), undefined, { errors: scrub(errors, redact) });
  }
}

/** The server's answer failed the generated validator (validate: 'response' or 'both'). */
export class ResponseValidationError extends ClientError {
  override name = 'ResponseValidationError';
  declare readonly status: number;
  declare readonly errors: ValidationIssue[];
  declare readonly body: unknown;

  constructor(operation: string, status: number, body: unknown, errors: ValidationIssue[], redact: Redact) {
    super(operation, redact(`${operation}: response ${status} does not match the spec: ${summarize(errors)}`), undefined, { status, body: scrub(body, redact), errors: scrub(errors, redact) });
  }
}

function summarize(errors: ValidationIssue[]): string {
  const shown = errors.slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
  return shown.join('; ') + (errors.length > 3 ? ` (+${errors.length - 3} more)` : '');
}
