import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { operationScopeNeeds } from '../../model/scopes.js';
import type { ApiModel, ScopeCatalog } from '../../model/types.js';
import { pascalCase, SymbolTable } from '../../normalize/naming.js';
import type { EmitOptions, OutputFile } from '../output.js';
import { jsonLiteral, propertyKey, stringLiteral } from '../shared/escape.js';
import { fileHeader } from '../shared/header.js';
import { writeDoc } from '../shared/jsdoc.js';
import { createWriter, type CodeBlockWriter } from '../shared/writer.js';

const TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/scopes');

/**
 * `PKG/scopes`: the scope catalogs as constants with string-literal scope types, `checkScopes`
 * enforcing every catalog rule, default sets, `operationScopes` and `missingScopes`.
 * src/scopes/check.ts is the fixed runtime (templates/scopes); src/scopes/catalogs.ts is the data.
 */
export function emitScopes(model: ApiModel, _options: EmitOptions): OutputFile[] {
  const names = catalogNames(model.scopeCatalogs);
  return [
    { path: 'src/scopes.ts', content: entry(model, names) },
    { path: 'src/scopes/catalogs.ts', content: catalogsModule(model, names) },
    { path: 'src/scopes/check.ts', content: runtime(model) },
  ];
}

interface CatalogNames {
  catalog: ScopeCatalog;
  /** Module-local constant holding the catalog. */
  constant: string;
  /** Exported string-literal union of its scopes. */
  type: string;
}

/** Exported names of the entry, which catalog type names must not take. */
const RESERVED_TYPES = ['ScopeCatalog', 'ScopeCatalogId', 'ScopeCheckResult', 'ScopeProblem', 'ScopeRule', 'ScopeDefinition', 'ScopeGroup', 'CheckScopesOptions', 'OperationScopeNeed', 'CatalogOperation', 'Entitlement', 'CatalogScope', 'OperationScopes'];

function catalogNames(catalogs: ScopeCatalog[]): CatalogNames[] {
  const types = new SymbolTable();
  for (const name of RESERVED_TYPES) types.claim(name);
  return catalogs.map((catalog, i) => ({ catalog, constant: `catalog${i}`, type: types.claim(`${pascalCase(catalog.id)}Scope`) }));
}

/** A key of an object literal in generated runtime code: `__proto__` must not set the prototype. */
function objectKey(name: string): string {
  return name === '__proto__' ? `[${stringLiteral(name)}]` : propertyKey(name);
}

/** `id:{bank_id}` -> `` `${"id:"}${string}` ``: a template literal type, its fixed parts as escaped literals. */
function scopeType(name: string): string {
  if (!/\{[^}]*\}/.test(name)) return stringLiteral(name);
  const parts = name.split(/\{[^}]*\}/);
  return '`' + parts.map((p, i) => (p ? `\${${stringLiteral(p)}}` : '') + (i < parts.length - 1 ? '${string}' : '')).join('') + '`';
}

function runtime(model: ApiModel): string {
  const source = fs.readFileSync(path.join(TEMPLATES, 'check.ts.hbs'), 'utf8');
  const template = Handlebars.compile(source, { noEscape: true, strict: true });
  return template({ header: fileHeader(model, 'Scope rules: checkScopes, missingScopesFor and the catalog types (fixed runtime).') });
}

function catalogsModule(model: ApiModel, names: CatalogNames[]): string {
  const w = createWriter();
  w.write(fileHeader(model, 'Scope catalogs of the API: every scope, group, default set, rule, operation need and entitlement.'));
  w.writeLine("import type { OperationScopeNeed, ScopeCatalog } from './check.js';");
  for (const { catalog, constant, type } of names) {
    w.blankLine();
    writeDoc(w, { description: [catalog.title, catalog.description].filter(Boolean).join('\n\n') || `Scope catalog ${catalog.id}.` });
    w.write(`const ${constant} = `);
    writeCatalog(w, catalog);
    w.write(' as const satisfies ScopeCatalog;').newLine();
    w.blankLine();
    writeDoc(w, { description: `A scope of ${catalog.id}${catalog.scopes.some((s) => s.pattern) ? ' (pattern scopes such as id:{bank_id} stand for any value)' : ''}.` });
    const members = catalog.scopes.map((s) => scopeType(s.name));
    w.writeLine(`export type ${type} = ${members.length ? members.join(' | ') : 'never'};`);
  }

  w.blankLine();
  writeDoc(w, { description: 'Every scope catalog, by id: pass one to checkScopes.' });
  w.write('export const scopeCatalogs = {').newLine();
  w.indent(() => {
    for (const { catalog, constant } of names) w.writeLine(`${objectKey(catalog.id)}: ${constant},`);
  });
  w.writeLine('} as const;');
  w.blankLine();
  w.writeLine('export type ScopeCatalogId = keyof typeof scopeCatalogs;');
  w.blankLine();
  writeDoc(w, { description: 'The scope type of each catalog.' });
  w.write('export interface CatalogScope {').newLine();
  w.indent(() => {
    for (const { catalog, type } of names) w.writeLine(`${objectKey(catalog.id)}: ${type};`);
  });
  w.writeLine('}');

  // Needs of model operations (by operation name), then catalog entries that match no model
  // operation, under the name the catalog gives them (docs name operations their own way).
  const needs = operationScopeNeeds(model);
  const table = new Map<string, { catalog: string; allOf: string[]; anyOf?: string[] }[]>([...needs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const catalog of model.scopeCatalogs) {
    for (const entry of catalog.operations) {
      // Matched or not is the shared matcher's call: ask it about this one entry.
      const matches = operationScopeNeeds({ operations: model.operations, scopeCatalogs: [{ ...catalog, operations: [entry] }] }).size > 0;
      if (matches || table.has(entry.operation)) continue;
      const list = table.get(entry.operation) ?? [];
      list.push({ catalog: catalog.id, allOf: [...entry.allOf], ...(entry.anyOf?.length ? { anyOf: [...entry.anyOf] } : {}) });
      table.set(entry.operation, list);
    }
  }
  w.blankLine();
  writeDoc(w, { description: 'The scopes each operation needs, by operation name: every scope of `allOf`, and one of `anyOf` when given. A call without them is refused by the provider.' });
  w.write('export const operationScopes: { readonly [operationName: string]: readonly OperationScopeNeed[] } = {').newLine();
  w.indent(() => {
    for (const [operation, list] of table) w.writeLine(`${objectKey(operation)}: ${jsonLiteral(list)},`);
  });
  w.writeLine('};');
  return w.toString();
}

function writeCatalog(w: CodeBlockWriter, catalog: ScopeCatalog): void {
  w.write('{').newLine();
  w.indent(() => {
    w.writeLine(`id: ${stringLiteral(catalog.id)},`);
    if (catalog.title) w.writeLine(`title: ${stringLiteral(catalog.title)},`);
    if (catalog.description) w.writeLine(`description: ${stringLiteral(catalog.description)},`);
    w.writeLine('scopes: [');
    w.indent(() => {
      for (const scope of catalog.scopes) {
        w.writeLine(`${jsonLiteral({ name: scope.name, ...(scope.description ? { description: scope.description } : {}), ...(scope.group ? { group: scope.group } : {}), ...(scope.pattern ? { pattern: true } : {}) })},`);
      }
    });
    w.writeLine('],');
    w.writeLine(`groups: ${jsonLiteral(catalog.groups)},`);
    w.writeLine(`defaults: ${jsonLiteral(catalog.defaults)},`);
    if (catalog.rules.length === 0) w.writeLine('rules: [],');
    else {
      w.writeLine('rules: [');
      w.indent(() => {
        for (const rule of catalog.rules) w.writeLine(`${jsonLiteral(rule)},`);
      });
      w.writeLine('],');
    }
    w.writeLine(`operations: ${jsonLiteral(catalog.operations)},`);
    w.writeLine(`entitlements: ${jsonLiteral(catalog.entitlements)},`);
    w.writeLine(`errorCode: ${stringLiteral(catalog.errorCode)},`);
    if (catalog.missingScopeStatus !== undefined) w.writeLine(`missingScopeStatus: ${catalog.missingScopeStatus},`);
    if (catalog.tokenOperation) w.writeLine(`tokenOperation: ${stringLiteral(catalog.tokenOperation)},`);
  });
  w.write('}');
}

function entry(model: ApiModel, names: CatalogNames[]): string {
  const w = createWriter();
  w.write(fileHeader(model, 'Scopes: the catalogs, checkScopes (every rule of a catalog), default sets, operationScopes and missingScopes.'));
  w.writeLine("import { checkScopes as checkWith, missingScopesFor, type CheckScopesOptions, type ScopeCatalog, type ScopeCheckResult } from './scopes/check.js';");
  w.writeLine("import { operationScopes, scopeCatalogs, type ScopeCatalogId } from './scopes/catalogs.js';");
  w.blankLine();
  const types = names.map((n) => n.type);
  w.writeLine(`export { operationScopes, scopeCatalogs, type CatalogScope, type ScopeCatalogId${types.map((t) => `, type ${t}`).join('')} } from './scopes/catalogs.js';`);
  w.writeLine('export {');
  w.indent(() => {
    w.writeLine('defaultScopes,');
    w.writeLine('expandScopes,');
    w.writeLine('isKnownScope,');
    w.writeLine('refreshTokenEnabled,');
    w.writeLine('scopeMatches,');
    for (const t of ['CatalogOperation', 'CheckScopesOptions', 'Entitlement', 'OperationScopeNeed', 'ScopeCatalog', 'ScopeCheckResult', 'ScopeDefinition', 'ScopeGroup', 'ScopeProblem', 'ScopeRule']) w.writeLine(`type ${t},`);
  });
  w.writeLine("} from './scopes/check.js';");
  w.blankLine();
  w.writeLine('function catalogOf(catalog: ScopeCatalog | ScopeCatalogId): ScopeCatalog {');
  w.indent(() => {
    w.writeLine("if (typeof catalog !== 'string') return catalog;");
    w.writeLine('const all: { readonly [id: string]: ScopeCatalog } = scopeCatalogs;');
    w.writeLine('if (!Object.prototype.hasOwnProperty.call(all, catalog)) throw new TypeError(`unknown scope catalog ${JSON.stringify(catalog)}`);');
    w.writeLine('return all[catalog];');
  });
  w.writeLine('}');
  w.blankLine();
  writeDoc(w, {
    description:
      "Checks a requested scope set against a catalog (or a catalog id) the way the provider does: required scopes, mutually exclusive sets, scopes that need one of others, grant-type and client-managed-only scopes, unknown scopes, and the client's allowed set (`options.allowed`, by default the catalog's default set). Every problem has a message; a failure carries the provider's error, `invalid_scope`.",
  });
  w.writeLine('export function checkScopes(catalog: ScopeCatalog | ScopeCatalogId, requested: readonly string[] | string, options?: CheckScopesOptions): ScopeCheckResult {');
  w.indent(() => w.writeLine('return checkWith(catalogOf(catalog), requested, options);'));
  w.writeLine('}');
  w.blankLine();
  writeDoc(w, { description: 'The scopes `granted` lacks for an operation (by operation name); empty when it has them all or the operation needs none. Implied scopes count as held.' });
  w.writeLine('export function missingScopes(operation: string, granted: readonly string[]): string[] {');
  w.indent(() => {
    w.writeLine('const needs = Object.prototype.hasOwnProperty.call(operationScopes, operation) ? operationScopes[operation] : undefined;');
    w.writeLine('return needs ? missingScopesFor(needs, granted, scopeCatalogs) : [];');
  });
  w.writeLine('}');
  return w.toString();
}
