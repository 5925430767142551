import type { NamedSchema, Property, Schema } from '../../model/types.js';

/**
 * The properties an object schema ends up with, following references and allOf branches: what a
 * payload of that schema carries. Used to recognize webhooks and paginated operations.
 */
export function collectProperties(schema: Schema, schemas: Map<string, NamedSchema>, seen = new Set<string>()): Map<string, Schema> {
  const out = new Map<string, Schema>();
  const add = (props: Property[] | undefined) => {
    for (const p of props ?? []) if (!out.has(p.name)) out.set(p.name, p.schema);
  };
  if (schema.ref !== undefined) {
    if (seen.has(schema.ref)) return out;
    seen.add(schema.ref);
    const target = schemas.get(schema.ref);
    if (target) for (const [k, v] of collectProperties(target.schema, schemas, seen)) if (!out.has(k)) out.set(k, v);
  }
  add(schema.properties);
  for (const branch of schema.allOf ?? []) for (const [k, v] of collectProperties(branch, schemas, seen)) if (!out.has(k)) out.set(k, v);
  return out;
}

/** A schema after following plain references. */
export function resolve(schema: Schema, schemas: Map<string, NamedSchema>): Schema {
  const seen = new Set<string>();
  let s = schema;
  while (s.ref !== undefined && !seen.has(s.ref)) {
    seen.add(s.ref);
    const target = schemas.get(s.ref);
    if (!target) break;
    s = target.schema;
  }
  return s;
}

export function isArraySchema(schema: Schema, schemas: Map<string, NamedSchema>): boolean {
  const s = resolve(schema, schemas);
  return !!s.type?.includes('array') || (!s.type && !!s.items);
}

export function isNumberSchema(schema: Schema, schemas: Map<string, NamedSchema>): boolean {
  const s = resolve(schema, schemas);
  return !!s.type?.some((t) => t === 'integer' || t === 'number');
}
