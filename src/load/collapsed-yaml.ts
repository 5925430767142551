import yaml from 'js-yaml';
import type { Diagnostic } from '../model/types.js';
import { joinPointer } from './errors.js';
import type { InputFormat, RawInput } from './inputs.js';
import { openApiGrammar, type AnyShape, type DictShape, type Grammar, type ListShape, type MapShape, type ScalarType, type Shape } from './text/openapi-grammar.js';
import { scanFlow, scanQuoted, setKey, tokenize, unquote, type Token } from './text/yaml-tokens.js';

/**
 * OpenAPI YAML whose line breaks were lost (copied out of a web page): one long line of words. The
 * indentation that said what belongs to what is gone, so the OpenAPI grammar says it instead: a key
 * goes to the innermost open object that has such a field (and does not have it yet, and whose
 * value fits); free-form values (examples, extensions) end at the first key an enclosing OpenAPI
 * object claims; example values are guided by the schema of their media type. Words that fit
 * nowhere are reported with their position, never dropped silently.
 */
export const collapsedYamlFormat: InputFormat = {
  name: 'collapsed-yaml',
  detect(_file, text) {
    const first = text.trimStart().split('\n', 1)[0];
    // The version and then another key on the same line; a normal document may merely have a comment there.
    const collapsed = first.length > 1000 || text.trim().split('\n').length <= 3;
    if (collapsed && /^["']?openapi["']?:\s*["']?3\.\d+(\.\d+)?["']?\s+[^\s#]+:(\s|$)/.test(first)) return true;
    // A fragment without the `openapi` line: a long line that starts with a top-level key and holds many keys.
    return first.length > 200 && /^(paths|components|info|servers):\s/.test(first) && (first.match(/\S: /g)?.length ?? 0) >= 5;
  },
  load(file, text) {
    const { document, warnings } = recoverCollapsedYaml(text, file);
    return [{ kind: 'openapi', file, document, fragment: true, format: 'collapsed-yaml', warnings } satisfies RawInput];
  },
};

type Raw = Record<string, unknown>;

export interface Recovered {
  document: Raw;
  warnings: Diagnostic[];
}

/** Recovers the document: a first pass finds the component schemas, the second uses them to place example values. */
export function recoverCollapsedYaml(text: string, file: string): Recovered {
  const flat = text.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const version = /^\s*["']?openapi["']?:\s*["']?3\.1/.test(flat) ? '3.1' : '3.0';
  const grammar = openApiGrammar(version);
  const tokens = tokenize(flat);
  const first = new Parser(flat, tokens, grammar, file, new Map()).run();
  const components = first.document.components as Raw | undefined;
  const schemas = components && typeof components.schemas === 'object' && components.schemas ? (components.schemas as Raw) : {};
  return new Parser(flat, tokens, grammar, file, new Map(Object.entries(schemas))).run();
}

interface Guide {
  props?: Map<string, unknown>;
  items?: unknown;
  /** The schema says the value is not an object or array. */
  scalar?: boolean;
}

type FrameKind = 'map' | 'dict' | 'list' | 'anymap' | 'anylist';

interface Frame {
  kind: FrameKind;
  shape?: Shape;
  value: Raw | unknown[];
  sealed: boolean;
  pointer: string;
  guide?: Guide;
  /** Any-lists: what their first item was, so an item of another kind ends the list. */
  itemKind?: 'map' | 'list' | 'scalar';
  /** Any-maps: the key whose value, just read, was a list (the next key's nesting is then a guess). */
  lastWasList?: string;
}

/** Keys whose empty value is a null scalar rather than the start of a nested object. */
const SCALAR_NAME = /(^|_)(id|uri|url|at|date|time|name|token|type|code|status|count|number|email|phone|key)$/i;
const BLOCK_INDICATOR = /^[>|][+-]?\d*$/;

class Parser {
  private pos = 0;
  private readonly frames: Frame[] = [];
  private readonly claims = new Map<number, Frame | null>();
  private readonly warnings: Diagnostic[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly grammar: Grammar,
    private readonly file: string,
    private readonly schemas: Map<string, unknown>,
  ) {}

  run(): Recovered {
    const document = this.parseMap(this.grammar.root, '') as Raw;
    if (!('openapi' in document) && !('paths' in document) && !('components' in document)) {
      this.warn('not-openapi', 'recovered no OpenAPI structure (no `openapi`, `paths` or `components` key)', '');
    }
    return { document, warnings: this.warnings };
  }

  private warn(code: string, message: string, pointer: string): void {
    this.warnings.push({ severity: 'warning', code, message, file: this.file, pointer, line: 1 });
  }

  private get top(): Frame {
    return this.frames[this.frames.length - 1];
  }

  // ---- who owns a key -------------------------------------------------------------------------

  /** The open frame the key at token `i` belongs to, or null when no frame can take it. Decided once per token. */
  private claim(i: number): Frame | null {
    const cached = this.claims.get(i);
    if (cached !== undefined) return cached;
    const key = this.tokens[i].key!;
    const owner = this.structuredOwner(key, i) ?? this.anyOwner(key, i);
    this.claims.set(i, owner);
    return owner;
  }

  /** The innermost OpenAPI object (not free-form data) that takes this key. */
  private structuredOwner(key: string, i: number): Frame | null {
    for (let f = this.frames.length - 1; f >= 0; f--) {
      const frame = this.frames[f];
      if ((frame.kind === 'map' || frame.kind === 'dict') && !frame.sealed && this.accepts(frame, key, i)) return frame;
    }
    return null;
  }

  private accepts(frame: Frame, key: string, i: number): boolean {
    const target = frame.value as Raw;
    if (Object.prototype.hasOwnProperty.call(target, key)) return false;
    if (frame.kind === 'dict') {
      const shape = frame.shape as DictShape;
      return (!shape.key || shape.key.test(key)) && this.fits(shape.value, i + 1, 0);
    }
    const shape = frame.shape as MapShape;
    const field = fieldOf(shape, key);
    if (!field) return false;
    if (shape.check && !shape.check(key, target, () => this.listAhead(i + 1))) return false;
    return this.fits(field, i + 1, 0);
  }

  /** Whether the value starting at token `j` can be of this shape (looks two levels ahead). */
  private fits(shape: Shape, j: number, depth: number): boolean {
    const t = this.tokens[j];
    if (!t) return true;
    switch (shape.k) {
      case 'map': {
        if (t.key === undefined) return false;
        const field = fieldOf(shape, t.key);
        return !!field && (depth >= 1 || this.fits(field, j + 1, depth + 1));
      }
      case 'dict':
        return t.key !== undefined && (!shape.key || shape.key.test(t.key)) && (depth >= 1 || this.fits(shape.value, j + 1, depth + 1));
      case 'list':
        return !!t.dash || t.text.startsWith('[');
      case 'scalar':
        return t.key === undefined && !t.dash;
      case 'any':
        return true;
      case 'either':
        return shape.options.some((o) => this.fits(o, j, depth));
    }
  }

  /** The plain items of a block list starting at token `j` (for checking a `required` list). */
  private listAhead(j: number): string[] {
    const names: string[] = [];
    const t = this.tokens[j];
    if (t && t.text.startsWith('[')) {
      const end = scanFlow(this.text, t.start);
      if (end > 0) {
        try {
          const list = yaml.load(this.text.slice(t.start, end), { schema: yaml.CORE_SCHEMA });
          if (Array.isArray(list)) return list.map(String);
        } catch {
          return [];
        }
      }
      return [];
    }
    while (this.tokens[j]?.dash && this.tokens[j + 1] && this.tokens[j + 1].key === undefined) {
      names.push(unquote(this.tokens[j + 1].text));
      j += 2;
    }
    return names;
  }

  /**
   * Free-form maps take any key no OpenAPI object claims. Several may be open at once (a nested
   * example value); the example's schema says where a key goes when it can, otherwise the key stays
   * in the innermost map, except right after a nested list, where the list most likely ended its
   * map too (that guess is reported).
   */
  private anyOwner(key: string, i: number): Frame | null {
    const candidates: Frame[] = [];
    for (let f = this.frames.length - 1; f >= 0; f--) {
      const frame = this.frames[f];
      if (frame.kind === 'anymap') {
        if (!Object.prototype.hasOwnProperty.call(frame.value, key)) candidates.push(frame);
      } else if (frame.kind !== 'anylist') break;
    }
    if (candidates.length === 0) return null;
    for (const c of candidates) if (c.guide?.props?.has(key)) return c;
    const top = this.top;
    if (top.kind === 'anymap' && top.lastWasList !== undefined) {
      // Only maps up to the next enclosing list: an item of an outer list is closer than its parent.
      const local: Frame[] = [];
      for (let f = this.frames.length - 1; f >= 0; f--) {
        const frame = this.frames[f];
        if (frame.kind !== 'anymap') break;
        if (!frame.guide?.props && candidates.includes(frame)) local.push(frame);
      }
      if (local.length > 1) {
        const chosen = local[local.length - 1];
        this.warn(
          'ambiguous-nesting',
          `\`${key}\` follows the list under \`${top.lastWasList}\`; it was placed in ${describe(chosen.pointer)}, the outermost of the ${local.length} example objects it could belong to (at character ${this.tokens[i].start})`,
          joinPointer(chosen.pointer, key),
        );
        return chosen;
      }
    }
    return candidates[0];
  }

  // ---- values ---------------------------------------------------------------------------------

  private parseValue(shape: Shape, pointer: string, guide?: Guide): unknown {
    const t = this.tokens[this.pos];
    if (!t) {
      this.warn('truncated', `the text ends where the value of ${describe(pointer)} should be`, pointer);
      return null;
    }
    switch (shape.k) {
      case 'map':
      case 'dict':
        if (t.key !== undefined) return shape.k === 'map' ? this.parseMap(shape, pointer) : this.parseDict(shape, pointer);
        return this.unexpected(shape, pointer);
      case 'list':
        if (t.dash) return this.parseList(shape, pointer);
        if (t.text.startsWith('[')) return this.readScalar('any', pointer);
        if (t.key !== undefined) return null;
        return this.unexpected(shape, pointer);
      case 'scalar':
        if (t.key !== undefined) return null;
        return this.readScalar(shape.type, pointer);
      case 'any':
        return this.parseAny(pointer, shape.example ? this.exampleGuide() : guide);
      case 'either': {
        const pick = shape.options.find((o) => this.fits(o, this.pos, 1)) ?? shape.options[shape.options.length - 1];
        return this.parseValue(pick, pointer, guide);
      }
    }
  }

  private unexpected(shape: MapShape | DictShape | ListShape, pointer: string): unknown {
    const start = this.tokens[this.pos].start;
    const value = this.readScalar('any', pointer);
    this.warn('unexpected-value', `${describe(pointer)} should be ${shape.k === 'list' ? 'a list' : `an object (${shape.name})`}, but the text has ${JSON.stringify(value)} (at character ${start}); kept as it is`, pointer);
    return value;
  }

  private parseMap(shape: MapShape, pointer: string): Raw {
    const value: Raw = {};
    const frame: Frame = { kind: 'map', shape, value, sealed: false, pointer };
    this.frames.push(frame);
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.key !== undefined) {
        const owner = this.claim(this.pos);
        if (owner === frame) {
          this.pos++;
          const field = fieldOf(shape, t.key)!;
          // Sealed before the value is read: keys inside a free-form value must not come back here.
          if (shape.seal?.includes(t.key)) frame.sealed = true;
          setKey(value, t.key, this.parseValue(field, joinPointer(pointer, t.key)));
          continue;
        }
        if (owner === null) {
          this.skipUnplaced(pointer);
          continue;
        }
        break;
      }
      if (t.dash && this.frames.length > 1) break;
      this.skipUnplaced(pointer);
    }
    this.frames.pop();
    return value;
  }

  private parseDict(shape: DictShape, pointer: string): Raw {
    const value: Raw = {};
    const frame: Frame = { kind: 'dict', shape, value, sealed: false, pointer };
    this.frames.push(frame);
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.key !== undefined) {
        const owner = this.claim(this.pos);
        if (owner === frame) {
          this.pos++;
          setKey(value, t.key, this.parseValue(shape.value, joinPointer(pointer, t.key)));
          continue;
        }
        if (owner === null) {
          this.skipUnplaced(pointer);
          continue;
        }
        break;
      }
      if (t.dash) break;
      this.skipUnplaced(pointer);
    }
    this.frames.pop();
    return value;
  }

  private parseList(shape: ListShape, pointer: string): unknown[] {
    const items: unknown[] = [];
    this.frames.push({ kind: 'list', shape, value: items, sealed: false, pointer });
    while (this.tokens[this.pos]?.dash && (items.length === 0 || this.fits(shape.item, this.pos + 1, 0))) {
      this.pos++;
      items.push(this.parseValue(shape.item, joinPointer(pointer, items.length)));
    }
    this.frames.pop();
    return items;
  }

  // ---- free-form values -----------------------------------------------------------------------

  private parseAny(pointer: string, guide: Guide | undefined): unknown {
    const t = this.tokens[this.pos];
    if (!t) {
      this.warn('truncated', `the text ends where the value of ${describe(pointer)} should be`, pointer);
      return null;
    }
    if (t.dash) return this.parseAnyList(pointer, guide);
    if (t.key !== undefined) return this.parseAnyMap(pointer, guide);
    return this.readScalar('any', pointer);
  }

  /** After `key:` comes another key: either `key` is empty (null) or it opens a nested object. */
  private emptyOrNested(key: string, pointer: string, guide: Guide | undefined): 'empty' | 'nested' {
    if (this.structuredOwner(this.tokens[this.pos].key!, this.pos)) return 'empty';
    if (guide?.props) return 'nested';
    if (guide?.scalar) return 'empty';
    if (SCALAR_NAME.test(key)) {
      this.warn('empty-value', `\`${key}\` has no value before the next key; read as null (its name says it holds a single value) (at character ${this.tokens[this.pos].start})`, pointer);
      return 'empty';
    }
    return 'nested';
  }

  private parseAnyMap(pointer: string, guide: Guide | undefined): Raw {
    const value: Raw = {};
    const frame: Frame = { kind: 'anymap', value, sealed: false, pointer, guide };
    this.frames.push(frame);
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.key !== undefined) {
        const owner = this.claim(this.pos);
        if (owner === frame) {
          this.pos++;
          const at = joinPointer(pointer, t.key);
          const child = this.guideOf(guide?.props?.get(t.key));
          const next = this.tokens[this.pos];
          let item: unknown;
          if (next && next.key !== undefined && this.emptyOrNested(t.key, at, child) === 'empty') item = null;
          else item = this.parseAny(at, child);
          setKey(value, t.key, item);
          frame.lastWasList = Array.isArray(item) && !this.tokens[this.pos - 1]?.text.endsWith(']') ? t.key : undefined;
          continue;
        }
        if (owner === null) {
          this.skipUnplaced(pointer);
          continue;
        }
        break;
      }
      if (t.dash) break;
      this.skipUnplaced(pointer);
    }
    this.frames.pop();
    return value;
  }

  private parseAnyList(pointer: string, guide: Guide | undefined): unknown[] {
    const items: unknown[] = [];
    const frame: Frame = { kind: 'anylist', value: items, sealed: false, pointer, guide };
    this.frames.push(frame);
    const itemGuide = this.guideOf(guide?.items);
    while (this.tokens[this.pos]?.dash) {
      const next = this.tokens[this.pos + 1];
      const kind = !next ? 'scalar' : next.key !== undefined ? 'map' : next.dash ? 'list' : 'scalar';
      // A list of strings does not go on with an object: that item belongs to an enclosing list.
      if (frame.itemKind && kind !== frame.itemKind && this.hasOuterList()) break;
      frame.itemKind ??= kind;
      this.pos++;
      items.push(this.parseAny(joinPointer(pointer, items.length), itemGuide));
    }
    this.frames.pop();
    return items;
  }

  private hasOuterList(): boolean {
    return this.frames.slice(0, -1).some((f) => f.kind === 'list' || f.kind === 'anylist');
  }

  /** The schema of the media type (or parameter) an example belongs to, when the document defines it. */
  private exampleGuide(): Guide | undefined {
    for (let f = this.frames.length - 1; f >= 0; f--) {
      const frame = this.frames[f];
      if (frame.kind === 'map' && ['MediaType', 'Parameter', 'Header'].includes((frame.shape as MapShape).name)) {
        return this.guideOf((frame.value as Raw).schema);
      }
    }
    return undefined;
  }

  private guideOf(schema: unknown, depth = 0): Guide | undefined {
    if (!schema || typeof schema !== 'object' || depth > 16) return undefined;
    const raw = schema as Raw;
    if (typeof raw.$ref === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(raw.$ref)?.[1];
      return name !== undefined ? this.guideOf(this.schemas.get(name), depth + 1) : undefined;
    }
    const guide: Guide = {};
    const parts = [raw, ...(Array.isArray(raw.allOf) ? (raw.allOf as unknown[]) : [])];
    for (const part of parts) {
      const g = part === raw ? undefined : this.guideOf(part, depth + 1);
      if (g?.props) for (const [k, v] of g.props) (guide.props ??= new Map()).set(k, v);
      if (part === raw && raw.properties && typeof raw.properties === 'object') {
        for (const [k, v] of Object.entries(raw.properties as Raw)) (guide.props ??= new Map()).set(k, v);
      }
    }
    if (raw.items !== undefined) guide.items = raw.items;
    const type = raw.type;
    if (typeof type === 'string' && type !== 'object' && type !== 'array') guide.scalar = true;
    return guide.props || guide.items !== undefined || guide.scalar ? guide : undefined;
  }

  // ---- scalars --------------------------------------------------------------------------------

  private readScalar(type: ScalarType, pointer: string): unknown {
    const t = this.tokens[this.pos];
    const first = t.text[0];
    if (first === '"' || first === "'") {
      const end = scanQuoted(this.text, t.start);
      if (end < 0) {
        this.warn('unterminated-quote', `the quoted value of ${describe(pointer)} never closes (at character ${t.start}); read up to the next key`, pointer);
        return this.readPlain('string', t.text.slice(1));
      }
      this.skipTo(end);
      return unquote(this.text.slice(t.start, end));
    }
    if (first === '[' || first === '{') {
      const end = scanFlow(this.text, t.start);
      if (end > 0) {
        try {
          const value = yaml.load(this.text.slice(t.start, end), { schema: yaml.CORE_SCHEMA, json: true });
          this.skipTo(end);
          return value;
        } catch {
          // not a flow collection after all: read it as text below
        }
      } else {
        this.warn('unterminated-flow', `the \`${first}\` opened at character ${t.start} in ${describe(pointer)} never closes; read as text`, pointer);
      }
    }
    if (BLOCK_INDICATOR.test(t.text)) {
      this.pos++;
      return this.readBlock();
    }
    return this.readPlain(type);
  }

  /** Moves past every token that starts before `offset` (the end of a quoted or flow value). */
  private skipTo(offset: number): void {
    while (this.pos < this.tokens.length && this.tokens[this.pos].start < offset) this.pos++;
  }

  /** A plain scalar cannot hold `key: ` in YAML, so it ends at the next key-looking word, or at a list's next item. */
  private readPlain(type: ScalarType, lead?: string): unknown {
    const words: string[] = [];
    if (lead !== undefined) {
      words.push(lead);
      this.pos++;
    }
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.key !== undefined) break;
      if (t.dash && words.length > 0 && this.listTakes(this.pos)) break;
      words.push(t.text);
      this.pos++;
    }
    return typed(words.join(' '), type);
  }

  /** Folded or literal text: prose may hold `word:`, so it ends only at a key that an open object claims. */
  private readBlock(): string {
    const words: string[] = [];
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.key !== undefined && this.claim(this.pos) !== null) break;
      if (t.dash && this.listTakes(this.pos, true)) break;
      words.push(t.text);
      this.pos++;
    }
    return words.join(' ');
  }

  /** Whether the `-` at token `i` starts the next item of an open list rather than being part of text. */
  private listTakes(i: number, strict = false): boolean {
    for (let f = this.frames.length - 1; f >= 0; f--) {
      const frame = this.frames[f];
      if (frame.kind === 'list') {
        const item = (frame.shape as ListShape).item;
        return strict ? item.k === 'map' && this.fits(item, i + 1, 0) : this.fits(item, i + 1, 0);
      }
      if (frame.kind === 'anylist') return !strict;
    }
    return false;
  }

  /** Words no open object can take: reported with their text and position, then skipped. */
  private skipUnplaced(pointer: string): void {
    const start = this.tokens[this.pos].start;
    let end = this.tokens[this.pos].end;
    this.pos++;
    while (this.pos < this.tokens.length) {
      const t = this.tokens[this.pos];
      if (t.dash) break;
      if (t.key !== undefined && this.claim(this.pos) !== null) break;
      end = t.end;
      this.pos++;
    }
    const snippet = this.text.slice(start, end);
    const shown = snippet.length > 120 ? `${snippet.slice(0, 117)}...` : snippet;
    this.warn('unplaced-text', `cannot place ${JSON.stringify(shown)} (characters ${start}-${end}) in ${describe(pointer)} or any object around it; skipped`, pointer);
  }
}

function fieldOf(shape: MapShape, key: string): Shape | undefined {
  if (Object.prototype.hasOwnProperty.call(shape.fields, key)) return shape.fields[key];
  return shape.ext && key.startsWith('x-') ? ({ k: 'any' } satisfies AnyShape) : undefined;
}

function typed(text: string, type: ScalarType): unknown {
  if (type === 'string') return text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (type === 'number') {
    const n = Number(text);
    return text !== '' && Number.isFinite(n) ? n : text;
  }
  if (text === '') return null;
  try {
    const value = yaml.load(text, { schema: yaml.CORE_SCHEMA, json: true });
    return value === undefined || (typeof value === 'object' && value !== null) ? text : value;
  } catch {
    return text;
  }
}

function describe(pointer: string): string {
  return pointer === '' ? 'the document' : `\`${pointer}\``;
}
