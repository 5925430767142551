import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

// ajv-formats is CommonJS with a `default` export.
const addFormats = createRequire(import.meta.url)('ajv-formats').default as typeof import('ajv-formats').default;
import yaml from 'js-yaml';

/**
 * An independent referee for mock bodies: ajv over the raw spec, with OpenAPI 3.0 semantics
 * (CONTRACT "Schema semantics"): `nullable: true` admits null, also on an enum that does not list
 * it. Nothing here shares code with the generator.
 */
export interface SpecReferee {
  doc: OpenApiDoc;
  /** The validator of an operation's JSON response body for a status ('200', 'default'...). */
  response(method: string, path: string, status: string): ValidateFunction | undefined;
  request(method: string, path: string): ValidateFunction | undefined;
}

interface OpenApiDoc {
  paths: { [path: string]: { [method: string]: Operation } };
  components?: { schemas?: { [name: string]: unknown }; responses?: { [name: string]: unknown }; requestBodies?: { [name: string]: unknown } };
}
interface Operation {
  operationId?: string;
  requestBody?: unknown;
  responses?: { [status: string]: unknown };
}

/** Rewrites OpenAPI 3.0 keywords into JSON Schema (draft 2019 / ajv). */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'example' || k === 'examples' || k === 'discriminator' || k === 'xml' || k === 'externalDocs') continue;
    out[k] = k === 'properties' || k === 'patternProperties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, convert(s)])) : convert(v);
  }
  // 3.0 boolean exclusive bounds -> 2019 numbers.
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (out[flag] === true) {
      out[flag] = out[bound];
      delete out[bound];
    } else if (out[flag] === false) delete out[flag];
  }
  // nullable admits null whatever else the node says (enum, allOf, $ref): CONTRACT semantics.
  const nullable = out.nullable === true;
  delete out.nullable;
  return nullable ? { anyOf: [{ type: 'null' }, out] } : out;
}

export function createReferee(specFile: string): SpecReferee {
  const raw = yaml.load(fs.readFileSync(specFile, 'utf8')) as OpenApiDoc;
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  for (const f of ['double', 'float', 'int32', 'int64', 'binary', 'url', 'cognito_id', 'password', 'byte']) if (!ajv.formats[f]) ajv.addFormat(f, true);
  ajv.addFormat('url', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  const schemas = Object.fromEntries(Object.entries(raw.components?.schemas ?? {}).map(([k, v]) => [k, convert(v)]));
  ajv.addSchema({ $id: 'spec', components: { schemas } });
  const deref = (node: unknown): { [key: string]: unknown } | undefined => {
    let n = node as { $ref?: string } | undefined;
    for (let i = 0; n?.$ref && i < 10; i++) {
      const parts = n.$ref.replace(/^#\//, '').split('/');
      n = parts.reduce<unknown>((acc, p) => (acc as { [k: string]: unknown } | undefined)?.[p.replace(/~1/g, '/').replace(/~0/g, '~')], raw) as { $ref?: string };
    }
    return n as { [key: string]: unknown } | undefined;
  };
  const cache = new Map<string, ValidateFunction | undefined>();
  const compile = (key: string, schema: unknown) => {
    if (!cache.has(key)) {
      const rewritten = JSON.parse(JSON.stringify(convert(schema)).replace(/"\$ref":"#\//g, '"$ref":"spec#/'));
      cache.set(key, schema === undefined ? undefined : ajv.compile(rewritten));
    }
    return cache.get(key);
  };
  const jsonSchema = (content: unknown) => {
    const c = content as { [media: string]: { schema?: unknown } } | undefined;
    if (!c) return undefined;
    const media = Object.keys(c).find((m) => /json/i.test(m));
    return media ? c[media].schema : undefined;
  };
  return {
    doc: raw,
    response(method, path, status) {
      const response = deref(raw.paths[path]?.[method]?.responses?.[status]);
      const schema = jsonSchema(response?.content);
      return schema === undefined ? undefined : compile(`res ${method} ${path} ${status}`, schema);
    },
    request(method, path) {
      const body = deref(raw.paths[path]?.[method]?.requestBody);
      const schema = jsonSchema(body?.content);
      return schema === undefined ? undefined : compile(`req ${method} ${path}`, schema);
    },
  };
}
