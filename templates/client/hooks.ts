// beforeRequest and afterResponse, as a plugin: createClient installs it; with createBaseClient,
// `createBaseClient(withHooks({ beforeRequest, afterResponse }))`, or a plugin of your own. Applied
// last (outermost in the code, innermost around the fetch), as createClient does, the hooks see the
// request as sent (with its token) and every answer before retries or token renewal act on it.

import { plugged, type Plugin, type RequestContext, type RuntimeOptions } from './runtime.js';

export interface HookOptions {
  /** Called before every attempt, after the client's own plugins (it sees the bearer token); may change the URL and headers. */
  beforeRequest?: (request: RequestContext) => void | Promise<void>;
  /** Called after every answer, before retries and token renewal look at it, with its parsed body. */
  afterResponse?: (response: Response, request: RequestContext, body: unknown) => void | Promise<void>;
}

/** The options with the hooks plugin added when they hold hooks. */
export function withHooks<O extends RuntimeOptions & HookOptions>(options: O): Omit<O, keyof HookOptions> {
  const { beforeRequest, afterResponse, ...rest } = options;
  if (!beforeRequest && !afterResponse) return rest;
  const plugin: Plugin = {
    request: (request) => beforeRequest?.(request),
    async response({ response, data }, request) {
      if (response) await afterResponse?.(response, request, data);
      return false;
    },
  };
  return plugged(rest, plugin);
}
