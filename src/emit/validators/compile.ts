import { admitsValue } from '../../model/values.js';
import type { JsonType, JsonValue, Schema } from '../../model/types.js';
import { SymbolTable } from '../../normalize/naming.js';
import { commentLines, jsonLiteral, propertyAccess, stringLiteral as escapeString } from '../shared/escape.js';
import { ANNOTATIONS, Analysis, isAnnotationOnly, type Direction } from './analysis.js';
import { FORMAT_FUNCTIONS, formatDef, type FormatMode } from './formats.js';
import { riskOf } from './patterns.js';

/**
 * Compiles model schemas into straight-line TypeScript checks `(v, e?) => boolean`.
 *
 * Every named schema becomes one exported function (so shared schemas are shared code); property
 * and item schemas are inlined into their parent's function; sub-schemas that must answer yes/no
 * without failing the parent (anyOf, oneOf, not, if, contains) become small module-level guard
 * functions. A failed check either returns false at once (no error sink, or first-error mode) or
 * records the error and goes on (allErrors). Paths are only built on failure.
 *
 * Each exported check has a guard twin (isX, see exportedJob) compiled from the same schema by the
 * same walk, so it meets the same first error: validateX runs the twin and only allErrors the check.
 */

/** A segment of a path inside one function: a literal (already a pointer segment), an index or a key variable. */
type Seg = { lit: string } | { idx: string } | { key: string };

interface Fn {
  /** Yes/no only: no error sink, every failure returns false. */
  guard: boolean;
  /**
   * The guard twin of an exported check: answers `true`, or on failure the path of the first error,
   * with SITE set to the index of its keyword and message in SITES (see siteCode).
   */
  record: boolean;
  /** Index in the function's lines where `let r` goes once a call needs it (twins only). */
  rAt?: number;
  usesR?: boolean;
  /** Twins: the optional properties being checked here, as "is own" tests a failure must pass. */
  own: string[];
  direction: Direction;
  vars: number;
}

interface Job {
  name: string;
  schema: Schema;
  direction: Direction;
  guard: boolean;
  /** See Fn.record. */
  record?: boolean;
  exported: boolean;
  cyclic: boolean;
  comment: string;
}

type Group = 'string' | 'number' | 'object' | 'array';

/** Own properties of Object.prototype: for these names an inherited value is always there, so presence needs hasOwnProperty. */
const PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Names of the runtime module, claimed first so no generated name can take them. */
const RUNTIME_NAMES = [
  'err', 'T', 'R', 'pre', 'done', 'deep', 'SITES', 'SITE', 'first', 'all', 'OP', 'H', 'esc', 'len', 'mul', 'eq', 'oneOfValues', 'dup', 'MAX_DEPTH', 'Errors', 'depth', 'guard', 'validator', 'enter', 'leave', 'dyn', 'DynamicScope',
];

/** The first line of the checks module (see finish). */
export const NO_CHECK = '// @ts-nocheck -- generated straight-line checks; see the note in compile.ts of codegen';

/** Enums of more strings than this are checked by a length switch instead of a chain of comparisons. */
const INLINE_ENUM_MAX = 6;
/** Estimated bytecode size above which an enum function splits (V8 inlines up to 460 bytes). */
const ENUM_INLINE_BYTES = 400;
/** Indentation strings by level, two spaces each. */
const INDENT = Array.from({ length: 64 }, (_, i) => '  '.repeat(i));
const indent = (level: number): string => INDENT[level] ?? '  '.repeat(level);
/** Objects with more declared properties than this find "is it declared?" in a Set. */
const INLINE_NAMES_MAX = 8;

/** Printable ASCII that needs no escape in a double-quoted literal (and cannot close a script tag). */
const PLAIN = /^[ !#-;=?-\[\]-~]*$/;

/** Most literals (paths, names, messages) are plain ASCII: quote those directly, escape the rest. */
function stringLiteral(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : escapeString(value);
}

export class Compiler {
  /**
   * The functions' text, one entry per function. Each is laid out line by line here (with its own
   * indentation), so it is joined as is: passing ~10 MB through a CodeBlockWriter, which scans
   * every character for strings and comments to indent them, was a third of the emit time.
   */
  private readonly out: string[] = [];
  private level = 0;
  private readonly names = new SymbolTable();
  private readonly consts: string[] = [];
  private readonly constByKey = new Map<string, string>();
  private readonly queue: Job[] = [];
  private readonly fnByKey = new Map<string, string>();
  /** Exported check -> its guard twin (isX in the generated module). */
  private readonly twins = new Map<string, string>();
  /** Whether a check reads OP (declared in the module rather than imported: a cheaper read). */
  private localOP = false;
  /** [keyword, message] pairs (as code) of the twins' failure sites, by code. */
  private readonly sites = new Map<string, number>();
  private readonly guardBySchema = new Map<Direction, Map<Schema, string>>();
  private readonly bodyFns = new Map<Direction, Map<Schema, string>>();
  /** Evaluated-properties / evaluated-items functions (see evaluated()), by kind, direction, root-ness and schema. */
  private readonly evaluators = new Map<string, Map<Schema, string>>();
  private readonly used = new Set<string>();
  private counter = 0;
  readonly formats = new Set<string>();
  /** Whether the checks use the dynamic scope ($dynamicRef), which the runtime then carries. */
  get dynamicScope(): boolean {
    return this.used.has('dyn') || this.used.has('enter');
  }
  /** Spec patterns that can backtrack badly, with why (reported in the generated file). */
  readonly riskyPatterns: { pattern: string; reason: string }[] = [];

  constructor(readonly analysis: Analysis, readonly formatMode: FormatMode = 'assert') {
    for (const name of [...RUNTIME_NAMES, ...FORMAT_FUNCTIONS]) this.names.claim(name);
  }

  /** The check function of a named schema in a direction (the neutral one unless the direction changes it). */
  fnOf(key: string, direction: Direction): string {
    const target = this.analysis.target(key);
    if (!target) return this.anyFn();
    const dir = this.analysis.isSensitive(key, direction) ? direction : 'neutral';
    const id = `${dir}\u0000${key}`;
    let name = this.fnByKey.get(id);
    if (name === undefined) {
      name = this.names.claim(`check${target.symbol}${dir === 'neutral' ? '' : `$${dir}`}`);
      this.fnByKey.set(id, name);
      this.exportedJob({
        name,
        schema: target.schema,
        direction: dir,
        guard: false,
        exported: true,
        cyclic: this.analysis.cyclic.has(key),
        comment: `${target.symbol}${dir === 'neutral' ? '' : ` (${dir})`}`,
      });
    }
    return name;
  }

  /** An exported check for a schema that is not named (an operation body), or the named one it refers to. */
  fnFor(schema: Schema, direction: Direction, preferredName: string, comment: string): string {
    if (isPureRef(schema) && this.analysis.target(schema.ref!)) return this.fnOf(schema.ref!, direction);
    if (!this.analysis.hasCode(schema)) return this.anyFn();
    // One function per body schema, however many exports and statuses use it.
    let byDir = this.bodyFns.get(direction);
    if (!byDir) this.bodyFns.set(direction, (byDir = new Map()));
    let name = byDir.get(schema);
    if (name === undefined) {
      name = this.names.claim(preferredName);
      byDir.set(schema, name);
      this.exportedJob({ name, schema, direction, guard: false, exported: true, cyclic: false, comment });
    }
    return name;
  }

  /** The shared check that accepts anything. */
  anyFn(): string {
    let name = this.fnByKey.get('any');
    if (name === undefined) {
      name = this.names.claim('checkAny');
      this.fnByKey.set('any', name);
      this.exportedJob({ name, schema: {}, direction: 'neutral', guard: false, exported: true, cyclic: false, comment: 'any value' });
    }
    return name;
  }

  /**
   * An exported check and its guard twin. validateX runs the twin first: it answers `true` without
   * any error bookkeeping on the valid path, and on failure returns the first error as a string
   * (a constant at the failing test, its callers prefix their path segments: no calls, no stores,
   * so the twins stay small enough for V8 to inline into each other). The check proper, with its
   * error sink, runs only for allErrors.
   */
  private exportedJob(job: Job): void {
    const twin = this.names.claim(job.name.replace(/^check/, 'is'));
    this.twins.set(job.name, twin);
    this.queue.push(job, { ...job, name: twin, guard: true, record: true, comment: `${job.comment} (yes/no, first failure noted)` });
  }

  /** The guard twin of an exported check. */
  guardOf(fn: string): string {
    const twin = this.twins.get(fn);
    if (twin === undefined) throw new Error(`no guard twin for ${fn}`);
    return twin;
  }

  /** Writes every queued function (and whatever they queue) and returns the module text after the header. */
  finish(): string {
    for (let i = 0; i < this.queue.length; i++) this.writeJob(this.queue[i]);
    const imports = [...this.used].sort();
    // The checks are straight-line code over `any`, typed by their signatures alone: checking their
    // bodies was most of the time tsc spent on a package with validators (13.8 of 23.9 s on Plaid),
    // for nothing a user can act on. Our tests type-check them without this line (features.test.ts).
    const head: string[] = [NO_CHECK];
    if (imports.length) head.push(`import { ${imports.join(', ')}, type Errors } from './runtime.js';`);
    else head.push(`import type { Errors } from './runtime.js';`);
    head.push('');
    if (this.queue.some((j) => j.cyclic)) head.push('/** Current nesting through recursive schemas (see MAX_DEPTH). */', 'let depth = 0;', '');
    if (this.riskyPatterns.length) {
      head.push('/*');
      head.push(' * Patterns that can backtrack for a long time on long input (a maxLength before them limits the cost):');
      for (const r of this.riskyPatterns) head.push(` *   ${commentLines(stringLiteral(r.pattern)).join(' ')}: ${r.reason}`);
      head.push(' */');
    }
    if (this.localOP) head.push('/** Object.prototype: a value read from it is inherited, not own (see H in runtime.ts). */', 'const OP: any = Object.prototype;', '');
    head.push(...this.consts);
    if (this.consts.length) head.push('');
    head.push('/** Keyword and message of each failure site of the guard twins (see first() in runtime.ts). */');
    head.push('export const SITES: readonly (readonly [string, string])[] = [', ...[...this.sites.keys()].map((site) => `  ${site},`), '];', '');
    head.push('/** The index in SITES of the failure the last failed guard twin returned (set as it returns). */', 'export let SITE = 0;', '');
    return `${head.join('\n')}\n${this.out.join('\n\n')}${this.out.length ? '\n' : ''}`;
  }

  private use(name: string): string {
    this.used.add(name);
    return name;
  }

  // ---- writing helpers ---------------------------------------------------------------------------

  // A function is laid out line by line here and handed to the writer whole: one write per
  // function instead of one per line halves the writer's share of the emit time.
  private readonly lines: string[] = [];

  private line(text: string): void {
    this.lines.push(indent(this.level) + text);
  }

  private open(head: string): void {
    this.line(`${head} {`);
    this.level++;
  }

  private close(): void {
    this.level--;
    this.line('}');
  }

  private orElse(): void {
    this.level--;
    this.line('} else {');
    this.level++;
  }

  private flush(): void {
    this.out.push(this.lines.join('\n'));
    this.lines.length = 0;
  }

  private v(f: Fn, base: string): string {
    return `${base}${f.vars++}`;
  }

  /** A module-level constant, shared by identical definitions. */
  private constant(prefix: string, init: string): string {
    const key = `${prefix}\u0000${init}`;
    let name = this.constByKey.get(key);
    if (name === undefined) {
      name = this.names.claim(`${prefix}${this.constByKey.size}`);
      this.constByKey.set(key, name);
      this.consts.push(`const ${name} = ${init};`);
    }
    return name;
  }

  private regex(pattern: string): string {
    const flags = validFlags(pattern);
    const name = this.constant('re_', `new RegExp(${stringLiteral(pattern)}${flags ? `, ${stringLiteral(flags)}` : ''})`);
    const risk = riskOf(pattern);
    if (risk && !this.riskyPatterns.some((r) => r.pattern === pattern)) this.riskyPatterns.push({ pattern, reason: risk });
    return name;
  }

  private pathCode(path: Seg[]): string {
    const parts: string[] = [];
    let text = '';
    for (const seg of path) {
      if ('lit' in seg) text += `/${seg.lit}`;
      else {
        text += '/';
        parts.push(stringLiteral(text));
        text = '';
        parts.push('idx' in seg ? seg.idx : `${this.use('esc')}(${seg.key})`);
      }
    }
    if (text || parts.length === 0) parts.push(stringLiteral(text));
    return parts.join(' + ');
  }

  /** `if (cond) fail`: the failure returns false, or records an error and returns only when the run must stop. */
  private fail(f: Fn, cond: string | undefined, path: Seg[], keyword: string, message: string): void {
    if (f.guard) {
      const result = f.record ? this.siteCode(path, stringLiteral(keyword), message) : 'false';
      const own = f.own.join(' && ');
      if (own) this.line(cond === undefined ? `if (${own}) return ${result};` : `if (${paren(cond)} && ${own}) return ${result};`);
      else this.line(cond === undefined ? `return ${result};` : `if (${cond}) return ${result};`);
      return;
    }
    const record = `${this.use('err')}(e, n, ${this.pathCode(path)}, ${stringLiteral(keyword)}, ${message})`;
    this.line(cond === undefined ? `if (${record}) return false;` : `if (${paren(cond)} && ${record}) return false;`);
  }

  /** The statement recording a failure whose condition was already tested. */
  private failed(f: Fn, path: Seg[], keyword: string, message: string): void {
    this.fail(f, undefined, path, keyword, message);
  }

  /** A call of another schema's function; for a $dynamicRef (anchor given), of the one the dynamic scope picks. */
  private call(f: Fn, fn: string, x: string, path: Seg[], anchor?: string): void {
    const twin = anchor === undefined ? this.guardOf(fn) : `(${this.use('dyn')}(${stringLiteral(anchor)}, 0) ?? ${this.guardOf(fn)})`;
    const check = anchor === undefined ? fn : `(${this.use('dyn')}(${stringLiteral(anchor)}, 1) ?? ${fn})`;
    if (f.guard && !f.record) this.line(`if (${twin}(${x}) !== true) return false;`);
    else if (f.guard) {
      // The callee's answer, with this value's path in front.
      f.usesR = true;
      const at = this.pathCode(path);
      const own = f.own.length ? ` && ${f.own.join(' && ')}` : '';
      this.line(`if ((r = ${twin}(${x})) !== true${own}) return ${at === '""' ? 'r' : `${at} + r`};`);
    } else this.line(`if (!${check}(${x}, e) && ${this.use('pre')}(e, n, ${this.pathCode(path)})) return false;`);
  }

  /**
   * A twin's failure value: the error's path, after SITE is set to the index of its [keyword,
   * message] in SITES. The index travels beside the path rather than inside it, so validateX takes
   * the path as it is: no slicing (and flattening) of a string built on the way out.
   */
  private siteCode(path: Seg[], keyword: string, message: string): string {
    const key = `[${keyword}, ${message}]`;
    let id = this.sites.get(key);
    if (id === undefined) this.sites.set(key, (id = this.sites.size));
    return `(SITE = ${id}, ${this.pathCode(path)})`;
  }

  // ---- functions ---------------------------------------------------------------------------------

  private writeJob(job: Job): void {
    this.jobBody(job);
    this.flush();
  }

  /** A recursive schema's entry: counts the nesting depth around its body, so a hostile payload cannot overflow the stack. */
  private depthGuard(signature: string, tooDeep: string, call: string): void {
    this.open(signature);
    this.line(`if (depth >= ${this.use('MAX_DEPTH')}) return ${tooDeep};`);
    this.line('depth++;');
    this.open('try');
    this.line(`return ${call};`);
    this.level--;
    this.line('} finally {');
    this.level++;
    this.line('depth--;');
    this.close();
    this.close();
    this.line('');
  }

  private jobBody(job: Job): void {
    const f: Fn = { guard: job.guard, record: job.record === true, direction: job.direction, vars: 0, own: [] };
    this.line(`/** ${commentLines(job.comment).join(' ')} */`);
    const exported = job.exported ? 'export ' : '';
    if (job.guard) {
      let body = job.name;
      const result = f.record ? 'true | string' : 'boolean';
      if (job.cyclic) {
        body = this.names.claim(`${job.name}$body`);
        const tooDeep = f.record ? this.siteCode([], stringLiteral('depth'), `'must NOT be nested more than ' + ${this.use('MAX_DEPTH')} + ' levels deep'`) : 'false';
        this.depthGuard(`${exported}function ${job.name}(v: any): ${result}`, tooDeep, `${body}(v)`);
      }
      this.open(`${job.cyclic ? '' : exported}function ${body}(v: any): ${result}`);
      f.rAt = this.lines.length;
      this.node(job.schema, 'v', [], f);
      if (f.usesR) this.lines.splice(f.rAt, 0, `${indent(this.level)}let r: true | string;`);
      this.line('return true;');
      this.close();
      return;
    }
    let body = job.name;
    if (job.cyclic) {
      body = this.names.claim(`${job.name}$body`);
      this.depthGuard(`${exported}function ${job.name}(v: any, e?: Errors): boolean`, `${this.use('deep')}(e)`, `${body}(v, e)`);
    }
    this.open(`${job.cyclic ? '' : exported}function ${body}(v: any, e?: Errors): boolean`);
    if (!this.analysis.hasCode(job.schema)) {
      this.line('return true;');
      this.close();
      return;
    }
    this.line('const n = e === undefined ? 0 : e.c;');
    this.node(job.schema, 'v', [], f);
    this.line(`return e === undefined || ${this.use('done')}(e, n);`);
    this.close();
  }

  /** A yes/no expression for a sub-schema, for anyOf/oneOf/not/if/contains. */
  private guardExpr(s: Schema, x: string, direction: Direction): string {
    if (!this.analysis.hasCode(s)) return 'true';
    if (isPureRef(s)) return `${this.guardOf(this.fnOf(s.ref!, direction))}(${x}) === true`;
    if (isOnlyType(s)) return typeCondition(s.type!, x);
    let byDir = this.guardBySchema.get(direction);
    if (!byDir) this.guardBySchema.set(direction, (byDir = new Map()));
    let name = byDir.get(s);
    if (name === undefined) {
      name = this.names.claim(`g${this.counter++}`);
      byDir.set(s, name);
      this.queue.push({ name, schema: s, direction, guard: true, exported: false, cyclic: false, comment: 'sub-schema (yes/no)' });
    }
    return `${name}(${x})`;
  }

  // ---- one schema node ---------------------------------------------------------------------------

  /** Statements checking the value in variable `x` against `s`. */
  private node(s: Schema, x: string, path: Seg[], f: Fn): void {
    if (!this.analysis.hasCode(s)) return;
    if (s.dynamicScope !== undefined) {
      // A schema resource with dynamic anchors: in scope while its subschemas are evaluated.
      const entries = Object.entries(s.dynamicScope).map(([anchor, key]) => {
        const fn = this.fnOf(key, f.direction);
        const target = this.analysis.target(key)!.schema;
        // With its evaluators, for unevaluatedProperties / unevaluatedItems through a $dynamicRef.
        return `[${stringLiteral(anchor)}, ${this.guardOf(fn)}, ${fn}, ${this.evaluated(target, 'properties', f.direction, false)}, ${this.evaluated(target, 'items', f.direction, false)}]`;
      });
      this.line(`${this.use('enter')}(${this.constant('ds_', `[${entries.join(', ')}] as const`)});`);
      this.open('try');
      this.node({ ...s, dynamicScope: undefined }, x, path, f);
      this.close();
      this.open('finally');
      this.line(`${this.use('leave')}();`);
      this.close();
      return;
    }
    // OpenAPI 3.0 nullable: null passes, whatever enum or a referenced schema say (CONTRACT "Schema semantics").
    if (s.nullable) this.open(`if (${x} !== null)`);
    this.body(s, x, path, f);
    if (s.nullable) this.close();
  }

  private body(s: Schema, x: string, path: Seg[], f: Fn): void {
    const types = checkedTypes(s);
    if (types && types.length === 0) {
      this.failed(f, path, 'type', stringLiteral('must be null'));
      return;
    }
    if (!types) {
      this.rest(s, x, path, f, undefined, undefined);
      return;
    }
    const known = knownGroup(types);
    const mismatch = typeMismatch(types, x);
    const message = stringLiteral(types.join(','));
    if (f.guard && f.own.length > 0 && this.hasRest(s)) {
      // A value of the wrong type that is not own goes on, but not into checks made for the right type.
      this.open(`if (${mismatch})`);
      this.failed(f, path, 'type', stringLiteral(`must be ${types.join(',')}`));
      this.orElse();
      this.rest(s, x, path, f, known, types);
      this.close();
    } else if (f.guard) {
      this.fail(f, mismatch, path, 'type', stringLiteral(`must be ${types.join(',')}`));
      this.rest(s, x, path, f, known, types);
    } else if (!this.hasRest(s)) {
      this.line(`if (${paren(mismatch)} && ${this.use('T')}(e, n, ${this.pathCode(path)}, ${message})) return false;`);
    } else {
      this.open(`if (${mismatch})`);
      this.line(`if (${this.use('T')}(e, n, ${this.pathCode(path)}, ${message})) return false;`);
      this.orElse();
      this.rest(s, x, path, f, known, types);
      this.close();
    }
  }

  /** The schema a node stands for: a pure $ref to a schema checked in place is that schema. */
  private inlined(s: Schema): Schema {
    for (let hops = 0; hops < 8 && isPureRef(s) && this.analysis.inlinable(s.ref!); hops++) s = this.analysis.target(s.ref!)!.schema;
    return s;
  }

  /** The types of a node that checks nothing else (a nullable one lets null through). */
  private typeOnly(s: Schema): { types: JsonType[]; nullable: boolean } | undefined {
    s = this.inlined(s);
    if (!s.type || s.ref !== undefined || this.hasRest(s)) return undefined;
    const types = checkedTypes(s)!;
    return types.length ? { types, nullable: !!s.nullable } : undefined;
  }

  /** Is there anything to check besides the type? */
  private hasRest(s: Schema): boolean {
    return this.analysis.hasCodeBesidesType(s);
  }

  private rest(s: Schema, x: string, path: Seg[], f: Fn, known: Group | undefined, types: JsonType[] | undefined): void {
    if (s.ref !== undefined) {
      const target = this.analysis.target(s.ref);
      if (target && s.dynamicRef !== undefined) this.call(f, this.fnOf(s.ref, f.direction), x, path, s.dynamicRef);
      else if (target && this.analysis.hasCode(target.schema)) {
        if (this.analysis.inlinable(s.ref)) this.node(target.schema, x, path, f);
        else if (target.schema.nullable && types === undefined) {
          // Null passes a nullable target whole: no call for it (PlaidError is null in most answers).
          this.open(`if (${x} !== null)`);
          this.call(f, this.fnOf(s.ref, f.direction), x, path);
          this.close();
        } else this.call(f, this.fnOf(s.ref, f.direction), x, path);
      }
    }
    // Values the type check already rules out are dropped (TypeScript would flag comparing them).
    if (s.enum) this.enumCheck(types ? s.enum.filter((value) => admitsValue(types, value)) : s.enum, x, path, f, known === 'string' && !types!.includes('null'));
    if (s.hasConst) {
      const value = s.const ?? null;
      if (types && !admitsValue(types, value)) this.failed(f, path, 'const', stringLiteral('must be equal to constant'));
      else this.constCheck(value, x, path, f);
    }

    const groups: [Group, boolean][] = [
      ['string', hasStringKeywords(s, this.formatMode)],
      ['number', hasNumberKeywords(s, this.formatMode)],
      ['object', this.hasObjectKeywords(s)],
      ['array', this.hasArrayKeywords(s)],
    ];
    for (const [group, present] of groups) {
      if (!present) continue;
      if (known !== undefined && known !== group) continue;
      if (known === undefined && types && !types.some((t) => groupOf(t) === group)) continue;
      const guarded = known === undefined;
      if (guarded) this.open(`if (${groupCondition(group, x)})`);
      if (group === 'string') this.stringKeywords(s, x, path, f);
      else if (group === 'number') this.numberKeywords(s, x, path, f);
      else if (group === 'object') this.objectKeywords(s, x, path, f);
      else this.arrayKeywords(s, x, path, f);
      if (guarded) this.close();
    }

    for (const branch of s.allOf ?? []) this.node(branch, x, path, f);
    // A discriminator belongs to oneOf, or to anyOf when there is no oneOf.
    if (s.anyOf) this.choice(s, s.anyOf, false, s.oneOf === undefined, x, path, f);
    if (s.oneOf) this.choice(s, s.oneOf, true, true, x, path, f);
    if (s.not) {
      const inner = this.guardExpr(s.not, x, f.direction);
      if (inner === 'true') this.failed(f, path, 'not', stringLiteral('must NOT be valid'));
      else this.fail(f, inner, path, 'not', stringLiteral('must NOT be valid'));
    }
    if (s.if) this.conditional(s, x, path, f);
    // Last: they look at what every other keyword of this node evaluated.
    if (s.unevaluatedProperties && this.analysis.hasCode(s.unevaluatedProperties) && (known === undefined || known === 'object')) this.unevaluated(s, 'properties', x, path, f, known === 'object');
    if (s.unevaluatedItems && this.analysis.hasCode(s.unevaluatedItems) && (known === undefined || known === 'array')) this.unevaluated(s, 'items', x, path, f, known === 'array');
  }

  /**
   * unevaluatedProperties / unevaluatedItems: the node's evaluator (see evaluated()) collects what
   * the other keywords evaluated, and every property or item left over must pass the schema.
   */
  private unevaluated(s: Schema, kind: 'properties' | 'items', x: string, path: Seg[], f: Fn, known: boolean): void {
    const schema = (kind === 'properties' ? s.unevaluatedProperties : s.unevaluatedItems)!;
    const keyword = kind === 'properties' ? 'unevaluatedProperties' : 'unevaluatedItems';
    if (!known) this.open(`if (${groupCondition(kind === 'properties' ? 'object' : 'array', x)})`);
    const seen = this.v(f, 'u');
    this.line(`const ${seen} = new Set<${kind === 'properties' ? 'string' : 'number'}>();`);
    this.open(`if (!${this.evaluated(s, kind, f.direction, true)}(${x}, ${seen}))`);
    let at: Seg[];
    if (kind === 'properties') {
      const keys = this.v(f, 'ks');
      const j = this.v(f, 'j');
      const k = this.v(f, 'k');
      this.line(`const ${keys} = Object.keys(${x});`);
      this.open(`for (let ${j} = 0; ${j} < ${keys}.length; ${j}++)`);
      this.line(`const ${k} = ${keys}[${j}];`);
      this.open(`if (!${seen}.has(${k}))`);
      at = [...path, { key: k }];
      if (isFalseSchema(schema)) this.failed(f, at, keyword, stringLiteral('must NOT have unevaluated properties'));
      else {
        const y = this.v(f, 'x');
        this.line(`const ${y} = ${x}[${k}];`);
        this.node(schema, y, at, f);
      }
    } else {
      const i = this.v(f, 'i');
      this.open(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++)`);
      this.open(`if (!${seen}.has(${i}))`);
      at = [...path, { idx: i }];
      if (isFalseSchema(schema)) this.failed(f, at, keyword, stringLiteral('must NOT have unevaluated items'));
      else {
        const y = this.v(f, 'x');
        this.line(`const ${y} = ${x}[${i}];`);
        this.node(schema, y, at, f);
      }
    }
    this.close();
    this.close();
    this.close();
    if (!known) this.close();
  }

  /**
   * A module function `(v, out) => boolean` that adds to `out` the properties (or item indexes) of v
   * that the keywords of `s` evaluate, JSON Schema 2020-12's annotations: properties,
   * patternProperties, additionalProperties (all), prefixItems, items (all), contains, and those of
   * the subschemas that apply to v, through $ref, allOf, the passing anyOf/oneOf branches,
   * if/then/else and dependentSchemas. It returns true when every one is evaluated. `root`: the
   * node's own unevaluated* is what is being checked; in a subschema it evaluates everything.
   */
  private evaluated(s: Schema, kind: 'properties' | 'items', direction: Direction, root: boolean): string {
    const id = `${kind}\u0000${direction}\u0000${root}`;
    let byKind = this.evaluators.get(id);
    if (!byKind) this.evaluators.set(id, (byKind = new Map()));
    const cached = byKind.get(s);
    if (cached) return cached;
    const name = this.names.claim(`ev${this.counter++}`);
    byKind.set(s, name);
    const props = kind === 'properties';
    const body: string[] = [];
    const all = props ? s.additionalProperties !== undefined || (!root && s.unevaluatedProperties !== undefined) : s.items !== undefined || (!root && s.unevaluatedItems !== undefined);
    if (all) body.push('return true;');
    else {
      if (props) {
        for (const p of s.properties ?? []) body.push(`if (${this.use('H')}(v, ${stringLiteral(p.name)})) out.add(${stringLiteral(p.name)});`);
        if (s.patternProperties?.length) {
          const tests = s.patternProperties.map((p) => `${this.regex(p.pattern)}.test(k)`).join(' || ');
          body.push(`for (const k of Object.keys(v)) if (${tests}) out.add(k);`);
        }
      } else {
        if (s.prefixItems?.length) body.push(`for (let i = 0; i < v.length && i < ${s.prefixItems.length}; i++) out.add(i);`);
        if (s.contains) body.push(`for (let i = 0; i < v.length; i++) if (${this.guardExpr(s.contains, 'v[i]', direction)}) out.add(i);`);
      }
      const sub = (schema: Schema) => `${this.evaluated(schema, kind, direction, false)}(v, out)`;
      if (s.ref !== undefined) {
        const target = this.analysis.target(s.ref);
        if (target && s.dynamicRef !== undefined) body.push(`if ((${this.use('dyn')}(${stringLiteral(s.dynamicRef)}, ${props ? 2 : 3}) ?? ${this.evaluated(target.schema, kind, direction, false)})(v, out)) return true;`);
        else if (target) body.push(`if (${sub(target.schema)}) return true;`);
      }
      for (const b of s.allOf ?? []) body.push(`if (${sub(b)}) return true;`);
      for (const b of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) body.push(`if (${this.guardExpr(b, 'v', direction)} && ${sub(b)}) return true;`);
      if (s.if) {
        const then = s.then ? ` || ${sub(s.then)}` : '';
        body.push(`if (${this.guardExpr(s.if, 'v', direction)}) { if (${sub(s.if)}${then}) return true; }`);
        if (s.else) body.push(`else if (${sub(s.else)}) return true;`);
      }
      if (props) for (const [dep, schema] of Object.entries(s.dependentSchemas ?? {})) body.push(`if (${this.use('H')}(v, ${stringLiteral(dep)}) && ${sub(schema)}) return true;`);
      body.push('return false;');
    }
    const what = props ? 'properties' : 'items';
    this.out.push([`/** Adds the ${what} of v that this schema evaluates (unevaluated${props ? 'Properties' : 'Items'}); true when all are. */`, `function ${name}(v: any, out: Set<${props ? 'string' : 'number'}>): boolean {`, ...body.map((l) => `  ${l}`), '}'].join('\n'));
    return name;
  }

  private enumCheck(values: JsonValue[], x: string, path: Seg[], f: Fn, knownString: boolean): void {
    const strings = values.filter((v): v is string => typeof v === 'string');
    const others = values.filter((v) => v === null || (typeof v !== 'object' && typeof v !== 'string'));
    const composites = values.filter((v) => v !== null && typeof v === 'object');
    const tests: string[] = [];
    if (strings.length > INLINE_ENUM_MAX) {
      const member = this.stringSet(strings);
      tests.push(knownString ? `${member}(${x})` : `(typeof ${x} === 'string' && ${member}(${x}))`);
    } else {
      for (const value of strings) tests.push(`${x} === ${stringLiteral(value)}`);
    }
    for (const value of others) tests.push(`${x} === ${jsonLiteral(value)}`);
    if (composites.length) tests.push(`${this.use('oneOfValues')}(${x}, ${this.jsonConstant(composites, 'unknown[]')})`);
    const message = stringLiteral('must be equal to one of the allowed values');
    if (tests.length === 0) this.failed(f, path, 'enum', message);
    else this.fail(f, `!(${tests.join(' || ')})`, path, 'enum', message);
  }

  /**
   * Membership in a set of strings as a switch on the length, then comparisons: a string from
   * JSON.parse is compared with at most a few candidates, about twice as fast as Set.has. Short
   * strings from JSON.parse are internalized, so each comparison site that has only seen those
   * compiles to a pointer comparison, once the function is inlined into its caller. V8 inlines
   * functions of up to 460 bytes of bytecode: a larger set (the 78 account subtypes) moves its
   * larger length groups into functions of their own, each inlined where it is used, and the
   * switch keeps the rest (isAccountBase: 108 -> 98 ns on three accounts).
   */
  private stringSet(values: string[]): string {
    const byLength = new Map<number, string[]>();
    for (const value of [...new Set(values)]) {
      const list = byLength.get(value.length) ?? [];
      list.push(value);
      byLength.set(value.length, list);
    }
    const key = `enum\u0000${JSON.stringify(values)}`;
    let name = this.constByKey.get(key);
    if (name !== undefined) return name;
    name = this.names.claim(`en_${this.constByKey.size}`);
    this.constByKey.set(key, name);
    const groups = [...byLength].sort((a, b) => a[0] - b[0]);
    // Bytecode: about 5 bytes per case of the switch and 6 per comparison.
    const split = groups.reduce((n, [, list]) => n + 5 + 6 * list.length, 0) > ENUM_INLINE_BYTES;
    // A chain of 1,900 `||` overflows tsc's stack (storecove.com): a switch has no depth.
    const test = (list: string[]) => (list.length > 128 ? `switch (x) { ${list.map((value) => `case ${stringLiteral(value)}:`).join(' ')} return true; default: return false; }` : `return ${list.map((value) => `x === ${stringLiteral(value)}`).join(' || ')};`);
    const cases: string[] = [];
    for (const [length, list] of groups) {
      if (split && list.length > 2) {
        const sub = this.names.claim(`${name}_${length}`);
        this.consts.push(`function ${sub}(x: string): boolean {`, `  ${test(list)}`, '}');
        cases.push(`    case ${length}: return ${sub}(x);`);
      } else cases.push(`    case ${length}: ${test(list)}`);
    }
    this.consts.push(`function ${name}(x: string): boolean {`, '  switch (x.length) {', ...cases, '    default: return false;', '  }', '}');
    return name;
  }

  private constCheck(value: JsonValue, x: string, path: Seg[], f: Fn): void {
    const test = value !== null && typeof value === 'object' ? `!${this.use('eq')}(${x}, ${this.jsonConstant(value, 'unknown')})` : `${x} !== ${jsonLiteral(value)}`;
    this.fail(f, test, path, 'const', stringLiteral('must be equal to constant'));
  }

  /** Objects and arrays from the spec are parsed from JSON text: a `__proto__` key stays data. */
  private jsonConstant(value: JsonValue, type: string): string {
    return this.constant('k_', `JSON.parse(${stringLiteral(JSON.stringify(value))}) as ${type}`);
  }

  private stringKeywords(s: Schema, x: string, path: Seg[], f: Fn): void {
    if (s.minLength !== undefined && s.minLength > 0) {
      const min = s.minLength;
      const test = min === 1 ? `${x}.length === 0` : `${x}.length < ${min} || (${x}.length < ${2 * min} && ${this.use('len')}(${x}) < ${min})`;
      this.fail(f, test, path, 'minLength', stringLiteral(`must NOT have fewer than ${min} characters`));
    }
    const pattern = s.pattern !== undefined ? this.regex(s.pattern) : undefined;
    const patternMessage = s.pattern !== undefined ? stringLiteral(`must match pattern "${s.pattern}"`) : '';
    if (s.maxLength !== undefined) {
      const max = s.maxLength;
      const test = `${x}.length > ${max} && ${this.use('len')}(${x}) > ${max}`;
      const message = stringLiteral(`must NOT have more than ${max} characters`);
      if (pattern && !f.guard) {
        // A string over maxLength never reaches the pattern: long input cannot make a regex backtrack.
        this.open(`if (${test})`);
        this.failed(f, path, 'maxLength', message);
        this.orElse();
        this.fail(f, `!${pattern}.test(${x})`, path, 'pattern', patternMessage);
        this.close();
      } else {
        this.fail(f, test, path, 'maxLength', message);
        if (pattern) this.fail(f, `!${pattern}.test(${x})`, path, 'pattern', patternMessage);
      }
    } else if (pattern) {
      this.fail(f, `!${pattern}.test(${x})`, path, 'pattern', patternMessage);
    }
    const format = s.format !== undefined ? formatDef(s.format, this.formatMode) : undefined;
    if (format && format.applies === 'string') {
      this.formats.add(s.format!);
      this.fail(f, `!${this.use(format.fn)}(${x})`, path, 'format', stringLiteral(`must match format "${s.format}"`));
    }
  }

  private numberKeywords(s: Schema, x: string, path: Seg[], f: Fn): void {
    const bound = (value: number | undefined, op: string, keyword: string, words: string) => {
      if (value !== undefined) this.fail(f, `${x} ${op} ${num(value)}`, path, keyword, stringLiteral(`must be ${words} ${num(value)}`));
    };
    bound(s.minimum, '<', 'minimum', '>=');
    bound(s.maximum, '>', 'maximum', '<=');
    bound(s.exclusiveMinimum, '<=', 'exclusiveMinimum', '>');
    bound(s.exclusiveMaximum, '>=', 'exclusiveMaximum', '<');
    if (s.multipleOf !== undefined && s.multipleOf > 0) {
      const m = s.multipleOf;
      // For an integer divisor the remainder is exact; a fractional one needs the tolerant check.
      // When x / m overflows to Infinity the tolerant check cannot answer; the remainder (exact in IEEE doubles) does.
      const test = Number.isInteger(m) ? `${x} % ${num(m)} !== 0` : `!${this.use('mul')}(${x}, ${num(m)}) && (Number.isFinite(${x} / ${num(m)}) || ${x} % ${num(m)} !== 0)`;
      this.fail(f, test, path, 'multipleOf', stringLiteral(`must be multiple of ${num(m)}`));
    }
    const format = s.format !== undefined ? formatDef(s.format, this.formatMode) : undefined;
    if (format && format.applies === 'number') {
      this.formats.add(s.format!);
      this.fail(f, `!${this.use(format.fn)}(${x})`, path, 'format', stringLiteral(`must match format "${s.format}"`));
    }
  }

  private hasObjectKeywords(s: Schema): boolean {
    const a = this.analysis;
    return !!(
      s.required?.length ||
      s.properties?.some((p) => a.hasCode(p.schema)) ||
      (s.additionalProperties && a.hasCode(s.additionalProperties)) ||
      s.patternProperties?.some((p) => a.hasCode(p.schema)) ||
      (s.propertyNames && a.hasCode(s.propertyNames)) ||
      s.minProperties !== undefined ||
      s.maxProperties !== undefined ||
      (s.dependentRequired && Object.values(s.dependentRequired).some((l) => l.length)) ||
      (s.dependentSchemas && Object.values(s.dependentSchemas).some((d) => a.hasCode(d)))
    );
  }

  private objectKeywords(s: Schema, x: string, path: Seg[], f: Fn): void {
    const a = this.analysis;
    const required = new Set((s.required ?? []).filter((name) => !a.optionalIn(s, name, f.direction)));
    const declared = new Set<string>();
    for (const p of s.properties ?? []) {
      if (declared.has(p.name)) continue;
      declared.add(p.name);
      this.property(p.name, p.schema, required.has(p.name), x, path, f);
    }
    for (const name of required) if (!declared.has(name)) this.property(name, {}, true, x, path, f);

    const extra = s.additionalProperties && a.hasCode(s.additionalProperties) ? s.additionalProperties : undefined;
    const patterns = (s.patternProperties ?? []).filter((p) => extra || a.hasCode(p.schema));
    const names = s.propertyNames && a.hasCode(s.propertyNames) ? s.propertyNames : undefined;
    let keys: string | undefined;
    if (extra || patterns.length || names) {
      keys = this.v(f, 'ks');
      const j = this.v(f, 'j');
      const k = this.v(f, 'k');
      this.line(`const ${keys} = Object.keys(${x});`);
      this.open(`for (let ${j} = 0; ${j} < ${keys}.length; ${j}++)`);
      this.line(`const ${k} = ${keys}[${j}];`);
      const at: Seg[] = [...path, { key: k }];
      if (names) this.node(names, k, at, f);
      const matched = extra && patterns.length ? this.v(f, 'm') : undefined;
      if (matched) this.line(`let ${matched} = false;`);
      for (const p of patterns) {
        const code = a.hasCode(p.schema);
        if (!code && !matched) continue;
        this.open(`if (${this.regex(p.pattern)}.test(${k}))`);
        if (matched) this.line(`${matched} = true;`);
        if (code) {
          const y = this.v(f, 'x');
          this.line(`const ${y} = ${x}[${k}];`);
          this.node(p.schema, y, at, f);
        }
        this.close();
      }
      if (extra) {
        const tests: string[] = [];
        if (matched) tests.push(`!${matched}`);
        if (declared.size) tests.push(`!(${this.nameTest([...declared], k)})`);
        if (isFalseSchema(extra)) {
          const message = stringLiteral('must NOT have additional properties');
          if (tests.length) this.fail(f, tests.join(' && '), at, 'additionalProperties', message);
          else this.failed(f, at, 'additionalProperties', message);
        } else {
          if (tests.length) this.open(`if (${tests.join(' && ')})`);
          const y = this.v(f, 'x');
          this.line(`const ${y} = ${x}[${k}];`);
          this.node(extra, y, at, f);
          if (tests.length) this.close();
        }
      }
      this.close();
    }
    if (s.minProperties !== undefined || s.maxProperties !== undefined) {
      const count = keys ? `${keys}.length` : `Object.keys(${x}).length`;
      if (s.minProperties !== undefined && s.minProperties > 0) {
        this.fail(f, `${count} < ${s.minProperties}`, path, 'minProperties', stringLiteral(`must NOT have fewer than ${s.minProperties} properties`));
      }
      if (s.maxProperties !== undefined) {
        this.fail(f, `${count} > ${s.maxProperties}`, path, 'maxProperties', stringLiteral(`must NOT have more than ${s.maxProperties} properties`));
      }
    }
    for (const [name, list] of Object.entries(s.dependentRequired ?? {})) {
      if (!list.length) continue;
      this.open(`if (${this.use('H')}(${x}, ${stringLiteral(name)}))`);
      for (const other of list) {
        this.fail(f, `!H(${x}, ${stringLiteral(other)})`, [...path, { lit: pointerSegment(other) }], 'dependentRequired', stringLiteral(`must have property '${other}' when property '${name}' is present`));
      }
      this.close();
    }
    for (const [name, dependent] of Object.entries(s.dependentSchemas ?? {})) {
      if (!a.hasCode(dependent)) continue;
      this.open(`if (${this.use('H')}(${x}, ${stringLiteral(name)}))`);
      this.node(dependent, x, path, f);
      this.close();
    }
  }

  /** `k` is one of these names: a chain of comparisons, or a Set for many. */
  private nameTest(names: string[], k: string): string {
    if (names.length <= INLINE_NAMES_MAX) return names.map((n) => `${k} === ${stringLiteral(n)}`).join(' || ');
    return `${this.constant('ps_', `new Set<string>(${jsonLiteral(names)})`)}.has(${k})`;
  }

  /** One declared or required property: presence (own, never inherited) and its schema. */
  private property(name: string, schema: Schema, required: boolean, x: string, path: Seg[], f: Fn): void {
    const code = this.analysis.hasCode(schema);
    if (!required && !code) return;
    const at: Seg[] = [...path, { lit: pointerSegment(name) }];
    const key = stringLiteral(name);
    const y = this.v(f, 'x');
    const missingMessage = () => `if (${this.use('R')}(e, n, ${this.pathCode(path)}, ${key})) return false;`;
    // What R records, for a guard twin to note.
    const missingInGuard = (cond: string) => this.fail(f, cond, at, 'required', stringLiteral(`must have required property '${name}'`));
    if (PROTO_NAMES.has(name)) {
      // Object.prototype has this name: only an own property counts.
      const has = `${this.use('H')}(${x}, ${key})`;
      if (required) {
        if (f.guard) {
          missingInGuard(`!${has}`);
          if (code) {
            this.line(`const ${y} = ${x}[${key}];`);
            this.node(schema, y, at, f);
          }
        } else {
          this.open(`if (!${has})`);
          this.line(missingMessage());
          if (code) {
            this.orElse();
            this.line(`const ${y} = ${x}[${key}];`);
            this.node(schema, y, at, f);
          }
          this.close();
        }
      } else {
        this.open(`if (${has})`);
        this.line(`const ${y} = ${x}[${key}];`);
        this.node(schema, y, at, f);
        this.close();
      }
      return;
    }
    const access = `${x}${propertyAccess(name)}`;
    const inherited = `OP${propertyAccess(name)}`;
    this.localOP = true;
    this.line(`const ${y} = ${access};`);
    const simple = !required && f.guard ? this.typeOnly(schema) : undefined;
    if (required) {
      const missing = `${y} === undefined || (${y} === ${inherited} && !${this.use('H')}(${x}, ${key}))`;
      const checked = this.inlined(schema);
      const types = checkedTypes(checked);
      if (f.guard && f.own.length === 0 && types?.length) {
        // The type test first: a present value of the right type passes with that one test, and
        // only a failing one asks whether the property is missing (or inherited from a polluted
        // Object.prototype, where TurboFan folds `OP.name !== undefined` to false).
        const bad = `${paren(typeMismatch(types, y))}${checked.nullable ? ` && ${y} !== null` : ''}`;
        this.open(`if (${paren(bad)} || ${inherited} !== undefined)`);
        missingInGuard(missing);
        this.fail(f, bad, at, 'type', stringLiteral(`must be ${types.join(',')}`));
        this.close();
        if (this.hasRest(checked)) {
          if (checked.nullable) this.open(`if (${y} !== null)`);
          this.rest(checked, y, at, f, knownGroup(types), types);
          if (checked.nullable) this.close();
        }
      } else if (f.guard) {
        missingInGuard(missing);
        this.node(schema, y, at, f);
      } else if (!code) {
        this.line(`if ((${missing}) && ${this.use('R')}(e, n, ${this.pathCode(path)}, ${key})) return false;`);
      } else {
        this.open(`if (${missing})`);
        this.line(missingMessage());
        this.orElse();
        this.node(schema, y, at, f);
        this.close();
      }
    } else if (simple) {
      // Only a type to check: the type test comes first, so a present value of the right type (the
      // common case) costs one test instead of two or three (ItemApplicationScopesUpdateRequest's
      // nullable booleans: validateX 28 -> 25 ns).
      const { types, nullable } = simple;
      const own = f.record ? `${this.use('H')}(${x}, ${key})` : `(${y} !== ${inherited} || ${this.use('H')}(${x}, ${key}))`;
      f.own.push(own);
      this.fail(f, `${paren(typeMismatch(types, y))} && ${y} !== undefined${nullable ? ` && ${y} !== null` : ''}`, at, 'type', stringLiteral(`must be ${types.join(',')}`));
      f.own.pop();
    } else if (f.record) {
      // An inherited value (a polluted Object.prototype) is checked like an own one, and only a
      // failure asks whether it is own: the valid path pays nothing for it, and the twin stays small.
      this.open(`if (${y} !== undefined)`);
      f.own.push(`${this.use('H')}(${x}, ${key})`);
      this.node(schema, y, at, f);
      f.own.pop();
      this.close();
    } else {
      this.open(`if (${y} !== undefined && (${y} !== ${inherited} || ${this.use('H')}(${x}, ${key})))`);
      this.node(schema, y, at, f);
      this.close();
    }
  }

  private hasArrayKeywords(s: Schema): boolean {
    const a = this.analysis;
    return !!(
      (s.items && a.hasCode(s.items)) ||
      s.prefixItems?.some((p) => a.hasCode(p)) ||
      s.minItems !== undefined ||
      s.maxItems !== undefined ||
      s.uniqueItems ||
      (s.contains && ((s.minContains ?? 1) > 0 || s.maxContains !== undefined))
    );
  }

  private arrayKeywords(s: Schema, x: string, path: Seg[], f: Fn): void {
    const a = this.analysis;
    if (s.minItems !== undefined && s.minItems > 0) {
      this.fail(f, `${x}.length < ${s.minItems}`, path, 'minItems', stringLiteral(`must NOT have fewer than ${s.minItems} items`));
    }
    if (s.maxItems !== undefined) {
      this.fail(f, `${x}.length > ${s.maxItems}`, path, 'maxItems', stringLiteral(`must NOT have more than ${s.maxItems} items`));
    }
    const prefix = s.prefixItems ?? [];
    prefix.forEach((item, index) => {
      if (!a.hasCode(item)) return;
      this.open(`if (${x}.length > ${index})`);
      const y = this.v(f, 'x');
      this.line(`const ${y} = ${x}[${index}];`);
      this.node(item, y, [...path, { lit: String(index) }], f);
      this.close();
    });
    if (s.items && a.hasCode(s.items)) {
      if (isFalseSchema(s.items)) {
        this.fail(f, `${x}.length > ${prefix.length}`, [...path, { lit: String(prefix.length) }], 'items', stringLiteral(`must NOT have more than ${prefix.length} items`));
      } else {
        const i = this.v(f, 'i');
        this.open(`for (let ${i} = ${prefix.length}; ${i} < ${x}.length; ${i}++)`);
        const y = this.v(f, 'x');
        this.line(`const ${y} = ${x}[${i}];`);
        this.node(s.items, y, [...path, { idx: i }], f);
        this.close();
      }
    }
    if (s.uniqueItems) {
      this.fail(f, `${this.use('dup')}(${x}) !== -1`, path, 'uniqueItems', stringLiteral('must NOT have duplicate items'));
    }
    if (s.contains) {
      const min = s.minContains ?? 1;
      const max = s.maxContains;
      if (min > 0 || max !== undefined) {
        const c = this.v(f, 'c');
        const i = this.v(f, 'i');
        this.line(`let ${c} = 0;`);
        this.line(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) if (${this.guardExpr(s.contains, `${x}[${i}]`, f.direction)}) ${c}++;`);
        if (min > 0) this.fail(f, `${c} < ${min}`, path, 'contains', stringLiteral(`must contain at least ${min} valid item(s)`));
        if (max !== undefined) this.fail(f, `${c} > ${max}`, path, 'maxContains', stringLiteral(`must contain at most ${max} valid item(s)`));
      }
    }
  }

  /** anyOf / oneOf; with a discriminator over named schemas, straight to the one the tag names. */
  private choice(s: Schema, branches: Schema[], exactlyOne: boolean, withDiscriminator: boolean, x: string, path: Seg[], f: Fn): void {
    const d = withDiscriminator ? s.discriminator : undefined;
    const dispatch = d && Object.keys(d.mapping).length > 0 && branches.every((b) => isPureRef(b)) && Object.values(d.mapping).every((k) => this.analysis.target(k));
    if (dispatch) {
      this.open(`if (typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x}))`);
      const t = this.v(f, 't');
      const prop = stringLiteral(d.propertyName);
      this.line(`const ${t} = ${this.use('H')}(${x}, ${prop}) ? ${x}[${prop}] : undefined;`);
      this.open(`switch (${t})`);
      const byTarget = new Map<string, string[]>();
      for (const [tag, key] of Object.entries(d.mapping)) (byTarget.get(key) ?? byTarget.set(key, []).get(key)!).push(tag);
      for (const [key, tags] of byTarget) {
        for (const tag of tags) this.line(`case ${stringLiteral(tag)}:`);
        this.level++;
        this.call(f, this.fnOf(key, f.direction), x, path);
        this.line('break;');
        this.level--;
      }
      this.line('default:');
      this.level++;
      const allowed = Object.keys(d.mapping).join(', ');
      this.failed(f, [...path, { lit: pointerSegment(d.propertyName) }], 'discriminator', stringLiteral(`property "${d.propertyName}" must be one of: ${allowed}`));
      this.level--;
      this.close();
      this.orElse();
    }
    const tests = branches.map((b) => this.guardExpr(b, x, f.direction));
    if (exactlyOne) {
      const count = tests.map((t) => `(${t} ? 1 : 0)`).join(' + ');
      this.fail(f, `${count} !== 1`, path, 'oneOf', stringLiteral('must match exactly one schema in oneOf'));
    } else if (!tests.includes('true')) {
      this.fail(f, `!(${tests.join(' || ')})`, path, 'anyOf', stringLiteral('must match a schema in anyOf'));
    }
    if (dispatch) this.close();
  }

  private conditional(s: Schema, x: string, path: Seg[], f: Fn): void {
    const a = this.analysis;
    const then = s.then && a.hasCode(s.then) ? s.then : undefined;
    const otherwise = s.else && a.hasCode(s.else) ? s.else : undefined;
    if (!then && !otherwise) return;
    const test = this.guardExpr(s.if!, x, f.direction);
    if (then) {
      this.open(`if (${test})`);
      this.node(then, x, path, f);
      if (otherwise) {
        this.orElse();
        this.node(otherwise, x, path, f);
      }
      this.close();
    } else {
      this.open(`if (!(${test}))`);
      this.node(otherwise!, x, path, f);
      this.close();
    }
  }
}

// ---- small pure helpers ------------------------------------------------------------------------

/** Keys of a node that assert something (annotations and unset keys aside). */
function asserting(s: Schema): string[] {
  const out: string[] = [];
  for (const key in s) if ((s as Record<string, unknown>)[key] !== undefined && !ANNOTATIONS.has(key)) out.push(key);
  return out;
}

/** `{ $ref }` with nothing else that asserts (annotations aside). */
export function isPureRef(s: Schema): boolean {
  if (s.ref === undefined || s.nullable) return false;
  return asserting(s).every((k) => k === 'ref');
}

function isOnlyType(s: Schema): boolean {
  if (!s.type || s.nullable) return false;
  return asserting(s).every((k) => k === 'type');
}

/** `{ not: {} }`: the boolean schema `false`. */
function isFalseSchema(s: Schema): boolean {
  return s.not !== undefined && !s.nullable && isAnnotationOnly(s.not) && asserting(s).every((k) => k === 'not');
}


function groupOf(t: JsonType): Group | undefined {
  if (t === 'integer' || t === 'number') return 'number';
  if (t === 'string' || t === 'object' || t === 'array') return t;
  return undefined;
}

/** The one keyword group values can belong to after the type check, if the types allow just one. */
/** The types a node's type test checks: a nullable (3.0) node has let null through before it. */
function checkedTypes(s: Schema): JsonType[] | undefined {
  return s.type && (s.nullable ? s.type.filter((t) => t !== 'null') : s.type);
}

function knownGroup(types: JsonType[]): Group | undefined {
  const groups = new Set(types.map(groupOf));
  if (groups.size !== 1) return undefined;
  return [...groups][0];
}

function typeCondition(types: JsonType[], x: string): string {
  const parts: string[] = [];
  const has = (t: JsonType) => types.includes(t);
  if (has('string')) parts.push(`typeof ${x} === 'string'`);
  if (has('number')) parts.push(`Number.isFinite(${x})`);
  else if (has('integer')) parts.push(`Number.isInteger(${x})`);
  if (has('boolean')) parts.push(`typeof ${x} === 'boolean'`);
  if (has('null')) parts.push(`${x} === null`);
  if (has('object')) parts.push(`(typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x}))`);
  if (has('array')) parts.push(`Array.isArray(${x})`);
  return parts.length === 1 ? parts[0].replace(/^\((.*)\)$/, '$1') : parts.join(' || ');
}

/** The condition that a value is none of the types. */
function typeMismatch(types: JsonType[], x: string): string {
  if (types.length === 1 || (types.length === 2 && types.includes('number') && types.includes('integer'))) {
    const t = types.includes('number') ? 'number' : types[0];
    if (t === 'string' || t === 'boolean') return `typeof ${x} !== '${t}'`;
    if (t === 'number') return `!Number.isFinite(${x})`;
    if (t === 'integer') return `!Number.isInteger(${x})`;
    if (t === 'null') return `${x} !== null`;
    if (t === 'array') return `!Array.isArray(${x})`;
    return `typeof ${x} !== 'object' || ${x} === null || Array.isArray(${x})`;
  }
  return `!(${typeCondition(types, x)})`;
}

function groupCondition(group: Group, x: string): string {
  if (group === 'string') return `typeof ${x} === 'string'`;
  if (group === 'number') return `typeof ${x} === 'number'`;
  if (group === 'array') return `Array.isArray(${x})`;
  return `typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x})`;
}

function hasStringKeywords(s: Schema, mode: FormatMode): boolean {
  const format = s.format !== undefined ? formatDef(s.format, mode) : undefined;
  return (s.minLength !== undefined && s.minLength > 0) || s.maxLength !== undefined || s.pattern !== undefined || format?.applies === 'string';
}

function hasNumberKeywords(s: Schema, mode: FormatMode): boolean {
  const format = s.format !== undefined ? formatDef(s.format, mode) : undefined;
  return s.minimum !== undefined || s.maximum !== undefined || s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined || (s.multipleOf !== undefined && s.multipleOf > 0) || format?.applies === 'number';
}

/** Wraps an expression in parentheses unless it is one simple operand or comparison. */
function paren(code: string): string {
  return /\|\||&&|\?/.test(code) ? `(${code})` : code;
}

function num(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

export function pointerSegment(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `u` when the pattern is valid with it (Unicode-aware classes and code point matching). */
function validFlags(pattern: string): string {
  try {
    new RegExp(pattern, 'u');
    return 'u';
  } catch {
    return '';
  }
}
