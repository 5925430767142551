import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { runCli, tmpDir, TSC, writeFile } from '../helpers.js';

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers through the current handler. */
export async function startServer(initial?: Handler): Promise<TestServer> {
  let handler: Handler = initial ?? ((_req, res) => json(res, 200, {}));
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let parsed: unknown;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch {
        parsed = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body, json: parsed, at: performance.now() };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  // Longer than any test: fetch reuses connections, and one the server closed between tests would
  // surface as a (retried) network error.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      handler = h;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export interface BuiltPackage {
  dir: string;
  /** Imports a compiled module of the package, e.g. load('client.js'). */
  load<T = Record<string, any>>(file: string): Promise<T>;
}

/**
 * Generates a package, then compiles it with tsc under its own strict tsconfig and no ambient
 * Node types (a user's package may have none): what the tests import is what tsc emitted.
 */
export function generateAndBuild(name: string, specs: string[], emit = 'types,client'): BuiltPackage {
  const dir = path.join(tmpDir(name), 'pkg');
  const result = runCli(['generate', ...specs.flatMap((s) => ['--spec', s]), '--out', dir, '--name', `@test/${name}`, '--emit', emit, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  writeFile(dir, 'tsconfig.build-test.json', JSON.stringify({ extends: './tsconfig.json', compilerOptions: { types: [] }, include: ['src'] }));
  const tsc = spawnSync(process.execPath, [TSC, '-p', path.join(dir, 'tsconfig.build-test.json')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
  return {
    dir,
    load: (file) => import(pathToFileURL(path.join(dir, 'dist', file)).href),
  };
}

/**
 * Type-checks app files written next to a generated package; they import '../src/client.js' (the
 * sources) or '../dist/client.js' (the emitted declarations, as a user's app sees them).
 */
export function checkApp(dir: string, files: Record<string, string>): { code: number; output: string } {
  const appDir = path.join(dir, 'app');
  fs.rmSync(appDir, { recursive: true, force: true });
  for (const [name, content] of Object.entries(files)) writeFile(appDir, name, content);
  const config = writeFile(
    dir,
    'tsconfig.app-test.json',
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true, rootDir: '.', types: [] }, include: ['app'] }),
  );
  const result = spawnSync(process.execPath, [TSC, '-p', config], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? -1, output: result.stdout + result.stderr };
}

/**
 * Places an app in <dir>/consumer with the package linked as node_modules/<name>, so its imports
 * resolve through the package's `exports` as a user's would, and type-checks it (strict, NodeNext,
 * no ambient types). Returns tsc's output and the files tsc read from the package.
 */
export function checkConsumer(dir: string, name: string, source: string, options: { skipLibCheck?: boolean } = {}): { code: number; output: string; packageFiles: string[] } {
  const app = path.join(path.dirname(dir), 'consumer');
  fs.rmSync(app, { recursive: true, force: true });
  fs.mkdirSync(path.join(app, 'node_modules', path.dirname(name)), { recursive: true });
  fs.symlinkSync(dir, path.join(app, 'node_modules', name), 'dir');
  writeFile(app, 'package.json', JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  writeFile(app, 'app.ts', source);
  const compilerOptions = { target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: options.skipLibCheck ?? false, types: [] };
  writeFile(app, 'tsconfig.json', JSON.stringify({ compilerOptions, files: ['app.ts'] }));
  const result = spawnSync(process.execPath, [TSC, '-p', app, '--listFiles'], { cwd: app, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const listed = result.stdout.split('\n').map((l) => l.trim());
  const real = fs.realpathSync(dir);
  const packageFiles = listed.filter((f) => f.startsWith(real) || f.includes(`/node_modules/${name}/`));
  const output = listed.filter((l) => l && !l.startsWith('/')).join('\n') + result.stderr;
  return { code: result.status ?? -1, output, packageFiles };
}
