import type { Bump, Change, ChangeKind, Direction } from './types.js';

/**
 * Whether a change breaks a caller depends on which way the data flows. `request` says the
 * change breaks code that sends this value (the generated request type got stricter, or the
 * server accepts less); `response` says it breaks code that reads it (the response type got
 * wider, or a value the caller relied on may be missing).
 */
export interface Breaks {
  request: boolean;
  response: boolean;
}

export const NEVER: Breaks = { request: false, response: false };
export const ALWAYS: Breaks = { request: true, response: true };
export const WHEN_SENT: Breaks = { request: true, response: false };
export const WHEN_READ: Breaks = { request: false, response: true };

export function isBreaking(breaks: Breaks, direction: Direction): boolean {
  return (direction !== 'response' && breaks.request) || (direction !== 'request' && breaks.response);
}

/** Where a change happened, for people (location) and tools (pointer). */
export interface Site {
  /** `schema AccountBase` or `POST /accounts/get (accountsGet) request body`. */
  prefix: string;
  /** Field path inside the prefix: property names, `[]` for items, `{*}` for map values. */
  path: string[];
  /** JSON pointer bases in the new and old documents (`file#/pointer`), when the model has sources. */
  newBase?: string;
  oldBase?: string;
  /** Pointer tokens below the bases. */
  tokens: string[];
  operation?: string;
  schema?: string;
}

export function child(site: Site, label: string | undefined, ...tokens: string[]): Site {
  return { ...site, path: label === undefined ? site.path : [...site.path, label], tokens: [...site.tokens, ...tokens] };
}

export function locationOf(site: Site): string {
  if (site.path.length === 0) return site.prefix;
  const field = site.path.reduce((acc, part) => (part.startsWith('[') || part.startsWith('{') || acc === '' ? acc + part : `${acc}.${part}`), '');
  return `${site.prefix}: ${field}`;
}

const escapeToken = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');

export function pointerOf(site: Site, side: 'new' | 'old'): string | undefined {
  const base = side === 'new' ? site.newBase : site.oldBase;
  if (base === undefined) return undefined;
  return base + site.tokens.map((t) => '/' + escapeToken(t)).join('');
}

export interface ChangeSink {
  add(change: Change): void;
  /** Whether description/example changes are compared at all (a snapshot has none). */
  readonly docs: boolean;
}

/**
 * Records one change. `addition` marks something new a caller may start using (a minor bump
 * when nothing breaks); everything else that does not break is a patch.
 */
export function record(
  sink: ChangeSink,
  site: Site,
  kind: ChangeKind,
  direction: Direction,
  breaks: Breaks,
  message: string,
  extra: { addition?: boolean; before?: Change['before']; after?: Change['after']; side?: 'new' | 'old' } = {},
): void {
  const breaking = isBreaking(breaks, direction);
  const bump: Bump = breaking ? 'major' : extra.addition ? 'minor' : 'patch';
  const change: Change = { kind, breaking, bump, location: locationOf(site), message };
  if (site.operation !== undefined) change.operation = site.operation;
  if (site.schema !== undefined) change.schema = site.schema;
  const pointer = pointerOf(site, extra.side ?? 'new') ?? pointerOf(site, extra.side === 'new' ? 'old' : 'new');
  if (pointer !== undefined) change.pointer = pointer;
  if (extra.before !== undefined) change.before = extra.before;
  if (extra.after !== undefined) change.after = extra.after;
  sink.add(change);
}
