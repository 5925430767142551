/**
 * Words of a YAML document whose line breaks were lost. A word ending in `:` may be a key, a lone
 * `-` may start a list item; the parser decides which ones really are, by the document's grammar.
 */

export interface Token {
  /** The word as written (a quoted key keeps its quotes here). */
  text: string;
  /** Character offsets in the source text. */
  start: number;
  end: number;
  /** Set when the word reads as `key:` (quotes removed). */
  key?: string;
  /** A lone `-`. */
  dash?: boolean;
}

/** Quoted keys longer than this are taken for quoted prose that happens to end in `:`. */
const MAX_QUOTED_KEY = 300;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const words = /\S+/g;
  let match: RegExpExecArray | null;
  while ((match = words.exec(text))) {
    const word = match[0];
    const start = match.index;
    if (word === '-') {
      out.push({ text: word, start, end: start + 1, dash: true });
      continue;
    }
    if (word[0] === '"' || word[0] === "'") {
      // `'200':` or `"a key with spaces":` is one key; any other quoted word is left to the value reader.
      const close = scanQuoted(text, start);
      if (close > 0 && close - start < MAX_QUOTED_KEY && text[close] === ':' && (close + 1 === text.length || /\s/.test(text[close + 1]))) {
        out.push({ text: text.slice(start, close + 1), start, end: close + 1, key: unquote(text.slice(start, close)) });
        words.lastIndex = close + 1;
        continue;
      }
      out.push({ text: word, start, end: start + word.length });
      continue;
    }
    if (word.length > 1 && word.endsWith(':')) {
      out.push({ text: word, start, end: start + word.length, key: word.slice(0, -1) });
      continue;
    }
    out.push({ text: word, start, end: start + word.length });
  }
  return out;
}

/** Offset just after the closing quote of the quoted scalar starting at `start`, or -1 when it never closes. */
export function scanQuoted(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return -1;
}

/** Offset just after a balanced flow collection (`[...]` or `{...}`) starting at `start`, or -1. */
export function scanFlow(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = scanQuoted(text, i);
      if (close < 0) return -1;
      i = close - 1;
    } else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

export function unquote(raw: string): string {
  if (raw.length >= 2 && raw[0] === "'" && raw.endsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw.length >= 2 && raw[0] === '"' && raw.endsWith('"')) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  }
  return raw;
}

/** Sets a key on plain data without `__proto__` turning into a prototype change. */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
