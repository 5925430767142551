import type { ScopeNeed } from '../../model/scopes.js';
import type { ApiModel } from '../../model/types.js';
import { credentialOptions, impliedScopes, placesCredentials } from './api-spec.js';

/**
 * What of the fixed client runtime (templates/client/*.ts) an API uses. The runtime is copied into
 * every package, so code for what the API cannot use (basic credentials in an API without a basic
 * scheme, server variables in one whose servers have none) would only weigh on every bundle: the
 * templates mark such code, and `specialize` leaves it out.
 */
export interface RuntimeFeatures {
  /** An HTTP basic security scheme: `username`/`password`. */
  basic: boolean;
  /** A bearer, OAuth2 or OpenID Connect scheme: `accessToken` goes only to the operations using one. */
  bearerSchemes: boolean;
  /** Bearer tokens at all (the bearer plugin): a bearer-like scheme, or a token endpoint. */
  bearer: boolean;
  /** API keys sent in the query or a cookie. */
  placedKeys: boolean;
  /** A server URL with `{variables}`. */
  serverVariables: boolean;
  /** Operations with servers of their own, or with absolute URLs as paths. */
  operationServers: boolean;
  /** Operations that need scopes, or scopes implying others. */
  scopes: boolean;
}

export type RuntimeFeature = keyof RuntimeFeatures;

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

export function runtimeFeatures(model: ApiModel, needs: Map<string, ScopeNeed[]>, tokenEndpoint: boolean): RuntimeFeatures {
  const credentials = credentialOptions(model);
  const bearerSchemes = credentials.some((c) => c.kind === 'bearer');
  const servers = [...model.servers, ...model.operations.flatMap((op) => op.servers ?? [])];
  return {
    basic: credentials.some((c) => c.kind === 'basic'),
    bearerSchemes,
    bearer: bearerSchemes || tokenEndpoint,
    placedKeys: placesCredentials(credentials),
    serverVariables: servers.some((s) => s.variables.length > 0),
    operationServers: model.operations.some((op) => (op.servers?.length ?? 0) > 0 || ABSOLUTE.test(op.path)),
    scopes: [...needs.values()].some((n) => n.length > 0) || impliedScopes(model).size > 0,
  };
}

const MARK = /^\s*\/\/ @(if|else|end)\b\s*(!?)([A-Za-z]*)\s*$/;

/**
 * The template with the regions of unused features left out. A region is whole lines between
 * `// @if feature` (or `// @if !feature`), an optional `// @else`, and `// @end`; regions do not
 * nest. The marker lines themselves never reach the output.
 */
export function specialize(text: string, features: RuntimeFeatures, file = 'template'): string {
  const out: string[] = [];
  let keep = true;
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const m = MARK.exec(line);
    if (!m) {
      if (keep) out.push(line);
      continue;
    }
    const [, kind, not, name] = m;
    if (kind === 'if') {
      if (open !== undefined) throw new Error(`${file}: nested // @if ${name} inside // @if ${open}`);
      if (!(name in features)) throw new Error(`${file}: unknown runtime feature ${JSON.stringify(name)}`);
      open = name;
      keep = features[name as RuntimeFeature] !== (not === '!');
    } else if (open === undefined) {
      throw new Error(`${file}: // @${kind} without // @if`);
    } else if (kind === 'else') {
      keep = !keep;
    } else {
      open = undefined;
      keep = true;
    }
  }
  if (open !== undefined) throw new Error(`${file}: // @if ${open} is not closed`);
  return out.join('\n');
}
