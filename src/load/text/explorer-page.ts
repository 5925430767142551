import type { Diagnostic, ScopeCatalog } from '../../model/types.js';
import { joinPointer } from '../errors.js';
import type { RawInput } from '../inputs.js';
import { catalogId, emptyCatalog, scopeDefinition } from './catalog.js';
import { codeSpans, leadSentence, paragraphs, wordSet } from './prose.js';
import { setKey } from './yaml-tokens.js';

/**
 * An API explorer page in prose (seed 004): a form whose field labels were lost in the copy, so
 * each input field is one paragraph of description. Fields get their names back from the page
 * itself: the name a paragraph is about ("Your Plaid API `client_id`."), repeated paragraphs for
 * alternative names ("as either `secret` or `client_secret`"), the words of the name in the first
 * sentence ("Refresh token for OAuth" -> `refresh_token`), and finally the fields the page mentions
 * by name that no paragraph claimed yet. What stays unnamed is reported.
 */

interface Head {
  method: string;
  path: string;
  line: number;
}

/** Parameters of an OAuth 2.0 token request (RFC 6749, RFC 8693, RFC 8707): the page says its fields "conform to the OAuth 2.0 specification". */
const OAUTH_TOKEN_FIELDS = [
  'grant_type', 'client_id', 'client_secret', 'scope', 'refresh_token', 'code', 'redirect_uri', 'code_verifier', 'username', 'password',
  'resource', 'audience', 'requested_token_type', 'subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'assertion',
];

const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const END_OF_INPUT = /^(Enter a gateway URL|Code snippet|Responses?\b|Output\b|Example response)/i;

interface FieldParagraph {
  text: string;
  line: number;
  required: boolean;
  name?: string;
}

export function explorerPage(file: string, text: string, head: Head): RawInput[] {
  const warnings: Diagnostic[] = [];
  const opPointer = joinPointer('/paths', head.path, head.method);
  const warn = (code: string, message: string, line?: number, pointer = opPointer) => warnings.push({ severity: 'warning', code, message, file, line, pointer });
  const lines = text.split('\n');

  const provider = /^provider\s+(\S+)/im.exec(text)?.[1];
  const title = /^Configure credentials for (.+)$/im.exec(text)?.[1]?.trim();

  // Title block: the method line, an optional `@scope/pkg /path` line, the summary, then the description.
  let i = head.line;
  while (i < lines.length && /^@[\w.-]+\/[\w.-]+\s+\//.test(lines[i].trim())) i++;
  const summary = lines[i]?.trim() || undefined;
  const description: string[] = [];
  for (i++; i < lines.length && lines[i].trim(); i++) description.push(lines[i].trim());
  const descriptionText = description.join('\n') || undefined;

  const paras = paragraphs(text);
  const inputAt = paras.findIndex((p) => /^input$/i.test(p.text.trim()));
  if (inputAt < 0) {
    warn('no-fields', 'the page has no "Input" section; the operation has no request body');
  }
  const fields: FieldParagraph[] = [];
  let required = false;
  for (const p of inputAt >= 0 ? paras.slice(inputAt + 1) : []) {
    const body = p.text.trim();
    if (END_OF_INPUT.test(body)) break;
    if (/^required$/i.test(body)) {
      required = true;
      continue;
    }
    if (/^optional$/i.test(body)) continue;
    fields.push({ text: body.replace(/\s*\n\s*/g, ' '), line: p.line, required });
    required = false;
  }

  const enumValues = (t: string) => [...t.matchAll(/`([^`]+)` allows\b/g)].map((m) => m[1]);
  const isListOfScopes = (f: FieldParagraph) => /\blist of scopes\b/i.test(f.text);
  nameFields(fields, text, head.path, warn);

  // The schema: one string property per named paragraph.
  const properties: Record<string, unknown> = {};
  const requiredNames: string[] = [];
  let scopeField: FieldParagraph | undefined;
  const conditions: Record<string, unknown>[] = [];
  for (const field of fields) {
    if (!field.name) continue;
    const schema: Record<string, unknown> = { type: 'string', description: field.text };
    const values = enumValues(field.text);
    if (isListOfScopes(field) || field.name === 'scope') scopeField = field;
    else if (values.length >= 2) {
      schema.enum = values;
      conditions.push(...conditionalRequirements(field.name, field.text, values));
    }
    setKey(properties, field.name, schema);
    if (field.required) requiredNames.push(field.name);
  }
  const schema: Record<string, unknown> = { type: 'object', properties };
  if (requiredNames.length) schema.required = requiredNames;
  if (conditions.length) schema.allOf = conditions;

  // Credentials: "The `client_id` is required and may be provided either in the `PLAID-CLIENT-ID` header or as part of a request body [as either `secret` or `client_secret`]."
  const securitySchemes: Record<string, unknown> = {};
  const credentials: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/The `(\w+)` is required and may be provided either in the `([\w-]+)` header or as part of a request body(?: as either `(\w+)` or `(\w+)`)?/g)) {
    const [, field, header, alt1, alt2] = m;
    if (seen.has(field)) continue;
    seen.add(field);
    const key = field.replace(/_([a-z])/g, (_x, c: string) => c.toUpperCase());
    securitySchemes[key] = { type: 'apiKey', in: 'header', name: header };
    credentials.push({ scheme: key, header, bodyFields: alt1 ? [alt1, alt2].filter(Boolean) : [field] });
  }

  const mediaTypes: string[] = [];
  const described = `${summary ?? ''}\n${descriptionText ?? ''}`;
  if (/\bJSON\b|application\/json/.test(described) || !/Content-Type/i.test(described)) mediaTypes.push('application/json');
  for (const span of codeSpans(described)) {
    const media = /^Content-Type:\s*([\w.+-]+\/[\w.+-]+)$/i.exec(span)?.[1];
    if (media && !mediaTypes.includes(media)) mediaTypes.push(media);
  }

  const operation: Record<string, unknown> = {};
  if (summary) operation.summary = summary;
  if (descriptionText) operation.description = descriptionText;
  if (Object.keys(properties).length) {
    const content: Record<string, unknown> = {};
    for (const media of mediaTypes) setKey(content, media, { schema: structuredClone(schema) });
    operation.requestBody = { required: requiredNames.length > 0, content };
  }
  if (credentials.length) {
    // Either every credential header, or none of them (the credentials are then body fields).
    operation.security = [Object.fromEntries(credentials.map((c) => [c.scheme as string, []])), {}];
    operation['x-codegen-credentials'] = credentials;
  }
  operation.responses = {};
  const pathItem: Record<string, unknown> = {};
  setKey(pathItem, head.method, operation);
  const paths: Record<string, unknown> = {};
  setKey(paths, head.path, pathItem);
  const document: Record<string, unknown> = { openapi: '3.0.3' };
  if (title) document.info = { title, version: '' };
  document.paths = paths;
  if (credentials.length) document.components = { securitySchemes };

  const out: RawInput[] = [{ kind: 'openapi', file, document, fragment: true, format: 'reference-page', warnings }];
  if (scopeField) {
    const catalog = scopeCatalogFromField(file, scopeField, provider ?? title ?? 'scopes', title, joinPointer(opPointer, 'requestBody', 'content', mediaTypes[0], 'schema', 'properties', scopeField.name ?? 'scope'), head);
    if (catalog.scopes.length) out.push({ kind: 'scopes', file, catalog, format: 'reference-page', warnings: [] });
    else warn('no-scope-values', `the ${scopeField.name} field lists no scope values`, scopeField.line);
  }
  return out;
}

/** "`refresh_token` allows ... When using this grant type, only the `refresh_token` field is required" -> if/then. */
function conditionalRequirements(field: string, text: string, values: string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const starts = values.map((v) => text.indexOf(`\`${v}\` allows`));
  values.forEach((value, n) => {
    const segment = text.slice(starts[n], n + 1 < values.length ? starts[n + 1] : undefined);
    const m = /the ((?:`\w+`(?:,\s*|,?\s+and\s+)?)+) fields? (?:is|are) required/.exec(segment);
    if (!m) return;
    const names = codeSpans(m[1]);
    out.push({
      if: { properties: { [field]: { const: value } }, required: [field] },
      then: { required: names },
    });
  });
  return out;
}

/** Names every paragraph it can; see the module comment for the order of the clues. */
function nameFields(fields: FieldParagraph[], page: string, path: string, warn: (code: string, message: string, line?: number) => void): void {
  const enumLike = new Set([...page.matchAll(/`([^`]+)` allows\b/g)].map((m) => m[1]));
  // Field names the page itself uses as such.
  const pageNames: string[] = [];
  const addName = (n: string) => {
    if (FIELD_NAME.test(n) && !pageNames.includes(n)) pageNames.push(n);
  };
  for (const m of page.matchAll(/((?:`\w+`(?:,\s*|,?\s+and\s+|\s+or\s+)?)+)\s+fields?\b/g)) codeSpans(m[1]).forEach(addName);
  for (const m of page.matchAll(/as (?:either )?`(\w+)` or `(\w+)`/g)) [m[1], m[2]].forEach(addName);
  for (const m of page.matchAll(/The `(\w+)` is required/g)) addName(m[1]);
  const vocabulary = /oauth|token/i.test(path) ? OAUTH_TOKEN_FIELDS : [];
  const taken = new Set<string>();
  const assign = (f: FieldParagraph, name: string) => {
    f.name = name;
    taken.add(name);
  };

  // 1. The paragraph says which field it is about.
  for (const f of fields) {
    const spans = codeSpans(leadSentence(f.text)).filter((s) => FIELD_NAME.test(s) && !enumLike.has(s));
    if (spans.length === 1 && !taken.has(spans[0])) assign(f, spans[0]);
  }
  // 2. A repeated paragraph is the alternative name it offers.
  fields.forEach((f, n) => {
    if (f.name) return;
    const earlier = fields.slice(0, n).find((e) => e.text === f.text && e.name);
    if (!earlier) return;
    const alternatives = /as (?:either )?`(\w+)` or `(\w+)`/.exec(f.text);
    const next = alternatives ? [alternatives[1], alternatives[2]].find((a) => !taken.has(a)) : undefined;
    if (next) assign(f, next);
  });
  // 3. Every word of a name appears in the first sentence; longer names first ("subject token type" before "subject token").
  const candidates = [...new Set([...pageNames, ...vocabulary])];
  const pairs: { f: FieldParagraph; name: string; score: number; order: number }[] = [];
  fields.forEach((f, order) => {
    if (f.name) return;
    const words = wordSet(leadSentence(f.text));
    for (const name of candidates) {
      const parts = name.split('_');
      if (parts.every((p) => words.has(p))) pairs.push({ f, name, score: parts.length, order });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.order - b.order);
  for (const { f, name } of pairs) if (!f.name && !taken.has(name)) assign(f, name);
  // 4. Fields the page names that no paragraph claimed, in the order the page mentions them.
  const left = pageNames.filter((n) => !taken.has(n));
  for (const f of fields) {
    if (f.name || left.length === 0) continue;
    assign(f, left.shift()!);
    warn('guessed-field-name', `named the field described as ${JSON.stringify(f.text.slice(0, 50))} \`${f.name}\`: the only field the page mentions that no other description matches`, f.line);
  }
  for (const f of fields) {
    if (!f.name) warn('unnamed-field', `cannot tell which field ${JSON.stringify(f.text.slice(0, 60))} describes; left out of the request schema`, f.line);
  }
  for (const n of left) warn('undescribed-field', `the page mentions the field \`${n}\` but no paragraph describes it`);
}

function scopeCatalogFromField(file: string, field: FieldParagraph, provider: string, title: string | undefined, pointer: string, head: Head): ScopeCatalog {
  const catalog = emptyCatalog(catalogId(provider), file, pointer);
  if (title) catalog.title = title;
  catalog.description = `Values of the \`${field.name}\` field of the token request.`;
  catalog.tokenOperation = `${head.method.toUpperCase()} ${head.path}`;
  const accepted = /accepted values are:?\s*(.*)$/i.exec(field.text)?.[1] ?? field.text;
  // Each value's description runs up to the next "`value` allows" (it may hold code spans itself).
  const marks = [...accepted.matchAll(/`([^`]+)` allows\b/g)];
  marks.forEach((m, n) => {
    const end = n + 1 < marks.length ? marks[n + 1].index : accepted.length;
    const description = accepted.slice(m.index + m[0].length - 'allows'.length, end).trim().replace(/^allows/, 'Allows');
    catalog.scopes.push(scopeDefinition(m[1], description));
  });
  return catalog;
}
