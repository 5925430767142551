// Bearer tokens as a plugin: a fixed token, a function, or a token source such as the token manager
// (tokens.ts), which is asked again when the server refuses a token (401). createClient installs it
// when given `accessToken`; with createBaseClient, `createBaseClient(withBearer({ accessToken }))`.

import { plugged, type BaseClient, type Plugin, type RuntimeOptions } from './runtime.js';

/** Supplies bearer tokens: a token manager from `createTokenManager`, or your own. */
export interface TokenSource {
  getToken(client: BaseClient): Promise<string>;
  /** Called with a token the server refused (401); the next getToken should return a new one. */
  invalidate?(token: string): void;
}

export type AccessToken = string | TokenSource | ((client: BaseClient) => string | Promise<string>);

export interface BearerOptions {
  /** Bearer token, or a source of tokens (see createTokenManager). */
  accessToken?: AccessToken;
}

/** The options with the bearer plugin added when they hold an accessToken. */
export function withBearer<O extends RuntimeOptions & BearerOptions>(options: O): Omit<O, keyof BearerOptions> {
  const { accessToken: token, ...rest } = options;
  if (token === undefined) return rest;
  const sent = new WeakMap<object, string>();
  // The API's bearer-like schemes, found once (every call of a client shares its spec).
  let bearer: string[] | undefined;
  const renewed = new WeakSet<object>();
  const plugin: Plugin = {
    async request(request, call) {
      const { op, spec, client } = call;
      const schemes = op.k ?? spec.security;
      if (call.options.auth === false) return;
      // Operations secured by a bearer-like scheme; with none in the API, every operation that has credentials.
      const names = (bearer ??= spec.auth.filter((a) => a.t === 'bearer').map((a) => a.k ?? a.o));
      if (names.length ? !schemes.some((k) => names.includes(k)) : op.k?.length === 0) return;
      const value = call.remember(typeof token === 'string' ? token : await (typeof token === 'function' ? token(client) : token.getToken(client)));
      sent.set(call, value);
      request.headers.set('authorization', 'Bearer ' + value);
    },
    response({ response }, _request, call) {
      const value = sent.get(call);
      // A token the server no longer accepts: get a fresh one and try once more.
      if (response?.status !== 401 || value === undefined || renewed.has(call) || typeof token !== 'object' || !token.invalidate) return false;
      renewed.add(call);
      token.invalidate(value);
      return true;
    },
  };
  return plugged(rest, plugin);
}
