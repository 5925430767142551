import type { JsonType, JsonValue, NamedSchema, Schema } from '../../model/types.js';
import { admitsValue } from '../../model/values.js';
import { jsonLiteral } from '../shared/escape.js';
import { schemaDoc } from '../shared/jsdoc.js';
import { intersection, NEVER, text, union, UNKNOWN, type TsProp, type TsType } from './ts-type.js';

export interface TypeContext {
  /** Named schemas by model key. */
  schemas: Map<string, NamedSchema>;
  /** How a reference to a named schema is written (a bare name, or `T.Name` from another file). */
  refName(symbol: string): string;
}

const PRIMITIVE: Record<Exclude<JsonType, 'object' | 'array'>, string> = {
  string: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
  null: 'null',
};

export function isEmptySchema(schema: Schema): boolean {
  for (const key in schema) {
    if (!['description', 'title', 'deprecated', 'example', 'hasExample', 'examples', 'default', 'hasDefault', 'readOnly', 'writeOnly'].includes(key)) return false;
  }
  return true;
}

const isFalse = (s: Schema | undefined): boolean => !!s && s.not !== undefined && isEmptySchema(s.not) && Object.keys(s).every((k) => k === 'not' || k === 'description');

/** The TypeScript type of a schema: the one walk the types emitter makes over a schema tree. */
export function schemaType(schema: Schema, ctx: TypeContext): TsType {
  if (schema.unresolved !== undefined) return UNKNOWN;
  const parts: TsType[] = [];

  if (schema.ref !== undefined) {
    const target = ctx.schemas.get(schema.ref);
    parts.push(target ? text(ctx.refName(target.symbol)) : UNKNOWN);
  } else if (isFalse(schema)) {
    return NEVER;
  }

  const base = schema.ref === undefined ? baseType(schema.allOf && schema.required ? withOwnRequired(schema) : schema, ctx) : undefined;
  if (base) parts.push(base);
  if (schema.allOf) parts.push(...allOfTypes(schema, ctx));
  const choice = schema.oneOf ?? schema.anyOf;
  if (choice) parts.push(choiceType(schema, choice, ctx));

  let type = intersection(parts);
  if (schema.nullable) type = union([type, text('null')]);
  return type;
}

function withOwnRequired(schema: Schema): Schema {
  const own = new Set((schema.properties ?? []).map((p) => p.name));
  return { ...schema, required: schema.required!.filter((n) => own.has(n)) };
}

/** The type from the node's own keywords: enum, const, type and the shape keywords. */
function baseType(schema: Schema, ctx: TypeContext): TsType | undefined {
  if (schema.hasConst) return literal(schema.const ?? null);
  if (schema.enum) {
    const values = schema.type ? schema.enum.filter((v) => admitsValue(schema.type!, v)) : schema.enum;
    return union(values.map(literal));
  }
  const types = schema.type;
  const hasObjectShape = !!(schema.properties || schema.required?.length || schema.additionalProperties || schema.patternProperties);
  const hasArrayShape = !!(schema.items || schema.prefixItems);
  if (!types) {
    if (hasObjectShape) return objectType(schema, ctx);
    if (hasArrayShape) return arrayType(schema, ctx);
    // Only composition keywords: they carry the type; a bare {} is unknown.
    return schema.allOf || schema.oneOf || schema.anyOf ? undefined : UNKNOWN;
  }
  const composed = !!(schema.allOf || schema.oneOf || schema.anyOf);
  return union(
    types.map((t) => {
      // `type: object` beside allOf/oneOf with no shape of its own adds nothing to the branches.
      if (t === 'object' && composed && !hasObjectShape) return UNKNOWN_MEMBER;
      if (t === 'object') return objectType(schema, ctx);
      if (t === 'array') return arrayType(schema, ctx);
      return text(PRIMITIVE[t]);
    }),
  );
}

/** Dropped from an intersection; in a union with other members it stands for "no extra constraint". */
const UNKNOWN_MEMBER = UNKNOWN;


function literal(value: JsonValue): TsType {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') {
    return text(jsonLiteral(value));
  }
  // Object and array enum members have no literal type; `unknown` would swallow the union.
  return text(Array.isArray(value) ? 'unknown[]' : '{ [key: string]: unknown }');
}

function objectType(schema: Schema, ctx: TypeContext): TsType {
  const required = new Set(schema.required ?? []);
  const props: TsProp[] = (schema.properties ?? []).map((p) => ({
    name: p.name,
    optional: !required.has(p.name),
    type: schemaType(p.schema, ctx),
    doc: schemaDoc(p.schema),
  }));
  let index: TsType | undefined;
  const extra = schema.additionalProperties;
  const patterns = schema.patternProperties ?? [];
  if (extra && !isFalse(extra) && !isEmptySchema(extra)) {
    index = union([schemaType(extra, ctx), ...patterns.map((p) => schemaType(p.schema, ctx))]);
  } else if (patterns.length && !(extra && isFalse(extra))) {
    index = union([...patterns.map((p) => schemaType(p.schema, ctx)), ...(extra ? [] : [UNKNOWN])]);
  } else if (!schema.properties?.length && !(extra && isFalse(extra)) && !required.size) {
    // A free-form object: any keys.
    index = UNKNOWN;
  }
  // `required` naming properties this node does not define (they come from allOf siblings, or only
  // from additionalProperties): this node's additionalProperties apply to them, so they have its
  // type. Added before the index signature is widened, which must admit them too (mist.com:
  // required "20" and "40" beside additionalProperties of number[]).
  for (const name of required) {
    if (!props.some((p) => p.name === name)) props.push({ name, optional: false, type: index ?? UNKNOWN });
  }
  if (index && props.length && !(index.k === 'text' && index.text === 'unknown')) {
    // TypeScript wants every property assignable to the index signature.
    const own = index;
    index = union([index, ...props.filter((p) => p.type !== own).map((p) => p.type), ...(props.some((p) => p.optional) ? [text('undefined')] : [])]);
  }
  return { k: 'object', props, index };
}

function arrayType(schema: Schema, ctx: TypeContext): TsType {
  const items = schema.items ? schemaType(schema.items, ctx) : UNKNOWN;
  if (schema.prefixItems) {
    const closed = schema.items && isFalse(schema.items);
    return { k: 'tuple', elements: schema.prefixItems.map((s) => schemaType(s, ctx)), rest: closed ? undefined : items };
  }
  return { k: 'array', element: items };
}

/**
 * allOf branches, intersected. A `required` list that names a property defined by another branch
 * makes that property required: `Required<Pick<Owner, 'name'>>` (openapi-typescript #2055).
 */
function allOfTypes(schema: Schema, ctx: TypeContext): TsType[] {
  const branches = schema.allOf!;
  const out: TsType[] = [];
  const requiredElsewhere = new Map<string, Schema>();
  const collectRequired = (node: Schema) => {
    for (const name of node.required ?? []) {
      if (!(node.properties ?? []).some((p) => p.name === name)) requiredElsewhere.set(name, node);
    }
  };
  collectRequired(schema);
  for (const branch of branches) collectRequired(branch);

  for (const branch of branches) {
    // A branch of only `required`, `type: object` or annotations adds no shape of its own.
    const shapeless = Object.keys(branch).every((k) => ['required', 'description', 'title'].includes(k) || (k === 'type' && branch.type!.join() === 'object') || (k === 'additionalProperties' && isEmptySchema(branch.additionalProperties!)));
    if (branch.ref === undefined && shapeless) continue;
    out.push(stripForeignRequired(branch, ctx));
  }
  const byOwner = new Map<Schema, string[]>();
  for (const [name] of requiredElsewhere) {
    const owner = branches.find((b) => definesProperty(b, name, ctx, new Set()));
    if (owner) byOwner.set(owner, [...(byOwner.get(owner) ?? []), name]);
  }
  for (const [owner, names] of byOwner) {
    // NonNullable: a nullable owner (`X | null`) has no keys to pick from.
    const picked = { k: 'generic' as const, name: 'NonNullable', args: [stripForeignRequired(owner, ctx)] };
    out.push({ k: 'generic', name: 'Required', args: [{ k: 'generic', name: 'Pick', args: [picked, union(names.map((n) => text(jsonLiteral(n))))] }] });
  }
  return out;
}

/** The branch's type without placeholder `unknown` members for required names defined elsewhere. */
function stripForeignRequired(branch: Schema, ctx: TypeContext): TsType {
  if (!branch.required || branch.ref !== undefined) return schemaType(branch, ctx);
  return schemaType(withOwnRequired(branch), ctx);
}

function definesProperty(schema: Schema, name: string, ctx: TypeContext, seen: Set<string>): boolean {
  if (schema.properties?.some((p) => p.name === name)) return true;
  if (schema.ref !== undefined) {
    if (seen.has(schema.ref)) return false;
    seen.add(schema.ref);
    const target = ctx.schemas.get(schema.ref);
    return !!target && definesProperty(target.schema, name, ctx, seen);
  }
  return (schema.allOf ?? []).some((b) => definesProperty(b, name, ctx, seen));
}

/** oneOf / anyOf as a union; with a discriminator, each branch is pinned to its tag(s). */
function choiceType(schema: Schema, branches: Schema[], ctx: TypeContext): TsType {
  const d = schema.discriminator;
  return union(
    branches.map((branch) => {
      const type = schemaType(branch, ctx);
      if (!d || branch.ref === undefined) return type;
      const tags = Object.entries(d.mapping)
        .filter(([, key]) => key === branch.ref)
        .map(([tag]) => text(jsonLiteral(tag)));
      if (tags.length === 0) return type;
      return intersection([type, { k: 'object', props: [{ name: d.propertyName, optional: false, type: union(tags) }] }]);
    }),
  );
}
