import { InputError, joinPointer } from '../load/errors.js';
import type { RawInput } from '../load/inputs.js';
import {
  HTTP_METHODS,
  type ApiInfo,
  type Example,
  type HttpMethod,
  type JsonValue,
  type MediaContent,
  type NamedSchema,
  type OAuthFlow,
  type Operation,
  type Parameter,
  type ParameterLocation,
  type RequestBody,
  type Response,
  type ResponseHeader,
  type SecurityRequirement,
  type SecurityScheme,
  type Server,
} from '../model/types.js';
import { Diagnostics } from './diagnostics.js';
import { convertSchema, promotedSchemas, resolvePointer, type SchemaContext } from './schema.js';

/** What one OpenAPI input contributes to the model, before merging and naming. */
export interface Fragment {
  file: string;
  fragment: boolean;
  info?: ApiInfo;
  servers: Server[];
  securitySchemes: SecurityScheme[];
  security?: SecurityRequirement[];
  operations: Operation[];
  schemas: NamedSchema[];
  warnings: Diagnostics;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const LOCATIONS: ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
const MEDIA_TYPE = /^[\w.+*-]+\/[\w.+*-]+(\s*;.*)?$/;

export function normalizeOpenApi(input: Extract<RawInput, { kind: 'openapi' }>, seenFormats: Map<string, string>): Fragment {
  const { file, document: doc } = input;
  const diagnostics = new Diagnostics(file, seenFormats);
  diagnostics.list.push(...input.warnings);
  const openapi = String(doc.openapi ?? '3.0.0');
  const ctx: SchemaContext = {
    file,
    version: openapi.startsWith('3.1') ? '3.1' : '3.0',
    root: doc,
    diagnostics,
    inlining: new Set(),
  };
  const fail = (message: string, pointer: string): never => {
    throw new InputError(`invalid OpenAPI document: ${message}`, { file, pointer });
  };

  let info: ApiInfo | undefined;
  if (isObject(doc.info)) {
    const version = String(doc.info.version ?? '');
    info = {
      title: typeof doc.info.title === 'string' ? doc.info.title : 'API',
      version,
      apiVersion: version.split('_')[0],
      description: typeof doc.info.description === 'string' ? doc.info.description : undefined,
      openapi,
    };
  } else if (!input.fragment) {
    fail(doc.info === undefined ? 'the required field `info` is missing' : '`info` must be an object', '/info');
  }
  if (doc.paths !== undefined && !isObject(doc.paths)) fail('`paths` must be an object', '/paths');
  if (doc.paths === undefined && !input.fragment && ctx.version === '3.0') fail('the required field `paths` is missing', '/paths');
  if (doc.components !== undefined && !isObject(doc.components)) fail('`components` must be an object', '/components');

  const components = isObject(doc.components) ? doc.components : {};
  const schemas: NamedSchema[] = [];
  if (components.schemas !== undefined) {
    if (!isObject(components.schemas)) fail('`components.schemas` must be an object', '/components/schemas');
    for (const [key, raw] of Object.entries(components.schemas as Raw)) {
      const pointer = joinPointer('/components/schemas', key);
      schemas.push({ key, symbol: '', schema: convertSchema(raw, pointer, ctx), source: { file, pointer } });
    }
  }

  const servers = convertServers(doc.servers, '/servers', diagnostics);
  const securitySchemes = convertSecuritySchemes(components.securitySchemes, diagnostics);
  const security = Array.isArray(doc.security) ? convertSecurity(doc.security) : undefined;

  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    // `x-` keys of the Paths Object are extensions, not paths (corpus: apicurio.local/registry.json).
    if (path.startsWith('x-')) continue;
    const itemPointer = joinPointer('/paths', path);
    let item = rawItem;
    if (isObject(item) && typeof item.$ref === 'string') item = resolvePointer(doc, item.$ref) ?? item;
    if (!isObject(item)) fail(`path item ${JSON.stringify(path)} must be an object`, itemPointer);
    const pathItem = item as Raw;
    if (!path.startsWith('/')) diagnostics.warn('invalid-path', `path ${JSON.stringify(path)} does not start with "/"`, itemPointer);
    const shared = collectParameters(pathItem.parameters, joinPointer(itemPointer, 'parameters'), ctx, fail);
    for (const method of HTTP_METHODS) {
      const rawOp = pathItem[method];
      if (rawOp === undefined) continue;
      const opPointer = joinPointer(itemPointer, method);
      if (!isObject(rawOp)) fail(`operation ${method.toUpperCase()} ${path} must be an object`, opPointer);
      operations.push(convertOperation(rawOp as Raw, method, path, pathItem, shared, opPointer, ctx, fail));
    }
  }

  for (const promoted of promotedSchemas(ctx)) {
    schemas.push({ key: promoted.key, symbol: '', schema: promoted.schema, source: { file, pointer: promoted.pointer } });
  }

  return { file, fragment: input.fragment, info, servers, securitySchemes, security, operations, schemas, warnings: diagnostics };
}

function convertOperation(
  raw: Raw,
  method: HttpMethod,
  path: string,
  pathItem: Raw,
  shared: Parameter[],
  pointer: string,
  ctx: SchemaContext,
  fail: (message: string, pointer: string) => never,
): Operation {
  const own = collectParameters(raw.parameters, joinPointer(pointer, 'parameters'), ctx, fail);
  const parameters = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
  for (const name of pathTemplateNames(path)) {
    if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
      ctx.diagnostics.warn('missing-path-parameter', `path parameter {${name}} is not declared; typed as string`, pointer);
      parameters.push({ name, in: 'path', required: true, schema: { type: ['string'] }, style: 'simple', explode: false, examples: [] });
    }
  }

  let requestBody: RequestBody | undefined;
  if (raw.requestBody !== undefined) {
    const bodyPointer = joinPointer(pointer, 'requestBody');
    const body = deref(raw.requestBody, ctx);
    if (!isObject(body)) fail('requestBody must be an object', bodyPointer);
    const b = body as Raw;
    requestBody = {
      required: b.required === true,
      description: typeof b.description === 'string' ? b.description : undefined,
      content: convertContent(b.content, joinPointer(bodyPointer, 'content'), ctx),
    };
  }

  const responses: Response[] = [];
  if (raw.responses !== undefined && !isObject(raw.responses)) fail('responses must be an object', joinPointer(pointer, 'responses'));
  for (const [status, rawResponse] of Object.entries((raw.responses as Raw | undefined) ?? {})) {
    const resPointer = joinPointer(pointer, 'responses', status);
    if (status.startsWith('x-')) continue;
    if (!/^([1-5](\d\d|XX)|default)$/.test(status)) {
      ctx.diagnostics.warn('invalid-status', `response status ${JSON.stringify(status)} is not a status code, range or "default"; skipped`, resPointer);
      continue;
    }
    const res = deref(rawResponse, ctx);
    if (!isObject(res)) fail('a response must be an object', resPointer);
    const r = res as Raw;
    responses.push({
      status,
      description: typeof r.description === 'string' ? r.description : undefined,
      content: convertContent(r.content, joinPointer(resPointer, 'content'), ctx),
      headers: convertHeaders(r.headers, joinPointer(resPointer, 'headers'), ctx),
    });
  }
  if (responses.length === 0) ctx.diagnostics.warn('no-responses', `${method.toUpperCase()} ${path} declares no responses`, pointer);

  const extensions: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(raw)) if (key.startsWith('x-')) extensions[key] = value as JsonValue;
  const servers = Array.isArray(raw.servers)
    ? convertServers(raw.servers, joinPointer(pointer, 'servers'), ctx.diagnostics)
    : Array.isArray(pathItem.servers)
      ? convertServers(pathItem.servers, joinPointer(pointer.slice(0, pointer.lastIndexOf('/')), 'servers'), ctx.diagnostics)
      : undefined;

  return {
    name: '',
    operationId: typeof raw.operationId === 'string' && raw.operationId.trim() ? raw.operationId : undefined,
    method,
    path,
    summary: typeof raw.summary === 'string' ? raw.summary : undefined,
    description: typeof raw.description === 'string' ? raw.description : undefined,
    tags: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [],
    deprecated: raw.deprecated === true ? true : undefined,
    parameters,
    requestBody,
    responses,
    security: Array.isArray(raw.security) ? convertSecurity(raw.security) : undefined,
    servers,
    symbols: { request: '', response: '', error: '', params: '' },
    extensions: Object.keys(extensions).length ? extensions : undefined,
    source: { file: ctx.file, pointer },
  };
}

function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
}

/** Follows `$ref`s to components (parameters, responses, requestBodies, headers, examples). */
function deref(value: unknown, ctx: SchemaContext, depth = 0): unknown {
  if (isObject(value) && typeof value.$ref === 'string' && depth < 32) {
    const target = resolvePointer(ctx.root, value.$ref);
    if (target === undefined) {
      ctx.diagnostics.warn('unresolved-ref', `$ref ${JSON.stringify(value.$ref)} points at nothing; skipped`);
      return undefined;
    }
    return deref(target, ctx, depth + 1);
  }
  return value;
}

function collectParameters(
  raw: unknown,
  pointer: string,
  ctx: SchemaContext,
  fail: (message: string, pointer: string) => never,
): Parameter[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail('parameters must be an array', pointer);
  const out: Parameter[] = [];
  (raw as unknown[]).forEach((entry, i) => {
    const p = deref(entry, ctx);
    const at = joinPointer(pointer, i);
    if (p === undefined) return;
    if (!isObject(p)) fail('a parameter must be an object', at);
    const param = p as Raw;
    if (param.name === undefined) fail('a parameter needs a `name`', at);
    if (typeof param.name !== 'string' || !param.name.trim()) {
      // Specs converted from API-client collections carry blank rows (corpus: notion.com.json); nothing can be sent under no name.
      ctx.diagnostics.warn('invalid-parameter', `a parameter with the name ${JSON.stringify(param.name)} cannot be sent; skipped`, at);
      return;
    }
    if (!LOCATIONS.includes(param.in as ParameterLocation)) fail(`parameter ${JSON.stringify(param.name)} has an invalid \`in\`: ${JSON.stringify(param.in)}`, at);
    const location = param.in as ParameterLocation;
    const style = typeof param.style === 'string' ? param.style : location === 'query' || location === 'cookie' ? 'form' : 'simple';
    let schema = param.schema;
    if (schema === undefined && isObject(param.content)) {
      const first = Object.values(param.content)[0];
      if (isObject(first)) schema = first.schema;
    }
    out.push({
      name: param.name as string,
      in: location,
      required: location === 'path' ? true : param.required === true,
      schema: convertSchema(schema ?? { type: 'string' }, joinPointer(at, 'schema'), ctx),
      style,
      explode: typeof param.explode === 'boolean' ? param.explode : style === 'form',
      allowReserved: param.allowReserved === true ? true : undefined,
      description: typeof param.description === 'string' ? param.description : undefined,
      deprecated: param.deprecated === true ? true : undefined,
      examples: convertExamples(param, ctx),
    });
  });
  return out;
}

function convertContent(raw: unknown, pointer: string, ctx: SchemaContext): MediaContent[] {
  if (raw === undefined) return [];
  if (!isObject(raw)) {
    ctx.diagnostics.warn('invalid-content', '`content` must be an object; skipped', pointer);
    return [];
  }
  const out: MediaContent[] = [];
  for (const [mediaType, media] of Object.entries(raw)) {
    const at = joinPointer(pointer, mediaType);
    // Real specs slip other keys in here (Plaid has `examples: {}` beside application/json).
    if (!MEDIA_TYPE.test(mediaType)) {
      ctx.diagnostics.warn('invalid-media-type', `${JSON.stringify(mediaType)} is not a media type; skipped`, at);
      continue;
    }
    if (!isObject(media)) {
      ctx.diagnostics.warn('invalid-content', `media type ${mediaType} must be an object; skipped`, at);
      continue;
    }
    out.push({
      mediaType,
      schema: media.schema === undefined ? {} : convertSchema(media.schema, joinPointer(at, 'schema'), ctx),
      examples: convertExamples(media, ctx),
    });
  }
  return out;
}

function convertExamples(raw: Raw, ctx: SchemaContext): Example[] {
  const out: Example[] = [];
  if ('example' in raw && raw.example !== undefined) out.push({ value: raw.example as JsonValue });
  if (isObject(raw.examples)) {
    for (const [name, entry] of Object.entries(raw.examples)) {
      const example = deref(entry, ctx);
      if (!isObject(example) || !('value' in example)) continue;
      out.push({
        name,
        summary: typeof example.summary === 'string' ? example.summary : undefined,
        description: typeof example.description === 'string' ? example.description : undefined,
        value: example.value as JsonValue,
      });
    }
  }
  return out;
}

function convertHeaders(raw: unknown, pointer: string, ctx: SchemaContext): ResponseHeader[] {
  if (!isObject(raw)) return [];
  const out: ResponseHeader[] = [];
  for (const [name, entry] of Object.entries(raw)) {
    const header = deref(entry, ctx);
    if (!isObject(header)) continue;
    out.push({
      name,
      required: header.required === true,
      schema: convertSchema(header.schema ?? {}, joinPointer(pointer, name, 'schema'), ctx),
      description: typeof header.description === 'string' ? header.description : undefined,
    });
  }
  return out;
}

function convertServers(raw: unknown, pointer: string, diagnostics: Diagnostics): Server[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    diagnostics.warn('invalid-servers', '`servers` must be an array; ignored', pointer);
    return [];
  }
  const out: Server[] = [];
  raw.forEach((server, i) => {
    if (!isObject(server) || typeof server.url !== 'string') {
      diagnostics.warn('invalid-server', 'a server needs a `url`; skipped', joinPointer(pointer, i));
      return;
    }
    const variables = isObject(server.variables)
      ? Object.entries(server.variables).flatMap(([name, v]) =>
          isObject(v)
            ? [
                {
                  name,
                  default: String(v.default ?? ''),
                  enum: Array.isArray(v.enum) ? v.enum.map(String) : undefined,
                  description: typeof v.description === 'string' ? v.description : undefined,
                },
              ]
            : [],
        )
      : [];
    out.push({ url: server.url, description: typeof server.description === 'string' ? server.description : undefined, variables });
  });
  return out;
}

function convertSecuritySchemes(raw: unknown, diagnostics: Diagnostics): SecurityScheme[] {
  if (!isObject(raw)) return [];
  const out: SecurityScheme[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const pointer = joinPointer('/components/securitySchemes', key);
    if (!isObject(value) || typeof value.type !== 'string') {
      diagnostics.warn('invalid-security-scheme', 'a security scheme needs a `type`; skipped', pointer);
      continue;
    }
    const type = value.type as SecurityScheme['type'];
    if (!['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS'].includes(type)) {
      diagnostics.warn('invalid-security-scheme', `unknown security scheme type ${JSON.stringify(type)}; skipped`, pointer);
      continue;
    }
    const scheme: SecurityScheme = { key, type };
    if (typeof value.description === 'string') scheme.description = value.description;
    if (type === 'apiKey') {
      scheme.name = String(value.name ?? key);
      scheme.in = (['header', 'query', 'cookie'].includes(value.in as string) ? value.in : 'header') as SecurityScheme['in'];
    }
    if (type === 'http') {
      scheme.scheme = String(value.scheme ?? 'bearer').toLowerCase();
      if (typeof value.bearerFormat === 'string') scheme.bearerFormat = value.bearerFormat;
    }
    if (type === 'oauth2' && isObject(value.flows)) {
      scheme.flows = Object.entries(value.flows).flatMap(([flow, f]): OAuthFlow[] =>
        isObject(f)
          ? [
              {
                flow,
                authorizationUrl: typeof f.authorizationUrl === 'string' ? f.authorizationUrl : undefined,
                tokenUrl: typeof f.tokenUrl === 'string' ? f.tokenUrl : undefined,
                refreshUrl: typeof f.refreshUrl === 'string' ? f.refreshUrl : undefined,
                scopes: isObject(f.scopes) ? Object.fromEntries(Object.entries(f.scopes).map(([s, d]) => [s, String(d ?? '')])) : {},
              },
            ]
          : [],
      );
    }
    if (type === 'openIdConnect' && typeof value.openIdConnectUrl === 'string') scheme.openIdConnectUrl = value.openIdConnectUrl;
    out.push(scheme);
  }
  return out;
}

function convertSecurity(raw: unknown[]): SecurityRequirement[] {
  return raw.filter(isObject).map((req) =>
    Object.fromEntries(Object.entries(req).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : []])),
  );
}
