import type { ScopeCatalog, ScopeDefinition } from '../../model/types.js';

/** Catalog ids are identifiers: generated code uses them as property names and in type names. */
export function catalogId(name: string): string {
  let id = name
    .replace(/^@[^/]+\//, '')
    .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))
    .replace(/^[^A-Za-z_]+/, '');
  if (!id) id = 'scopes';
  id = id[0].toLowerCase() + id.slice(1);
  // Never a key that changes an object's prototype when generated code indexes by it.
  return id === '__proto__' || id === 'constructor' || id === 'prototype' ? `${id}Scopes` : id;
}

export function emptyCatalog(id: string, file: string, pointer = ''): ScopeCatalog {
  return { id, scopes: [], groups: [], defaults: [], rules: [], operations: [], entitlements: [], errorCode: 'invalid_scope', source: { file, pointer } };
}

/** `id:{bank_id}` is a pattern: any scope that starts with `id:` matches it. */
export function isPatternScope(name: string): boolean {
  return /\{[^}]+\}/.test(name);
}

export function scopeDefinition(name: string, description?: string, group?: string): ScopeDefinition {
  return {
    name,
    ...(description ? { description } : {}),
    ...(group ? { group } : {}),
    ...(isPatternScope(name) ? { pattern: true } : {}),
  };
}
