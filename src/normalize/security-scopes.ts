import type { ApiModel, ScopeCatalog, ScopeRule } from '../model/types.js';

/** OAuth 2 flow names (OpenAPI) to the grant types they stand for (RFC 6749). */
const GRANT_OF_FLOW: Record<string, string> = {
  authorizationCode: 'authorization_code',
  clientCredentials: 'client_credentials',
  password: 'password',
  implicit: 'implicit',
};

/**
 * OAuth 2 security schemes declare scopes, and operations name the scopes they need: that is a
 * scope catalog too, so specs without a scope table still get scope-aware clients and mocks.
 *
 * - A scope declared by only some of a scheme's flows is only granted with those flows' grant types.
 * - An operation's requirement alternatives (`security: [{oauth: [a]}, {oauth: [b]}]`) need the
 *   scopes all of them share, plus one of the rest when each alternative adds a single scope; an
 *   alternative without this scheme (or an empty one) means the operation needs none of its scopes.
 */
export function catalogsFromSecuritySchemes(model: Pick<ApiModel, 'securitySchemes' | 'operations' | 'security'>): ScopeCatalog[] {
  const out: ScopeCatalog[] = [];
  for (const scheme of model.securitySchemes) {
    if (scheme.type !== 'oauth2' && scheme.type !== 'openIdConnect') continue;
    const scopes = new Map<string, string>();
    const flowsOf = new Map<string, Set<string>>();
    for (const flow of scheme.flows ?? []) {
      for (const [name, description] of Object.entries(flow.scopes)) {
        if (!scopes.has(name) || (!scopes.get(name) && description)) scopes.set(name, description);
        const set = flowsOf.get(name) ?? new Set<string>();
        set.add(flow.flow);
        flowsOf.set(name, set);
      }
    }
    const operations: ScopeCatalog['operations'] = [];
    for (const op of model.operations) {
      const requirements = op.security ?? model.security;
      if (requirements.length === 0 || requirements.some((r) => !(scheme.key in r))) continue;
      const alternatives = requirements.map((r) => [...new Set(r[scheme.key])]);
      for (const s of alternatives.flat()) if (!scopes.has(s)) scopes.set(s, '');
      const shared = alternatives[0].filter((s) => alternatives.every((a) => a.includes(s)));
      const rest = alternatives.map((a) => a.filter((s) => !shared.includes(s)));
      let entry: ScopeCatalog['operations'][number];
      if (rest.every((r) => r.length === 0)) entry = { operation: op.operationId ?? `${op.method.toUpperCase()} ${op.path}`, allOf: shared };
      else if (rest.every((r) => r.length === 1)) entry = { operation: op.operationId ?? `${op.method.toUpperCase()} ${op.path}`, allOf: shared, anyOf: rest.map((r) => r[0]) };
      else {
        // Alternatives of several scopes each do not fit allOf/anyOf; the smallest one is a sufficient set.
        const [smallest] = [...alternatives].sort((a, b) => a.length - b.length);
        entry = { operation: op.operationId ?? `${op.method.toUpperCase()} ${op.path}`, allOf: smallest };
      }
      if (entry.allOf.length === 0 && !entry.anyOf?.length) continue;
      operations.push(entry);
    }

    const rules: ScopeRule[] = [];
    const flowCount = scheme.flows?.length ?? 0;
    if (flowCount > 1) {
      const byGrants = new Map<string, string[]>();
      for (const [name, flows] of flowsOf) {
        if (flows.size === flowCount) continue;
        const grants = [...flows].map((f) => GRANT_OF_FLOW[f] ?? f).sort();
        const key = grants.join(' ');
        byGrants.set(key, [...(byGrants.get(key) ?? []), name]);
      }
      for (const [key, names] of byGrants) {
        rules.push({ kind: 'grantType', scopes: names, grantTypes: key.split(' '), description: `Declared only by the ${key.split(' ').join(', ')} flow(s) of ${scheme.key}.` });
      }
    }

    out.push({
      id: scheme.key.replace(/[^A-Za-z0-9_]/g, '_').replace(/^__proto__$/, 'proto_scopes'),
      title: scheme.description,
      scopes: [...scopes].map(([name, description]) => ({ name, ...(description ? { description } : {}), ...(/\{[^}]+\}/.test(name) ? { pattern: true } : {}) })),
      groups: [],
      defaults: [],
      rules,
      operations,
      entitlements: [],
      errorCode: 'invalid_scope',
      missingScopeStatus: 403,
      source: { file: '', pointer: `/components/securitySchemes/${scheme.key.replace(/~/g, '~0').replace(/\//g, '~1')}` },
    });
  }
  return out;
}
