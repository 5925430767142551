import path from 'node:path';
import yaml from 'js-yaml';
import { activeCache, hashKey, type Cache } from '../write/cache.js';
import { parseStructured } from './parse.js';

/**
 * Parsing YAML is most of the load time of a large spec, and a spec update changes a few schemas
 * of thousands. So a YAML document is cut, by its text alone, into the entries of `paths` and of
 * each `components` section, and each entry's parsed value is kept under the hash of its text: the
 * next parse of the file re-parses only the entries whose text changed. The first parse is a plain
 * whole-document parse (whose values fill the cache), and any doubt falls back to one.
 */
export function parseCached(text: string, file: string): unknown {
  const cache = activeCache();
  const trimmed = text.trimStart();
  // JSON parses faster than the cache could be read; small files are not worth it either.
  if (!cache || text.length < 64 * 1024 || file.endsWith('.json') || trimmed.startsWith('{') || trimmed.startsWith('[')) return parseStructured(text, file);
  const chunks = splitYaml(text);
  if (!chunks) return parseStructured(text, file);
  const packKey = hashKey('yaml-pack', path.resolve(file));
  const pack = cache.get<Record<string, unknown>>('yaml-pack', packKey);
  if (!pack) {
    const document = parseStructured(text, file);
    savePack(cache, packKey, chunks, document);
    return document;
  }
  const assembled = assemble(chunks, pack);
  if (assembled === undefined) {
    const document = parseStructured(text, file);
    savePack(cache, packKey, chunks, document);
    return document;
  }
  if (assembled.misses) savePack(cache, packKey, chunks, assembled.document);
  return assembled.document;
}

/** A piece of the document: `head` lines are parsed as they are; an entry is one key of a section. */
interface Chunk {
  text: string;
  hash: string;
  /** Keys from the document root to the entry, e.g. ['components', 'schemas', 'AccountBase']; empty for the head. */
  at: string[];
}

/** A plain, double-quoted or single-quoted mapping key at the start of a line, then what follows the colon. */
const PLAIN_KEY = String.raw`(?:[^\s"'#?:,\[\]{}&*!|>%@` + '`' + String.raw`-]|[-?:](?=\S))[^\n]*?`;
const KEY_LINE = new RegExp(String.raw`^( *)(${PLAIN_KEY}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')[ \t]*:(?:[ \t]+(.*))?$`);
/** What may follow the colon of a key whose value is the indented block below it. */
const NOTHING = /^(#.*)?$/;

/**
 * Splits at the keys of `paths` and of `components/<section>`. Returns undefined when the text uses
 * YAML features that make an entry depend on text elsewhere (anchors, directives, tabs for
 * indentation) or the layout is not the usual block style.
 */
export function splitYaml(text: string): Chunk[] | undefined {
  // Directives, anchors (an alias elsewhere would depend on them), tab indentation and keep-chomped
  // block scalars (whose trailing blank lines a cut would drop). Cheap substring tests first.
  if (text.startsWith('%') || text.includes('\n%')) return undefined;
  if (text.includes('&') && /(^|[\s[{,])&[^\s,[\]{}]+\s/.test(text)) return undefined;
  if (text.includes('\t') && /^ *\t/m.test(text)) return undefined;
  if ((text.includes('|') || text.includes('>')) && /:[ \t]*[|>][1-9]?\+[ \t]*$/m.test(text)) return undefined;
  const lines = new Lines(text);
  const out: Chunk[] = [];
  let headFrom = -1;
  const flushHead = (to: number) => {
    if (headFrom >= 0) out.push({ text: lines.text(headFrom, to), hash: '', at: [] });
    headFrom = -1;
  };

  let i = 0;
  while (i < lines.count) {
    const top = lines.indent[i] === 0 ? KEY_LINE.exec(lines.line(i)) : null;
    const root = top && NOTHING.test(top[3] ?? '') ? keyOf(top[2]) : undefined;
    if (root === 'paths' || root === 'components') {
      const end = lines.blockEnd(i + 1, 0);
      flushHead(i);
      out.push({ text: lines.line(i), hash: '', at: [root] });
      const sections = root === 'paths' ? [{ start: i + 1, end, at: [root] }] : childBlocks(lines, i + 1, end, [root], true);
      if (!sections) return undefined;
      for (const section of sections) {
        const entries = childBlocks(lines, section.start, section.end, section.at);
        if (!entries || entries.length === 0) return undefined;
        if (root === 'components') out.push({ text: lines.line(section.start - 1), hash: '', at: section.at });
        for (const e of entries) out.push({ text: lines.text(e.start - 1, e.end), hash: '', at: e.at });
      }
      i = end;
      continue;
    }
    if (headFrom < 0) headFrom = i;
    i++;
  }
  flushHead(lines.count);
  for (const c of out) c.hash = hashKey(c.text);
  return out;
}

/** Line offsets and indentation of a text, computed once: the split looks at each line a few times. */
class Lines {
  readonly count: number;
  private readonly starts: number[] = [0];
  /** Leading spaces of each line; -1 for blank and comment-only lines, which belong to no block. */
  readonly indent: Int32Array;

  constructor(private readonly source: string) {
    for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) this.starts.push(at + 1);
    this.count = this.starts.length;
    this.indent = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const end = this.end(i);
      let j = this.starts[i];
      while (j < end && source.charCodeAt(j) === 32) j++;
      const c = j < end ? source.charCodeAt(j) : -1;
      this.indent[i] = c === -1 || c === 35 /* # */ || c === 13 || ((c === 9 || c === 32) && source.slice(j, end).trim() === '') ? -1 : j - this.starts[i];
    }
  }

  private end(i: number): number {
    return i + 1 < this.count ? this.starts[i + 1] - 1 : this.source.length;
  }

  line(i: number): string {
    return this.source.slice(this.starts[i], this.end(i));
  }

  /** Lines [from, to) as one string. */
  text(from: number, to: number): string {
    return to <= from ? '' : this.source.slice(this.starts[from], this.end(to - 1));
  }

  /** The line after the block that starts at `from` and holds lines indented more than `indent`. */
  blockEnd(from: number, indent: number): number {
    let end = from;
    for (let j = from; j < this.count; j++) {
      const lead = this.indent[j];
      if (lead < 0) continue;
      if (lead <= indent) break;
      end = j + 1;
    }
    return end;
  }
}

function keyOf(raw: string): string | undefined {
  if (raw.startsWith('"') || raw.startsWith("'")) {
    try {
      const v = yaml.load(`${raw}: 0`, { schema: yaml.CORE_SCHEMA, json: true }) as Record<string, unknown>;
      const keys = Object.keys(v);
      return keys.length === 1 ? keys[0] : undefined;
    } catch {
      return undefined;
    }
  }
  return raw.trimEnd();
}

/**
 * The child entries of a block mapping spanning lines [from, to): each starts at a key line with
 * the block's indentation. `start` is the line after the key line.
 */
function childBlocks(lines: Lines, from: number, to: number, at: string[], sections = false): { start: number; end: number; at: string[] }[] | undefined {
  let indent = -1;
  const out: { start: number; end: number; at: string[] }[] = [];
  for (let j = from; j < to; j++) {
    const lead = lines.indent[j];
    if (lead < 0) continue;
    if (indent < 0) indent = lead;
    if (lead < indent) return undefined;
    if (lead > indent) continue;
    const m = KEY_LINE.exec(lines.line(j));
    // A sequence or anything but a key: not the layout we split. A section (under components)
    // must hold its entries below it; an entry may have its value on the key line (`/x: {}`).
    if (!m || (sections && !NOTHING.test(m[3] ?? ''))) return undefined;
    const key = keyOf(m[2]);
    if (key === undefined) return undefined;
    out.push({ start: j + 1, end: to, at: [...at, key] });
  }
  // Each entry ends at its last content line: trailing blank and comment lines belong to no value.
  for (const e of out) e.end = lines.blockEnd(e.start, indent);
  return out;
}

function lookup(document: unknown, at: string[]): unknown {
  let node = document;
  for (const k of at) {
    if (!node || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, k)) return undefined;
    node = (node as Record<string, unknown>)[k];
  }
  return node;
}

function savePack(cache: Cache, key: string, chunks: Chunk[], document: unknown): void {
  const pack: Record<string, unknown> = {};
  for (const c of chunks) {
    if (c.at.length < 2 || (c.at[0] === 'components' && c.at.length < 3)) continue;
    const value = lookup(document, c.at);
    if (value !== undefined) pack[c.hash] = value;
  }
  cache.set('yaml-pack', key, pack);
}

/** The document from cached entries and freshly parsed text; undefined when a piece does not parse as expected. */
function assemble(chunks: Chunk[], pack: Record<string, unknown>): { document: Record<string, unknown>; misses: number } | undefined {
  const headText = chunks.filter((c) => c.at.length === 0).map((c) => c.text).join('\n');
  let document: Record<string, unknown>;
  try {
    const parsed = headText.trim() ? yaml.load(headText, { schema: yaml.CORE_SCHEMA, json: true }) : {};
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    document = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  let misses = 0;
  // Keys in text order: the head's keys, then paths/components where they appeared.
  const ordered: Record<string, unknown> = {};
  const rootOrder = rootKeyOrder(chunks);
  const roots = new Set(chunks.filter((c) => c.at.length === 1).map((c) => c.at[0]));
  for (const k of rootOrder) if (k in document || roots.has(k)) ordered[k] = k in document ? document[k] : {};
  for (const k of Object.keys(document)) if (!(k in ordered)) ordered[k] = document[k];
  document = ordered;
  for (const c of chunks) {
    if (c.at.length === 0) continue;
    const parent = c.at.slice(0, -1);
    const key = c.at[c.at.length - 1];
    if (c.at.length === 1 || (c.at[0] === 'components' && c.at.length === 2)) {
      const holder = parent.length ? (lookup(document, parent) as Record<string, unknown>) : document;
      if (!holder || typeof holder !== 'object') return undefined;
      holder[key] = {};
      continue;
    }
    let value: unknown;
    if (Object.prototype.hasOwnProperty.call(pack, c.hash)) value = pack[c.hash];
    else {
      misses++;
      try {
        const parsed = yaml.load(c.text, { schema: yaml.CORE_SCHEMA, json: true }) as Record<string, unknown> | null;
        if (!parsed || typeof parsed !== 'object' || Object.keys(parsed).length !== 1 || !(key in parsed)) return undefined;
        value = parsed[key];
      } catch {
        return undefined;
      }
    }
    const holder = lookup(document, parent) as Record<string, unknown> | undefined;
    if (!holder || typeof holder !== 'object') return undefined;
    holder[key] = value;
  }
  return { document, misses };
}

/** Root keys in the order the text has them (paths and components are not in the head). */
function rootKeyOrder(chunks: Chunk[]): string[] {
  const out: string[] = [];
  for (const c of chunks) {
    if (c.at.length === 0) {
      for (const line of c.text.split('\n')) {
        const m = KEY_LINE.exec(line);
        if (m && m[1] === '') out.push(keyOf(m[2]) ?? m[2]);
      }
    } else if (c.at.length === 1) out.push(c.at[0]);
  }
  return [...new Set(out)];
}
