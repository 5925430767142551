import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWriter, type CodeBlockWriter } from '../shared/writer.js';
import { preferredMedia } from '../../model/operation.js';
import type { ApiModel, Schema } from '../../model/types.js';
import type { EmitOptions, OutputFile } from '../output.js';
import { stringLiteral } from '../shared/escape.js';
import { fileHeader } from '../shared/header.js';
import { writeDoc } from '../shared/jsdoc.js';
import { buildApiSpec, dominantErrorSchema, SchemaLookup } from './api-spec.js';
import { synthFn, synthName, type SynthContext } from './synth.js';

const TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/mocks');
/** Fixed runtime files, copied as they are under DIR/src/mocks/. */
const RUNTIME_FILES = ['gen.ts', 'runtime.ts', 'server.ts', 'msw.ts'];

/**
 * `src/mocks.ts` and `src/mocks/**`: MSW handlers and a node:http mock server for every operation.
 * The fixed engine lives in templates/mocks; what is emitted from the model is the operation table
 * (api.ts, plain JSON) and the data synthesizers (data.ts, one function per schema).
 */
export function emitMocks(model: ApiModel, options: EmitOptions, flavor: 'ts' | 'js' = 'ts'): OutputFile[] {
  const lookup = new SchemaLookup(model);
  const errorSchema = dominantErrorSchema(model);
  const spec = buildApiSpec(model, lookup, errorSchema);
  const withValidators = options.emit.includes('validators');
  const withScopes = options.emit.includes('scopes') && model.scopeCatalogs.length > 0;
  const withTypes = options.emit.includes('types');

  const files: OutputFile[] = RUNTIME_FILES.map((name) => ({
    path: `src/mocks/${name}`,
    content: fileHeader(model, `Mock runtime (${name.replace(/\.ts$/, '')}): fixed code shared by every generated API.`) + fs.readFileSync(path.join(TEMPLATES, name), 'utf8'),
  }));
  // `codegen mock` runs these two as JavaScript straight away (they are the big ones).
  const ext = flavor === 'js' ? 'js' : 'ts';
  files.push({ path: `src/mocks/data.${ext}`, content: emitData(model, errorSchema, flavor === 'js') });
  files.push({ path: `src/mocks/api.${ext}`, content: emitApi(model, spec, withValidators, withScopes, flavor === 'js') });
  files.push({ path: 'src/mocks.ts', content: emitEntry(model, spec.servers.map((s) => s.url), withTypes) });
  return files;
}

/** One synthesizer per named schema, then per operation: request body, each response body and header. */
function emitData(model: ApiModel, errorSchema: ReturnType<typeof dominantErrorSchema>, js: boolean): string {
  const ctx: SynthContext = { schemas: new Map(model.schemas.map((s) => [s.key, s])) };
  const t = (annotation: string) => (js ? '' : annotation);
  const w = createWriter();
  w.write(fileHeader(model, 'Mock data synthesizers: one function per schema, deterministic for a seed.'));
  if (!js) {
    w.writeLine("import type { MockGen, Synth } from './gen.js';");
    w.writeLine("import type { OperationSynth } from './runtime.js';");
  }
  for (const named of model.schemas) {
    w.blankLine();
    w.writeLine(`function ${synthName(named)}(g${t(': MockGen')}, d${t(': number')})${t(': unknown')} {`);
    w.indent(() => w.writeLine(`return ${synthFn(named.schema, ctx).replace(/^\(g(?:, d)?\) => /, '')}${bareCall(named.schema, ctx)};`));
    w.writeLine('}');
  }
  w.blankLine();
  writeDoc(w, { description: 'Per operation (in model order): request body, response bodies and headers (in spec order).' });
  w.writeLine(`export const operations${t(': OperationSynth[]')} = [`);
  w.indent(() => {
    for (const op of model.operations) {
      const request = op.requestBody ? preferredMedia(op.requestBody.content) : undefined;
      const responses = op.responses.map((r) => {
        const media = preferredMedia(r.content);
        return media ? synthFn(media.schema, ctx) : 'undefined';
      });
      const headers = op.responses.map((r) => `[${r.headers.map((h) => synthFn(h.schema, ctx)).join(', ')}]`);
      w.writeLine(`// ${op.name}`);
      w.writeLine(`{ ${request ? `request: ${synthFn(request.schema, ctx)}, ` : ''}responses: [${responses.join(', ')}], headers: [${headers.join(', ')}] },`);
    }
  });
  w.writeLine('];');
  w.blankLine();
  writeDoc(w, { description: "The API's usual error body, imitated by the mock's own errors." });
  w.writeLine(`export const errorBody${t(': Synth | undefined')} = ${errorSchema ? synthFn(errorSchema, ctx) : 'undefined'};`);
  w.blankLine();
  writeDoc(w, { description: 'Every named schema by type name.' });
  w.writeLine(`export const schemas${t(': ReadonlyMap<string, Synth>')} = new Map${t('<string, Synth>')}([`);
  w.indent(() => {
    for (const named of model.schemas) w.writeLine(`[${stringLiteral(named.symbol)}, ${synthName(named)}],`);
  });
  w.writeLine(']);');
  return w.toString();
}

/** A named schema that is only a ref to another: its function calls the target's. */
function bareCall(schema: Schema, ctx: SynthContext): string {
  return /^\(g(?:, d)?\) => /.test(synthFn(schema, ctx)) ? '' : '(g, d)';
}

function emitApi(model: ApiModel, spec: ReturnType<typeof buildApiSpec>, withValidators: boolean, withScopes: boolean, js: boolean): string {
  const t = (annotation: string) => (js ? '' : annotation);
  const w = createWriter();
  w.write(fileHeader(model, 'Mock operation table: routes, security, scopes, examples and error shape, read from the OpenAPI description.'));
  w.writeLine("import { errorBody, operations } from './data.js';");
  if (!js) w.writeLine("import type { ApiSpec, MockApiDefinition, ValidatorLike } from './runtime.js';");
  if (withValidators) w.writeLine("import { operationValidators, validateOperationResponse } from '../validators.js';");
  if (withScopes) w.writeLine("import { checkScopes, scopeCatalogs } from '../scopes.js';");
  w.blankLine();
  // JSON text, parsed once: fast to load, and keys such as `__proto__` stay plain data.
  w.writeLine(`const spec${t(': ApiSpec')} = JSON.parse(${stringLiteral(JSON.stringify(spec))});`);
  if (withValidators) {
    w.blankLine();
    w.writeLine(`const requestValidators = operationValidators${t(' as unknown as { readonly [operation: string]: { readonly request?: ValidatorLike } | undefined }')};`);
  }
  if (withScopes) {
    w.blankLine();
    if (!js) w.writeLine('type Catalog = Parameters<typeof checkScopes>[0];');
    w.writeLine(`const catalogs = scopeCatalogs${t(' as unknown as { readonly [id: string]: Catalog | undefined }')};`);
  }
  w.blankLine();
  writeDoc(w, { description: 'Everything the mock engine knows of this API.' });
  w.writeLine(`export const api${t(': MockApiDefinition')} = {`);
  w.indent(() => {
    w.writeLine('spec,');
    w.writeLine('synth: operations,');
    w.writeLine('errorSynth: errorBody,');
    if (withValidators) {
      w.writeLine('validators: {');
      w.indent(() => {
        w.writeLine('request: (operation) => (Object.prototype.hasOwnProperty.call(requestValidators, operation) ? requestValidators[operation]?.request : undefined),');
        w.writeLine('response: (operation, status, body) => validateOperationResponse(operation, status, body),');
      });
      w.writeLine('},');
    }
    if (withScopes) {
      w.writeLine('checkScopes: (catalog, requested, options) => {');
      w.indent(() => {
        w.writeLine('const found = Object.prototype.hasOwnProperty.call(catalogs, catalog) ? catalogs[catalog] : undefined;');
        w.writeLine("if (!found) return { ok: false, error: 'invalid_scope', problems: [{ rule: 'catalog', scopes: [...requested], message: `no scope catalog ${catalog}` }] };");
        w.writeLine('// The mock grants any scope of the catalog; the rules (exclusive sets, grant types...) still apply.');
        w.writeLine('const allowed = spec.catalogs.find((c) => c.id === catalog)?.scopes ?? [];');
        w.writeLine('return checkScopes(found, requested, { ...options, allowed });');
      });
      w.writeLine('},');
    }
  });
  w.writeLine('};');
  return w.toString();
}

function emitEntry(model: ApiModel, serverUrls: string[], withTypes: boolean): string {
  const w = createWriter();
  w.write(fileHeader(model, 'Mocks: MSW handlers (`handlers`, `createHandlers`) and a node:http server (`createMockServer`), both driven by one engine.'));
  w.writeLine("import type * as Msw from 'msw';");
  w.writeLine("import { api } from './mocks/api.js';");
  w.writeLine("import { schemas } from './mocks/data.js';");
  w.writeLine("import { hashSeed, MockGen } from './mocks/gen.js';");
  w.writeLine("import { buildHandlers } from './mocks/msw.js';");
  w.writeLine("import { MockEngine, type MockOptions } from './mocks/runtime.js';");
  w.writeLine("import { startMockServer, type MockServer, type MockServerOptions } from './mocks/server.js';");
  if (withTypes) w.writeLine("import type { Operations } from './types.js';");
  w.blankLine();
  w.writeLine("export { MockEngine, MockState } from './mocks/runtime.js';");
  w.writeLine("export type { MockCall, MockOptions, MockOverride, MockOverrideValue, MockReply, MockRequest } from './mocks/runtime.js';");
  w.writeLine("export type { MockServer, MockServerOptions } from './mocks/server.js';");
  w.write(`
/** Options of \`createHandlers\`. */
export interface MockHandlersOptions extends MockOptions {
  /** Base URLs to serve (default: every server URL of the spec). */
  baseUrl?: string | readonly string[];
  /** Share an engine (its tokens and Items) with other handlers or a mock server. */
  engine?: MockEngine;
}

// msw is an optional peer dependency: \`createMockServer\` works without it.
const msw: typeof Msw | undefined = await import('msw').catch(() => undefined);

`);
  writeDoc(w, { description: 'The server URLs of the spec, where `handlers` answer.' });
  w.writeLine(`export const serverUrls: readonly string[] = [${serverUrls.map(stringLiteral).join(', ')}];`);
  const opType = withTypes ? 'keyof Operations' : 'string';
  const responseType = withTypes ? "Operations[K]['response']" : 'unknown';
  const requestType = withTypes ? "Operations[K]['request']" : 'unknown';
  w.write(`
/** A mock engine: the state (issued tokens, Items) and behaviour shared by handlers and servers. */
export function createMockEngine(options: MockOptions = {}): MockEngine {
  return new MockEngine(api, options);
}

/** MSW v2 handlers for every operation on each base URL, with your seed and per-operation overrides. */
export function createHandlers(options: MockHandlersOptions = {}): Msw.HttpHandler[] {
  if (!msw) throw new Error('createHandlers needs msw: npm install --save-dev msw');
  const engine = options.engine ?? new MockEngine(api, options);
  const urls = options.baseUrl === undefined ? serverUrls : typeof options.baseUrl === 'string' ? [options.baseUrl] : options.baseUrl;
  return buildHandlers(msw, engine, urls.length ? urls : ['']);
}

/** MSW v2 handlers with the default options (seed 1); empty when msw is not installed. */
export const handlers: Msw.HttpHandler[] = msw ? createHandlers() : [];

/** The mock on node:http (default 127.0.0.1:4010); no MSW needed. Resolves once it listens. */
export function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  return startMockServer(api, options);
}

/** The body the mock answers an operation with (an example, else synthesized data). */
export function mockResponse<K extends ${opType}>(operation: K, options: { seed?: number | string; status?: number; example?: string } = {}): ${responseType} {
  return new MockEngine(api, { seed: options.seed }).responseBody(operation, options) as ${responseType};
}

/** A request body synthesized from the operation's schema: handy for tests. */
export function mockRequest<K extends ${opType}>(operation: K, options: { seed?: number | string } = {}): ${requestType} {
  return new MockEngine(api, { seed: options.seed }).requestBody(operation) as ${requestType};
}

/** A value of a named schema (by type name), synthesized for a seed. */
export function mockSchema(symbol: string, options: { seed?: number | string; direction?: 'request' | 'response' } = {}): unknown {
  const synth = schemas.get(symbol);
  if (!synth) throw new Error(\`no schema \${symbol}\`);
  return synth(new MockGen(hashSeed(options.seed ?? 1, symbol), options.direction ?? 'response'), 0);
}
`);
  return w.toString();
}
