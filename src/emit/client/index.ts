import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { operationScopeNeeds, type ScopeNeed } from '../../model/scopes.js';
import type { ApiModel, Operation } from '../../model/types.js';
import type { EmitOptions, OutputFile } from '../output.js';
import { propertyKey, stringLiteral } from '../shared/escape.js';
import { fileHeader } from '../shared/header.js';
import { writeDoc } from '../shared/jsdoc.js';
import { createWriter, type CodeBlockWriter } from '../shared/writer.js';
import { apiSpecLiteral, credentialOptions, environmentNames, impliedScopes, placesCredentials } from './api-spec.js';
import { findTokenEndpoint } from './oauth.js';
import { runtimeFeatures, specialize, type RuntimeFeatures } from './runtime-features.js';
import { descriptorFeatures, descriptorLiteral, functionName, operationDoc, signature } from './operations.js';
import { openTypeModules, planOpenTypes, writeOpenTypes, type ReceivedLayout } from './open-types.js';
import { claimFileName, typeModuleNames } from '../types/index.js';
import { pageSpecLiteral, paginatedOperations } from './pagination.js';
import { findKeyOperation, findWebhooks, writeWebhooks } from './webhooks.js';

const TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/client');

/** The fixed runtime (templates/client/*.ts), without the code of features the API does not use. */
function runtimeFileOf(model: ApiModel, features: RuntimeFeatures, name: string, what: string): OutputFile {
  const template = path.join(TEMPLATES, name);
  return { path: `src/client/${name}`, content: fileHeader(model, what) + specialize(fs.readFileSync(template, 'utf8'), features, template) };
}

function file(model: ApiModel, name: string, what: string, body: (w: CodeBlockWriter) => void): OutputFile {
  const w = createWriter();
  w.write(fileHeader(model, what));
  body(w);
  return { path: name, content: w.toString() };
}

/**
 * The typed client: `src/client.ts` and its modules under `src/client/`. One method per operation
 * on `createClient`, the same operations as standalone functions (tree-shakable), scope checks at
 * run time and in the types, received types that tolerate new enum values, OAuth tokens,
 * pagination and webhook verification. No runtime dependency.
 */
export function emitClient(model: ApiModel, options: EmitOptions): OutputFile[] {
  const needs = operationScopeNeeds(model);
  const webhooks = findWebhooks(model);
  const keyOp = findKeyOperation(model);
  const open = planOpenTypes(model, webhooks.keyed.map((h) => h.named.key));
  const paged = paginatedOperations(model);
  const token = findTokenEndpoint(model);
  const withWebhooks = webhooks.keyed.length > 0 || keyOp !== undefined;
  const withValidators = options.emit.includes('validators');
  const typeFiles = typeModuleNames(model);
  const opFiles = operationModuleNames(model);
  const received = openTypeModules(model, open, typeFiles);
  const features = runtimeFeatures(model, needs, token !== undefined);
  const runtimeFile = (name: string, what: string) => runtimeFileOf(model, features, name, what);

  const files: OutputFile[] = [
    file(model, 'src/client/types.ts', 'Types as the client receives them: string enums also admit values added to the API later.', (w) => writeOpenTypes(w, model, open)),
    runtimeFile('runtime.ts', 'Client runtime: servers, credentials, request building, timeouts, errors, plugins.'),
    runtimeFile('errors.ts', 'Client errors: ApiError, NetworkError, TimeoutError, ScopeError, validation errors.'),
    runtimeFile('validation.ts', 'Runs the generated validators on requests and responses (validate option), as a plugin.'),
    runtimeFile('retries.ts', 'Retries with backoff, jitter and Retry-After, as a plugin.'),
    runtimeFile('hooks.ts', 'beforeRequest and afterResponse hooks, as a plugin.'),
    runtimeFile('features.ts', 'Parameter serialization, non-JSON bodies and scope checks, referenced by the operations that need them.'),
    file(model, 'src/client/ops.ts', 'One descriptor per operation: method, path, media types, parameters, scope needs.', (w) => writeOps(w, model, needs)),
    file(model, 'src/client/base.ts', 'createBaseClient and its options: servers and credentials of the API.', (w) => writeBase(w, model, features)),
    file(model, 'src/client/operations.ts', 'Every operation as a standalone function taking the client first (tree-shakable).', (w) => writeOperations(w, model, needs)),
    file(model, 'src/client/core.ts', 'Package entry `./client/core`: createBaseClient, its plugins, errors and runtime types, without the operation table.', (w) => writeCore(w, features)),
    ...model.operations.map((op) => file(model, `src/client/operations/${opFiles.get(op.name)}.ts`, `Package entry \`./operations/${opFiles.get(op.name)}\`: ${functionName(op)} on its own.`, (w) => writeOperationModule(w, op, needs.get(op.name), typeFiles, received))),
    ...received.files,
    file(model, 'src/client/methods.ts', 'createClient: one method per operation, limited at the type level to what its scopes allow.', (w) => writeMethods(w, model, needs, withValidators, features)),
  ];
  if (features.bearer) files.push(runtimeFile('bearer.ts', 'Bearer tokens (a token, a function or a token source), as a plugin.'));
  if (paged.length) {
    files.push(runtimeFile('pages.ts', 'Pagination runtime: cursor and offset/count walks.'));
    files.push(file(model, 'src/client/paginate.ts', 'paginate: walks paginated operations page by page.', (w) => writePaginate(w, paged)));
  }
  if (token) {
    files.push(runtimeFile('tokens.ts', 'OAuth token manager runtime.'));
    files.push(file(model, 'src/client/oauth.ts', 'createTokenManager: OAuth tokens for the client.', (w) => writeOauth(w, token)));
  }
  if (withWebhooks) {
    files.push(runtimeFile('verify.ts', 'Webhook signature verification (ES256 JWT, body SHA-256), Web Crypto only.'));
    files.push(file(model, 'src/client/webhooks.ts', 'Webhook payload types keyed by webhook_type and webhook_code, and verifyWebhook.', (w) => writeWebhooks(w, model, open, keyOp)));
  }
  files.push(file(model, 'src/client.ts', 'Package entry `./client`: the typed client.', (w) => writeEntry(w, { paged: paged.length > 0, token: !!token, webhooks: withWebhooks, bearer: features.bearer })));
  return files;
}

function writeOps(w: CodeBlockWriter, model: ApiModel, needs: Map<string, ScopeNeed[]>): void {
  const used = { encodeBody: false, params: false, needs: false };
  for (const op of model.operations) {
    const f = descriptorFeatures(op, needs.get(op.name));
    used.encodeBody ||= f.encodeBody;
    used.params ||= f.params;
    used.needs ||= f.needs;
  }
  const helpers = (Object.keys(used) as (keyof typeof used)[]).filter((k) => used[k]).map((k) => `${k} as $${k}`);
  if (helpers.length) w.writeLine(`import { ${helpers.join(', ')} } from './features.js';`);
  w.writeLine("import type { Op } from './runtime.js';");
  w.blankLine();
  w.writeLine("const J = ['application/json'];");
  w.blankLine();
  for (const op of model.operations) w.writeLine(`export const ${op.name}: Op = ${descriptorLiteral(op, model, needs.get(op.name))};`);
}

function writeBase(w: CodeBlockWriter, model: ApiModel, features: RuntimeFeatures): void {
  const credentials = credentialOptions(model);
  if (placesCredentials(credentials)) w.writeLine("import { place as $place } from './features.js';");
  if (features.bearer) w.writeLine("import type { BearerOptions } from './bearer.js';");
  w.writeLine("import type { HookOptions } from './hooks.js';");
  w.writeLine("import type { RetryOptions } from './retries.js';");
  w.writeLine("import { createRuntimeClient, type ApiSpec, type BaseClient, type RuntimeOptions } from './runtime.js';");
  w.writeLine("import type { ValidationOptions } from './validation.js';");
  w.blankLine();
  writeDoc(w, { description: 'Servers, credentials and scope implications of the API, as the runtime reads them.' });
  w.writeLine(`export const apiSpec: ApiSpec = ${apiSpecLiteral(model, credentials)};`);
  w.blankLine();
  const envs = [...new Set(environmentNames(model.servers).filter((n): n is string => n !== undefined))];
  writeDoc(w, { description: 'Servers by description: ' + (model.servers.map((s) => `${s.description ?? '(no description)'} = ${s.url}`).join(', ') || 'none') + '.' });
  w.writeLine(`export type Environment = ${envs.length ? envs.map(stringLiteral).join(' | ') : 'never'};`);
  w.blankLine();
  const plugins = features.bearer ? 'Retries, bearer tokens, validation and hooks come with their plugins: wrap these options in withRetries(), withBearer(), withValidation(), withHooks().' : 'Retries, validation and hooks come with their plugins: wrap these options in withRetries(), withValidation(), withHooks().';
  writeDoc(w, { description: `Options of createBaseClient: what the runtime itself does. ${plugins}` });
  w.write('export interface BaseClientOptions<S extends string = string> extends RuntimeOptions ').inlineBlock(() => {
    const first = model.servers[0];
    writeDoc(w, { description: `Picks a server by its description, case-insensitively${first ? ` (default: the first, ${first.url})` : ''}; baseUrl overrides it.` });
    w.writeLine('environment?: Environment;');
    writeDoc(w, { description: 'The scopes the client\'s token holds. Operations needing others throw ScopeError before sending; with a literal list (`as const`), they are also missing from the client\'s type.' });
    w.writeLine('scopes?: readonly S[];');
    for (const c of credentials.filter((c) => c.kind === 'apiKey')) {
      writeDoc(w, { description: c.description });
      w.writeLine(`${propertyKey(c.option)}?: string;`);
    }
    if (features.bearerSchemes) {
      writeDoc(w, { description: 'A bearer token, sent to the operations secured by a bearer or OAuth scheme. For a token source (createTokenManager) or a function, wrap the options in withBearer().' });
      w.writeLine('accessToken?: string;');
    }
  });
  w.newLine();
  w.blankLine();
  writeDoc(w, { description: `Options of createClient: createBaseClient's, and those of the plugins it installs (retries by default, ${features.bearer ? 'bearer tokens, ' : ''}validation, hooks).` });
  const base = features.bearerSchemes ? "Omit<BaseClientOptions<S>, 'accessToken'>" : 'BaseClientOptions<S>';
  w.writeLine(`export interface ClientOptions<S extends string = string> extends ${base}, RetryOptions, ${features.bearer ? 'BearerOptions, ' : ''}ValidationOptions, HookOptions {}`);
  w.blankLine();
  writeDoc(w, {
    description: [
      'A client with no operation methods: pass it to the standalone operation functions, so a bundle keeps only the operations it imports.',
      'It carries only what it is given: `createBaseClient(withRetries({ ... }))` retries as createClient does.',
    ].join('\n'),
  });
  w.writeLine('export function createBaseClient<const S extends string = string>(options: BaseClientOptions<S> = {}): BaseClient<S> {');
  w.indent(() => w.writeLine('return createRuntimeClient(options, apiSpec) as BaseClient<S>;'));
  w.writeLine('}');
}

/** The module (base name) of each operation's entry point: its name, numbered when another differs only in case. */
function operationModuleNames(model: ApiModel): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const op of model.operations) names.set(op.name, claimFileName(op.name, taken));
  return names;
}

function writeOperations(w: CodeBlockWriter, model: ApiModel, needs: Map<string, ScopeNeed[]>): void {
  w.writeLine("import type * as $T from '../types.js';");
  w.writeLine("import type * as $R from './types.js';");
  w.writeLine("import type { BaseClient, CallOptions } from './runtime.js';");
  w.writeLine("import * as $o from './ops.js';");
  for (const op of model.operations) {
    const sig = signature(op);
    w.blankLine();
    writeDoc(w, { description: operationDoc(op, needs.get(op.name)), deprecated: op.deprecated });
    w.writeLine(`export function ${functionName(op)}(client: BaseClient, ${sig.params}): ${sig.returns} {`);
    w.indent(() => w.writeLine(`return client.$call($o.${op.name}, ${sig.body}, ${sig.args}, options);`));
    w.writeLine('}');
  }
}

// Names an operation module uses for other things; a type named like one is imported under an alias.
const MODULE_NAMES = new Set(['BaseClient', 'CallOptions', 'Promise', 'Blob', 'ArrayBuffer', 'Uint8Array', '$op']);

/**
 * `client/operations/<name>.ts`: one operation's standalone function, importing only its own
 * descriptor, its own types and the runtime's types, so that a program importing it (tsc or a
 * bundler) reads a few small modules instead of the whole API.
 */
function writeOperationModule(w: CodeBlockWriter, op: Operation, needs: ScopeNeed[] | undefined, typeFiles: Map<string, string>, received: ReceivedLayout): void {
  const fn = functionName(op);
  const imports = new Map<string, { symbol: string; local: string; from: string }>();
  const name = (symbol: string, from: string) => {
    const key = `${from}#${symbol}`;
    const known = imports.get(key);
    if (known) return known.local;
    // A body both sent and received as one schema with open enums: the received one gets an alias.
    const taken = [...imports.values()].some((i) => i.symbol === symbol);
    const local = taken ? `$R_${symbol}` : MODULE_NAMES.has(symbol) || symbol === fn ? `$${symbol}` : symbol;
    imports.set(key, { symbol, local, from });
    return local;
  };
  const sig = signature(op, {
    strict: (symbol) => name(symbol, `../../types/${typeFiles.get(symbol) ?? symbol}.js`),
    received: (symbol) => name(symbol, `../../${received.moduleOf(symbol)}.js`.replace('../../client/', '../')),
  });
  w.writeLine("import type { BaseClient, CallOptions } from '../runtime.js';");
  w.writeLine(`import { ${op.name} as $op } from '../ops.js';`);
  const byModule = new Map<string, string[]>();
  for (const { symbol, local, from } of imports.values()) byModule.set(from, [...(byModule.get(from) ?? []), local === symbol ? symbol : `${symbol} as ${local}`]);
  for (const [from, names] of [...byModule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) w.writeLine(`import type { ${names.sort().join(', ')} } from '${from}';`);
  w.blankLine();
  writeDoc(w, { description: operationDoc(op, needs), deprecated: op.deprecated });
  w.writeLine(`export function ${fn}(client: BaseClient, ${sig.params}): ${sig.returns} {`);
  w.indent(() => w.writeLine(`return client.$call($op, ${sig.body}, ${sig.args}, options);`));
  w.writeLine('}');
  // The operation's own types, so one import gives the function and what it takes and returns.
  const own = [...imports.values()].filter((i) => i.local === i.symbol).map((i) => i.symbol);
  if (own.length) {
    w.blankLine();
    w.writeLine(`export type { ${own.join(', ')} };`);
  }
}

function writeCore(w: CodeBlockWriter, features: RuntimeFeatures): void {
  writeRuntimeExports(w, '.', features.bearer);
  w.writeLine("export type { CallOptions } from './runtime.js';");
}

/** What both client entries export of createBaseClient, its plugins, errors and runtime types. */
function writeRuntimeExports(w: CodeBlockWriter, dir: string, bearer: boolean): void {
  w.writeLine(`export { apiSpec, createBaseClient, type BaseClientOptions, type ClientOptions, type Environment } from '${dir}/base.js';`);
  w.writeLine(`export { withRetries, type RetryOptions } from '${dir}/retries.js';`);
  w.writeLine(`export { withHooks, type HookOptions } from '${dir}/hooks.js';`);
  if (bearer) w.writeLine(`export { withBearer, type AccessToken, type BearerOptions, type TokenSource } from '${dir}/bearer.js';`);
  w.writeLine(`export { withValidation, type ValidationOptions, type ValidatorsModule } from '${dir}/validation.js';`);
  w.writeLine(`export { ApiError, ClientError, NetworkError, RequestValidationError, ResponseValidationError, ScopeError, TimeoutError, type ValidationIssue } from '${dir}/errors.js';`);
  w.writeLine(`export type { BaseClient, CallContext, Op, Outcome, ParamValues, Plugin, RequestContext, RuntimeOptions } from '${dir}/runtime.js';`);
}

function writeMethods(w: CodeBlockWriter, model: ApiModel, needs: Map<string, ScopeNeed[]>, withValidators: boolean, features: RuntimeFeatures): void {
  const scoped = model.operations.filter((op) => needs.get(op.name)?.length);
  w.writeLine("import type * as $T from '../types.js';");
  w.writeLine("import type * as $R from './types.js';");
  w.writeLine("import { createBaseClient, type ClientOptions } from './base.js';");
  if (features.bearer) w.writeLine("import { withBearer } from './bearer.js';");
  w.writeLine("import { ApiError } from './errors.js';");
  w.writeLine("import { withHooks } from './hooks.js';");
  w.writeLine("import * as $o from './ops.js';");
  w.writeLine("import { withRetries } from './retries.js';");
  w.writeLine("import { invoke, type BaseClient, type CallOptions, type Op } from './runtime.js';");
  w.writeLine("import { withValidation } from './validation.js';");
  w.blankLine();
  writeDoc(w, { description: 'One method per operation.' });
  w.write('export interface Methods ').inlineBlock(() => {
    for (const op of model.operations) {
      const sig = signature(op);
      writeDoc(w, { description: operationDoc(op, needs.get(op.name)), deprecated: op.deprecated });
      w.writeLine(`${propertyKey(op.name)}(${sig.params}): ${sig.returns};`);
    }
  });
  w.newLine();

  w.blankLine();
  if (scoped.length) {
    writeDoc(w, { description: 'Scope needs of operations, for the type of a client created with literal scopes: [all of, one of].' });
    w.write('export interface ScopeNeeds ').inlineBlock(() => {
      for (const op of scoped) {
        const alts = needs.get(op.name)!.map((n) => `readonly [${n.allOf.length ? n.allOf.map(stringLiteral).join(' | ') : 'never'}, ${n.anyOf?.length ? n.anyOf.map(stringLiteral).join(' | ') : 'never'}]`);
        w.writeLine(`${propertyKey(op.name)}: ${alts.join(' | ')};`);
      }
    });
    w.newLine();
    const implied = impliedScopes(model);
    w.blankLine();
    w.write('interface Implied ').inlineBlock(() => {
      for (const [scope, list] of implied) w.writeLine(`${stringLiteral(scope)}: ${list.length ? list.map(stringLiteral).join(' | ') : 'never'};`);
    });
    w.newLine();
    w.writeLine('type Granted<S extends string> = S | Implied[S & keyof Implied];');
    w.writeLine('type Satisfied<S extends string, N> = N extends readonly [infer All, infer Any] ? ([All] extends [S] ? ([Any] extends [never] ? true : [Extract<Any, S>] extends [never] ? false : true) : false) : true;');
    writeDoc(w, { description: 'The operations a client holding scopes S may call.' });
    w.writeLine('export type AllowedOperations<S extends string> = Exclude<keyof Methods, keyof ScopeNeeds> | { [K in keyof ScopeNeeds]: false extends Satisfied<Granted<S>, ScopeNeeds[K]> ? never : K }[keyof ScopeNeeds];');
    writeDoc(w, { description: 'A client: every operation as a method; with literal scopes, only the operations they allow.' });
    w.writeLine('export type Client<S extends string = string> = BaseClient<S> & (string extends S ? Methods : Pick<Methods, AllowedOperations<S>>);');
  } else {
    writeDoc(w, { description: 'The operations a client holding scopes S may call (this API declares no scope needs: all of them).' });
    w.writeLine('export type AllowedOperations<S extends string> = keyof Methods;');
    writeDoc(w, { description: 'A client: every operation as a method.' });
    w.writeLine('export type Client<S extends string = string> = BaseClient<S> & Methods;');
  }

  w.blankLine();
  writeDoc(w, {
    description: [
      'Creates the client: one method per operation, credentials set once.',
      'Pass `scopes` (as const) to get a client that only offers, and only sends, what those scopes allow.',
      ...(withValidators ? ["`validate` loads the package's validators on first use."] : []),
    ].join('\n'),
  });
  // A plain list, not Object.values of the namespace: bundlers then keep no name -> getter table.
  w.writeLine(`const operations: readonly Op[] = [${model.operations.map((op) => `$o.${op.name}`).join(', ')}];`);
  w.blankLine();
  w.writeLine('export function createClient<const S extends string = string>(options: ClientOptions<S> = {}): Client<S> {');
  w.indent(() => {
    // Requests pass validation first (an invalid body is refused before a token is fetched), then
    // tokens, retries and hooks (which see the token); outcomes go the other way round, so the hooks
    // see every answer before retries and token renewal act on it.
    const validated = withValidators ? "withValidation({ ...options, validators: options.validators ?? (() => import('../validators.js')) })" : 'withValidation(options)';
    const plugins = `withHooks(withRetries(${features.bearer ? `withBearer(${validated})` : validated}))`;
    w.writeLine(`const client = createBaseClient(${plugins}) as BaseClient & Record<string, unknown>;`);
    w.writeLine('for (const op of operations) client[op.id] = (...args: unknown[]) => invoke(client, op, args);');
    w.writeLine('return client as unknown as Client<S>;');
  });
  w.writeLine('}');
  w.blankLine();
  writeDoc(w, { description: 'An ApiError, narrowed to the error body of one operation when it is named.' });
  w.writeLine('export function isApiError<K extends keyof $R.OperationTypes = keyof $R.OperationTypes>(error: unknown, operation?: K): error is ApiError<$R.OperationTypes[K][\'error\']> {');
  w.indent(() => w.writeLine('return error instanceof ApiError && (operation === undefined || error.operation === operation);'));
  w.writeLine('}');
  w.writeLine('export type RequestOf<K extends keyof $R.OperationTypes> = $R.OperationTypes[K][\'request\'];');
  w.writeLine('export type ResponseOf<K extends keyof $R.OperationTypes> = $R.OperationTypes[K][\'response\'];');
  w.writeLine('export type { CallOptions };');
}

function writePaginate(w: CodeBlockWriter, paged: ReturnType<typeof paginatedOperations>): void {
  w.writeLine("import type * as $R from './types.js';");
  if (paged.some(([, p]) => p.query)) w.writeLine("import type * as $T from '../types.js';");
  w.writeLine("import type { BaseClient, Op } from './runtime.js';");
  w.writeLine("import { walkPages, type PageOptions, type PageSpec } from './pages.js';");
  w.writeLine("import * as $o from './ops.js';");
  w.blankLine();
  w.writeLine('const pages: { readonly [K in PaginatedOperation]: readonly [Op, PageSpec] } = {');
  w.indent(() => {
    for (const [op, p] of paged) w.writeLine(`${propertyKey(op.name)}: [$o.${op.name}, ${pageSpecLiteral(p)}],`);
  });
  w.writeLine('};');
  w.blankLine();
  const where = (p: (typeof paged)[number][1]) => (p.query ? ' (query parameters)' : '');
  writeDoc(w, { description: paged.map(([op, p]) => `${op.name}: ${p.kind === 'cursor' ? `cursor ${p.cursor} -> ${p.next}${p.more ? ` while ${p.more}` : ''}` : `${p.offset.join('.')} / ${p.count.join('.')} over ${p.items}${p.total ? ` up to ${p.total}` : ''}`}${where(p)}`).join('\n') });
  w.writeLine(`export type PaginatedOperation = ${paged.map(([op]) => stringLiteral(op.name)).join(' | ')};`);
  w.blankLine();
  writeDoc(w, { description: 'What paginate takes for each operation: the request body, or the parameters when the operation pages by query parameters.' });
  w.writeLine('export interface PageInput {');
  w.indent(() => {
    for (const [op, p] of paged) w.writeLine(`${propertyKey(op.name)}: ${p.query ? `$T.${op.symbols.params}` : `$R.OperationTypes[${stringLiteral(op.name)}]['request']`};`);
  });
  w.writeLine('}');
  w.blankLine();
  writeDoc(w, {
    description: [
      'Walks a paginated operation page by page: `for await (const page of paginate(client, \'transactionsSync\', { access_token }))`.',
      'Cursor operations send each page\'s next cursor until the has-more flag is false (the last page holds the cursor',
      'to store for next time); offset operations advance the offset by the items received until the total is reached.',
    ].join('\n'),
  });
  w.writeLine('export function paginate<K extends PaginatedOperation>(client: BaseClient, operation: K, input: PageInput[K], options?: PageOptions): AsyncGenerator<$R.OperationTypes[K][\'response\'], void, undefined> {');
  w.indent(() => {
    w.writeLine('const [op, spec] = pages[operation];');
    w.writeLine("return walkPages(client, op, spec, input, options) as AsyncGenerator<$R.OperationTypes[K]['response'], void, undefined>;");
  });
  w.writeLine('}');
  w.writeLine('export type { PageOptions };');
}

function writeOauth(w: CodeBlockWriter, token: NonNullable<ReturnType<typeof findTokenEndpoint>>): void {
  w.writeLine("import { tokenManager, type TokenManager, type TokenManagerOptions } from './tokens.js';");
  if ('op' in token) {
    w.writeLine(`import { ${token.op.name} as $tokenOp } from './ops.js';`);
  } else {
    w.writeLine("import type { Op } from './runtime.js';");
    w.blankLine();
    w.writeLine(`const $tokenOp: Op = { id: 'token', m: 'POST', p: ${stringLiteral(token.url)}, b: ['application/x-www-form-urlencoded'] };`);
  }
  const where = 'op' in token ? `${token.op.method.toUpperCase()} ${token.op.path}` : token.url;
  w.blankLine();
  writeDoc(w, {
    description: [
      `OAuth tokens from ${where}: client_credentials first (or RFC 8693 exchange of a subject token, or a refresh token you`,
      'already hold), refreshed with the refresh_token grant before expiry; concurrent callers share one request.',
      'Use it as the client\'s accessToken: `createClient({ ..., accessToken: createTokenManager({ scope: [...] }) })`.',
    ].join('\n'),
  });
  w.writeLine('export function createTokenManager(options?: TokenManagerOptions): TokenManager {');
  w.indent(() => w.writeLine('return tokenManager($tokenOp, options);'));
  w.writeLine('}');
}

function writeEntry(w: CodeBlockWriter, has: { paged: boolean; token: boolean; webhooks: boolean; bearer: boolean }): void {
  w.writeLine("export { createClient, isApiError, type AllowedOperations, type CallOptions, type Client, type Methods, type RequestOf, type ResponseOf } from './client/methods.js';");
  writeRuntimeExports(w, './client', has.bearer);
  w.writeLine("export type { OperationTypes } from './client/types.js';");
  w.writeLine("export type * as Received from './client/types.js';");
  if (has.paged) w.writeLine("export { paginate, type PageInput, type PageOptions, type PaginatedOperation } from './client/paginate.js';");
  if (has.token) {
    w.writeLine("export { createTokenManager } from './client/oauth.js';");
    w.writeLine("export type { ExchangeParams, TokenManager, TokenManagerOptions, TokenSet } from './client/tokens.js';");
  }
  if (has.webhooks) {
    w.writeLine("export * from './client/webhooks.js';");
    w.writeLine("export type { VerifyWebhookOptions, WebhookHeaders, WebhookVerification } from './client/verify.js';");
  }
  w.writeLine("export * from './client/operations.js';");
}
