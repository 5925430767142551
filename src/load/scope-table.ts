import type { Diagnostic, ScopeCatalog, ScopeRule } from '../model/types.js';
import { InputError } from './errors.js';
import type { InputFormat, RawInput } from './inputs.js';
import { catalogId, emptyCatalog, isPatternScope, scopeDefinition } from './text/catalog.js';
import { findPipeTables } from './text/pipe-table.js';
import { cleanText } from './text/prose.js';
import {
  errorCodeIn,
  exclusiveStatement,
  familyMembers,
  impliedReads,
  scopeFacts,
  sentences,
  soundsLikeRule,
  suffixFamilyStatement,
  type ScopeFacts,
} from './text/scope-rules.js';

/**
 * OAuth scope pages copied as text: bulleted `scope - description` lists under group headings
 * (seed 002) or a `Scope | Description | Operations` table (seed 003), with the rules in prose.
 * The result is a scope catalog; every sentence that reads like a rule but that no recognizer
 * understood is reported, so a reviewer knows what to add to the manifest by hand.
 */
export const scopeTableFormat: InputFormat = {
  name: 'scope-table',
  detect(file, text) {
    if (/\.(json|ya?ml)$/i.test(file)) return false;
    return looksLikeScopeTable(cleanText(text));
  },
  load(file, text) {
    const { catalog, warnings } = parseScopeTable(text, file);
    return [{ kind: 'scopes', file, catalog, format: 'scope-table', warnings } satisfies RawInput];
  },
};

const BULLET = /^\s*(?:[•*▪◦·‣]|-|\d+[.)])\s+(.*)$/;
const SCOPE_NAME = /^[A-Za-z_][\w.:/{}*-]*$/;
const SCOPE_ITEM = /^([A-Za-z_][\w.:/{}*-]*?)\s*[-–—]\s+(.+)$/;
const TABLE_HEADER = /^\s*\|?\s*Scopes?\s*\|\s*Description\s*\|/im;

/** Operation cells list names (`listAccounts, getAccount`, `GET /accounts`), never sentences. */
const OPERATION_LIST = /^(?:(?:[A-Z]+\s+)?[A-Za-z_/{][\w./{}:-]*[\w}](?:[\s,]+|$))*$/;

function scopeRowFits(cells: string[], headers: string[]): boolean {
  const ops = headers.findIndex((h) => /^operations?$/i.test(h));
  return SCOPE_NAME.test(cells[0]) && (ops < 0 || OPERATION_LIST.test(cells[ops].trim()));
}

export function looksLikeScopeTable(text: string): boolean {
  if (TABLE_HEADER.test(text)) return true;
  if (!/\bscopes?\b/i.test(text)) return false;
  let items = 0;
  for (const line of text.split('\n')) {
    const b = BULLET.exec(line);
    if (b && (SCOPE_ITEM.test(b[1].trim()) || SCOPE_NAME.test(b[1].trim())) && /[:/]/.test(b[1].split(/\s/)[0])) items++;
  }
  return items >= 3;
}

interface Section {
  heading?: string;
  line: number;
  /** Prose before the first bullet. */
  intro: string[];
  runs: Run[];
}

interface Run {
  items: { name: string; description?: string; line: number }[];
  /** Prose after the run, up to the next run or heading. */
  after: { text: string; line: number }[];
}

export interface ParsedScopes {
  catalog: ScopeCatalog;
  warnings: Diagnostic[];
}

export function parseScopeTable(text: string, file: string, options: { provider?: string } = {}): ParsedScopes {
  const clean = cleanText(text);
  const warnings: Diagnostic[] = [];
  const warn = (code: string, message: string, line?: number) => warnings.push({ severity: 'warning', code, message, file, line, pointer: '' });
  const lines = clean.split('\n');

  // Tables first; their lines are not prose.
  const tables = findPipeTables(clean, scopeRowFits).filter((t) => /^scopes?$/i.test(t.headers[0] ?? ''));
  const tableLines = new Set<number>();
  for (const t of tables) for (let l = t.line; l <= t.endLine; l++) tableLines.add(l);

  const sections = readSections(lines, tableLines);
  const providerLine = /^provider\s+(\S+)/im.exec(clean)?.[1];
  const title = sections[0]?.heading;
  const idSource = options.provider ?? providerLine ?? title;
  const catalog = emptyCatalog(catalogId(idSource ?? 'scopes'), file);
  if (!options.provider && !providerLine) {
    warn('no-provider', `the page does not name its provider; the catalog id \`${catalog.id}\` comes from ${title ? `the title ${JSON.stringify(title)}` : 'nothing better'} (import-scopes --provider NAME sets it)`);
  }
  if (title) catalog.title = title;

  const facts = new Map<string, ScopeFacts>();
  const definedAt = new Map<string, number>();
  const define = (name: string, description: string | undefined, group: string | undefined, line: number) => {
    if (definedAt.has(name)) {
      warn('duplicate-scope', `${name} is described twice (lines ${definedAt.get(name)} and ${line}); the later description wins`, line);
      catalog.scopes = catalog.scopes.filter((s) => s.name !== name);
    }
    definedAt.set(name, line);
    catalog.scopes.push(scopeDefinition(name, description, group));
    facts.set(name, scopeFacts(name, description ?? ''));
  };

  // Table rows.
  for (const table of tables) {
    for (const problem of table.problems) warn('malformed-table', problem, table.line);
    const opsCol = table.headers.findIndex((h) => /^operations?$/i.test(h));
    for (const row of table.rows) {
      const [name, description] = row.cells;
      define(name, description || undefined, undefined, row.line);
      const ops = opsCol >= 0 ? row.cells[opsCol].split(/[\s,]+/).filter((o) => /^[\w./{}-]+$/.test(o)) : [];
      for (const operation of ops) catalog.operations.push({ operation, allOf: [name] });
    }
  }

  // Bulleted lists, section by section.
  const prose: { text: string; line: number; run?: Run }[] = [];
  let defaultsFound = false;
  sections.forEach((section, index) => {
    const isTitle = index === 0 && section.heading !== undefined && section.heading === title;
    const group = isTitle ? undefined : section.heading;
    const isDefaults = /\bdefault\b/i.test(section.heading ?? '') || section.intro.some((p) => /\bdefault scopes\b/i.test(p));
    for (const text of section.intro) prose.push({ text, line: section.line });
    const items = section.runs.flatMap((r) => r.items);
    if (isDefaults && items.length) {
      defaultsFound = true;
      for (const item of items) if (!catalog.defaults.includes(item.name)) catalog.defaults.push(item.name);
    } else {
      for (const item of items) define(item.name, item.description, group, item.line);
      if (group && items.length) {
        const description = section.intro.join(' ').trim();
        catalog.groups.push({ name: group, ...(description ? { description } : {}), scopes: items.map((i) => i.name) });
      }
    }
    for (const run of section.runs) for (const p of run.after) prose.push({ ...p, run });
    if (!isTitle && section.heading && items.length === 0 && section.intro.length === 0 && section.runs.length === 0) {
      warn('empty-section', `the section ${JSON.stringify(section.heading)} has no scopes or text (the copy may have lost its content)`, section.line);
    }
  });
  if (catalog.scopes.length === 0) throw new InputError('no scopes found: expected `scope - description` bullets or a `Scope | Description` table', { file, line: 1 });
  const names = catalog.scopes.map((s) => s.name);

  // Rules stated in each scope's own description.
  const rules: ScopeRule[] = [];
  // One rule per kind (per grant type), listing every scope it applies to, in page order.
  const grouped = new Map<string, ScopeRule>();
  const byKind = <K extends ScopeRule['kind']>(kind: K, make: () => Extract<ScopeRule, { kind: K }>, key = ''): Extract<ScopeRule, { kind: K }> => {
    const id = `${kind}:${key}`;
    if (!grouped.has(id)) {
      grouped.set(id, make());
      rules.push(grouped.get(id)!);
    }
    return grouped.get(id) as Extract<ScopeRule, { kind: K }>;
  };
  const read = new Set<string>();
  for (const scope of catalog.scopes) {
    const f = facts.get(scope.name)!;
    f.read.forEach((s) => read.add(s));
    if (f.required) byKind('required', () => ({ kind: 'required', scopes: [], description: 'Every request must include these scopes.' })).scopes.push(scope.name);
    if (f.refreshToken) byKind('enablesRefreshToken', () => ({ kind: 'enablesRefreshToken', scopes: [], description: 'Requesting these scopes makes the provider issue a refresh token.' })).scopes.push(scope.name);
    if (f.grantType) {
      byKind('grantType', () => ({ kind: 'grantType', scopes: [], grantTypes: [f.grantType!], description: `Only granted with the ${f.grantType} grant type.` }), f.grantType).scopes.push(scope.name);
    }
    if (f.needsEnablement) {
      byKind('needsEnablement', () => ({ kind: 'needsEnablement', scopes: [], description: 'The provider must enable these scopes for the client before it may request them.' })).scopes.push(scope.name);
    }
    if (f.enabledByDefault && !catalog.defaults.includes(scope.name)) catalog.defaults.push(scope.name);
    if (f.requiresFamily) {
      const oneOf = familyMembers(names, f.requiresFamily).filter((n) => n !== scope.name);
      if (oneOf.length) rules.push({ kind: 'requiresOneOf', scope: scope.name, oneOf, description: `${scope.name} needs at least one ${f.requiresFamily} scope.` });
      else warn('unresolved-rule', `${scope.name} needs "any ${f.requiresFamily} scope", but no such scope is listed`, definedAt.get(scope.name));
    }
  }

  // Rules stated in prose between the lists.
  const clientManaged = new Set(catalog.scopes.filter((s) => facts.get(s.name)!.clientManaged).map((s) => s.name));
  for (const p of prose) {
    for (const sentence of sentences(p.text)) {
      const exclusive = exclusiveStatement(sentence);
      if (exclusive) {
        read.add(sentence);
        const above = p.run?.items.map((i) => i.name) ?? [];
        const members = exclusive.family ? familyMembers(above, exclusive.family) : above;
        if (members.length < 2) {
          warn('unresolved-rule', `"${sentence}" names fewer than two scopes above it`, p.line);
          continue;
        }
        const patterns = members.filter(isPatternScope);
        rules.push({ kind: 'exclusive', scopes: members.filter((m) => !isPatternScope(m)), ...(patterns.length ? { patterns } : {}), description: sentence });
        continue;
      }
      const suffix = suffixFamilyStatement(sentence);
      if (suffix) {
        read.add(sentence);
        const members = familyMembers(names, suffix, 'suffix');
        // "only available in the second use" means nothing alone; the family's own descriptions say which use that is.
        if (members.some((m) => clientManaged.has(m))) members.forEach((m) => clientManaged.add(m));
        else warn('unresolved-rule', `"${sentence}" restricts ${members.join(', ') || 'no listed scope'}, but no scope says what that restriction is`, p.line);
      }
      const code = errorCodeIn(sentence);
      if (code) catalog.errorCode = code;
      const status = /\bfails? with an? (\d{3})\b/i.exec(sentence);
      if (status) {
        catalog.missingScopeStatus = Number(status[1]);
        read.add(sentence);
      }
    }
  }
  if (clientManaged.size) {
    rules.push({ kind: 'clientManagedOnly', scopes: names.filter((n) => clientManaged.has(n)), description: 'Only granted for users the client manages.' });
  }
  for (const description of catalog.scopes.map((s) => s.description ?? '')) {
    const code = errorCodeIn(description);
    if (code) catalog.errorCode = code;
  }

  // Operation -> scope statements, and per-resource entitlements.
  const whole = clean.replace(/\s*\n\s*/g, ' ');
  const OPERATION_NEEDS = /\bthe (\w+) (?:function|operation|endpoint|method) requires the ([\w:./{}-]+) scope\b/gi;
  for (const p of prose) for (const sentence of sentences(p.text)) if (new RegExp(OPERATION_NEEDS.source, 'i').test(sentence)) read.add(sentence);
  for (const m of whole.matchAll(OPERATION_NEEDS)) {
    if (!catalog.operations.some((o) => o.operation === m[1] && o.allOf.includes(m[2]))) catalog.operations.push({ operation: m[1], allOf: [m[2]] });
    if (!names.includes(m[2])) warn('unknown-scope', `the operation ${m[1]} needs ${m[2]}, which the page does not list`);
  }
  readEntitlements(whole, catalog);

  catalog.rules = [...rules.filter((r) => r.kind !== 'clientManagedOnly'), ...rules.filter((r) => r.kind === 'clientManagedOnly'), ...impliedReads(catalog)];
  const order: ScopeRule['kind'][] = ['required', 'exclusive', 'requiresOneOf', 'grantType', 'clientManagedOnly', 'needsEnablement', 'enablesRefreshToken', 'implies'];
  catalog.rules.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));

  for (const d of catalog.defaults) {
    if (!names.includes(d)) {
      warn('undescribed-default', `the default scope ${d} is not described on the page; added without a description`);
      catalog.scopes.push(scopeDefinition(d));
      names.push(d);
    }
  }
  if (!defaultsFound && catalog.defaults.length === 0 && sections.some((s) => /\bdefault\b/i.test(s.heading ?? ''))) warn('empty-defaults', 'the default scopes section lists no scopes');

  // Ungrouped scopes first, then group by group: the order a manifest keeps.
  const groupIndex = (name?: string) => (name === undefined ? -1 : catalog.groups.findIndex((g) => g.name === name));
  catalog.scopes = catalog.scopes.map((s, i) => ({ s, i })).sort((a, b) => groupIndex(a.s.group) - groupIndex(b.s.group) || a.i - b.i).map((x) => x.s);

  // Anything that reads like a rule and was not understood is for the reviewer.
  const texts = [...prose.map((p) => ({ text: p.text, line: p.line })), ...catalog.scopes.map((s) => ({ text: s.description ?? '', line: definedAt.get(s.name) }))];
  for (const { text, line } of texts) {
    for (const sentence of sentences(text)) {
      if (soundsLikeRule(sentence) && !read.has(sentence)) warn('unparsed-rule', `not understood as a rule, check by hand: "${sentence}"`, line);
    }
  }
  return { catalog, warnings };
}

function readSections(lines: string[], tableLines: Set<number>): Section[] {
  const sections: Section[] = [];
  let current: Section = { line: 1, intro: [], runs: [] };
  let paragraph: string[] = [];
  let paragraphLine = 0;
  let lastRun: Run | undefined;
  const flush = () => {
    if (!paragraph.length) return;
    const text = paragraph.join(' ');
    if (lastRun) lastRun.after.push({ text, line: paragraphLine });
    else current.intro.push(text);
    paragraph = [];
  };
  const startSection = (heading: string | undefined, line: number) => {
    flush();
    if (current.heading !== undefined || current.intro.length || current.runs.length) sections.push(current);
    current = { heading, line, intro: [], runs: [] };
    lastRun = undefined;
  };
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const n = i + 1;
    if (tableLines.has(n)) {
      flush();
      return;
    }
    if (!line) {
      flush();
      return;
    }
    const bullet = BULLET.exec(raw);
    if (bullet) {
      const content = bullet[1].trim();
      const item = SCOPE_ITEM.exec(content);
      const name = item ? item[1] : SCOPE_NAME.test(content) ? content : undefined;
      if (name) {
        flush();
        if (!lastRun || lastRun.after.length) {
          lastRun = { items: [], after: [] };
          current.runs.push(lastRun);
        }
        lastRun.items.push({ name, description: item?.[2].trim(), line: n });
        return;
      }
    }
    if (isHeading(line)) {
      startSection(line, n);
      return;
    }
    if (!paragraph.length) paragraphLine = n;
    paragraph.push(line);
  });
  startSection(undefined, lines.length);
  return sections.filter((s) => s.heading !== undefined || s.intro.length || s.runs.length);
}

function isHeading(line: string): boolean {
  return line.length <= 60 && /^[A-Z]/.test(line) && !/[.:;,?!|]$/.test(line) && line.split(/\s+/).length <= 6 && !/^[\w.:/{}-]+\s*[-–—]\s/.test(line);
}

/** "there is an account.allows property that has an accountPermissions schema" plus an example `{ "approve": false, ... }`. */
function readEntitlements(text: string, catalog: ScopeCatalog): void {
  for (const m of text.matchAll(/\b(?:an?|the) (\w+)\.(\w+) property that has an? (\w+) schema\b/gi)) {
    const after = text.slice(m.index + m[0].length);
    const example = /\{[^{}]*"\w+"\s*:\s*(?:true|false)[^{}]*\}/.exec(after);
    const permissions = example ? [...example[0].matchAll(/"(\w+)"\s*:\s*(?:true|false)/g)].map((p) => p[1]) : [];
    catalog.entitlements.push({
      resource: m[1],
      property: m[2],
      schema: m[3],
      permissions,
      description: `Each ${m[1]} carries an \`${m[2]}\` object of permission flags for the signed-in user.`,
    });
  }
}
