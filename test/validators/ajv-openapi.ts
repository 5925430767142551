import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
// ajv and ajv-formats are CommonJS with `default` exports; createRequire keeps the types simple.
const Ajv = require('ajv').default as typeof import('ajv').default;
const addFormats = require('ajv-formats').default as typeof import('ajv-formats').default;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export type Direction = 'neutral' | 'request' | 'response';

/**
 * The reference validator: ajv (draft-07, all errors, ajv-formats full mode) over the raw OpenAPI
 * 3.0 document, with OpenAPI's semantics spelled out in JSON Schema the way the CONTRACT states them:
 * - `nullable: true` admits null whatever the other keywords say: `type` gains "null" and `enum`
 *   gains null, or, beside a `$ref`/composition, the schema becomes `anyOf: [{type: null}, schema]`;
 * - a `$ref`'s siblings are ignored (OpenAPI 3.0);
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` move the bound (draft-4 style);
 * - in the request direction readOnly properties are not required, in responses writeOnly ones.
 * Formats ajv-formats does not know are accepted.
 */
export class AjvReference {
  private readonly ajv: InstanceType<typeof Ajv>;
  private readonly cache = new Map<string, ValidateFunction>();
  readonly id: string;

  constructor(document: Raw, readonly direction: Direction) {
    this.id = `openapi-${direction}.json`;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
    addFormats(this.ajv);
    const known = new Set(Object.keys(this.ajv.formats));
    const doc = transformDocument(structuredClone(document), direction, (format) => {
      if (!known.has(format)) {
        known.add(format);
        this.ajv.addFormat(format, true);
      }
    });
    this.ajv.addSchema({ ...doc, $id: this.id });
  }

  /** The compiled validator of the schema at a JSON pointer of the document. */
  at(pointer: string): ValidateFunction {
    let fn = this.cache.get(pointer);
    if (!fn) {
      fn = this.ajv.getSchema(`${this.id}#${encodePointer(pointer)}`);
      if (!fn) throw new Error(`ajv: no schema at ${pointer}`);
      this.cache.set(pointer, fn);
    }
    return fn;
  }

  /** Error locations as our validators report them: a missing or extra property points at itself. */
  static paths(errors: ErrorObject[] | null | undefined): Set<string> {
    const out = new Set<string>();
    for (const e of errors ?? []) {
      if (e.keyword === 'required') out.add(`${e.instancePath}/${escapeToken(String(e.params.missingProperty))}`);
      else if (e.keyword === 'additionalProperties') out.add(`${e.instancePath}/${escapeToken(String(e.params.additionalProperty))}`);
      else out.add(e.instancePath);
    }
    return out;
  }
}

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A pointer as a URI fragment: ajv resolves fragments percent-decoded. */
function encodePointer(pointer: string): string {
  return pointer
    .split('/')
    .map((t) => encodeURIComponent(t).replace(/%24/g, '$'))
    .join('/');
}

const DROP = new Set(['nullable', 'discriminator', 'example', 'examples', 'xml', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly']);

function transformDocument(doc: Raw, direction: Direction, onFormat: (format: string) => void): Raw {
  const schemas = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const flagged = (s: unknown, flag: string): boolean => {
    if (!isObject(s)) return false;
    if (s[flag] === true) return true;
    const key = typeof s.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(s.$ref)?.[1] : undefined;
    return key !== undefined && isObject(schemas[key]) && schemas[key][flag] === true;
  };
  const skipFlag = direction === 'request' ? 'readOnly' : direction === 'response' ? 'writeOnly' : undefined;

  const schema = (s: unknown): unknown => {
    if (!isObject(s)) return s;
    if (typeof s.$ref === 'string') {
      const ref = { $ref: s.$ref };
      return s.nullable === true ? { anyOf: [{ type: 'null' }, ref] } : ref;
    }
    const out: Raw = {};
    for (const [k, v] of Object.entries(s)) if (!DROP.has(k) && !k.startsWith('x-')) out[k] = v;
    if (isObject(s.properties)) {
      out.properties = Object.fromEntries(Object.entries(s.properties).map(([name, p]) => [name, schema(p)]));
      if (skipFlag && Array.isArray(out.required)) {
        const props = s.properties;
        out.required = (out.required as string[]).filter((name) => !flagged(props[name], skipFlag));
      }
    }
    if (s.items !== undefined) out.items = Array.isArray(s.items) ? s.items.map(schema) : schema(s.items);
    if (isObject(s.additionalProperties)) out.additionalProperties = schema(s.additionalProperties);
    for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) out[k] = (s[k] as unknown[]).map(schema);
    if (s.not !== undefined) out.not = schema(s.not);
    for (const k of ['exclusiveMinimum', 'exclusiveMaximum'] as const) {
      const bound = k === 'exclusiveMinimum' ? 'minimum' : 'maximum';
      if (typeof s[k] === 'boolean') {
        delete out[k];
        if (s[k] === true && typeof s[bound] === 'number') {
          out[k] = s[bound];
          delete out[bound];
        }
      }
    }
    if (typeof s.format === 'string') onFormat(s.format);
    if (s.nullable === true) {
      const composed = out.allOf || out.anyOf || out.oneOf || out.not;
      if (typeof out.type === 'string' && !composed) {
        out.type = [out.type, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
        return out;
      }
      return { anyOf: [{ type: 'null' }, out] };
    }
    return out;
  };

  for (const [key, value] of Object.entries(schemas)) schemas[key] = schema(value);
  const content = (c: unknown) => {
    if (!isObject(c)) return;
    for (const media of Object.values(c)) if (isObject(media) && media.schema !== undefined) media.schema = schema(media.schema);
  };
  for (const item of Object.values(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) {
      if (!isObject(op)) continue;
      if (isObject(op.requestBody)) content(op.requestBody.content);
      for (const response of Object.values(isObject(op.responses) ? op.responses : {})) if (isObject(response)) content(response.content);
    }
  }
  return doc;
}
