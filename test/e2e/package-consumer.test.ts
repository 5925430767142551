import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli, TSC, tmpDir, writeFile } from '../helpers.js';

/**
 * The generated package as its users get it: built with its own `npm run build`, packed with
 * `npm pack`, installed from the tarball into a fresh project, then imported with plain node and
 * type-checked with tsc under both module resolutions people use. Inputs: the default run's
 * (the Plaid core spec and the scope manifests).
 */
const CONFIG = JSON.parse(fs.readFileSync(path.join(ROOT, 'codegen.config.json'), 'utf8')) as { specs: string[] };
const NAME = '@acme/plaid';
const ENTRIES = ['.', './client', './client/core', './operations/*', './validators', './scopes', './mocks'];
/** The root's tsc stands in for the package's typescript devDependency (tests install nothing). */
const PATH = `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`;

function run(cmd: string, args: string[], cwd: string) {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, PATH, npm_config_update_notifier: 'false' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? -1, stdout: result.stdout, output: `${result.stdout}${result.stderr}`.replace(/^npm warn Unknown user config.*\n/gm, '') };
}

const CONSUMER_JS = `
import * as types from '${NAME}';
import { createClient, ApiError } from '${NAME}/client';
import { createBaseClient, ApiError as CoreApiError } from '${NAME}/client/core';
import { linkTokenCreate } from '${NAME}/operations/linkTokenCreate';
import { schemaValidators, operationValidators, validateOperationResponse } from '${NAME}/validators';
import { scopeCatalogs, checkScopes, operationScopes, missingScopes } from '${NAME}/scopes';
import { handlers, createHandlers, createMockServer, mockRequest } from '${NAME}/mocks';
import { setupServer } from 'msw/node';

const out = { typesEntryKeys: Object.keys(types), apiError: typeof ApiError, createHandlers: typeof createHandlers };
out.validators = Object.keys(schemaValidators).length;
out.catalogs = Object.keys(scopeCatalogs);
out.checkScopes = checkScopes(out.catalogs[0], []).ok !== undefined;
out.missingScopes = Array.isArray(missingScopes('linkTokenCreate', []));
out.handlers = handlers.length;

// An operation the client can call with no scope grant: linkTokenCreate in the Plaid core spec.
const free = Object.keys(operationValidators).filter((n) => !(operationScopes[n] ?? []).length);
const name = free.includes('linkTokenCreate') ? 'linkTokenCreate' : free[0];
out.operation = name;
const body = mockRequest(name, { seed: 1 });

// Through real HTTP: the package's own mock server on 127.0.0.1.
const server = await createMockServer({ port: 0, host: '127.0.0.1', seed: 7 });
try {
  const client = createClient({ baseUrl: server.url, clientId: 'client-id', secret: 'secret' });
  const result = await client[name](body);
  out.http = { valid: validateOperationResponse(name, 200, result).ok, keys: Object.keys(result).sort() };
  // The tree-shakable way: the lean core and one operation's own entry.
  const lean = await linkTokenCreate(createBaseClient({ baseUrl: server.url, clientId: 'client-id', secret: 'secret' }), body);
  out.lean = { valid: validateOperationResponse('linkTokenCreate', 200, lean).ok, sameErrors: CoreApiError === ApiError };
} finally {
  await server.close();
}

// Through msw: the same client against the spec's sandbox URL, intercepted in-process.
const msw = setupServer(...handlers);
msw.listen({ onUnhandledRequest: 'error' });
try {
  const client = createClient({ environment: 'sandbox', clientId: 'client-id', secret: 'secret' });
  const result = await client[name](body);
  out.msw = { valid: validateOperationResponse(name, 200, result).ok };
} finally {
  msw.close();
}
console.log(JSON.stringify(out));
`;

const CONSUMER_TS = `
import type { LinkTokenCreateRequest, LinkTokenCreateResponse, Operations } from '${NAME}';
import { createClient, ApiError } from '${NAME}/client';
import { createBaseClient } from '${NAME}/client/core';
import { linkTokenCreate } from '${NAME}/operations/linkTokenCreate';
import { validateLinkTokenCreateRequest, isLinkTokenCreateResponse, type ValidationResult } from '${NAME}/validators';
import { checkScopes, scopeCatalogs, type ScopeCheckResult } from '${NAME}/scopes';
import { createMockServer, handlers } from '${NAME}/mocks';

export async function call(request: LinkTokenCreateRequest): Promise<LinkTokenCreateResponse> {
  const server = await createMockServer({ port: 0 });
  try {
    const client = createClient({ baseUrl: server.url, clientId: 'id', secret: 's' });
    const response: LinkTokenCreateResponse = await client.linkTokenCreate(request);
    return response;
  } catch (error) {
    if (error instanceof ApiError) throw new Error(String(error.status));
    throw error;
  } finally {
    await server.close();
  }
}

export function check(value: unknown): LinkTokenCreateRequest | undefined {
  const result: ValidationResult<LinkTokenCreateRequest> = validateLinkTokenCreateRequest(value);
  return result.ok ? result.value : undefined;
}

export const guard: (value: unknown) => boolean = isLinkTokenCreateResponse;
export const lean: Promise<LinkTokenCreateResponse> = linkTokenCreate(createBaseClient({ clientId: 'id', secret: 's' }), { client_name: 'App', language: 'en', country_codes: ['US'], user: { client_user_id: 'u' }, products: ['auth'] });
export const scopes: ScopeCheckResult = checkScopes(Object.keys(scopeCatalogs)[0] as keyof typeof scopeCatalogs, []);
export const handlerCount: number = handlers.length;
export type Response = Operations['linkTokenCreate']['response'];

// The types are real, not any: these must be errors.
// @ts-expect-error a string is not a LinkTokenCreateRequest
export const notARequest: LinkTokenCreateRequest = 'nope';
// @ts-expect-error linkTokenCreate does not exist under another name
export const missing = createClient({}).linkTokenCreat;
`;

function tsconfig(module: string, resolution: string) {
  return JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM'], module, moduleResolution: resolution, strict: true, noEmit: true, skipLibCheck: false, types: [] },
    files: ['consumer.ts'],
  });
}

describe('the packed package, installed into a fresh project', () => {
  let root: string;
  let pkg: string;
  let app: string;
  let tarball: string;

  beforeAll(() => {
    root = tmpDir('consumer');
    pkg = path.join(root, 'pkg');
    app = path.join(root, 'app');
    const generated = runCli(['generate', ...CONFIG.specs.flatMap((s) => ['--spec', s]), '--out', pkg, '--name', NAME, '--quiet']);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
  });

  it('has every entry point in package.json exports, with types', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; import: string }>; dependencies?: unknown };
    expect(Object.keys(manifest.exports)).toEqual(ENTRIES);
    expect(manifest.dependencies).toBeUndefined();
  });

  it('builds with npm run build: ESM JavaScript and .d.ts under dist/', () => {
    const build = run('npm', ['run', 'build', '--silent'], pkg);
    expect(build.output.trim()).toBe('');
    expect(build.code).toBe(0);
    for (const entry of ['index', 'client', 'validators', 'scopes', 'mocks']) {
      expect(fs.existsSync(path.join(pkg, 'dist', `${entry}.js`)), entry).toBe(true);
      expect(fs.existsSync(path.join(pkg, 'dist', `${entry}.d.ts`)), entry).toBe(true);
    }
  });

  it('packs with npm pack: dist, src, README and CHANGELOG, not the snapshot', () => {
    const packed = run('npm', ['pack', '--json', '--pack-destination', root], pkg);
    expect(packed.code).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(root, info.filename);
    const files = info.files.map((f) => f.path);
    expect(files).toContain('dist/client.js');
    expect(files).toContain('dist/mocks.d.ts');
    expect(files).toContain('CHANGELOG.md');
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('.codegen'))).toBe(false);
    expect(fs.existsSync(tarball)).toBe(true);
  });

  it('installs from the tarball offline (no dependencies; msw is an optional peer)', () => {
    writeFile(app, 'package.json', JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [NAME]: `file:${tarball}` } }));
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], app);
    expect(install.code, install.output).toBe(0);
    expect(fs.existsSync(path.join(app, 'node_modules', NAME, 'dist/client.js'))).toBe(true);
    // msw comes from the repository's own install (a consumer adds it only to use ./mocks).
    expect(fs.existsSync(path.join(app, 'node_modules/msw'))).toBe(false);
  });

  it('imports every entry with plain node and calls a mock through the client, over HTTP and through msw', () => {
    writeFile(app, 'consumer.mjs', CONSUMER_JS);
    const result = run(process.execPath, ['consumer.mjs'], app);
    expect(result.code, result.output).toBe(0);
    const out = JSON.parse(result.output.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(out.typesEntryKeys).toEqual([]);
    expect(out.apiError).toBe('function');
    expect(out.createHandlers).toBe('function');
    expect(out.validators).toBeGreaterThan(0);
    expect((out.catalogs as string[]).length).toBeGreaterThan(0);
    expect(out.checkScopes).toBe(true);
    expect(out.missingScopes).toBe(true);
    expect(out.handlers).toBeGreaterThan(0);
    expect(out.operation).toBe('linkTokenCreate');
    expect(out.http).toEqual({ valid: true, keys: expect.arrayContaining(['link_token', 'request_id']) });
    expect(out.msw).toEqual({ valid: true });
    expect(out.lean).toEqual({ valid: true, sameErrors: true });
  });

  for (const [module, resolution] of [
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ]) {
    it(`type-checks a consumer with tsc --strict (module ${module}, moduleResolution ${resolution})`, () => {
      writeFile(app, 'consumer.ts', CONSUMER_TS);
      writeFile(app, `tsconfig.${resolution}.json`, tsconfig(module, resolution));
      const result = spawnSync(process.execPath, [TSC, '-p', `tsconfig.${resolution}.json`], { cwd: app, encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  }
});
