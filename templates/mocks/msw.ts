/**
 * The mock as MSW v2 request handlers: one `http.<method>` handler per operation and server URL,
 * then one catch-all per server URL that answers unknown paths in the API's error shape. Every
 * handler hands the request to the same engine as the node:http server.
 */
import type * as Msw from 'msw';
import type { MockEngine } from './runtime.js';

const SAFE_PATH = /^[A-Za-z0-9_\-./~{}]*$/;

/** MSW handlers serving `engine` on each base URL (server URLs of the spec, or your own). */
export function buildHandlers(msw: typeof Msw, engine: MockEngine, baseUrls: readonly string[]): Msw.HttpHandler[] {
  const OperationHandler = operationHandlerClass(msw);
  const handlers: Msw.HttpHandler[] = [];
  const operations = engine.api.spec.operations;
  for (const rawBase of baseUrls) {
    const trimmed = rawBase.replace(/\/+$/, '');
    const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
    // A relative server URL (or none) matches on any origin: in Node there is no page to resolve it against.
    const base = absolute ? trimmed : `*${trimmed}`;
    const basePath = pathOf(trimmed);
    const environment = engine.api.spec.servers.find((s) => s.url.replace(/\/+$/, '') === trimmed)?.env || 'sandbox';
    const resolver = async ({ request }: { request: Request }) => {
      const url = new URL(request.url);
      const path = basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : url.pathname;
      const text = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
      const reply = engine.handle({
        method: request.method,
        url: path + url.search,
        header: (name) => request.headers.get(name) ?? undefined,
        body: text,
        environment,
      });
      const body = reply.status === 204 || reply.status === 304 || reply.body === '' ? null : reply.body;
      return new msw.HttpResponse(body as BodyInit | null, { status: reply.status, headers: reply.headers });
    };
    const origin = absolute ? escapeRe(trimmed) : `[a-z][a-z0-9+.-]*://[^/]+${escapeRe(trimmed)}`;
    for (const op of operations) {
      const method = op.method.toUpperCase();
      const source = op.path
        .split(/(\{[^}]+\})/)
        .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/?#]+' : escapeRe(part)))
        .join('');
      const test = new RegExp(`^${origin}${source}(?:[?#].*)?$`);
      // Paths path-to-regexp would misread (`:` or `*` in a segment) match by the regular expression itself.
      const path = SAFE_PATH.test(op.path) ? `${base}${op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => `:${name.replace(/[^A-Za-z0-9_]/g, '_')}`)}` : test;
      handlers.push(new OperationHandler(method, path, resolver, test));
    }
    // Unknown paths under the API's base URL get the API's 404; without a base path that would be every URL anywhere.
    if (absolute || trimmed) handlers.push(msw.http.all(`${base}/*`, resolver));
  }
  return handlers;
}

type RunArgs = Parameters<Msw.HttpHandler['run']>[0];
type Resolver = ConstructorParameters<typeof Msw.HttpHandler>[2];

/**
 * An `http.<method>` handler that rules other requests out with one regular expression before
 * MSW parses them: MSW asks every handler in turn, and parsing a request (URL, path pattern,
 * cookies) for each of hundreds of operations made a call take hundreds of milliseconds.
 */
function operationHandlerClass(msw: typeof Msw) {
  return class OperationHandler extends msw.HttpHandler {
    readonly #method: string;
    readonly #test: RegExp;
    constructor(method: string, path: string | RegExp, resolver: Resolver, test: RegExp) {
      super(method, path, resolver);
      this.#method = method;
      this.#test = test;
    }
    override run(args: RunArgs): ReturnType<Msw.HttpHandler['run']> {
      if (args.request.method !== this.#method || !this.#test.test(args.request.url)) return Promise.resolve(null);
      return super.run(args);
    }
  };
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pathOf(base: string): string {
  if (base.startsWith('/')) return base;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]+(\/.*)?$/i.exec(base);
  return m?.[1] ?? '';
}
