// What only some operations need, referenced from their descriptors (ops.ts): parameter
// serialization per OpenAPI style/explode, non-JSON bodies, scope checks. A bundle that imports
// no operation using one of these leaves its code out.

import { ScopeError } from './errors.js';
import type { BodyEncoder, ParamApplier, ParamValues, Placer, ScopeCheck } from './runtime.js';

/** A parameter: name, location, OpenAPI style, explode, allowReserved. */
export type ParamSpec = readonly [name: string, location: 'path' | 'query' | 'header' | 'cookie', style: string, explode: boolean, allowReserved?: 1];

/** The applier of an operation's parameters. */
export function params(specs: readonly ParamSpec[]): ParamApplier {
  return (url: string, values: ParamValues | undefined, headers: Headers) => {
    // Query and cookie pairs go in after the loop: a query value is never read as a {placeholder}.
    const query: string[] = [];
    const cookies: string[] = [];
    for (const [name, location, style, explode, reserved] of specs) {
      const bag = values?.[location];
      // Own keys only: a parameter named __proto__ must not read Object.prototype.
      const value = bag && Object.hasOwn(bag, name) ? bag[name] : undefined;
      if (value === undefined) continue;
      const enc = reserved ? encodeURI : encodeURIComponent;
      if (location === 'path') url = url.split(`{${name}}`).join(serialize(name, value, style, explode, enc));
      else if (location === 'query') query.push(serialize(name, value, style, explode, enc));
      else if (location === 'header') headers.set(name, serialize(name, value, 'simple', explode, String));
      else cookies.push(serialize(name, value, 'form', explode, encodeURIComponent));
    }
    for (const pair of query) url = place(url, headers, 'query', pair);
    for (const pair of cookies) url = place(url, headers, 'cookie', pair);
    return url;
  };
}

/** Appends `name=value` to the URL's query or to the cookie header (API keys sent there, and parameters). */
export const place: Placer = (url, headers, location, pair) => {
  if (location === 'query') return url + (url.includes('?') ? '&' : '?') + pair;
  headers.set('cookie', [headers.get('cookie'), pair].filter(Boolean).join('; '));
  return url;
};

/** One parameter per OpenAPI style: simple, label, matrix, form, spaceDelimited, pipeDelimited, deepObject. */
export function serialize(name: string, value: unknown, style: string, explode: boolean, encode: (s: string) => string): string {
  const enc = (v: unknown) => encode(v instanceof Date ? v.toISOString() : String(v));
  const n = enc(name);
  const keyed = style !== 'simple' && style !== 'label';
  const lead = style === 'label' ? '.' : style === 'matrix' ? ';' : '';
  if (value === null || typeof value !== 'object' || value instanceof Date) return keyed ? `${lead}${n}=${enc(value ?? '')}` : lead + enc(value ?? '');
  if (Array.isArray(value)) {
    const items = value.map(enc);
    if (explode) {
      if (style === 'simple') return items.join(',');
      if (style === 'label') return '.' + items.join('.');
      if (style === 'matrix') return items.map((i) => `;${n}=${i}`).join('');
      return items.map((i) => `${n}=${i}`).join('&');
    }
    const sep = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '|' : ',';
    return keyed ? `${lead}${n}=${items.join(sep)}` : lead + items.join(',');
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (style === 'deepObject') return entries.map(([k, v]) => `${n}[${enc(k)}]=${enc(v)}`).join('&');
  if (explode) {
    const pairs = entries.map(([k, v]) => `${enc(k)}=${enc(v)}`);
    if (style === 'simple') return pairs.join(',');
    if (style === 'label') return '.' + pairs.join('.');
    if (style === 'matrix') return pairs.map((p) => ';' + p).join('');
    return pairs.join('&');
  }
  const flat = entries.flatMap(([k, v]) => [enc(k), enc(v)]).join(',');
  return keyed ? `${lead}${n}=${flat}` : lead + flat;
}

/** Bodies other than JSON: form-urlencoded, multipart, text and binary. */
export const encodeBody: BodyEncoder = (body, type, headers) => {
  if (/x-www-form-urlencoded/i.test(type)) {
    const form = new URLSearchParams();
    appendForm((k, v) => form.append(k, v), '', body);
    return form;
  }
  if (/multipart\/form-data/i.test(type) && body && typeof body === 'object') {
    // FormData sets its own content type, with the multipart boundary.
    headers.delete('content-type');
    const form = new FormData();
    for (const [k, v] of Object.entries(body)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) form.append(k, item instanceof Blob ? item : typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
    }
    return form;
  }
  return typeof body === 'string' || body instanceof Blob || body instanceof ArrayBuffer || ArrayBuffer.isView(body) ? (body as BodyInit) : JSON.stringify(body);
};

/** Form fields: arrays repeat the key, nested objects use brackets (a[b]=c). */
function appendForm(add: (k: string, v: string) => void, key: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) for (const v of value) appendForm(add, key, v);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) appendForm(add, key ? `${key}[${k}]` : k, v);
  } else add(key, value instanceof Date ? value.toISOString() : value === null ? '' : String(value));
}

/** The scope check of an operation: every scope of each first list, and one of each second list when given. */
export function needs(list: readonly (readonly [allOf: readonly string[], anyOf?: readonly string[]])[]): ScopeCheck {
  return (operation, granted) => {
    // A parameterized scope (`id:{bank_id}`) is held by any granted scope with its prefix.
    const has = (scope: string) => granted.includes(scope) || (scope.includes('{') && granted.some((g) => g.startsWith(scope.slice(0, scope.indexOf('{')))));
    const missing: string[] = [];
    const missingOneOf: string[][] = [];
    for (const [allOf, anyOf] of list) {
      for (const s of allOf) if (!has(s) && !missing.includes(s)) missing.push(s);
      if (anyOf?.length && !anyOf.some(has)) missingOneOf.push([...anyOf]);
    }
    if (missing.length || missingOneOf.length) throw new ScopeError(operation, missing, missingOneOf);
  };
}
