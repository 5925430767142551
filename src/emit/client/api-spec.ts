import type { ApiModel, Operation, ScopeRule, SecurityRequirement, Server } from '../../model/types.js';
import { isIdentifier, jsonLiteral, stringLiteral } from '../shared/escape.js';
import { camelCase } from '../../normalize/naming.js';

/** Option names the runtime already uses; a credential option never takes one of them. */
const RUNTIME_OPTIONS = new Set([
  'baseUrl', 'environment', 'serverVariables', 'fetch', 'timeoutMs', 'maxRetries', 'retryDelayMs', 'maxRetryDelayMs', 'headers',
  'accessToken', 'username', 'password', 'validate', 'validators', 'scopes', 'beforeRequest', 'afterResponse',
]);

export interface CredentialOption {
  option: string;
  scheme: string;
  kind: 'apiKey' | 'bearer' | 'basic';
  location?: 'header' | 'query' | 'cookie';
  name?: string;
  /** The API version header's default value. */
  defaultValue?: string;
  /** Sent on every request, even those without security (a version header is no credential). */
  always?: boolean;
  description: string;
}

/** One credential per security scheme: API keys get an option of their own (PLAID-CLIENT-ID -> clientId), bearer and OAuth2 share `accessToken`. */
export function credentialOptions(model: ApiModel): CredentialOption[] {
  const out: CredentialOption[] = [];
  const taken = new Set(RUNTIME_OPTIONS);
  for (const scheme of model.securitySchemes) {
    if (scheme.type === 'apiKey' && scheme.name) {
      let option = camelCase(scheme.key);
      if (!isIdentifier(option)) option = 'apiKey';
      while (taken.has(option)) option += 'Key';
      taken.add(option);
      const version = /version/i.test(scheme.name) && (model.info.apiVersion || model.info.version) ? model.info.apiVersion || model.info.version : undefined;
      out.push({
        option,
        scheme: scheme.key,
        kind: 'apiKey',
        location: scheme.in ?? 'header',
        name: scheme.name,
        defaultValue: version,
        always: version !== undefined,
        description: `Sent as the ${scheme.name} ${scheme.in ?? 'header'} (security scheme ${scheme.key})${version ? `; defaults to the API version ${version}` : ''}.${scheme.description ? `\n\n${scheme.description}` : ''}`,
      });
    } else if ((scheme.type === 'http' && /^bearer$/i.test(scheme.scheme ?? '')) || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      out.push({ option: 'accessToken', scheme: scheme.key, kind: 'bearer', description: '' });
    } else if (scheme.type === 'http' && /^basic$/i.test(scheme.scheme ?? '')) {
      out.push({ option: 'username', scheme: scheme.key, kind: 'basic', description: '' });
    }
  }
  return out;
}

function schemeKeys(requirements: SecurityRequirement[]): string[] {
  return [...new Set(requirements.flatMap((r) => Object.keys(r)))];
}

/** The `k` field of an operation descriptor: present only when its security differs from the API's. */
export function operationSchemes(op: Operation, model: ApiModel): string[] | undefined {
  if (op.security === undefined) return undefined;
  const own = schemeKeys(op.security);
  const global = schemeKeys(model.security);
  return own.length === global.length && own.every((k, i) => k === global[i]) ? undefined : own;
}

/** Environment names: a server's description lower-cased, shortened to its first word when that is unambiguous. */
export function environmentNames(servers: Server[]): (string | undefined)[] {
  const full = servers.map((s) => s.description?.trim().toLowerCase() || undefined);
  const first = full.map((d) => d?.split(/\s+/)[0]);
  return full.map((d, i) => (d === undefined ? undefined : first.filter((f) => f === first[i]).length === 1 ? first[i] : d));
}

export function serverLiteral(server: Server, name: string | undefined): string {
  const vars = server.variables.length ? `, ${jsonLiteral(Object.fromEntries(server.variables.map((v) => [v.name, v.default])))}` : '';
  const parts = [stringLiteral(server.url)];
  if (name !== undefined || vars) parts.push(name === undefined ? 'undefined' : stringLiteral(name));
  return `[${parts.join(', ')}${vars}]`;
}

/** Scope -> every scope it implies, transitively (from `implies` rules of all catalogs). */
export function impliedScopes(model: ApiModel): Map<string, string[]> {
  const direct = new Map<string, Set<string>>();
  for (const catalog of model.scopeCatalogs) {
    for (const rule of catalog.rules as ScopeRule[]) {
      if (rule.kind !== 'implies') continue;
      const set = direct.get(rule.scope) ?? new Set<string>();
      for (const s of rule.implies) set.add(s);
      direct.set(rule.scope, set);
    }
  }
  const out = new Map<string, string[]>();
  for (const scope of [...direct.keys()].sort()) {
    const seen = new Set<string>();
    const stack = [...direct.get(scope)!];
    while (stack.length) {
      const s = stack.pop()!;
      if (seen.has(s) || s === scope) continue;
      seen.add(s);
      stack.push(...(direct.get(s) ?? []));
    }
    out.set(scope, [...seen].sort());
  }
  return out;
}

/** Whether an API key goes in the query or a cookie: then the runtime needs place() from features.ts. */
export function placesCredentials(credentials: CredentialOption[]): boolean {
  return credentials.some((c) => c.kind === 'apiKey' && c.location !== undefined && c.location !== 'header');
}

/** The `ApiSpec` literal the runtime reads: servers, credentials, default security, implied scopes. */
export function apiSpecLiteral(model: ApiModel, credentials: CredentialOption[]): string {
  const names = environmentNames(model.servers);
  const servers = model.servers.map((s, i) => serverLiteral(s, names[i]));
  const auth = credentials.map((c) => {
    // Short records (see AuthSpec): the scheme key only when it is not the option name, the kind only when not an API key.
    const fields = [`o: ${stringLiteral(c.option)}`];
    if (c.scheme !== c.option) fields.push(`k: ${stringLiteral(c.scheme)}`);
    if (c.kind !== 'apiKey') fields.push(`t: ${stringLiteral(c.kind)}`);
    // Header is the default: the runtime reads a missing location as one.
    if (c.location && c.location !== 'header') fields.push(`i: ${stringLiteral(c.location)}`);
    if (c.name) fields.push(`n: ${stringLiteral(c.name)}`);
    if (c.defaultValue !== undefined) fields.push(`d: ${stringLiteral(c.defaultValue)}`);
    if (c.always) fields.push('a: 1');
    return `{ ${fields.join(', ')} }`;
  });
  const implied = impliedScopes(model);
  // JSON.parse: scope names are data, and one may well be `__proto__`.
  const implies = implied.size ? `JSON.parse(${stringLiteral(JSON.stringify(Object.fromEntries(implied)))})` : '{}';
  return [
    '{',
    `  servers: [${servers.join(', ')}],`,
    `  auth: [${auth.join(', ')}],`,
    `  security: ${jsonLiteral(schemeKeys(model.security))},`,
    `  implies: ${implies},`,
    ...(placesCredentials(credentials) ? ['  c: $place,'] : []),
    '}',
  ].join('\n');
}
