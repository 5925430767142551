import type { JsonValue, NamedSchema, Property, Schema } from '../model/types.js';
import { ALWAYS, child, NEVER, record, WHEN_READ, WHEN_SENT, type ChangeSink, type Site } from './classify.js';
import { canonical, show } from './json.js';
import type { Direction } from './types.js';

export interface SchemaDiffContext {
  sink: ChangeSink;
  oldSchemas: Map<string, NamedSchema>;
  newSchemas: Map<string, NamedSchema>;
}

/** Deeper than any real schema nests; stops a walk through refs that loop in ways the pair guard misses. */
const MAX_DEPTH = 40;

/**
 * Compares two versions of one schema position and records every difference a caller can feel.
 * References to the same named schema are not followed (each named schema is compared once, on its
 * own); a reference that changed target, or became inline, is compared by what it stands for.
 */
export function diffSchema(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext, depth = 0, pairs = new Set<string>()): void {
  if (a === b || depth > MAX_DEPTH) return;
  if (JSON.stringify(a) === JSON.stringify(b)) return;

  if ((a.ref !== undefined || b.ref !== undefined) && a.ref !== b.ref) {
    const key = `${a.ref ?? '(inline)'}>${b.ref ?? '(inline)'}`;
    if (pairs.has(key)) return;
    pairs.add(key);
    diffSchema(resolve(a, ctx.oldSchemas), resolve(b, ctx.newSchemas), site, dir, ctx, depth + 1, pairs);
    return;
  }

  diffNullability(a, b, site, dir, ctx);
  diffTypes(a, b, site, dir, ctx);
  diffEnum(a, b, site, dir, ctx);
  diffFormat(a, b, site, dir, ctx);
  diffConstraints(a, b, site, dir, ctx);
  diffObject(a, b, site, dir, ctx, depth, pairs);
  diffArray(a, b, site, dir, ctx, depth, pairs);
  diffChoice(a, b, site, dir, ctx, depth, pairs);
  diffRules(a, b, site, dir, ctx);
  diffAnnotations(a, b, site, dir, ctx);
}

/** A reference replaced by what it points at; its own 3.0 `nullable` sibling still applies. */
function resolve(schema: Schema, schemas: Map<string, NamedSchema>): Schema {
  if (schema.ref === undefined) return schema;
  const target = schemas.get(schema.ref)?.schema ?? {};
  const { ref: _ref, ...own } = schema;
  const merged: Schema = { ...target, ...own };
  if (own.nullable || target.nullable) merged.nullable = true;
  return merged;
}

// ---------------------------------------------------------------------------------------------
// null, type, enum, format

/** true: admits null; false: a typed schema that does not; undefined: says nothing (any value). */
function nullState(s: Schema): boolean | undefined {
  if (s.nullable || s.type?.includes('null') || s.enum?.includes(null) || (s.hasConst && s.const === null)) return true;
  if (s.type || s.enum || s.hasConst || s.ref !== undefined) return false;
  return undefined;
}

function diffNullability(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext): void {
  const before = nullState(a);
  const after = nullState(b);
  if (before === undefined || after === undefined || before === after) return;
  if (after) {
    record(ctx.sink, site, 'nullable-added', dir, WHEN_READ, dir === 'request' ? 'now accepts null' : 'may now be null: code reading it must handle null');
  } else {
    record(ctx.sink, site, 'nullable-removed', dir, WHEN_SENT, dir === 'response' ? 'is no longer null' : 'no longer accepts null: callers sending null must change');
  }
}

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

function valueKind(v: JsonValue): Kind | 'null' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as Kind;
}

function composed(s: Schema): boolean {
  return !!(s.allOf || s.anyOf || s.oneOf);
}

/** The JSON types a node admits besides null, from `type` or, when absent, from its other keywords. */
function kindsOf(s: Schema): Set<Kind> | undefined {
  const own = s.type?.filter((t): t is Kind => t !== 'null');
  if (own && own.length) return new Set(own);
  if (s.type) return undefined;
  const values = s.hasConst ? [s.const ?? null] : s.enum;
  if (values) return new Set(values.map(valueKind).filter((k): k is Kind => k !== 'null'));
  if (composed(s) || s.ref !== undefined) return undefined;
  if (s.properties || s.additionalProperties || s.patternProperties || s.required) return new Set(['object']);
  if (s.items || s.prefixItems) return new Set(['array']);
  return undefined;
}

/** Every value of kind `k` is also admitted by `set` (an integer is a number). */
function covers(set: Set<Kind>, k: Kind): boolean {
  return set.has(k) || (k === 'integer' && set.has('number'));
}

function diffTypes(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext): void {
  // Composition carries the type; a node that only moved into allOf/oneOf is compared there.
  if ((composed(a) && !a.type) || (composed(b) && !b.type)) return;
  const before = kindsOf(a);
  const after = kindsOf(b);
  if (!before && !after) return;
  const label = (k: Set<Kind> | undefined) => (k ? [...k].sort().join(' | ') : 'any type');
  if (before && after && label(before) === label(after)) return;
  const widened = !after || (before !== undefined && [...before].every((k) => covers(after, k)));
  const narrowed = !before || (after !== undefined && [...after].every((k) => covers(before, k)));
  const text = `type ${label(before)} -> ${label(after)}`;
  const at = { before: label(before), after: label(after) };
  if (widened) {
    record(ctx.sink, site, 'type-changed', dir, WHEN_READ, `${text} (wider: code reading it gets values of a new type)`, at);
  } else if (narrowed) {
    record(ctx.sink, site, 'type-changed', dir, WHEN_SENT, `${text} (narrower: values callers sent before are rejected)`, at);
  } else {
    record(ctx.sink, site, 'type-changed', dir, ALWAYS, text, at);
  }
}

function enumValues(s: Schema): JsonValue[] | undefined {
  if (s.hasConst) return s.const === null ? [] : [s.const as JsonValue];
  return s.enum?.filter((v) => v !== null);
}

function diffEnum(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext): void {
  const before = enumValues(a);
  const after = enumValues(b);
  if (!before && !after) return;
  if (!before) {
    record(ctx.sink, site, 'constraint-changed', dir, WHEN_SENT, `is now limited to ${after!.length} value(s): ${after!.slice(0, 6).map(show).join(', ')}${after!.length > 6 ? ', ...' : ''}`);
    return;
  }
  if (!after) {
    record(ctx.sink, site, 'constraint-changed', dir, WHEN_READ, 'is no longer limited to a list of values: exhaustive handling of the old values is no longer complete');
    return;
  }
  const old = new Set(before.map(canonical));
  const now = new Set(after.map(canonical));
  for (const v of after) {
    if (old.has(canonical(v))) continue;
    // Request side: one more value callers may send. Response side: an exhaustive switch over the
    // old values misses it (plaid-node #646 is this bug).
    record(ctx.sink, site, 'enum-value-added', dir, WHEN_READ, `enum value ${show(v)} added${dir === 'request' ? '' : ': code handling every known value must handle it'}`, { addition: true, after: v });
  }
  for (const v of before) {
    if (now.has(canonical(v))) continue;
    // Response side: callers still handle a value that no longer comes, which is harmless.
    record(ctx.sink, site, 'enum-value-removed', dir, WHEN_SENT, `enum value ${show(v)} removed${dir === 'response' ? '' : ': callers sending it are rejected'}`, { before: v });
  }
}

function diffFormat(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext): void {
  if (a.format === b.format) return;
  const at = { before: a.format ?? null, after: b.format ?? null };
  if (a.format === undefined) record(ctx.sink, site, 'format-changed', dir, WHEN_SENT, `format ${show(b.format)} added`, at);
  else if (b.format === undefined) record(ctx.sink, site, 'format-changed', dir, WHEN_READ, `format ${show(a.format)} removed`, at);
  else record(ctx.sink, site, 'format-changed', dir, ALWAYS, `format ${show(a.format)} -> ${show(b.format)}`, at);
}

// ---------------------------------------------------------------------------------------------
// constraints

const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties', 'minContains'] as const;
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties', 'maxContains'] as const;

/** Bounds and patterns do not change types; tighter ones reject values callers used to send. */
function diffConstraints(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext): void {
  const note = (keyword: string, before: unknown, after: unknown, tighter: boolean) => {
    const text = before === undefined ? `${keyword} ${show(after)} added` : after === undefined ? `${keyword} ${show(before)} removed` : `${keyword} ${show(before)} -> ${show(after)}`;
    record(ctx.sink, site, 'constraint-changed', dir, tighter ? WHEN_SENT : NEVER, tighter ? `${text} (stricter)` : text, {
      before: (before ?? null) as JsonValue,
      after: (after ?? null) as JsonValue,
    });
  };
  for (const k of LOWER_BOUNDS) {
    const x = a[k];
    const y = b[k];
    if (x !== y) note(k, x, y, y !== undefined && (x === undefined || y > x));
  }
  for (const k of UPPER_BOUNDS) {
    const x = a[k];
    const y = b[k];
    if (x !== y) note(k, x, y, y !== undefined && (x === undefined || y < x));
  }
  if (a.multipleOf !== b.multipleOf) note('multipleOf', a.multipleOf, b.multipleOf, b.multipleOf !== undefined);
  if (a.pattern !== b.pattern) note('pattern', a.pattern, b.pattern, b.pattern !== undefined);
  if (!!a.uniqueItems !== !!b.uniqueItems) note('uniqueItems', a.uniqueItems ?? false, b.uniqueItems ?? false, !!b.uniqueItems);
}

/** Keywords compared as a whole: a change there is reported once, as stricter when something was added or changed. */
const RULE_KEYWORDS = ['not', 'if', 'then', 'else', 'propertyNames', 'patternProperties', 'dependentRequired', 'dependentSchemas', 'contains'] as const;

function diffRules(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext): void {
  for (const k of RULE_KEYWORDS) {
    const x = a[k];
    const y = b[k];
    if (x === undefined && y === undefined) continue;
    if (canonical(x) === canonical(y)) continue;
    const text = x === undefined ? `${k} rule added` : y === undefined ? `${k} rule removed` : `${k} rule changed`;
    record(ctx.sink, site, 'constraint-changed', dir, y !== undefined ? WHEN_SENT : NEVER, text);
  }
}

// ---------------------------------------------------------------------------------------------
// objects

interface ObjectView {
  properties: Map<string, Schema>;
  required: Set<string>;
}

function ownView(s: Schema): ObjectView {
  return { properties: new Map((s.properties ?? []).map((p: Property) => [p.name, p.schema])), required: new Set(s.required ?? []) };
}

/** Own properties plus those every allOf branch contributes (through refs), as a caller sees the object. */
function flatView(s: Schema, schemas: Map<string, NamedSchema>, seen = new Set<string>()): ObjectView {
  const view = ownView(s);
  for (const branch of s.allOf ?? []) {
    if (branch.ref !== undefined) {
      if (seen.has(branch.ref)) continue;
      seen.add(branch.ref);
    }
    const inner = flatView(resolve(branch, schemas), schemas, seen);
    for (const [name, schema] of inner.properties) if (!view.properties.has(name)) view.properties.set(name, schema);
    for (const name of inner.required) view.required.add(name);
  }
  return view;
}

/** The allOf branches line up: same count and the same refs in the same places. */
function sameAllOfShape(a: Schema, b: Schema): boolean {
  const x = a.allOf ?? [];
  const y = b.allOf ?? [];
  return x.length === y.length && x.every((branch, i) => branch.ref === y[i].ref);
}

function isClosed(s: Schema | undefined): boolean {
  return !!s && s.not !== undefined && Object.keys(s.not).length === 0 && Object.keys(s).every((k) => k === 'not' || k === 'description');
}

function diffObject(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext, depth: number, pairs: Set<string>): void {
  const aligned = sameAllOfShape(a, b);
  const before = aligned ? ownView(a) : flatView(a, ctx.oldSchemas);
  const after = aligned ? ownView(b) : flatView(b, ctx.newSchemas);
  if (aligned) {
    (a.allOf ?? []).forEach((branch, i) => {
      if (branch.ref === undefined) diffSchema(branch, b.allOf![i], child(site, undefined, 'allOf', String(i)), dir, ctx, depth + 1, pairs);
    });
  } else if (a.allOf || b.allOf) {
    const branches = (s: Schema) => (s.allOf ?? []).map((x) => x.ref ?? '(inline)');
    const added = branches(b).filter((r) => r !== '(inline)' && !branches(a).includes(r));
    const removed = branches(a).filter((r) => r !== '(inline)' && !branches(b).includes(r));
    if (added.length) record(ctx.sink, site, 'variant-added', dir, WHEN_SENT, `now also includes ${added.join(', ')} (allOf)`, { addition: true });
    if (removed.length) record(ctx.sink, site, 'variant-removed', dir, WHEN_READ, `no longer includes ${removed.join(', ')} (allOf)`);
  }

  for (const name of after.properties.keys()) {
    if (before.properties.has(name)) continue;
    const at = child(site, name, 'properties', name);
    if (after.required.has(name)) {
      record(ctx.sink, at, 'property-added', dir, WHEN_SENT, dir === 'response' ? 'required property added' : 'required property added: every caller must now send it', { addition: true });
    } else {
      record(ctx.sink, at, 'property-added', dir, NEVER, 'optional property added', { addition: true });
    }
  }
  for (const name of before.properties.keys()) {
    if (after.properties.has(name)) continue;
    const at = child(site, name, 'properties', name);
    record(ctx.sink, at, 'property-removed', dir, ALWAYS, dir === 'request' ? 'property removed: callers setting it no longer type-check' : 'property removed: code reading it breaks', { side: 'old' });
  }
  const names = new Set([...before.properties.keys(), ...after.properties.keys(), ...before.required, ...after.required]);
  for (const name of names) {
    const wasRequired = before.required.has(name);
    const isRequired = after.required.has(name);
    // Added and removed properties were reported above, with their required-ness.
    if (wasRequired === isRequired || before.properties.has(name) !== after.properties.has(name)) continue;
    const at = child(site, name, 'properties', name);
    if (isRequired) {
      record(ctx.sink, at, 'required-added', dir, WHEN_SENT, dir === 'response' ? 'is now always present' : 'became required: callers that omit it are rejected');
    } else {
      record(ctx.sink, at, 'required-removed', dir, WHEN_READ, dir === 'request' ? 'is now optional' : 'is no longer always present: code reading it must handle undefined');
    }
  }
  for (const [name, schema] of after.properties) {
    const old = before.properties.get(name);
    if (old) diffSchema(old, schema, child(site, name, 'properties', name), dir, ctx, depth + 1, pairs);
  }

  if (isClosed(b.unevaluatedProperties) && !isClosed(a.unevaluatedProperties)) {
    record(ctx.sink, site, 'constraint-changed', dir, WHEN_SENT, 'no longer accepts properties its schema does not evaluate (unevaluatedProperties: false)');
  } else if (isClosed(a.unevaluatedProperties) && !isClosed(b.unevaluatedProperties)) {
    record(ctx.sink, site, 'constraint-changed', dir, NEVER, 'now accepts properties its schema does not evaluate');
  }
  const x = a.additionalProperties;
  const y = b.additionalProperties;
  if (x === undefined && y === undefined) return;
  const open = (s: Schema | undefined) => s === undefined || (Object.keys(s).length === 0);
  if (isClosed(y) && !isClosed(x)) {
    record(ctx.sink, site, 'constraint-changed', dir, WHEN_SENT, 'no longer accepts extra properties (additionalProperties: false)');
  } else if (isClosed(x) && !isClosed(y)) {
    record(ctx.sink, site, 'constraint-changed', dir, NEVER, 'now accepts extra properties');
  } else if (!isClosed(x) && !isClosed(y) && !(open(x) && open(y))) {
    diffSchema(x ?? {}, y ?? {}, child(site, '{*}', 'additionalProperties'), dir, ctx, depth + 1, pairs);
  }
}

// ---------------------------------------------------------------------------------------------
// arrays

function diffArray(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext, depth: number, pairs: Set<string>): void {
  if (a.items || b.items) {
    if (!isClosed(a.items) && !isClosed(b.items)) diffSchema(a.items ?? {}, b.items ?? {}, child(site, '[]', 'items'), dir, ctx, depth + 1, pairs);
  }
  const x = a.prefixItems ?? [];
  const y = b.prefixItems ?? [];
  if (x.length !== y.length) {
    record(ctx.sink, site, 'type-changed', dir, ALWAYS, `tuple of ${x.length} -> ${y.length} item(s)`);
    return;
  }
  x.forEach((item, i) => diffSchema(item, y[i], child(site, `[${i}]`, 'prefixItems', String(i)), dir, ctx, depth + 1, pairs));
}

// ---------------------------------------------------------------------------------------------
// oneOf / anyOf and discriminators

function diffChoice(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext, depth: number, pairs: Set<string>): void {
  const keyword = (s: Schema) => (s.oneOf ? 'oneOf' : s.anyOf ? 'anyOf' : undefined);
  const x = a.oneOf ?? a.anyOf;
  const y = b.oneOf ?? b.anyOf;
  if (!x && !y) return;
  if (!x || !y) {
    record(ctx.sink, site, 'type-changed', dir, ALWAYS, y ? `became a union of ${y.length} type(s) (${keyword(b)})` : `is no longer a union (${keyword(a)})`);
    return;
  }
  const kw = keyword(b)!;
  const label = (s: Schema, i: number) => s.ref ?? `${kw}[${i}]`;
  const oldRefs = new Map(x.flatMap((s, i) => (s.ref !== undefined ? [[s.ref, i] as const] : [])));
  const newRefs = new Map(y.flatMap((s, i) => (s.ref !== undefined ? [[s.ref, i] as const] : [])));
  const oldInline = x.map((s, i) => [s, i] as const).filter(([s]) => s.ref === undefined);
  const newInline = y.map((s, i) => [s, i] as const).filter(([s]) => s.ref === undefined);

  for (const [ref] of newRefs) {
    if (!oldRefs.has(ref)) record(ctx.sink, site, 'variant-added', dir, WHEN_READ, `variant ${ref} added${dir === 'request' ? '' : ': code handling every variant must handle it'}`, { addition: true, after: ref });
  }
  for (const [ref] of oldRefs) {
    if (!newRefs.has(ref)) record(ctx.sink, site, 'variant-removed', dir, WHEN_SENT, `variant ${ref} removed${dir === 'response' ? '' : ': callers sending it are rejected'}`, { before: ref, side: 'old' });
  }
  const paired = Math.min(oldInline.length, newInline.length);
  for (let i = 0; i < paired; i++) {
    const [s, j] = newInline[i];
    diffSchema(oldInline[i][0], s, child(site, `(${label(s, j)})`, kw, String(j)), dir, ctx, depth + 1, pairs);
  }
  for (const [s, j] of newInline.slice(paired)) record(ctx.sink, site, 'variant-added', dir, WHEN_READ, `variant ${label(s, j)} added`, { addition: true });
  for (const [s, j] of oldInline.slice(paired)) record(ctx.sink, site, 'variant-removed', dir, WHEN_SENT, `variant ${label(s, j)} removed`, { side: 'old' });

  const d = a.discriminator;
  const e = b.discriminator;
  if (d && e && d.propertyName !== e.propertyName) {
    record(ctx.sink, site, 'type-changed', dir, ALWAYS, `discriminator ${show(d.propertyName)} -> ${show(e.propertyName)}`);
  } else if (d && e) {
    // Tags of variants present on both sides: a new tag for an old variant is a new value to handle.
    for (const [tag, target] of Object.entries(e.mapping)) {
      if (!(tag in d.mapping) && oldRefs.has(target)) record(ctx.sink, site, 'enum-value-added', dir, WHEN_READ, `discriminator value ${show(tag)} added`, { addition: true, after: tag });
    }
    for (const [tag, target] of Object.entries(d.mapping)) {
      if (!(tag in e.mapping) && newRefs.has(target)) record(ctx.sink, site, 'enum-value-removed', dir, WHEN_SENT, `discriminator value ${show(tag)} removed`, { before: tag });
    }
  } else if (!d !== !e) {
    record(ctx.sink, site, 'constraint-changed', dir, NEVER, e ? `discriminator ${show(e.propertyName)} added` : 'discriminator removed');
  }
}

// ---------------------------------------------------------------------------------------------
// annotations

function diffAnnotations(a: Schema, b: Schema, site: Site, dir: Direction, ctx: SchemaDiffContext): void {
  if (!a.deprecated && b.deprecated) record(ctx.sink, site, 'deprecated', dir, NEVER, 'deprecated');
  if (a.hasDefault !== b.hasDefault || canonical(a.default) !== canonical(b.default)) {
    if (a.hasDefault || b.hasDefault) {
      record(ctx.sink, site, 'default-changed', dir, NEVER, `default ${a.hasDefault ? show(a.default) : '(none)'} -> ${b.hasDefault ? show(b.default) : '(none)'}`, {
        before: a.hasDefault ? (a.default ?? null) : null,
        after: b.hasDefault ? (b.default ?? null) : null,
      });
    }
  }
  if (!ctx.sink.docs) return;
  const docs = (s: Schema) => canonical([s.title, s.description, s.example, s.examples]);
  if (docs(a) !== docs(b)) record(ctx.sink, site, 'documentation-changed', dir, NEVER, a.description !== b.description ? 'description changed' : 'examples or title changed');
}
