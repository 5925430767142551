import type { JsonType, JsonValue, NamedSchema, Schema } from '../../model/types.js';
import { admitsValue } from '../../model/values.js';
import { jsonLiteral, stringLiteral } from '../shared/escape.js';
import { riskOf } from '../validators/patterns.js';

/**
 * Mock-data synthesis: the third walk over the model's schema kinds, parallel to the types walk
 * (emit/types/from-schema.ts) and the validators walk. Each schema node becomes one expression
 * over `g` (the runtime's MockGen: seeded PRNG plus one helper per kind) and `d` (the nesting
 * depth that bounds recursion). Named schemas become functions `m_<Symbol>(g, d)`, so shared and
 * recursive schemas are shared functions, not copies.
 */
export interface SynthContext {
  schemas: Map<string, NamedSchema>;
}

/** The generated function of a named schema. */
export const synthName = (named: NamedSchema): string => `m_${named.symbol}`;

const ANNOTATIONS = new Set(['description', 'title', 'deprecated', 'example', 'hasExample', 'examples', 'default', 'hasDefault', 'readOnly', 'writeOnly']);

function isEmpty(schema: Schema): boolean {
  for (const key in schema) if (!ANNOTATIONS.has(key)) return false;
  return true;
}

const isFalse = (s: Schema | undefined): boolean => !!s && s.not !== undefined && isEmpty(s.not) && Object.keys(s).every((k) => k === 'not' || ANNOTATIONS.has(k));

/** A ref and nothing else that constrains: the named function itself can stand for the node. */
function bareRef(schema: Schema): boolean {
  if (schema.ref === undefined) return false;
  for (const key in schema) if (key !== 'ref' && !ANNOTATIONS.has(key)) return false;
  return true;
}

/** A function value `(g, d) => ...` for a node: the named function when the node is only a ref. */
export function synthFn(schema: Schema, ctx: SynthContext): string {
  if (bareRef(schema)) {
    const target = ctx.schemas.get(schema.ref!);
    if (target) return synthName(target);
  }
  return arrow(synthExpr(schema, ctx));
}

/** `(g, d) => expr`, or `(g) => expr` when the depth is not used (most leaves). */
export function arrow(expr: string): string {
  return /\bd\b/.test(expr) ? `(g, d) => ${expr}` : `(g) => ${expr}`;
}

/** The expression synthesizing one value of `schema`. */
export function synthExpr(schema: Schema, ctx: SynthContext): string {
  if (schema.unresolved !== undefined) return 'g.any()';
  if (isFalse(schema)) return 'null';
  let expr = coreExpr(schema, ctx);
  if (schema.nullable && !schema.hasConst) expr = `(g.z(d) ? null : ${expr})`;
  return expr;
}

function coreExpr(schema: Schema, ctx: SynthContext): string {
  if (schema.hasConst) return valueExpr(schema.const ?? null);
  if (schema.enum) {
    const values = schema.enum.filter((v) => v !== null && (!schema.type || admitsValue(schema.type, v)));
    if (values.length === 0) return 'null';
    return `g.e(${valueExpr(values)})`;
  }
  const composed: string[] = [];
  if (schema.ref !== undefined) {
    const target = ctx.schemas.get(schema.ref);
    composed.push(target ? synthName(target) : '(g, d) => g.any()');
  }
  // Branches that only list `required` (or say `type: object`) add no shape: their names are
  // forced onto the merged object instead (as the types walk picks them from the owner).
  const forced = [...(schema.allOf ? (schema.required ?? []) : [])];
  // A dropped `type: object` branch still rules out null from the other (nullable) branches.
  let solid = false;
  for (const branch of schema.allOf ?? []) {
    if (branch.ref === undefined && Object.keys(branch).every((k) => k === 'required' || ANNOTATIONS.has(k) || (k === 'type' && branch.type!.join() === 'object'))) {
      forced.push(...(branch.required ?? []));
      if (branch.type) solid = true;
      continue;
    }
    // Names a branch requires but another branch defines: forced on the merged object, not
    // placeholders in this branch (which could win the merge).
    const own = new Set((branch.properties ?? []).map((p) => p.name));
    const foreign = branch.ref === undefined ? (branch.required ?? []).filter((n) => !own.has(n)) : [];
    if (foreign.length) {
      forced.push(...foreign);
      composed.push(synthFn({ ...branch, required: branch.required!.filter((n) => own.has(n)) }, ctx));
    } else composed.push(synthFn(branch, ctx));
  }
  const choice = schema.oneOf ?? schema.anyOf;
  if (choice) composed.push(arrow(choiceExpr(schema, choice, ctx)));
  const own = hasOwnShape(schema) ? ownExpr(schema, ctx) : undefined;
  if (composed.length === 0) return own ?? 'g.any()';
  if (own !== undefined) composed.push(arrow(own));
  if (composed.length === 1 && !forced.length && !solid) {
    const only = composed[0];
    const m = /^\(g(?:, d)?\) => /.exec(only);
    return m ? only.slice(m[0].length) : `${only}(g, d)`;
  }
  const required = forced.length ? `, ${jsonLiteral([...new Set(forced)])}` : '';
  return `g.all(d, [${composed.join(', ')}]${required})`;
}

/** Whether the node says something of its own besides ref/allOf/oneOf (type, properties, bounds). */
function hasOwnShape(schema: Schema): boolean {
  const types = schema.type?.filter((t) => t !== 'null');
  if (schema.properties?.length || schema.items || schema.prefixItems || schema.additionalProperties) return true;
  if (schema.ref !== undefined || schema.allOf || schema.oneOf || schema.anyOf) {
    // `type: object` next to composition adds no shape; a primitive type does.
    return !!types?.length && !types.every((t) => t === 'object');
  }
  return true;
}

/** The node's own keywords: the primary JSON type and its constraints. */
function ownExpr(schema: Schema, ctx: SynthContext): string {
  const type = primaryType(schema);
  let expr: string;
  switch (type) {
    case 'object':
      expr = objectExpr(schema, ctx);
      break;
    case 'array':
      expr = arrayExpr(schema, ctx);
      break;
    case 'string':
      expr = `g.s(${specLiteral({ f: schema.format, min: schema.minLength, max: schema.maxLength, p: schema.pattern })})`;
      break;
    case 'integer':
    case 'number':
      expr = `g.n(${specLiteral({ i: type === 'integer' ? 1 : undefined, min: schema.minimum, max: schema.maximum, xmin: schema.exclusiveMinimum, xmax: schema.exclusiveMaximum, mul: schema.multipleOf, f: schema.format })})`;
      break;
    case 'boolean':
      expr = 'g.b()';
      break;
    case 'null':
      return 'null';
    default:
      return 'g.any()';
  }
  const example = usableExample(schema, type);
  if (example !== undefined) expr = `g.x(${valueExpr(example)}, ${arrow(expr)}, d)`;
  return expr;
}

function primaryType(schema: Schema): JsonType | undefined {
  const types = schema.type?.filter((t) => t !== 'null');
  if (types?.length) {
    for (const preferred of ['object', 'array', 'string', 'integer', 'number', 'boolean'] as const) if (types.includes(preferred)) return preferred;
  }
  if (schema.type && types?.length === 0) return 'null';
  if (schema.properties || schema.required?.length || schema.additionalProperties || schema.patternProperties || schema.minProperties !== undefined) return 'object';
  if (schema.items || schema.prefixItems || schema.minItems !== undefined) return 'array';
  if (schema.format || schema.pattern || schema.minLength !== undefined || schema.maxLength !== undefined) return 'string';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return 'number';
  return undefined;
}

function objectExpr(schema: Schema, ctx: SynthContext): string {
  const required = new Set(schema.required ?? []);
  const props = (schema.properties ?? []).map((p) => {
    const target = p.schema.ref !== undefined ? ctx.schemas.get(p.schema.ref)?.schema : undefined;
    let flags = required.has(p.name) ? 1 : 0;
    if (p.schema.readOnly || target?.readOnly) flags |= 2;
    if (p.schema.writeOnly || target?.writeOnly) flags |= 4;
    return `[${stringLiteral(p.name)}, ${flags}, ${synthFn(p.schema, ctx)}]`;
  });
  // `required` naming properties this node does not define (they come from allOf siblings).
  for (const name of required) if (!(schema.properties ?? []).some((p) => p.name === name)) props.push(`[${stringLiteral(name)}, 1, (g) => g.any()]`);
  const extra = schema.additionalProperties;
  const isMap = !schema.properties?.length && extra && !isFalse(extra) && !isEmpty(extra);
  const args = [`d`, `[${props.join(', ')}]`];
  if (isMap) args.push(synthFn(extra, ctx));
  if (schema.minProperties) {
    if (!isMap) args.push(extra && !isFalse(extra) ? synthFn(extra, ctx) : 'undefined');
    args.push(String(schema.minProperties));
  }
  return `g.o(${args.join(', ')})`;
}

function arrayExpr(schema: Schema, ctx: SynthContext): string {
  const item = schema.items && !isFalse(schema.items) ? synthFn(schema.items, ctx) : undefined;
  if (schema.prefixItems) {
    return `g.t(d, [${schema.prefixItems.map((s) => synthFn(s, ctx)).join(', ')}]${item ? `, ${item}` : ', undefined'}, ${schema.minItems ?? 0})`;
  }
  if (!item) return '[]';
  // Trailing arguments at their defaults (min 0, max Infinity, not unique) are left out.
  const args = [String(schema.minItems ?? 0), schema.maxItems !== undefined ? String(schema.maxItems) : 'Infinity', schema.uniqueItems ? 'true' : 'false'];
  const defaults = ['0', 'Infinity', 'false'];
  while (args.length && args[args.length - 1] === defaults[args.length - 1]) args.pop();
  return `g.a(d, ${item}${args.map((a) => `, ${a}`).join('')})`;
}

/** oneOf / anyOf: one branch, tagged with its discriminator value when there is one. */
function choiceExpr(schema: Schema, branches: Schema[], ctx: SynthContext): string {
  const d = schema.discriminator;
  const entries = branches.map((branch) => {
    const fn = synthFn(branch, ctx);
    if (!d || branch.ref === undefined) return `[${fn}]`;
    const tag = Object.entries(d.mapping).find(([, key]) => key === branch.ref)?.[0] ?? ctx.schemas.get(branch.ref)?.key;
    return tag === undefined ? `[${fn}]` : `[${fn}, ${stringLiteral(tag)}]`;
  });
  return `g.one(d, [${entries.join(', ')}]${d ? `, ${stringLiteral(d.propertyName)}` : ''})`;
}

/** `{ f: 'date', min: 1 }` without the absent keys; `undefined` when nothing is left. */
function specLiteral(spec: { [key: string]: string | number | undefined }): string {
  const parts = Object.entries(spec)
    .filter(([, v]) => v !== undefined && !(typeof v === 'number' && !Number.isFinite(v)))
    .map(([k, v]) => `${k}: ${jsonLiteral(v)}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}

/**
 * A JSON value as an expression. Objects go through JSON.parse of a string literal: an object
 * literal with a `__proto__` key would set the prototype instead of a property.
 */
export function valueExpr(value: JsonValue): string {
  // Objects go through JSON.parse so that a `__proto__` key stays data, not a prototype.
  if (containsObject(value)) return `g.j(${stringLiteral(JSON.stringify(value))})`;
  return jsonLiteral(value);
}

function containsObject(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(containsObject);
  return value !== null && typeof value === 'object';
}


const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/**
 * The schema's own example when it is a primitive (or an array of primitives) that obviously meets
 * the node's constraints. Object examples are left to the walk: they are often partial.
 */
function usableExample(schema: Schema, type: JsonType | undefined): JsonValue | undefined {
  const example = schema.hasExample ? schema.example : schema.examples?.[0];
  if (example === undefined || example === null || type === undefined || type === 'object') return undefined;
  if (type === 'array') {
    if (!Array.isArray(example) || example.length === 0 || example.some((v) => v !== null && typeof v === 'object')) return undefined;
    if (schema.minItems !== undefined && example.length < schema.minItems) return undefined;
    if (schema.maxItems !== undefined && example.length > schema.maxItems) return undefined;
    const items = schema.items;
    if (!items || items.ref !== undefined || items.enum) return undefined;
    return example.every((v) => primitiveFits(items, v, primaryType(items))) ? example : undefined;
  }
  return primitiveFits(schema, example, type) ? example : undefined;
}

function primitiveFits(schema: Schema, value: JsonValue, type: JsonType | undefined): boolean {
  if (type === undefined || !admitsValue([type === 'integer' ? 'integer' : type], value)) return false;
  if (typeof value === 'string') {
    const length = Array.from(value).length;
    if (schema.minLength !== undefined && length < schema.minLength) return false;
    if (schema.maxLength !== undefined && length > schema.maxLength) return false;
    if (schema.pattern !== undefined) {
      try {
        // A pattern that can backtrack for hours on a bad example (beezup.com): synthesize instead.
        if (riskOf(schema.pattern) !== undefined || !new RegExp(schema.pattern, 'u').test(value)) return false;
      } catch {
        return false;
      }
    }
    if (schema.format === 'date' && !DATE.test(value)) return false;
    if (schema.format === 'date-time' && !DATE_TIME.test(value)) return false;
    if ((schema.format === 'email' || schema.format === 'idn-email') && !/^[^\s@]+@[^\s@]+$/.test(value)) return false;
    if (schema.format === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false;
    if ((schema.format === 'uri' || schema.format === 'url') && !/^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(value)) return false;
    return true;
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return false;
    if (schema.maximum !== undefined && value > schema.maximum) return false;
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
    if (schema.multipleOf !== undefined && Math.abs(value / schema.multipleOf - Math.round(value / schema.multipleOf)) > 1e-9) return false;
    return true;
  }
  return typeof value === 'boolean';
}
