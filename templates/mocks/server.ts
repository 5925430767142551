/**
 * The mock as a plain node:http server (no MSW needed): what people run Prism for. Node's own
 * types are not required to compile this file; the few node:http shapes it uses are declared here.
 */
import { MockEngine, type MockApiDefinition, type MockOptions, type MockReply } from './runtime.js';

export interface MockServerOptions extends MockOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A request (headers and body) must arrive within this time, else 408 (default 10 s). */
  requestTimeoutMs?: number;
  /** Share an engine (and its state) with MSW handlers or another server. */
  engine?: MockEngine;
  /** Answer CORS preflights and allow any origin, so a web app on another port can call the mock (default true). */
  cors?: boolean;
  /** Called after each answer (for request logs). */
  onRequest?: (info: { method: string; url: string; status: number; ms: number }) => void;
}

export interface MockServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly engine: MockEngine;
  close(): Promise<void>;
}

interface NodeRequest {
  method?: string;
  url?: string;
  headers: { [name: string]: string | string[] | undefined };
  setEncoding(encoding: string): void;
  on(event: 'data', listener: (chunk: string) => void): NodeRequest;
  on(event: 'end' | 'close', listener: () => void): NodeRequest;
  on(event: 'error', listener: (error: Error) => void): NodeRequest;
  removeAllListeners(event: string): NodeRequest;
  resume(): void;
  destroy(): void;
}

interface NodeResponse {
  headersSent: boolean;
  setHeader(name: string, value: string): void;
  writeHead(status: number, headers: { [name: string]: string }): void;
  end(body?: string | Uint8Array): void;
  on(event: 'finish' | 'close', listener: () => void): void;
}

interface NodeServer {
  listen(port: number, host: string, callback: () => void): void;
  address(): { port: number } | string | null;
  close(callback: (error?: Error) => void): void;
  closeAllConnections?(): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'clientError', listener: (error: Error, socket: { writable: boolean; end(data: string): void; destroy(): void }) => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  removeListener(event: 'error', listener: (error: Error) => void): void;
  keepAliveTimeout: number;
}

interface NodeHttp {
  createServer(options: { requestTimeout?: number; headersTimeout?: number; connectionsCheckingInterval?: number }, handler: (req: NodeRequest, res: NodeResponse) => void): NodeServer;
}

/** A request whose body is still arriving. */
interface InFlight {
  since: number;
  expire(): void;
}

/** How much of an oversized body is read (and dropped) before the connection is cut. */
const DRAIN_FACTOR = 4;

/** Starts the mock on node:http; resolves once it listens. */
export async function startMockServer(api: MockApiDefinition, options: MockServerOptions = {}): Promise<MockServer> {
  const specifier = 'node:http';
  const http = (await import(specifier)) as NodeHttp;
  const engine = options.engine ?? new MockEngine(api, options);
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const limit = engine.maxBodyBytes;
  const onRequest = options.onRequest;
  const inflight = new Set<InFlight>();
  const cors = options.cors !== false;

  const server = http.createServer(
    // Node's own limits back ours up against clients that never finish their headers.
    { requestTimeout: timeoutMs + 5_000, headersTimeout: Math.min(timeoutMs + 1_000, 60_000), connectionsCheckingInterval: Math.min(1_000, timeoutMs) },
    (req, res) => {
      let done = false;
      const start = onRequest ? performance.now() : 0;
      const send = (reply: MockReply, close = false) => {
        if (done || res.headersSent) return;
        done = true;
        inflight.delete(entry);
        const headers = close ? { ...reply.headers, connection: 'close' } : reply.headers;
        if (cors) {
          res.setHeader('access-control-allow-origin', '*');
          res.setHeader('access-control-expose-headers', '*');
        }
        res.writeHead(reply.status, headers);
        res.end(reply.body);
        onRequest?.({ method: req.method ?? 'GET', url: req.url ?? '/', status: reply.status, ms: performance.now() - start });
      };
      const entry: InFlight = {
        since: Date.now(),
        expire: () => {
          send(engine.errorReply('timeout', `the request did not arrive within ${timeoutMs} ms`), true);
          req.destroy();
        },
      };
      inflight.add(entry);
      if (cors && req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        const asked = req.headers['access-control-request-headers'];
        send({ status: 204, headers: { 'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS', 'access-control-allow-headers': typeof asked === 'string' ? asked : '*', 'access-control-max-age': '600' }, body: '' });
        req.resume();
        return;
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > limit) {
        send(engine.errorReply('too_large', `request body exceeds ${limit} bytes`), true);
        drain(req, limit * DRAIN_FACTOR);
        return;
      }
      req.setEncoding('utf8');
      const chunks: string[] = [];
      let size = 0;
      req.on('data', (chunk) => {
        if (done) return;
        size += chunk.length;
        if (size > limit) {
          send(engine.errorReply('too_large', `request body exceeds ${limit} bytes`), true);
          chunks.length = 0;
          drain(req, limit * DRAIN_FACTOR);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (done) return;
        const headers = req.headers;
        send(
          engine.handle({
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            header: (name) => {
              const v = headers[name];
              return Array.isArray(v) ? v.join(', ') : v;
            },
            body: chunks.length === 0 ? undefined : chunks.length === 1 ? chunks[0] : chunks.join(''),
          }),
        );
      });
      req.on('error', () => {
        inflight.delete(entry);
        done = true;
      });
      res.on('close', () => inflight.delete(entry));
    },
  );
  // One sweep for every request still being read, instead of a timer per request (the hot path).
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const entry of inflight) if (now - entry.since >= timeoutMs) entry.expire();
  }, Math.max(10, Math.min(250, timeoutMs / 4)));
  sweeper.unref?.();
  server.keepAliveTimeout = 5_000;
  // Malformed HTTP gets a 400 and a closed socket, never a crash.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port ?? 4010, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
  server.on('error', () => undefined);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 4010);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    engine,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(sweeper);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections?.();
      }),
  };
}

/** Reads and drops what a client still sends after a 413, up to a cap, then cuts the connection. */
function drain(req: NodeRequest, cap: number): void {
  let seen = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk) => {
    seen += chunk.length;
    if (seen > cap) req.destroy();
  });
  req.resume();
}
