/**
 * Schema identifiers of OpenAPI 3.1 (JSON Schema 2020-12): `$id` makes a schema a resource with a
 * base URI of its own, against which the `$ref`s inside it resolve, and `$anchor` names a schema
 * within its resource (`$ref: '#name'`). This index maps every such URI to the JSON pointer of
 * its schema in the document, so that a `$ref` written against an `$id` or an anchor becomes the
 * plain local pointer the rest of normalize understands. It also lists each resource's
 * `$dynamicAnchor`s, which normalize turns into the model's dynamic scopes (Schema.dynamicScope).
 * OpenAPI 3.0 has none of these keywords.
 */
import { joinPointer, safeDecode } from './errors.js';

/** The base URI of the document itself: any absolute URL works, relative `$id`s resolve against it. */
const DOCUMENT_BASE = 'https://document.codegen.invalid/openapi.json';

/** Keys whose values are data, not schemas: an `$id` inside an example is not an identifier. */
const DATA_KEYS = new Set(['example', 'examples', 'enum', 'const', 'default', 'value']);

/**
 * Inside a schema, only these keywords hold schemas: an `$id` under an unknown keyword is data
 * (JSON Schema 2020-12, 9.4). Outside schemas, a document is walked whole; `schema` and
 * `components/schemas` lead into schemas.
 */
export const SCHEMA_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
export const SCHEMA_LISTS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
export const SCHEMA_ONES: ReadonlySet<string> = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'contentSchema']);

export interface SchemaIds {
  /** Resolves a `$ref` written at `pointer` to a local `#/...` pointer, or undefined. */
  resolve(ref: string, pointer: string): string | undefined;
  /** The `$dynamicAnchor`s of the resource whose root (an `$id`) is at `pointer`: name -> pointer. */
  dynamicAnchors(pointer: string): Map<string, string> | undefined;
  /** The pointer of the root of the resource `pointer` is in (the nearest `$id` above it, or the document). */
  resourceOf(pointer: string): string;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const indexes = new WeakMap<object, SchemaIds | null>();

/** The document's identifier index, or undefined when it has no `$id` or `$anchor` (the common case). */
export function schemaIds(root: unknown): SchemaIds | undefined {
  if (!isObject(root)) return undefined;
  let index = indexes.get(root);
  if (index === undefined) {
    index = build(root);
    indexes.set(root, index);
  }
  return index ?? undefined;
}

function build(root: Raw): SchemaIds | null {
  /** Absolute URI (no fragment) of each resource -> its pointer. */
  const resources = new Map<string, string>([[DOCUMENT_BASE, '']]);
  /** Absolute URI with `#anchor` -> pointer. */
  const anchors = new Map<string, string>();
  /** Pointer of each schema with an `$id` -> its base URI. */
  const bases = new Map<string, string>([['', DOCUMENT_BASE]]);
  /** Pointer of each resource root -> its `$dynamicAnchor`s. */
  const dynamic = new Map<string, Map<string, string>>();
  let found = false;

  const visitSchema = (node: unknown, pointer: string, base: string, resource: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visitSchema(item, joinPointer(pointer, i), base, resource));
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.$id === 'string') {
      const id = absolute(node.$id, base);
      if (id !== undefined) {
        found = true;
        base = withoutFragment(id);
        resource = pointer;
        resources.set(base, pointer);
        bases.set(pointer, base);
      }
    }
    for (const key of ['$anchor', '$dynamicAnchor']) {
      const name = node[key];
      if (typeof name !== 'string') continue;
      found = true;
      // Outside a dynamic scope a $dynamicAnchor is a plain anchor too (2020-12, 8.2.3.2).
      if (!anchors.has(`${base}#${name}`)) anchors.set(`${base}#${name}`, pointer);
      if (key === '$dynamicAnchor') {
        const declared = dynamic.get(resource) ?? new Map<string, string>();
        if (!declared.has(name)) declared.set(name, pointer);
        dynamic.set(resource, declared);
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (child === null || typeof child !== 'object') continue;
      if (SCHEMA_MAPS.has(key) && isObject(child)) for (const [name, sub] of Object.entries(child)) visitSchema(sub, joinPointer(pointer, key, name), base, resource);
      else if (SCHEMA_LISTS.has(key) || SCHEMA_ONES.has(key)) visitSchema(child, joinPointer(pointer, key), base, resource);
    }
  };
  const visit = (node: unknown, pointer: string, inSchemas: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, joinPointer(pointer, i), false));
      return;
    }
    if (!isObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (DATA_KEYS.has(key) || child === null || typeof child !== 'object') continue;
      const at = joinPointer(pointer, key);
      if (inSchemas || key === 'schema') visitSchema(child, at, DOCUMENT_BASE, '');
      else visit(child, at, key === 'schemas' && pointer === '/components');
    }
  };
  visit(root, '', false);
  if (!found) return null;

  const resourceOf = (pointer: string): string => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) if (p === '' || bases.has(p)) return p;
  };
  const baseAt = (pointer: string): string => bases.get(resourceOf(pointer)) ?? DOCUMENT_BASE;

  return {
    resolve(ref, pointer) {
      const target = absolute(ref, baseAt(pointer));
      if (target === undefined) return undefined;
      const hash = target.indexOf('#');
      const resource = hash < 0 ? target : target.slice(0, hash);
      const fragment = hash < 0 ? '' : target.slice(hash + 1);
      if (fragment === '' || fragment.startsWith('/')) {
        const at = resources.get(resource);
        return at === undefined ? undefined : `#${at}${fragment}`;
      }
      const at = anchors.get(`${resource}#${safeDecode(fragment)}`);
      return at === undefined ? undefined : `#${at}`;
    },
    dynamicAnchors: (pointer) => (bases.has(pointer) ? dynamic.get(pointer) : undefined),
    resourceOf,
  };
}

function absolute(ref: string, base: string): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}

function withoutFragment(uri: string): string {
  const hash = uri.indexOf('#');
  return hash < 0 ? uri : uri.slice(0, hash);
}
