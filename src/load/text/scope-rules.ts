import type { ScopeCatalog, ScopeRule } from '../../model/types.js';

/**
 * The rules scope pages state in prose, one recognizer per phrasing. Each says which sentence it
 * read, so a sentence that sounds like a rule but matched none can be reported for review.
 */

export interface RuleNote {
  /** The sentence a recognizer read (so unrecognized rule-like sentences can be reported). */
  sentence: string;
}

/** What one scope's own description says about it. */
export interface ScopeFacts {
  required?: boolean;
  refreshToken?: boolean;
  clientManaged?: boolean;
  grantType?: string;
  needsEnablement?: string;
  enabledByDefault?: boolean;
  /** "If transactions:write is provided without any transactions:read scope": the family it needs one of. */
  requiresFamily?: string;
  read: string[];
}

const NOT_A_CONDITION = /\s+(to|for|when|in order|if|by)\b/i;

export function scopeFacts(name: string, description: string): ScopeFacts {
  const facts: ScopeFacts = { read: [] };
  for (const sentence of sentences(description)) {
    const required = /\b(?:this scope is|scope is|is always) required\b(.*)$/i.exec(sentence);
    if (required && !NOT_A_CONDITION.test(required[1].slice(0, 12))) {
      facts.required = true;
      facts.read.push(sentence);
    }
    if (/\b(?:issue|return|receive|grant|get)s?\b[^.]*\brefresh token/i.test(sentence)) {
      facts.refreshToken = true;
      facts.read.push(sentence);
    }
    if (/\b(?:users?|customers?) (?:that|who) (?:are|is) managed by the client\b|\bclient[- ]managed users?\b/i.test(sentence)) {
      facts.clientManaged = true;
      facts.read.push(sentence);
    }
    const grant = /\bonly (?:supported|available|allowed|valid|granted) (?:with|for|using|in) the ([\w -]+?) grant(?: type)?\b/i.exec(sentence);
    if (grant) {
      facts.grantType = grantTypeName(grant[1]);
      facts.read.push(sentence);
    }
    if (/\b(?:needs|has) to be (?:requested to be )?enabled\b|\bmust be enabled\b|\brequested to be enabled\b|\bcontact (?:us|support) to enable\b/i.test(sentence)) {
      facts.needsEnablement = sentence.trim();
      facts.read.push(sentence);
    }
    const clientOnly = /\bonly allowed for (?:API )?clients (?:that|which|who) (.+)$/i.exec(sentence);
    if (clientOnly) {
      facts.needsEnablement = sentence.trim();
      facts.read.push(sentence);
    }
    if (/\benabled by default\b/i.test(sentence)) {
      facts.enabledByDefault = true;
      facts.read.push(sentence);
    }
    const without = new RegExp(`\\bif ${escapeRe(name)} is (?:provided|requested|used) without (?:any|a) ([\\w:./-]+?) scopes?\\b`, 'i').exec(sentence);
    if (without) {
      facts.requiresFamily = without[1];
      facts.read.push(sentence);
    }
  }
  return facts;
}

export function grantTypeName(words: string): string {
  const w = words.trim().toLowerCase();
  if (/token[ -]exchange/.test(w)) return 'urn:ietf:params:oauth:grant-type:token-exchange';
  return w.replace(/[\s-]+/g, '_');
}

/** Scopes of a family: `transactions:read` covers `transactions:read:all`; `write:all` as a suffix covers `accounts:write:all`. */
export function familyMembers(all: string[], family: string, how: 'prefix' | 'suffix' = 'prefix'): string[] {
  const f = family.replace(/[.:*]+$/, '').replace(/^[*:.]+/, '');
  return all.filter((s) => (how === 'prefix' ? s === f || s.startsWith(`${f}:`) || s.startsWith(`${f}/`) || s.startsWith(`${f}.`) : s === f || s.endsWith(`:${f}`) || s.endsWith(`/${f}`)));
}

/** "The above transactions:read scopes are mutually exclusive": the family named, or every scope above. */
export function exclusiveStatement(sentence: string): { family?: string } | undefined {
  const m = /\b(?:the )?above (?:([\w:./*-]+) )?scopes (?:are|is) mutually exclusive\b/i.exec(sentence);
  return m ? { family: m[1] } : undefined;
}

/** "The scopes ending in write:all are only available in the second use." */
export function suffixFamilyStatement(sentence: string): string | undefined {
  return /\bscopes ending (?:in|with) ([\w:./-]+) are only (?:available|allowed|supported)\b/i.exec(sentence)?.[1];
}

export function errorCodeIn(text: string): string | undefined {
  return /\b(invalid_scope|insufficient_scope|invalid_request|unauthorized_client)\b/.exec(text)?.[1];
}

/** Sentences that state a restriction: these must be read by some recognizer or reported. */
export function soundsLikeRule(sentence: string): boolean {
  return /\bmutually exclusive\b|\bonly (?:available|supported|allowed|valid|granted)\b|\binvalid_scope\b|\brequires? (?:one of|the)\b/i.test(sentence);
}

export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `banking/write` "Read, write, and delete access to ..." with a `banking/read` beside it: write implies read. */
export function impliedReads(catalog: ScopeCatalog): ScopeRule[] {
  const names = new Set(catalog.scopes.map((s) => s.name));
  const out: ScopeRule[] = [];
  for (const scope of catalog.scopes) {
    const m = /^(.*?)([/:.])write$/.exec(scope.name);
    if (!m || !/^read\b/i.test(scope.description ?? '')) continue;
    const read = `${m[1]}${m[2]}read`;
    if (names.has(read)) out.push({ kind: 'implies', scope: scope.name, implies: [read], description: `${scope.name} grants read access too ("${scope.description!.split(/[.]/)[0]}")` });
  }
  return out;
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
