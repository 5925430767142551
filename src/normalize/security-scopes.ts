import type { ApiModel, ScopeCatalog } from '../model/types.js';

/**
 * OAuth 2 security schemes declare scopes, and operations name the scopes they need: that is a
 * scope catalog too, so specs without a scope table still get scope-aware clients and mocks.
 */
export function catalogsFromSecuritySchemes(model: Pick<ApiModel, 'securitySchemes' | 'operations' | 'security'>): ScopeCatalog[] {
  const out: ScopeCatalog[] = [];
  for (const scheme of model.securitySchemes) {
    if (scheme.type !== 'oauth2' && scheme.type !== 'openIdConnect') continue;
    const scopes = new Map<string, string>();
    for (const flow of scheme.flows ?? []) for (const [name, description] of Object.entries(flow.scopes)) if (!scopes.has(name)) scopes.set(name, description);
    const operations: ScopeCatalog['operations'] = [];
    for (const op of model.operations) {
      const requirements = op.security ?? model.security;
      const needs = requirements.filter((r) => scheme.key in r).map((r) => r[scheme.key]);
      if (needs.length === 0 || needs.every((n) => n.length === 0)) continue;
      // Alternatives (several requirement objects) mean any one suffices; take the smallest set as allOf.
      const [first] = [...needs].sort((a, b) => a.length - b.length);
      for (const s of needs.flat()) if (!scopes.has(s)) scopes.set(s, '');
      operations.push({ operation: op.operationId ?? `${op.method.toUpperCase()} ${op.path}`, allOf: first });
    }
    out.push({
      id: scheme.key.replace(/[^A-Za-z0-9_]/g, '_'),
      title: scheme.description,
      scopes: [...scopes].map(([name, description]) => ({ name, description: description || undefined })),
      groups: [],
      defaults: [],
      rules: [],
      operations,
      entitlements: [],
      errorCode: 'invalid_scope',
      source: { file: '', pointer: `/components/securitySchemes/${scheme.key}` },
    });
  }
  return out;
}
