// OAuth 2 token manager: client_credentials, refresh_token before expiry, RFC 8693 token exchange.
// One refresh at a time: concurrent calls that need a token share the request in flight.

import { ApiError } from './errors.js';
import type { TokenSource } from './bearer.js';
import type { BaseClient, Op } from './runtime.js';

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; absent when the server gave no expires_in. */
  expiresAt?: number;
  scope?: string;
  tokenType?: string;
}

export interface TokenManagerOptions {
  /** Sent as client_id in the token request body (APIs that take it in a header get it from the client). */
  clientId?: string;
  /** Sent as client_secret in the token request body. */
  clientSecret?: string;
  /** Scopes to ask for: a space-separated string or a list. */
  scope?: string | readonly string[];
  audience?: string;
  resource?: string;
  /** Start from a refresh token instead of client_credentials. */
  refreshToken?: string;
  /** Get the first token by RFC 8693 token exchange instead of client_credentials. */
  subjectToken?: string;
  subjectTokenType?: string;
  /** Refresh this long before the token expires (default 60 s, at most half the token's lifetime). */
  refreshSkewMs?: number;
  /** Media type of token requests (default: form when the endpoint accepts it, else JSON). */
  contentType?: string;
  /** Called with every new token set, e.g. to persist the refresh token. */
  onTokens?: (tokens: TokenSet) => void;
  /** Clock, for tests. */
  now?: () => number;
}

export interface ExchangeParams {
  subjectToken: string;
  subjectTokenType: string;
  audience?: string;
  scope?: string | readonly string[];
  resource?: string;
  requestedTokenType?: string;
  actorToken?: string;
  actorTokenType?: string;
}

export interface TokenManager extends TokenSource {
  /** A valid access token: cached, refreshed before expiry, fetched once however many callers wait. */
  getToken(client: BaseClient): Promise<string>;
  /** Forgets an access token the server refused; the refresh token is kept. */
  invalidate(token?: string): void;
  /** RFC 8693 token exchange; returns the new tokens without replacing this manager's own. */
  exchange(client: BaseClient, params: ExchangeParams): Promise<TokenSet>;
  /** The current tokens, if any (do not log them). */
  current(): TokenSet | undefined;
}

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export function tokenManager(endpoint: Op, options: TokenManagerOptions = {}): TokenManager {
  const now = options.now ?? Date.now;
  const contentType = options.contentType ?? endpoint.b?.find((t) => /x-www-form-urlencoded/i.test(t)) ?? endpoint.b?.[0];
  let tokens: TokenSet | undefined = options.refreshToken ? { accessToken: '', refreshToken: options.refreshToken, expiresAt: 0 } : undefined;
  let pending: Promise<TokenSet> | undefined;
  // When each token set was asked for: its lifetime bounds the refresh skew.
  const issued = new WeakMap<TokenSet, number>();

  const scope = (s: string | readonly string[] | undefined) => (s === undefined ? undefined : typeof s === 'string' ? s : s.join(' '));
  const request = async (client: BaseClient, fields: Record<string, string | undefined>): Promise<TokenSet> => {
    const body: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...fields, client_id: options.clientId, client_secret: options.clientSecret })) if (v !== undefined) body[k] = v;
    const sent = now();
    const res = (await client.$call(endpoint, body, undefined, { auth: false, contentType })) as Record<string, unknown>;
    if (!res || typeof res.access_token !== 'string') throw new Error('the token endpoint answered without an access_token');
    const set: TokenSet = {
      accessToken: res.access_token,
      refreshToken: typeof res.refresh_token === 'string' ? res.refresh_token : undefined,
      expiresAt: typeof res.expires_in === 'number' ? sent + res.expires_in * 1000 : undefined,
      scope: typeof res.scope === 'string' ? res.scope : undefined,
      tokenType: typeof res.token_type === 'string' ? res.token_type : undefined,
    };
    issued.set(set, sent);
    return set;
  };

  const initial = (client: BaseClient) =>
    options.subjectToken !== undefined
      ? request(client, { grant_type: TOKEN_EXCHANGE, subject_token: options.subjectToken, subject_token_type: options.subjectTokenType, audience: options.audience, resource: options.resource, scope: scope(options.scope) })
      : request(client, { grant_type: 'client_credentials', scope: scope(options.scope), audience: options.audience, resource: options.resource });

  const obtain = async (client: BaseClient): Promise<TokenSet> => {
    const refreshToken = tokens?.refreshToken;
    let next: TokenSet;
    if (refreshToken) {
      try {
        next = await request(client, { grant_type: 'refresh_token', refresh_token: refreshToken, scope: scope(options.scope) });
      } catch (error) {
        // A refresh token that expired or was revoked: start over when the manager can.
        // (A manager seeded with someone's refresh token must not silently switch to a client token.)
        const canRestart = options.subjectToken !== undefined || !options.refreshToken;
        if (!(error instanceof ApiError) || error.status >= 500 || !canRestart) throw error;
        next = await initial(client);
      }
      // Servers that do not rotate refresh tokens leave it out of the answer: keep the old one.
      next.refreshToken ??= refreshToken;
    } else {
      next = await initial(client);
    }
    tokens = next;
    options.onTokens?.(next);
    return next;
  };

  const fresh = (t: TokenSet | undefined): t is TokenSet => {
    if (!t || !t.accessToken) return false;
    if (t.expiresAt === undefined) return true;
    const skew = Math.min(options.refreshSkewMs ?? 60_000, (t.expiresAt - (issued.get(t) ?? t.expiresAt)) / 2);
    return now() < t.expiresAt - skew;
  };

  return {
    getToken(client) {
      if (fresh(tokens)) return Promise.resolve(tokens.accessToken);
      pending ??= obtain(client).finally(() => {
        pending = undefined;
      });
      return pending.then((t) => t.accessToken);
    },
    invalidate(token) {
      if (tokens && (token === undefined || token === tokens.accessToken)) tokens = { ...tokens, accessToken: '' };
    },
    exchange(client, p) {
      return request(client, {
        grant_type: TOKEN_EXCHANGE,
        subject_token: p.subjectToken,
        subject_token_type: p.subjectTokenType,
        audience: p.audience,
        scope: scope(p.scope),
        resource: p.resource,
        requested_token_type: p.requestedTokenType,
        actor_token: p.actorToken,
        actor_token_type: p.actorTokenType,
      });
    },
    current: () => tokens,
  };
}
