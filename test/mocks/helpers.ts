import net from 'node:net';
import path from 'node:path';
import { runCli, tmpDir } from '../helpers.js';

/** Generates a package from specs with the real CLI; returns its folder. */
export function generatePackage(name: string, specs: string[], emit?: string): string {
  const out = path.join(tmpDir(name), 'pkg');
  const args = ['generate', ...specs.flatMap((s) => ['--spec', s]), '--out', out, '--name', `@mocks/${name}`, '--quiet'];
  if (emit) args.push('--emit', emit);
  const result = runCli(args);
  if (result.code !== 0) throw new Error(`generate failed (${result.code}): ${result.stderr}`);
  return out;
}

/**
 * The generated mocks entry, imported as TypeScript source (vitest strips the types) so that a test
 * exercises exactly the files a user gets. Typed loosely: each test file asserts on behaviour.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Mocks = any;

export async function importMocks(out: string): Promise<Mocks> {
  return import(path.join(out, 'src/mocks.ts'));
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(base: string, method: string, urlPath: string, init: { body?: unknown; headers?: Record<string, string>; raw?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(init.body !== undefined && !init.raw ? { 'content-type': 'application/json' } : {}), ...init.headers };
  const body = init.body === undefined ? undefined : init.raw ? (init.body as string) : JSON.stringify(init.body);
  const res = await fetch(base + urlPath, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Sends raw bytes over a socket and returns what comes back (for malformed HTTP and slow clients). */
export function rawExchange(port: number, chunks: { data: string | Buffer; delayMs?: number }[], timeoutMs = 10_000): Promise<{ response: string; closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let finished = false;
    const finish = (closed: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response, closed, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d) => (response += d.toString('utf8')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (chunk.delayMs) await new Promise((r) => setTimeout(r, chunk.delayMs));
        if (socket.destroyed) return;
        socket.write(chunk.data);
      }
    });
  });
}
