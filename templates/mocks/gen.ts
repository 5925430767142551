/**
 * Seeded data synthesis for mocks: a small PRNG and one helper per schema kind. The generated
 * `mocks/data.ts` walks the API's schemas once and calls these helpers; the same seed always gives
 * the same values, whatever the order of requests.
 */

/** Synthesizes one value; `d` is the nesting depth, which bounds recursion. */
export type Synth = (g: MockGen, d: number) => unknown;
/** An object property: name, flags (1 required, 2 readOnly, 4 writeOnly), value. */
export type Prop = readonly [name: string, flags: number, synth: Synth];

export interface StrSpec {
  /** format */
  f?: string;
  /** minLength / maxLength */
  min?: number;
  max?: number;
  /** pattern */
  p?: string;
}

export interface NumSpec {
  /** integer */
  i?: 1;
  min?: number;
  max?: number;
  xmin?: number;
  xmax?: number;
  mul?: number;
  /** format (float, double, int32, int64) */
  f?: string;
}

/** Full realism; no schema examples (after an example failed validation); only what is required. */
export type GenMode = 0 | 1 | 2;

/** 32-bit FNV-1a: turns a seed and a few names into a PRNG seed. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast, good enough for test data. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[this.int(0, 15)];
    return s;
  }
  alnum(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALNUM[this.int(0, ALNUM.length - 1)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(0, 3)]}${this.hex(3)}-${this.hex(12)}`;
  }
}

const HEX = '0123456789abcdef';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORDS = ['alpha', 'bravo', 'cedar', 'delta', 'ember', 'falcon', 'granite', 'harbor', 'indigo', 'juniper', 'kestrel', 'lumen', 'maple', 'nova', 'orbit', 'pine', 'quartz', 'river', 'summit', 'tundra'];
const FIRST = ['Alberta', 'Jane', 'Marcus', 'Priya', 'Wei', 'Sofia', 'Kwame', 'Lena'];
const LAST = ['Charleswood', 'Doe', 'Okafor', 'Nakamura', 'Garcia', 'Schmidt', 'Patel', 'Rossi'];
const MERCHANTS = ['Starbucks', 'Uber', 'Whole Foods', 'United Airlines', 'Spotify', 'Shell', 'Target', "McDonald's"];
const ACCOUNT_NAMES = ['Everyday Checking', 'Rainy Day Savings', 'Rewards Credit Card', 'Money Market', 'Retirement IRA'];
const INSTITUTIONS = ['First Platypus Bank', 'Tartan Bank', 'Houndstooth Bank', 'Tattersall Federal Credit Union'];
const CITIES: readonly (readonly [string, string, string])[] = [
  ['San Francisco', 'CA', '94105'],
  ['New York', 'NY', '10003'],
  ['Austin', 'TX', '73301'],
  ['Seattle', 'WA', '98101'],
];
const STREETS = ['2992 Cameron Road', '1098 Harrison St', '415 Mission St', '77 Massachusetts Ave'];

/** Text for a string property, guessed from its name, when the schema says nothing more. */
function stringFor(r: Rng, key: string): string {
  const k = key.toLowerCase();
  if (k === 'request_id') return r.alnum(15);
  if (/(^|_)(access|public|link|refresh|user|processor)_token$/.test(k)) return `${k.slice(0, k.indexOf('_token')).split('_').pop()}-sandbox-${r.uuid()}`;
  if (/token$/.test(k)) return r.alnum(32);
  if (/(^|_)ids?$/.test(k) || /_ids$/.test(k)) return r.alnum(24);
  if (/currency/.test(k)) return 'USD';
  if (/country/.test(k)) return 'US';
  if (/email/.test(k)) return `${r.pick(FIRST).toLowerCase()}.${r.pick(LAST).toLowerCase()}@example.com`;
  if (/phone/.test(k)) return `+1415555${String(r.int(0, 9999)).padStart(4, '0')}`;
  if (/(url|uri|website|link)$/.test(k)) return `https://example.com/${r.pick(WORDS)}`;
  if (/mask$/.test(k)) return String(r.int(0, 9999)).padStart(4, '0');
  if (/merchant/.test(k)) return r.pick(MERCHANTS);
  if (/institution.*name|bank_name/.test(k)) return r.pick(INSTITUTIONS);
  if (/(^|_)(official_)?name$/.test(k) && /account|official|^name$/.test(k)) return r.pick(ACCOUNT_NAMES);
  if (/first_name|given/.test(k)) return r.pick(FIRST);
  if (/last_name|family|surname/.test(k)) return r.pick(LAST);
  if (/name$/.test(k)) return `${r.pick(FIRST)} ${r.pick(LAST)}`;
  if (/city/.test(k)) return r.pick(CITIES)[0];
  if (/region|state$/.test(k)) return r.pick(CITIES)[1];
  if (/postal|zip/.test(k)) return r.pick(CITIES)[2];
  if (/street|address/.test(k)) return r.pick(STREETS);
  if (/(^|_)date$/.test(k)) return isoDate(r);
  if (/description|message|reason|note|comment|memo/.test(k)) return `${cap(r.pick(WORDS))} ${r.pick(WORDS)} ${r.pick(WORDS)}.`;
  return `${r.pick(WORDS)}-${r.alnum(4).toLowerCase()}`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDate = (r: Rng) => `${r.int(2021, 2025)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
const isoTime = (r: Rng) => `${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}`;

function stringForFormat(r: Rng, format: string, key: string): string | undefined {
  switch (format) {
    case 'date-time':
      return `${isoDate(r)}T${isoTime(r)}Z`;
    case 'date':
      return isoDate(r);
    case 'time':
      return `${isoTime(r)}Z`;
    case 'email':
    case 'idn-email':
      return stringFor(r, 'email');
    case 'uuid':
      return r.uuid();
    case 'uri':
    case 'url':
    case 'iri':
      return `https://example.com/${r.pick(WORDS)}/${r.alnum(6).toLowerCase()}`;
    case 'uri-reference':
    case 'iri-reference':
      return `/${r.pick(WORDS)}/${r.alnum(6).toLowerCase()}`;
    case 'hostname':
    case 'idn-hostname':
      return `${r.pick(WORDS)}.example.com`;
    case 'ipv4':
      return `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`;
    case 'ipv6':
      return `2001:db8::${r.hex(4)}:${r.hex(4)}`;
    case 'byte':
      return base64(`${r.pick(WORDS)}-${r.alnum(6)}`);
    case 'binary':
      return `${r.pick(WORDS)} ${r.alnum(8)}`;
    case 'password':
      return r.alnum(16);
    case 'duration':
      return `P${r.int(1, 30)}D`;
    default:
      return key ? undefined : undefined;
  }
}

function base64(text: string): string {
  const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i) & 0xff;
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) & 0xff : -1;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) & 0xff : -1;
    out += table[a >> 2] + table[((a & 3) << 4) | (b < 0 ? 0 : b >> 4)];
    out += b < 0 ? '=' : table[((b & 15) << 2) | (c < 0 ? 0 : c >> 6)];
    out += c < 0 ? '=' : table[c & 63];
  }
  return out;
}

/** Fits a string into min/max length, counted in code points like the validators count. */
function fitLength(r: Rng, s: string, min = 0, max = Infinity): string {
  let chars = Array.from(s);
  if (chars.length > max) chars = chars.slice(0, max);
  while (chars.length < min) chars.push(ALNUM[r.int(0, ALNUM.length - 1)]);
  return chars.join('');
}

/** Lengths past this are rare in real data; keeps generated bodies small. */
const MAX_DEPTH = 6;

/**
 * One synthesis run. The generated walk calls one method per schema kind; `mode` lowers realism
 * step by step when a result fails validation (no schema examples, then only required fields).
 */
export class MockGen {
  readonly r: Rng;
  /** The property (or array property) being synthesized: names guide realistic strings. */
  key = '';
  /** Properties an enclosing allOf requires of the next object. */
  private force: readonly string[] | undefined;
  /** The depth of an allOf being merged: its (nullable) branches must not be null themselves. */
  private solidDepth = -1;

  readonly dir: 'request' | 'response';
  readonly mode: GenMode;

  // Plain fields, no parameter properties: the file must stay erasable TypeScript (see strip-types).
  constructor(seed: number, dir: 'request' | 'response', mode: GenMode = 0) {
    this.r = new Rng(seed);
    this.dir = dir;
    this.mode = mode;
  }

  private deep(d: number): boolean {
    return d > MAX_DEPTH;
  }

  /** An object: every required property, and a share of the optional ones that shrinks with depth. */
  o(d: number, props: readonly Prop[], extra?: Synth, minProps = 0): Record<string, unknown> {
    const force = this.force;
    this.force = undefined;
    const out: Record<string, unknown> = {};
    const skip = this.dir === 'request' ? 2 : 4;
    const parentKey = this.key;
    let count = 0;
    for (const [name, flags, synth] of props) {
      if (flags & skip) continue;
      const required = (flags & 1) !== 0 || (force !== undefined && force.includes(name));
      if (!required && !this.optional(d)) continue;
      this.key = name;
      define(out, name, synth(this, d + 1));
      count++;
    }
    if (extra && (count < minProps || (count === 0 && !this.deep(d) && this.mode !== 2))) {
      const n = Math.max(minProps - count, 1);
      for (let i = 0; i < n; i++) {
        const name = `${this.r.pick(WORDS)}_${i + 1}`;
        this.key = name;
        define(out, name, extra(this, d + 1));
      }
    }
    this.key = parentKey;
    return out;
  }

  private optional(d: number): boolean {
    if (this.mode === 2 || this.deep(d)) return false;
    return this.r.chance(d <= 1 ? 0.75 : 0.45);
  }

  /** A map (additionalProperties only): a key or two. */
  m(d: number, value: Synth, min = 0): Record<string, unknown> {
    return this.o(d, [], value, Math.max(min, this.deep(d) || this.mode === 2 ? 0 : 1));
  }

  /** An array of one to three items (within minItems/maxItems); distinct when uniqueItems. */
  a(d: number, item: Synth, min = 0, max = Infinity, unique = false): unknown[] {
    const hi = Math.min(max, Math.max(min, this.deep(d) || this.mode === 2 ? min : min + 2));
    const lo = Math.min(hi, Math.max(min, this.deep(d) ? min : 1));
    const n = this.r.int(lo, hi);
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let tries = 0; out.length < n && tries < n * 5 + 5; tries++) {
      const v = item(this, d + 1);
      if (unique) {
        const k = JSON.stringify(v);
        if (seen.has(k)) continue;
        seen.add(k);
      }
      out.push(v);
    }
    return out;
  }

  /** A tuple: prefix items, then `rest` items up to minItems. */
  t(d: number, prefix: readonly Synth[], rest?: Synth, min = 0): unknown[] {
    const out = prefix.map((s) => s(this, d + 1));
    while (rest && out.length < min) out.push(rest(this, d + 1));
    return out;
  }

  s(spec?: StrSpec): string {
    const r = this.r;
    let value: string | undefined;
    if (spec?.p !== undefined) value = fromPattern(r, spec.p, spec.min, spec.max);
    if (value === undefined && spec?.f) value = stringForFormat(r, spec.f, this.key);
    if (value === undefined) value = stringFor(r, this.key);
    if (spec && (spec.min !== undefined || spec.max !== undefined)) value = fitLength(r, value, spec.min, spec.max);
    return value;
  }

  n(spec: NumSpec = {}): number {
    const r = this.r;
    const k = this.key.toLowerCase();
    let lo = spec.min ?? (spec.xmin !== undefined ? spec.xmin : undefined);
    let hi = spec.max ?? (spec.xmax !== undefined ? spec.xmax : undefined);
    // Realistic defaults where the schema gives no range.
    if (lo === undefined && hi === undefined) {
      if (/year/.test(k)) [lo, hi] = [2018, 2025];
      else if (/lat/.test(k)) [lo, hi] = [-80, 80];
      else if (/lon/.test(k)) [lo, hi] = [-170, 170];
      else if (/percent|rate|ratio|score|confidence/.test(k)) [lo, hi] = [0, 1];
      else if (spec.i) [lo, hi] = [1, /count|total|num|days|limit/.test(k) ? 20 : 500];
      else [lo, hi] = [1, 5000];
    }
    if (lo === undefined) lo = Math.min(0, hi! - 100);
    if (hi === undefined) hi = lo + (spec.i ? 100 : 1000);
    const mul = spec.mul;
    for (let tries = 0; tries < 20; tries++) {
      let v: number;
      if (mul) {
        // A realistic value in range, rounded to the multiple (0.01 for money).
        const first = Math.ceil(lo / mul);
        const last = Math.floor(hi / mul);
        const span = Math.max(0, Math.min(last - first, Math.round(Math.min(hi - lo, spec.i ? 500 : 5000) / mul)));
        v = (last >= first ? first + r.int(0, span) : first) * mul;
        if (!Number.isInteger(mul)) v = Number(v.toPrecision(12));
        // Strict validators divide in floating point (1138.61 / 0.01 is not an integer there): pick values that divide exactly.
        if (!Number.isInteger(v / mul) && tries < 19) continue;
      } else if (spec.i) {
        v = r.int(Math.ceil(lo), Math.floor(hi));
      } else {
        v = Math.round((lo + r.next() * (hi - lo)) * 100) / 100;
      }
      if (spec.xmin !== undefined && v <= spec.xmin) continue;
      if (spec.xmax !== undefined && v >= spec.xmax) continue;
      if (v < lo || v > hi) continue;
      return v;
    }
    return spec.i ? Math.ceil(lo) : lo;
  }

  b(): boolean {
    return this.r.chance(0.5);
  }

  /** One of an enum's values (a JSON-parsed list arrives typed unknown, hence the parameter type). */
  e(list: unknown): unknown {
    const values = list as readonly unknown[];
    const plain = values.filter((v) => v !== null);
    return this.r.pick(plain.length ? plain : values);
  }

  /** The schema's own example (realistic), unless examples are off for this run. */
  x(example: unknown, synth: Synth, d: number): unknown {
    if (this.mode === 0 && this.r.chance(0.8)) return example;
    return synth(this, d);
  }

  /** Whether a nullable value is null: never at the top, always past the depth limit, now and then in between. */
  z(d: number): boolean {
    if (d === 0 || d === this.solidDepth) return false;
    if (this.deep(d)) return true;
    return this.mode === 0 && this.r.chance(0.15);
  }

  /** allOf: every branch synthesized and merged; `required` names the branches must all include. */
  all(d: number, branches: readonly Synth[], required?: readonly string[]): unknown {
    const inherited = this.force;
    const force = inherited && required ? [...inherited, ...required] : (required ?? inherited);
    this.force = undefined;
    const solid = this.solidDepth;
    let out: unknown = undefined;
    for (const branch of branches) {
      this.force = force;
      this.solidDepth = d;
      out = merge(out, branch(this, d));
    }
    this.force = undefined;
    this.solidDepth = solid;
    // A required name no branch defines still has to be there.
    if (required && out && typeof out === 'object' && !Array.isArray(out)) {
      for (const name of required) if (!Object.prototype.hasOwnProperty.call(out, name)) define(out as Record<string, unknown>, name, this.s());
    }
    return out;
  }

  /** oneOf/anyOf: one branch; with a discriminator, its tag is set on the result. */
  one(d: number, branches: readonly (readonly [Synth, string?])[], tagProperty?: string): unknown {
    const [synth, tag] = this.r.pick(branches);
    const value = synth(this, d);
    if (tagProperty !== undefined && tag !== undefined && value && typeof value === 'object' && !Array.isArray(value)) define(value as Record<string, unknown>, tagProperty, tag);
    return value;
  }

  /** A JSON value written as JSON text (objects may hold keys like `__proto__`). */
  j(json: string): unknown {
    return JSON.parse(json);
  }

  /** A schema that admits anything. */
  any(): unknown {
    return this.s();
  }
}

/** Sets an own property, even one named `__proto__`. */
export function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function merge(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out = a as Record<string, unknown>;
    for (const key of Object.keys(b)) {
      const left = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
      define(out, key, merge(left, (b as Record<string, unknown>)[key]));
    }
    return out;
  }
  if (a === null) return b;
  // A branch's stand-in for a property another branch defines loses to the real shape.
  const aObject = typeof a === 'object' && !Array.isArray(a);
  const bObject = b !== null && typeof b === 'object' && !Array.isArray(b);
  return !aObject && bObject ? b : a;
}

// ---------------------------------------------------------------------------------------------
// Strings from regular expressions: enough of the syntax for the patterns APIs use (classes,
// groups, alternation, quantifiers, escapes). Anything else (lookaround, backreferences) gives up
// and the caller falls back to plain text.

type Re =
  | { k: 'chars'; set: string }
  | { k: 'seq'; items: Re[] }
  | { k: 'alt'; options: Re[] }
  /** `open`: no upper bound in the pattern (`*`, `+`, `{n,}`). */
  | { k: 'rep'; item: Re; min: number; max: number; open: boolean };

const DIGITS = '0123456789';
const WORD = ALNUM + '_';
const SPACE = ' ';
const PRINTABLE = ALNUM + ' -_.';

class Unsupported extends Error {}

function parseRe(src: string): Re {
  let i = 0;
  const peek = () => src[i];
  const parseAlt = (): Re => {
    const options = [parseSeq()];
    while (peek() === '|') {
      i++;
      options.push(parseSeq());
    }
    return options.length === 1 ? options[0] : { k: 'alt', options };
  };
  const parseSeq = (): Re => {
    const items: Re[] = [];
    while (i < src.length && peek() !== '|' && peek() !== ')') {
      let atom = parseAtom();
      if (atom === undefined) continue;
      atom = parseQuant(atom);
      items.push(atom);
    }
    return { k: 'seq', items };
  };
  const parseQuant = (atom: Re): Re => {
    const c = peek();
    let min = -1;
    let max = -1;
    let open = false;
    if (c === '*') [min, max, open] = [0, 3, true];
    else if (c === '+') [min, max, open] = [1, 3, true];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return atom;
      min = Number(m[1]);
      open = m[2] !== undefined && !m[3];
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : min + 3;
      i += m[0].length - 1;
    } else return atom;
    i++;
    if (peek() === '?' || peek() === '+') i++;
    return { k: 'rep', item: atom, min, max, open };
  };
  const parseAtom = (): Re | undefined => {
    const c = src[i++];
    if (c === '^' || c === '$') return undefined;
    if (c === '(') {
      if (src.startsWith('?:', i)) i += 2;
      else if (src[i] === '?') {
        if (src.startsWith('?<', i) && !/^\?<[=!]/.test(src.slice(i))) i = src.indexOf('>', i) + 1;
        else throw new Unsupported();
      }
      const inner = parseAlt();
      if (src[i++] !== ')') throw new Unsupported();
      return inner;
    }
    if (c === '[') return parseClass();
    if (c === '.') return { k: 'chars', set: PRINTABLE };
    if (c === '\\') return escape(src[i++]);
    return { k: 'chars', set: c };
  };
  const escape = (c: string): Re => {
    switch (c) {
      case 'd':
        return { k: 'chars', set: DIGITS };
      case 'w':
        return { k: 'chars', set: WORD };
      case 's':
        return { k: 'chars', set: SPACE };
      case 'D':
        return { k: 'chars', set: 'abcXYZ_-' };
      case 'W':
        return { k: 'chars', set: '-. _'.replace('_', '') };
      case 'S':
        return { k: 'chars', set: ALNUM };
      case 'b':
      case 'B':
        return { k: 'seq', items: [] };
      default:
        if (/[1-9]/.test(c)) throw new Unsupported();
        if (c === 'u' || c === 'x') {
          const m = c === 'u' ? /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/.exec(src.slice(i)) : /^([0-9a-fA-F]{2})/.exec(src.slice(i));
          if (!m) throw new Unsupported();
          i += m[0].length;
          return { k: 'chars', set: String.fromCodePoint(parseInt(m[1] ?? m[2], 16)) };
        }
        return { k: 'chars', set: c === 'n' ? '\n' : c === 't' ? '\t' : c };
    }
  };
  const parseClass = (): Re => {
    let negate = false;
    if (src[i] === '^') {
      negate = true;
      i++;
    }
    let set = '';
    let first = true;
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      let c = src[i++];
      if (c === '\\') {
        const e = escape(src[i++]);
        if (e.k === 'chars') set += e.set;
        continue;
      }
      if (src[i] === '-' && src[i + 1] !== undefined && src[i + 1] !== ']') {
        let end = src[i + 1];
        i += 2;
        if (end === '\\') end = src[i++];
        const from = c.codePointAt(0)!;
        const to = end.codePointAt(0)!;
        for (let cp = from; cp <= to && cp - from < 200; cp++) set += String.fromCodePoint(cp);
        continue;
      }
      set += c;
      c = '';
    }
    i++;
    if (negate) set = Array.from(PRINTABLE).filter((ch) => !set.includes(ch)).join('');
    if (!set) throw new Unsupported();
    return { k: 'chars', set };
  };
  const tree = parseAlt();
  if (i < src.length) throw new Unsupported();
  return tree;
}

/** `stretch`: how far open repetitions may go past their minimum (raised to meet a minLength). */
function genRe(r: Rng, re: Re, stretch: number): string {
  switch (re.k) {
    case 'chars': {
      const chars = Array.from(re.set);
      return chars[r.int(0, chars.length - 1)];
    }
    case 'seq':
      return re.items.map((item) => genRe(r, item, stretch)).join('');
    case 'alt':
      return genRe(r, r.pick(re.options), stretch);
    case 'rep': {
      let s = '';
      const n = r.int(re.min, re.open ? Math.max(re.max, re.min + stretch) : re.max);
      for (let k = 0; k < n; k++) s += genRe(r, re.item, stretch);
      return s;
    }
  }
}

/** The characters of the pattern's last open repetition, when it ends with one. */
function tailSet(re: Re): string | undefined {
  if (re.k === 'seq') return re.items.length ? tailSet(re.items[re.items.length - 1]) : undefined;
  if (re.k === 'rep' && re.open && re.item.k === 'chars') return re.item.set;
  return undefined;
}

const patternCache = new Map<string, { re?: Re; test?: RegExp }>();

/** A string matching `pattern` (and the length bounds), or undefined when it cannot find one. */
export function fromPattern(r: Rng, pattern: string, min = 0, max = Infinity): string | undefined {
  let entry = patternCache.get(pattern);
  if (!entry) {
    entry = {};
    try {
      entry.test = new RegExp(pattern, 'u');
    } catch {
      try {
        entry.test = new RegExp(pattern);
      } catch {
        entry.test = undefined;
      }
    }
    try {
      entry.re = parseRe(pattern);
    } catch {
      entry.re = undefined;
    }
    patternCache.set(pattern, entry);
  }
  if (!entry.re || !entry.test) return undefined;
  const tail = tailSet(entry.re);
  for (let tries = 0; tries < 30; tries++) {
    let s = genRe(r, entry.re, tries < 10 ? 2 : Math.min(Number.isFinite(max) ? max : min + 8, min + 8, 64));
    // Too short for minLength: grow the last open repetition (`^[0-9]+$` with minLength 9).
    if (tail && Array.from(s).length < min && tries % 2 === 1) {
      const chars = Array.from(tail);
      while (Array.from(s).length < min) s += chars[r.int(0, chars.length - 1)];
    }
    const length = Array.from(s).length;
    // Patterns are unanchored in JSON Schema; a non-empty match is more useful than ''.
    if (length >= min && length <= max && entry.test.test(s) && (s !== '' || tries > 10)) return s;
  }
  return undefined;
}
