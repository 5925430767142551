import type { ApiModel, ScopeRule } from '../model/types.js';
import { operationScopeNeeds } from '../model/scopes.js';
import { ALWAYS, NEVER, record, WHEN_SENT, type ChangeSink, type Site } from './classify.js';
import { canonical } from './json.js';
import { pairOperations, operationLabel } from './operations.js';

/** Rules that can refuse a scope set; the others (implies, refresh tokens) only add. */
const REFUSING: ScopeRule['kind'][] = ['required', 'exclusive', 'requiresOneOf', 'grantType', 'clientManagedOnly', 'needsEnablement'];

/** `securityReported`: operations whose security requirement change was already reported (scopes derived from it would repeat it). */
export function diffScopes(before: ApiModel, after: ApiModel, sink: ChangeSink, securityReported: Set<string> = new Set()): void {
  const old = new Map(before.scopeCatalogs.map((c) => [c.id, c]));
  for (const catalog of after.scopeCatalogs) {
    const site: Site = { prefix: `scope catalog ${catalog.id}`, path: [], tokens: [] };
    const was = old.get(catalog.id);
    if (!was) {
      record(sink, site, 'scope-added', 'both', NEVER, `scope catalog added (${catalog.scopes.length} scopes)`, { addition: true });
      continue;
    }
    const oldScopes = new Set(was.scopes.map((s) => s.name));
    const newScopes = new Set(catalog.scopes.map((s) => s.name));
    for (const s of newScopes) if (!oldScopes.has(s)) record(sink, { ...site, path: [s] }, 'scope-added', 'request', NEVER, 'scope added', { addition: true });
    for (const s of oldScopes) if (!newScopes.has(s)) record(sink, { ...site, path: [s] }, 'scope-removed', 'request', WHEN_SENT, 'scope removed: requests naming it are refused');
    const rules = (list: ScopeRule[]) => new Map(list.map((r) => [canonical({ ...r, description: undefined }), r]));
    const oldRules = rules(was.rules);
    const newRules = rules(catalog.rules);
    for (const [key, rule] of newRules) {
      if (oldRules.has(key)) continue;
      const refusing = REFUSING.includes(rule.kind);
      record(sink, site, 'scope-rule-changed', 'request', refusing ? WHEN_SENT : NEVER, `${rule.kind} rule added: ${describeRule(rule)}${refusing ? ' (scope sets accepted before may be refused)' : ''}`);
    }
    for (const [key, rule] of oldRules) {
      if (!newRules.has(key)) record(sink, site, 'scope-rule-changed', 'request', NEVER, `${rule.kind} rule removed: ${describeRule(rule)}`);
    }
  }
  for (const catalog of before.scopeCatalogs) {
    if (!after.scopeCatalogs.some((c) => c.id === catalog.id)) {
      record(sink, { prefix: `scope catalog ${catalog.id}`, path: [], tokens: [] }, 'scope-removed', 'both', ALWAYS, 'scope catalog removed');
    }
  }

  // What each operation needs, as client, scopes and mocks all see it.
  const oldNeeds = operationScopeNeeds(before);
  const newNeeds = operationScopeNeeds(after);
  const flat = (needs: { catalog: string; allOf: string[]; anyOf?: string[] }[] | undefined) => {
    const all = new Set<string>();
    const any = new Set<string>();
    for (const n of needs ?? []) {
      for (const s of n.allOf) all.add(`${n.catalog}:${s}`);
      for (const s of n.anyOf ?? []) any.add(`${n.catalog}:${s}`);
    }
    return { all, any };
  };
  for (const [a, b] of pairOperations(before.operations, after.operations).pairs) {
    if (securityReported.has(b.name)) continue;
    const x = flat(oldNeeds.get(a.name));
    const y = flat(newNeeds.get(b.name));
    const site: Site = { prefix: operationLabel(b), path: [], tokens: [], operation: b.name };
    const more = [...y.all].filter((s) => !x.all.has(s));
    const fewer = [...x.all].filter((s) => !y.all.has(s));
    const anyChanged = canonical([...x.any].sort()) !== canonical([...y.any].sort());
    // A caller holding one of the old alternatives still qualifies unless that alternative went away.
    const anyNarrowed = y.any.size > 0 && (x.any.size === 0 || [...x.any].some((s) => !y.any.has(s)));
    if (more.length) record(sink, site, 'security-changed', 'request', WHEN_SENT, `now needs scope(s) ${more.map(unqualify).join(', ')}`);
    if (fewer.length) record(sink, site, 'security-changed', 'request', NEVER, `no longer needs scope(s) ${fewer.map(unqualify).join(', ')}`);
    if (anyChanged) record(sink, site, 'security-changed', 'request', anyNarrowed ? WHEN_SENT : NEVER, `needs one of ${[...y.any].map(unqualify).join(', ') || '(nothing)'} (was ${[...x.any].map(unqualify).join(', ') || 'nothing'})`);
  }
}

const unqualify = (s: string) => s.slice(s.indexOf(':') + 1);

function describeRule(rule: ScopeRule): string {
  if ('scopes' in rule) return rule.scopes.join(', ');
  if (rule.kind === 'requiresOneOf') return `${rule.scope} needs one of ${rule.oneOf.join(', ')}`;
  return `${rule.scope} implies ${rule.implies.join(', ')}`;
}
