import { joinPointer, safeDecode, unescapePointerToken } from '../load/errors.js';
import { JSON_TYPES, type JsonType, type JsonValue, type Schema } from '../model/types.js';
import type { Diagnostics } from './diagnostics.js';
import { SCHEMA_LISTS, SCHEMA_MAPS, schemaIds } from '../load/schema-ids.js';

/** Formats the validators and mock data know; any other format is accepted and listed once. */
export const KNOWN_FORMATS = new Set([
  'date', 'date-time', 'time', 'email', 'uri', 'url', 'uri-reference', 'uuid', 'ipv4', 'ipv6', 'hostname',
  'byte', 'binary', 'password', 'int32', 'int64', 'float', 'double', 'regex', 'duration', 'json-pointer',
  'uri-template', 'idn-email', 'idn-hostname', 'iri', 'iri-reference', 'relative-json-pointer', 'decimal',
]);

const COMPONENT_SCHEMA = /^#\/components\/schemas\/([^/]+)$/;

export interface SchemaContext {
  file: string;
  /** 3.0 ignores $ref siblings (as the spec says); 3.1 applies them. */
  version: '3.0' | '3.1';
  /** The raw document, for `$ref`s into places other than components/schemas. */
  root: unknown;
  diagnostics: Diagnostics;
  /** Pointers being inlined right now, to stop a ref cycle outside components/schemas. */
  inlining: Set<string>;
  /**
   * `$ref`s into a component schema (`#/components/schemas/A/properties/b`), each made a named
   * schema of its own: pointer -> model key. The caller converts them (see promotedSchemas).
   */
  promoted?: Map<string, string>;
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Resolves a local JSON pointer (`#/a/b`) in a document, or returns undefined. */
export function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const body = ref.slice(1);
  if (body === '' ) return root;
  if (!body.startsWith('/')) return undefined;
  let node: unknown = root;
  for (const raw of body.slice(1).split('/')) {
    const token = unescapePointerToken(safeDecode(raw));
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node)) node = Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** The components/schemas key a `$ref` names, or undefined when it points elsewhere. */
export function componentSchemaKey(ref: string): string | undefined {
  const match = COMPONENT_SCHEMA.exec(ref);
  return match ? unescapePointerToken(safeDecode(match[1])) : undefined;
}

/** Converts one raw schema (3.0 or 3.1) at `pointer` into a model Schema. */
export function convertSchema(raw: unknown, pointer: string, ctx: SchemaContext, entered = false): Schema {
  const out = convertNode(raw, pointer, ctx);
  // 3.1: evaluation entering a schema resource (at its $id, or through a $ref into it) puts the
  // resource's $dynamicAnchors in the dynamic scope.
  if (ctx.version === '3.1' && isObject(raw) && (entered || typeof raw.$id === 'string') && out.dynamicScope === undefined) {
    const ids = schemaIds(ctx.root);
    const declared = ids?.dynamicAnchors(ids.resourceOf(pointer));
    const scope: { [anchor: string]: string } = {};
    for (const [name, at] of declared ?? []) {
      const ref = `#${at}`;
      const key = componentSchemaKey(ref) ?? (ref.startsWith('#/components/schemas/') ? promote(ref, ctx) : undefined);
      if (key !== undefined) scope[name] = key;
    }
    if (Object.keys(scope).length) out.dynamicScope = scope;
  }
  return out;
}

function convertNode(raw: unknown, pointer: string, ctx: SchemaContext): Schema {
  if (raw === true || raw === undefined) return {};
  if (raw === false) return { not: {} };
  if (!isObject(raw)) {
    ctx.diagnostics.warn('invalid-schema', `a schema must be an object, found ${describe(raw)}; treated as any value`, pointer);
    return {};
  }
  if (typeof raw.$ref === 'string') return convertRef(raw, pointer, ctx);
  if (ctx.version === '3.1' && typeof raw.$dynamicRef === 'string') {
    // First resolved as a $ref. When its target declares the same name as $dynamicAnchor, the
    // dynamic scope decides at evaluation time (2020-12, 8.2.3.2): the node keeps the name.
    const { $dynamicRef, ...rest } = raw;
    const out = convertRef({ ...rest, $ref: $dynamicRef }, pointer, ctx);
    const hash = $dynamicRef.indexOf('#');
    const name = hash < 0 ? '' : safeDecode($dynamicRef.slice(hash + 1));
    if (name && !name.startsWith('/') && out.ref !== undefined) {
      const target = schemaIds(ctx.root)?.resolve($dynamicRef, pointer);
      const node = target === undefined ? undefined : resolvePointer(ctx.root, target);
      if (isObject(node) && node.$dynamicAnchor === name) out.dynamicRef = name;
    }
    return out;
  }

  const out: Schema = {};
  const types = convertType(raw, pointer, ctx);
  if (types) out.type = types;
  if (raw.nullable === true) {
    out.nullable = true;
    if (out.type && !out.type.includes('null')) out.type.push('null');
  }
  if (Array.isArray(raw.enum)) {
    if (raw.enum.length === 0) ctx.diagnostics.warn('empty-enum', 'enum has no values: nothing can match', joinPointer(pointer, 'enum'));
    out.enum = raw.enum as JsonValue[];
  }
  if ('const' in raw) {
    out.const = raw.const as JsonValue;
    out.hasConst = true;
  }

  const format = str(raw.format);
  if (format !== undefined) {
    out.format = format;
    if (!KNOWN_FORMATS.has(format)) ctx.diagnostics.unknownFormat(format, joinPointer(pointer, 'format'));
  }
  copyNumber(raw, out, 'minLength');
  copyNumber(raw, out, 'maxLength');
  if (typeof raw.pattern === 'string') {
    if (isValidPattern(raw.pattern)) out.pattern = raw.pattern;
    else ctx.diagnostics.warn('invalid-pattern', `pattern ${JSON.stringify(raw.pattern)} is not a valid regular expression; ignored`, joinPointer(pointer, 'pattern'));
  }

  copyNumber(raw, out, 'minimum');
  copyNumber(raw, out, 'maximum');
  copyNumber(raw, out, 'multipleOf');
  // 3.0 / draft-4: boolean exclusive flags modify minimum/maximum; 3.1: they are numbers.
  if (raw.exclusiveMinimum === true && out.minimum !== undefined) {
    out.exclusiveMinimum = out.minimum;
    delete out.minimum;
  } else if (num(raw.exclusiveMinimum) !== undefined) out.exclusiveMinimum = num(raw.exclusiveMinimum);
  if (raw.exclusiveMaximum === true && out.maximum !== undefined) {
    out.exclusiveMaximum = out.maximum;
    delete out.maximum;
  } else if (num(raw.exclusiveMaximum) !== undefined) out.exclusiveMaximum = num(raw.exclusiveMaximum);

  convertObjectKeywords(raw, out, pointer, ctx);
  convertArrayKeywords(raw, out, pointer, ctx);

  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = raw[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) {
      ctx.diagnostics.warn('invalid-schema', `${key} must be a non-empty array; ignored`, joinPointer(pointer, key));
      continue;
    }
    out[key] = list.map((item, i) => convertSchema(item, joinPointer(pointer, key, i), ctx));
  }
  if (raw.not !== undefined) out.not = convertSchema(raw.not, joinPointer(pointer, 'not'), ctx);
  if (raw.if !== undefined) {
    out.if = convertSchema(raw.if, joinPointer(pointer, 'if'), ctx);
    if (raw.then !== undefined) out.then = convertSchema(raw.then, joinPointer(pointer, 'then'), ctx);
    if (raw.else !== undefined) out.else = convertSchema(raw.else, joinPointer(pointer, 'else'), ctx);
  }
  if (isObject(raw.discriminator)) convertDiscriminator(raw.discriminator, out, pointer, ctx);

  if (typeof raw.title === 'string') out.title = raw.title;
  if (typeof raw.description === 'string') out.description = raw.description;
  if (raw.deprecated === true) out.deprecated = true;
  if ('default' in raw) {
    out.default = raw.default as JsonValue;
    out.hasDefault = true;
  }
  if ('example' in raw) {
    out.example = raw.example as JsonValue;
    out.hasExample = true;
  }
  if (Array.isArray(raw.examples)) out.examples = raw.examples as JsonValue[];
  if (raw.readOnly === true) out.readOnly = true;
  if (raw.writeOnly === true) out.writeOnly = true;
  return out;
}

function convertRef(raw: Raw, pointer: string, ctx: SchemaContext): Schema {
  let ref = raw.$ref as string;
  // 3.1: a ref written against an $id or to an $anchor, made the local pointer it stands for.
  // Inside a schema with an $id, even `#/...` is relative to that schema, not the document.
  if (ctx.version === '3.1') ref = schemaIds(ctx.root)?.resolve(ref, pointer) ?? ref;
  let out: Schema;
  const key = componentSchemaKey(ref);
  if (key !== undefined) {
    // Checked against the merged model later: a fragment may reference another input's schema.
    out = { ref: key };
  } else if (ref.startsWith('#/components/schemas/') && resolvePointer(ctx.root, ref) !== undefined) {
    // Inlining these nests copies in copies: Azure specs point into each other's properties so
    // deeply that a 150 KB spec inlined to gigabytes. As named schemas they are converted once.
    out = { ref: promote(ref, ctx) };
  } else if (ref.startsWith('#')) {
    const target = resolvePointer(ctx.root, ref);
    if (target === undefined) {
      ctx.diagnostics.warn('unresolved-ref', `$ref ${JSON.stringify(ref)} points at nothing; typed as unknown`, pointer);
      out = { unresolved: ref };
    } else if (ctx.inlining.has(ref)) {
      ctx.diagnostics.warn('ref-cycle', `$ref ${JSON.stringify(ref)} refers to itself outside components/schemas; typed as unknown`, pointer);
      out = { unresolved: ref };
    } else {
      ctx.inlining.add(ref);
      out = convertSchema(target, ref.slice(1), ctx);
      ctx.inlining.delete(ref);
    }
  } else {
    ctx.diagnostics.warn('unresolved-ref', `external $ref ${JSON.stringify(ref)} could not be bundled; typed as unknown`, pointer);
    out = { unresolved: ref };
  }

  const siblings = Object.keys(raw).filter((k) => k !== '$ref' && !k.startsWith('x-'));
  if (siblings.length === 0) return out;
  if (ctx.version === '3.1') {
    const rest = convertSchema(Object.fromEntries(Object.entries(raw).filter(([k]) => k !== '$ref')), pointer, ctx);
    return out.ref !== undefined || out.unresolved !== undefined ? { ...rest, ...out } : { allOf: [out, rest] };
  }
  // 3.0 ignores $ref siblings; annotations are kept, and `nullable` is honoured because specs
  // write it there meaning "or null", and the API does send null.
  const kept: Schema = { ...out };
  if (raw.nullable === true) kept.nullable = true;
  if (typeof raw.description === 'string') kept.description = raw.description;
  if (raw.deprecated === true) kept.deprecated = true;
  return kept;
}

/** How a step of a schema path reads in a type name (keywords followed by a name or an index: SCHEMA_MAPS, SCHEMA_LISTS). */
const STEP_WORD: Record<string, string> = { items: 'Item', additionalProperties: 'Value', not: 'Not', if: 'If', then: 'Then', else: 'Else', contains: 'Contains', propertyNames: 'Key' };

/** The model key of a pointer into a component schema: `A/ipConfiguration/Item` for `A/properties/ipConfiguration/items`. */
function promote(ref: string, ctx: SchemaContext): string {
  ctx.promoted ??= new Map();
  const known = ctx.promoted.get(ref);
  if (known !== undefined) return known;
  const steps = ref.slice('#/components/schemas/'.length).split('/').map((t) => unescapePointerToken(safeDecode(t)));
  const words = [steps[0]];
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i];
    if (SCHEMA_MAPS.has(step) && i + 1 < steps.length) words.push(steps[++i]);
    else if (SCHEMA_LISTS.has(step) && i + 1 < steps.length) words.push(`${step}${steps[++i]}`);
    else words.push(STEP_WORD[step] ?? step);
  }
  // '/' cannot be in a component key, so these never collide with one.
  let key = words.join('/');
  const taken = new Set(ctx.promoted.values());
  for (let n = 2; taken.has(key); n++) key = `${words.join('/')}/${n}`;
  ctx.promoted.set(ref, key);
  return key;
}

/**
 * The named schemas made from `$ref`s into component schemas: each converted once, including the
 * ones their own conversion finds.
 */
export function promotedSchemas(ctx: SchemaContext): { key: string; pointer: string; schema: Schema }[] {
  const out: { key: string; pointer: string; schema: Schema }[] = [];
  const done = new Set<string>();
  for (;;) {
    const pending = [...(ctx.promoted ?? [])].filter(([ref]) => !done.has(ref));
    if (pending.length === 0) return out;
    for (const [ref, key] of pending) {
      done.add(ref);
      const pointer = '/' + ref.slice(2).split('/').map((t) => joinPointer('', unescapePointerToken(safeDecode(t))).slice(1)).join('/');
      out.push({ key, pointer, schema: convertSchema(resolvePointer(ctx.root, ref), pointer, ctx, true) });
    }
  }
}

function convertType(raw: Raw, pointer: string, ctx: SchemaContext): JsonType[] | undefined {
  if (raw.type === undefined) return undefined;
  const list = Array.isArray(raw.type) ? raw.type : [raw.type];
  const types: JsonType[] = [];
  for (const t of list) {
    if (typeof t === 'string' && (JSON_TYPES as readonly string[]).includes(t)) {
      if (!types.includes(t as JsonType)) types.push(t as JsonType);
    } else {
      ctx.diagnostics.warn('invalid-type', `unknown type ${JSON.stringify(t)}; ignored`, joinPointer(pointer, 'type'));
    }
  }
  return types.length ? types : undefined;
}

function convertObjectKeywords(raw: Raw, out: Schema, pointer: string, ctx: SchemaContext): void {
  if (isObject(raw.properties)) {
    if (out.type && !out.type.includes('object')) {
      ctx.diagnostics.warn('properties-ignored', `properties on a schema of type ${out.type.join('|')} are ignored`, joinPointer(pointer, 'properties'));
    } else {
      out.properties = Object.entries(raw.properties).map(([name, value]) => ({
        name,
        schema: convertSchema(value, joinPointer(pointer, 'properties', name), ctx),
      }));
    }
  }
  if (Array.isArray(raw.required)) {
    const required = raw.required.filter((r): r is string => typeof r === 'string');
    if (required.length) out.required = [...new Set(required)];
  }
  if (raw.additionalProperties !== undefined) {
    out.additionalProperties = convertSchema(raw.additionalProperties, joinPointer(pointer, 'additionalProperties'), ctx);
  }
  if (isObject(raw.patternProperties)) {
    out.patternProperties = Object.entries(raw.patternProperties)
      .filter(([pattern]) => {
        if (isValidPattern(pattern)) return true;
        ctx.diagnostics.warn('invalid-pattern', `patternProperties key ${JSON.stringify(pattern)} is not a valid regular expression; ignored`, joinPointer(pointer, 'patternProperties'));
        return false;
      })
      .map(([pattern, value]) => ({ pattern, schema: convertSchema(value, joinPointer(pointer, 'patternProperties', pattern), ctx) }));
  }
  if (raw.propertyNames !== undefined) out.propertyNames = convertSchema(raw.propertyNames, joinPointer(pointer, 'propertyNames'), ctx);
  if (raw.unevaluatedProperties !== undefined) out.unevaluatedProperties = convertSchema(raw.unevaluatedProperties, joinPointer(pointer, 'unevaluatedProperties'), ctx);
  copyNumber(raw, out, 'minProperties');
  copyNumber(raw, out, 'maxProperties');
  const dependencies = { ...(isObject(raw.dependencies) ? raw.dependencies : {}), ...(isObject(raw.dependentRequired) ? raw.dependentRequired : {}) };
  const schemas = isObject(raw.dependentSchemas) ? { ...raw.dependentSchemas } : {};
  for (const [name, value] of Object.entries(dependencies)) {
    if (Array.isArray(value)) (out.dependentRequired ??= {})[name] = value.filter((v): v is string => typeof v === 'string');
    else schemas[name] = value;
  }
  for (const [name, value] of Object.entries(schemas)) {
    (out.dependentSchemas ??= {})[name] = convertSchema(value, joinPointer(pointer, 'dependentSchemas', name), ctx);
  }
}

function convertArrayKeywords(raw: Raw, out: Schema, pointer: string, ctx: SchemaContext): void {
  if (Array.isArray(raw.items)) {
    out.prefixItems = raw.items.map((item, i) => convertSchema(item, joinPointer(pointer, 'items', i), ctx));
    if (raw.additionalItems !== undefined) out.items = convertSchema(raw.additionalItems, joinPointer(pointer, 'additionalItems'), ctx);
  } else {
    if (Array.isArray(raw.prefixItems)) {
      out.prefixItems = raw.prefixItems.map((item, i) => convertSchema(item, joinPointer(pointer, 'prefixItems', i), ctx));
    }
    if (raw.items !== undefined) out.items = convertSchema(raw.items, joinPointer(pointer, 'items'), ctx);
  }
  copyNumber(raw, out, 'minItems');
  copyNumber(raw, out, 'maxItems');
  if (raw.uniqueItems === true) out.uniqueItems = true;
  if (raw.contains !== undefined) out.contains = convertSchema(raw.contains, joinPointer(pointer, 'contains'), ctx);
  if (raw.unevaluatedItems !== undefined) out.unevaluatedItems = convertSchema(raw.unevaluatedItems, joinPointer(pointer, 'unevaluatedItems'), ctx);
  copyNumber(raw, out, 'minContains');
  copyNumber(raw, out, 'maxContains');
}

function convertDiscriminator(raw: Raw, out: Schema, pointer: string, ctx: SchemaContext): void {
  const propertyName = str(raw.propertyName);
  if (!propertyName) {
    ctx.diagnostics.warn('invalid-discriminator', 'discriminator without propertyName; ignored', joinPointer(pointer, 'discriminator'));
    return;
  }
  const mapping: { [tag: string]: string } = {};
  if (isObject(raw.mapping)) {
    for (const [tag, target] of Object.entries(raw.mapping)) {
      if (typeof target !== 'string') continue;
      mapping[tag] = componentSchemaKey(target) ?? target.replace(/^#\/components\/schemas\//, '');
    }
  }
  // Without a mapping, OpenAPI says the tag is the referenced schema's name.
  const mapped = new Set(Object.values(mapping));
  for (const branch of out.oneOf ?? out.anyOf ?? []) {
    if (branch.ref !== undefined && !mapped.has(branch.ref)) mapping[branch.ref] = branch.ref;
  }
  out.discriminator = { propertyName, mapping };
}

function copyNumber<K extends keyof Schema>(raw: Raw, out: Schema, key: K & string): void {
  const value = num(raw[key]);
  if (value !== undefined) (out as Record<string, unknown>)[key] = value;
}

const patternCache = new Map<string, boolean>();
export function isValidPattern(pattern: string): boolean {
  let ok = patternCache.get(pattern);
  if (ok === undefined) {
    try {
      new RegExp(pattern, 'u');
      ok = true;
    } catch {
      try {
        new RegExp(pattern);
        ok = true;
      } catch {
        ok = false;
      }
    }
    patternCache.set(pattern, ok);
  }
  return ok;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
