import { formatSource } from './formats.js';

/**
 * The fixed part of the generated validators: result types, the error sink and the helpers the
 * compiled checks call. It is plain TypeScript with no imports, written to DIR/src/validators/runtime.ts.
 *
 * How errors flow: each schema has a guard twin `(v) => true | string` (isX, and validateX by
 * default) that answers true or returns its first error as a string (see Answer and first()), and
 * a check `(v, e) => boolean` that records every error into a sink (validateX with allErrors).
 * Both build paths relative to the value they were given: a caller that passed a property or item
 * down puts its segment in front when the callee fails (`pre` for the checks), so no path string
 * is ever built while a value is valid.
 */
const CORE = String.raw`
/** One violation: where (a JSON pointer, RFC 6901), which keyword, and a readable message. */
export interface ValidationError {
  /** Points at the offending value; for a missing property, at where the property should be. */
  path: string;
  keyword: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[] };

export interface ValidateOptions {
  /** Report every error instead of stopping at the first one. */
  allErrors?: boolean;
}

export type Validator<T = unknown> = (value: unknown, options?: ValidateOptions) => ValidationResult<T>;

export type Guard<T> = (value: unknown) => value is T;

/**
 * The error sink of one run: the errors (the list is only made for the first one, so a valid
 * value costs no array), how many, whether to go on after one, and where the last failed check's
 * errors start.
 */
export interface Errors {
  l: ValidationError[] | null;
  c: number;
  all: boolean;
  f: number;
}

/** A compiled check: true when valid; records errors only when given a sink. */
export type Check = (v: any, e?: Errors) => boolean;

/** Nesting deeper than this through recursive schemas is an error, not a stack overflow. */
export const MAX_DEPTH = 1000;

/**
 * Object.prototype, to tell an own property from an inherited one cheaply: a value read from an
 * object is only looked at twice (with hasOwnProperty) when it is the very value Object.prototype
 * holds under that name, which is never the case unless the prototype was polluted.
 */
export const OP: any = Object.prototype;
const hop = Object.prototype.hasOwnProperty;

export function H(o: object, k: string): boolean {
  return hop.call(o, k);
}

/** A property name as a JSON pointer segment. */
export function esc(k: string): string {
  return k.indexOf('~') === -1 && k.indexOf('/') === -1 ? k : k.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Records an error (when there is a sink); true when the check must stop now. */
export function err(e: Errors | undefined, n: number, path: string, keyword: string, message: string): boolean {
  if (e === undefined) return true;
  (e.l ??= []).push({ path, keyword, message });
  e.c++;
  e.f = n;
  return !e.all;
}

export function T(e: Errors | undefined, n: number, path: string, type: string): boolean {
  return err(e, n, path, 'type', 'must be ' + type);
}

export function R(e: Errors | undefined, n: number, base: string, key: string): boolean {
  return err(e, n, base + '/' + esc(key), 'required', "must have required property '" + key + "'");
}

/** A callee failed: prefix its errors with the path of the value it was given; true when the caller must stop. */
export function pre(e: Errors | undefined, n: number, path: string): boolean {
  if (e === undefined) return true;
  const l = e.l;
  if (path !== '' && l !== null) for (let i = e.f; i < e.c; i++) l[i].path = path + l[i].path;
  e.f = n;
  return !e.all;
}

/** End of a check run with allErrors: valid when it added no error. */
export function done(e: Errors, n: number): boolean {
  if (e.c === n) return true;
  e.f = n;
  return false;
}

export function deep(e: Errors | undefined): boolean {
  if (e !== undefined) {
    e.f = e.c++;
    (e.l ??= []).push({ path: '', keyword: 'depth', message: 'must NOT be nested more than ' + MAX_DEPTH + ' levels deep' });
  }
  return false;
}

export function ok<T>(value: unknown): ValidationResult<T> {
  return { ok: true, value: value as T };
}

export function failed(e: Errors): ValidationResult<never> {
  // Every failing check records an error; the fallback only keeps a verdict from ever being lost.
  return { ok: false, errors: e.l !== null && e.l.length > 0 ? e.l : [{ path: '', keyword: 'schema', message: 'must match the schema' }] };
}

/**
 * A guard twin's answer: true, or the path of its first error; the error's keyword and message are
 * then SITES[SITE] of the checks module (schemas.ts), set by the twin as it returned.
 */
export type Answer = true | string;

/** Keyword and message of a failure site. */
export type Site = readonly [keyword: string, message: string];

/** The result of a failed guard twin: its first error, as the check proper would have recorded it. */
export function first(path: string, site: Site): ValidationResult<never> {
  return { ok: false, errors: [{ path, keyword: site[0], message: site[1] }] };
}

/** Every error, from the check proper. */
export function all<T>(check: Check, value: unknown): ValidationResult<T> {
  const e: Errors = { l: null, c: 0, all: true, f: 0 };
  return check(value, e) ? ok<T>(value) : failed(e);
}

/** Length in Unicode code points (what JSON Schema counts), not UTF-16 units. */
export function len(s: string): number {
  let n = 0;
  const end = s.length;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** multipleOf that survives binary fractions: 0.3 is a multiple of 0.1, 0.0075 of 0.0001. */
export function mul(x: number, m: number): boolean {
  const q = x / m;
  if (Number.isInteger(q)) return true;
  return Math.abs(q - Math.round(q)) <= 8 * Number.EPSILON * Math.abs(q);
}

/**
 * Deep equality of JSON values, iterative: a hostile payload's depth cannot overflow the stack, and
 * a cyclic (non-JSON) input gives up after 10 million steps instead of looping.
 */
export function eq(a: unknown, b: unknown): boolean {
  const stack: unknown[] = [a, b];
  let steps = 0;
  while (stack.length > 0) {
    const y = stack.pop();
    const x = stack.pop();
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (++steps > 1e7) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push(x[i], y[i]);
    } else {
      if (Array.isArray(y)) return false;
      const keys = Object.keys(x);
      if (keys.length !== Object.keys(y).length) return false;
      for (const k of keys) {
        if (!hop.call(y, k)) return false;
        stack.push((x as any)[k], (y as any)[k]);
      }
    }
  }
  return true;
}

/** One of a list of values (enum members that are objects or arrays). */
export function oneOfValues(x: unknown, list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (eq(x, list[i])) return true;
  return false;
}

/** A canonical key for a JSON value (sorted object keys), or undefined past the depth limit. */
function canon(v: unknown, depth: number): string | undefined {
  if (typeof v !== 'object' || v === null) return typeof v === 'string' ? JSON.stringify(v) : typeof v + ':' + String(v);
  if (depth > 100) return undefined;
  let out = Array.isArray(v) ? '[' : '{';
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c = canon(v[i], depth + 1);
      if (c === undefined) return undefined;
      out += c + ',';
    }
    return out + ']';
  }
  for (const k of Object.keys(v).sort()) {
    const c = canon((v as any)[k], depth + 1);
    if (c === undefined) return undefined;
    out += JSON.stringify(k) + ':' + c + ',';
  }
  return out + '}';
}

/** Index of an item equal to an earlier one, or -1 (uniqueItems). Linear for JSON of sane depth. */
export function dup(a: readonly unknown[]): number {
  // Primitives by value (Set semantics: 0 and -0 are one), objects and arrays by canonical text.
  const primitives = new Set<unknown>();
  const composites = new Set<string>();
  const deepOnes: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'object' || v === null) {
      if (primitives.has(v)) return i;
      primitives.add(v);
      continue;
    }
    const key = canon(v, 0);
    if (key === undefined) {
      // Too deep for a key: compare it with the other deep ones directly.
      for (const j of deepOnes) if (eq(a[j], v)) return i;
      deepOnes.push(i);
      continue;
    }
    if (composites.has(key)) return i;
    composites.add(key);
  }
  return -1;
}
`;

/** DIR/src/validators/runtime.ts: the core plus the checks of the formats the spec uses. */
export function runtimeSource(formats: Iterable<string>, dynamicScope = false): string {
  const extra = [dynamicScope ? DYNAMIC_SCOPE.trim() : '', formatSource(formats)].filter(Boolean).join('\n\n');
  return CORE.trimStart() + (extra ? `\n${extra}\n` : '');
}

/** Only for specs with $dynamicRef (OpenAPI 3.1). */
const DYNAMIC_SCOPE = String.raw`
/**
 * One schema resource's dynamic anchors (JSON Schema 2020-12 $dynamicAnchor): name, guard twin
 * and check of the anchor's schema. A list, so that no anchor name can reach a prototype.
 */
export type DynamicScope = readonly (readonly [anchor: string, guard: (v: any) => Answer, check: Check, properties: Evaluator, items: Evaluator])[];

/** Adds what a schema evaluates of a value (unevaluatedProperties / unevaluatedItems); true when it evaluates all. */
type Evaluator = (v: any, out: Set<any>) => boolean;

/** The resources being evaluated that declare dynamic anchors, outermost first. */
const SCOPE: DynamicScope[] = [];

export function enter(scope: DynamicScope): void {
  SCOPE.push(scope);
}

export function leave(): void {
  SCOPE.pop();
}

/** A $dynamicRef's target: the anchor's schema in the outermost resource in scope that declares it (kind 0: twin, 1: check, 2 and 3: evaluators). */
export function dyn(anchor: string, kind: 0 | 1 | 2 | 3): any {
  for (let i = 0; i < SCOPE.length; i++) {
    const scope = SCOPE[i];
    for (let j = 0; j < scope.length; j++) if (scope[j][0] === anchor) return scope[j][kind + 1];
  }
  return undefined;
}

`;
