import yaml from 'js-yaml';
import type { Diagnostic, Entitlement, OperationScopes, ScopeCatalog, ScopeGroup, ScopeRule } from '../model/types.js';
import { InputError, joinPointer } from './errors.js';
import type { InputFormat, RawInput } from './inputs.js';
import { parseStructured } from './parse.js';
import { catalogId, isPatternScope, scopeDefinition } from './text/catalog.js';

/**
 * The project's own scope catalog format (docs/scope-manifest.md): YAML a reviewer can edit by
 * hand, written by `codegen import-scopes` from a scope page and read back into the same
 * ScopeCatalog. A manifest is recognized by its top-level `kind: scope-manifest`.
 */
export const MANIFEST_KIND = 'scope-manifest';
export const MANIFEST_VERSION = 1;

export const scopeManifestFormat: InputFormat = {
  name: 'scope-manifest',
  detect(_file, text) {
    return /^kind:\s*["']?scope-manifest["']?\s*(#.*)?$/m.test(text.slice(0, 4096));
  },
  load(file, text) {
    const { catalog, warnings } = readScopeManifest(parseStructured(text, file), file);
    return [{ kind: 'scopes', file, catalog, format: 'scope-manifest', warnings } satisfies RawInput];
  },
};

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP_KEYS = ['kind', 'version', 'id', 'title', 'description', 'source', 'errorCode', 'missingScopeStatus', 'tokenOperation', 'scopes', 'groups', 'defaults', 'rules', 'operations', 'entitlements'];
const RULE_KEYS: Record<ScopeRule['kind'], string[]> = {
  required: ['scopes'],
  exclusive: ['scopes', 'patterns'],
  requiresOneOf: ['scope', 'oneOf'],
  grantType: ['scopes', 'grantTypes'],
  clientManagedOnly: ['scopes'],
  implies: ['scope', 'implies'],
  enablesRefreshToken: ['scopes'],
  needsEnablement: ['scopes'],
};

/** Validates a parsed manifest strictly (a hand edit gone wrong is an InputError naming the pointer). */
export function readScopeManifest(data: unknown, file: string): { catalog: ScopeCatalog; warnings: Diagnostic[] } {
  const fail = (message: string, pointer: string): never => {
    throw new InputError(`invalid scope manifest: ${message}`, { file, pointer });
  };
  const warnings: Diagnostic[] = [];
  const warn = (code: string, message: string, pointer: string) => warnings.push({ severity: 'warning', code, message, file, pointer });
  if (!isObject(data)) return fail('expected a YAML mapping at the top level', '');
  for (const key of Object.keys(data)) if (!TOP_KEYS.includes(key)) fail(`unknown key \`${key}\` (expected one of ${TOP_KEYS.join(', ')})`, joinPointer('', key));
  if (data.kind !== MANIFEST_KIND) fail(`\`kind\` must be ${MANIFEST_KIND}`, '/kind');
  if (data.version !== undefined && data.version !== MANIFEST_VERSION) fail(`unsupported version ${JSON.stringify(data.version)} (this codegen reads version ${MANIFEST_VERSION})`, '/version');
  const str = (v: unknown, pointer: string, optional = true): string | undefined => {
    if (v === undefined || v === null) return optional ? undefined : fail('is required', pointer);
    return typeof v === 'string' ? v : fail('must be a string', pointer);
  };
  const strings = (v: unknown, pointer: string): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return fail('must be a list of strings', pointer);
    return v.map((s, i) => (typeof s === 'string' && s.trim() ? s.trim() : fail('must be a non-empty string', joinPointer(pointer, i))));
  };

  const rawId = str(data.id, '/id', false)!;
  const id = catalogId(rawId);
  if (id !== rawId) fail(`\`${rawId}\` is not usable as an identifier; use \`${id}\``, '/id');
  const catalog: ScopeCatalog = {
    id,
    scopes: [],
    groups: [],
    defaults: [],
    rules: [],
    operations: [],
    entitlements: [],
    errorCode: str(data.errorCode, '/errorCode') ?? 'invalid_scope',
    source: { file, pointer: '' },
  };
  const title = str(data.title, '/title');
  if (title) catalog.title = title;
  const description = str(data.description, '/description');
  if (description) catalog.description = description;
  if (data.missingScopeStatus !== undefined) {
    const status = data.missingScopeStatus;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) fail('must be an HTTP error status (400-599)', '/missingScopeStatus');
    catalog.missingScopeStatus = status as number;
  }
  const tokenOperation = str(data.tokenOperation, '/tokenOperation');
  if (tokenOperation) catalog.tokenOperation = tokenOperation;
  str(data.source, '/source');

  const declare = (name: string, text: unknown, group: string | undefined, pointer: string) => {
    if (!/^\S+$/.test(name)) fail(`scope names have no spaces: ${JSON.stringify(name)}`, pointer);
    if (catalog.scopes.some((s) => s.name === name)) fail(`scope ${name} is declared twice`, pointer);
    const d = text === null || text === undefined ? undefined : typeof text === 'string' ? text : fail('a scope maps to its description (a string) or nothing', pointer);
    catalog.scopes.push(scopeDefinition(name, d, group));
  };
  const scopeMap = (value: unknown, pointer: string, group?: string): string[] => {
    if (value === undefined || value === null) return [];
    if (!isObject(value)) return fail('must map scope names to descriptions', pointer);
    for (const [name, text] of Object.entries(value)) declare(name, text, group, joinPointer(pointer, name));
    return Object.keys(value);
  };
  scopeMap(data.scopes, '/scopes');
  if (data.groups !== undefined) {
    if (!Array.isArray(data.groups)) fail('must be a list of groups', '/groups');
    (data.groups as unknown[]).forEach((g, i) => {
      const at = joinPointer('/groups', i);
      if (!isObject(g)) return fail('a group is a mapping with name, description and scopes', at);
      for (const key of Object.keys(g)) if (!['name', 'description', 'scopes'].includes(key)) fail(`unknown key \`${key}\``, joinPointer(at, key));
      const name = str(g.name, joinPointer(at, 'name'), false)!;
      const group: ScopeGroup = { name, scopes: scopeMap(g.scopes, joinPointer(at, 'scopes'), name) };
      const text = str(g.description, joinPointer(at, 'description'));
      if (text) group.description = text;
      catalog.groups.push({ name: group.name, ...(group.description ? { description: group.description } : {}), scopes: group.scopes });
    });
  }
  if (catalog.scopes.length === 0) fail('declares no scopes (under `scopes` or `groups[].scopes`)', '/scopes');

  const known = (s: string) => catalog.scopes.some((d) => d.name === s || (d.pattern && patternMatches(d.name, s)));
  const check = (list: string[], pointer: string) => {
    list.forEach((s, i) => {
      if (!known(s)) warn('unknown-scope', `${s} is not declared in this manifest`, joinPointer(pointer, i));
    });
    return list;
  };
  catalog.defaults = check(strings(data.defaults, '/defaults'), '/defaults');

  if (data.rules !== undefined) {
    if (!Array.isArray(data.rules)) fail('must be a list of rules', '/rules');
    (data.rules as unknown[]).forEach((r, i) => catalog.rules.push(readRule(r, joinPointer('/rules', i), fail, strings, check, str)));
  }
  if (data.operations !== undefined) {
    if (!Array.isArray(data.operations)) fail('must be a list of { operation, allOf, anyOf }', '/operations');
    (data.operations as unknown[]).forEach((o, i) => {
      const at = joinPointer('/operations', i);
      if (!isObject(o)) return fail('an operation entry is a mapping with operation, allOf and anyOf', at);
      for (const key of Object.keys(o)) if (!['operation', 'allOf', 'anyOf'].includes(key)) fail(`unknown key \`${key}\``, joinPointer(at, key));
      const entry: OperationScopes = { operation: str(o.operation, joinPointer(at, 'operation'), false)!, allOf: check(strings(o.allOf, joinPointer(at, 'allOf')), joinPointer(at, 'allOf')) };
      const anyOf = check(strings(o.anyOf, joinPointer(at, 'anyOf')), joinPointer(at, 'anyOf'));
      if (anyOf.length) entry.anyOf = anyOf;
      if (!entry.allOf.length && !anyOf.length) fail('names no scopes (allOf or anyOf)', at);
      catalog.operations.push(entry);
    });
  }
  if (data.entitlements !== undefined) {
    if (!Array.isArray(data.entitlements)) fail('must be a list of entitlements', '/entitlements');
    (data.entitlements as unknown[]).forEach((e, i) => {
      const at = joinPointer('/entitlements', i);
      if (!isObject(e)) return fail('an entitlement is a mapping with resource, property, schema, permissions', at);
      for (const key of Object.keys(e)) if (!['resource', 'property', 'schema', 'permissions', 'description'].includes(key)) fail(`unknown key \`${key}\``, joinPointer(at, key));
      const entitlement: Entitlement = {
        resource: str(e.resource, joinPointer(at, 'resource'), false)!,
        property: str(e.property, joinPointer(at, 'property')) ?? 'allows',
        permissions: strings(e.permissions, joinPointer(at, 'permissions')),
      };
      const schema = str(e.schema, joinPointer(at, 'schema'));
      if (schema) entitlement.schema = schema;
      const text = str(e.description, joinPointer(at, 'description'));
      if (text) entitlement.description = text;
      catalog.entitlements.push(entitlement);
    });
  }
  return { catalog, warnings };
}

function readRule(
  raw: unknown,
  at: string,
  fail: (message: string, pointer: string) => never,
  strings: (v: unknown, pointer: string) => string[],
  check: (list: string[], pointer: string) => string[],
  str: (v: unknown, pointer: string, optional?: boolean) => string | undefined,
): ScopeRule {
  if (!isObject(raw)) return fail('a rule is a mapping with a `kind`', at);
  const kind = raw.kind as ScopeRule['kind'];
  if (typeof kind !== 'string' || !(kind in RULE_KEYS)) return fail(`unknown rule kind ${JSON.stringify(raw.kind)} (expected one of ${Object.keys(RULE_KEYS).join(', ')})`, joinPointer(at, 'kind'));
  for (const key of Object.keys(raw)) if (![...RULE_KEYS[kind], 'kind', 'description'].includes(key)) fail(`unknown key \`${key}\` for a ${kind} rule`, joinPointer(at, key));
  const description = str(raw.description, joinPointer(at, 'description'));
  const d = description ? { description } : {};
  const list = (key: string, min = 1) => {
    const values = check(strings(raw[key], joinPointer(at, key)), joinPointer(at, key));
    if (values.length < min) fail(`\`${key}\` needs at least ${min} scope(s)`, joinPointer(at, key));
    return values;
  };
  const one = (key: string) => {
    const value = str(raw[key], joinPointer(at, key), false)!;
    check([value], joinPointer(at, key));
    return value;
  };
  switch (kind) {
    case 'exclusive': {
      const scopes = check(strings(raw.scopes, joinPointer(at, 'scopes')), joinPointer(at, 'scopes'));
      const patterns = strings(raw.patterns, joinPointer(at, 'patterns'));
      for (const p of patterns) if (!isPatternScope(p)) fail(`${p} is not a pattern (patterns look like id:{bank_id})`, joinPointer(at, 'patterns'));
      if (scopes.length + patterns.length < 2) fail('an exclusive rule needs at least two scopes or patterns', at);
      return { kind, scopes, ...(patterns.length ? { patterns } : {}), ...d };
    }
    case 'requiresOneOf':
      return { kind, scope: one('scope'), oneOf: list('oneOf'), ...d };
    case 'implies':
      return { kind, scope: one('scope'), implies: list('implies'), ...d };
    case 'grantType': {
      const grantTypes = strings(raw.grantTypes, joinPointer(at, 'grantTypes'));
      if (!grantTypes.length) fail('`grantTypes` needs at least one grant type', joinPointer(at, 'grantTypes'));
      return { kind, scopes: list('scopes'), grantTypes, ...d };
    }
    default:
      return { kind, scopes: list('scopes'), ...d } as ScopeRule;
  }
}

/** `id:{bank_id}` matches `id:` followed by anything without spaces (the generated checkScopes does the same). */
export function patternMatches(pattern: string, scope: string): boolean {
  const source = pattern
    .split(/\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\S+');
  return new RegExp(`^${source}$`).test(scope);
}

/** Writes a catalog as a manifest; notes (importer warnings) become comments at the top for the reviewer. */
export function writeScopeManifest(catalog: ScopeCatalog, options: { source?: string; notes?: string[] } = {}): string {
  const grouped = new Set(catalog.groups.flatMap((g) => g.scopes));
  const describe = (name: string) => catalog.scopes.find((s) => s.name === name)?.description ?? null;
  const ungrouped = catalog.scopes.filter((s) => !grouped.has(s.name));
  const doc: Raw = { kind: MANIFEST_KIND, version: MANIFEST_VERSION, id: catalog.id };
  if (catalog.title) doc.title = catalog.title;
  if (catalog.description) doc.description = catalog.description;
  if (options.source) doc.source = options.source;
  doc.errorCode = catalog.errorCode;
  if (catalog.missingScopeStatus !== undefined) doc.missingScopeStatus = catalog.missingScopeStatus;
  if (catalog.tokenOperation) doc.tokenOperation = catalog.tokenOperation;
  if (ungrouped.length) doc.scopes = Object.fromEntries(ungrouped.map((s) => [s.name, s.description ?? null]));
  if (catalog.groups.length) {
    doc.groups = catalog.groups.map((g) => ({
      name: g.name,
      ...(g.description ? { description: g.description } : {}),
      scopes: Object.fromEntries(g.scopes.map((s) => [s, describe(s)])),
    }));
  }
  doc.defaults = catalog.defaults;
  doc.rules = catalog.rules.map((r) => ({ ...r }));
  doc.operations = catalog.operations;
  doc.entitlements = catalog.entitlements;
  const header = [
    '# Scope manifest (format: docs/scope-manifest.md). Review and edit by hand; codegen reads it as an input.',
    ...(options.notes ?? []).map((n) => `# review: ${n.replace(/\s+/g, ' ')}`),
  ];
  return `${header.join('\n')}\n${yaml.dump(doc, { lineWidth: 120, noRefs: true, quotingType: "'", sortKeys: false })}`;
}
