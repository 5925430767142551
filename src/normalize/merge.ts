import { joinPointer } from '../load/errors.js';
import type {
  ApiInfo,
  Conflict,
  Enrichment,
  JsonValue,
  MediaContent,
  NamedSchema,
  Operation,
  ScopeCatalog,
  SecurityRequirement,
  SecurityScheme,
  Server,
} from '../model/types.js';
import type { Fragment } from './openapi.js';

export interface Merged {
  info?: ApiInfo;
  servers: Server[];
  securitySchemes: SecurityScheme[];
  security: SecurityRequirement[];
  operations: Operation[];
  schemas: NamedSchema[];
  scopeCatalogs: ScopeCatalog[];
  conflicts: Conflict[];
  enrichments: Enrichment[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const json = (v: unknown): JsonValue => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as JsonValue));

/**
 * Merges inputs in order. Later inputs win; what they change is a conflict (both values kept in the
 * report), and what they only add to an operation another input defined is an enrichment.
 */
export function mergeFragments(fragments: Fragment[], catalogs: ScopeCatalog[]): Merged {
  const out: Merged = { servers: [], securitySchemes: [], security: [], operations: [], schemas: [], scopeCatalogs: [], conflicts: [], enrichments: [] };
  const schemaIndex = new Map<string, number>();
  const operationIndex = new Map<string, number>();
  let securitySet = false;

  // A whole spec's info outranks a fragment's, whatever the order.
  const infoSource = fragments.find((f) => !f.fragment && f.info) ?? fragments.find((f) => f.info);
  out.info = infoSource?.info;

  for (const fragment of fragments) {
    for (const server of fragment.servers) {
      if (!out.servers.some((s) => s.url === server.url)) out.servers.push(server);
    }
    for (const scheme of fragment.securitySchemes) {
      const i = out.securitySchemes.findIndex((s) => s.key === scheme.key);
      if (i < 0) out.securitySchemes.push(scheme);
      else if (!same(out.securitySchemes[i], scheme)) {
        out.conflicts.push(conflict('securityScheme', scheme.key, out.securitySchemes[i], scheme, previousFile(fragments, fragment), fragment.file, joinPointer('/components/securitySchemes', scheme.key)));
        out.securitySchemes[i] = scheme;
      }
    }
    if (fragment.security && !securitySet) {
      out.security = fragment.security;
      securitySet = true;
    }
    for (const schema of fragment.schemas) {
      const i = schemaIndex.get(schema.key);
      if (i === undefined) {
        schemaIndex.set(schema.key, out.schemas.length);
        out.schemas.push(schema);
      } else if (!same(out.schemas[i].schema, schema.schema)) {
        const prev = out.schemas[i];
        out.conflicts.push({
          kind: 'schema',
          key: schema.key,
          previous: { file: prev.source.file, pointer: prev.source.pointer, value: json(prev.schema) },
          next: { file: schema.source.file, pointer: schema.source.pointer, value: json(schema.schema) },
        });
        out.schemas[i] = schema;
      }
    }
    for (const operation of fragment.operations) {
      const key = `${operation.method} ${operation.path}`;
      const i = operationIndex.get(key);
      if (i === undefined) {
        operationIndex.set(key, out.operations.length);
        out.operations.push(operation);
      } else {
        out.operations[i] = mergeOperation(out.operations[i], operation, out);
      }
    }
  }

  for (const catalog of catalogs) {
    const i = out.scopeCatalogs.findIndex((c) => c.id === catalog.id);
    if (i < 0) out.scopeCatalogs.push(catalog);
    else {
      const prev = out.scopeCatalogs[i];
      if (!same({ ...prev, source: null }, { ...catalog, source: null })) {
        out.conflicts.push(conflict('scopeCatalog', catalog.id, prev, catalog, prev.source.file, catalog.source.file, catalog.source.pointer));
      }
      out.scopeCatalogs[i] = catalog;
    }
  }
  return out;
}

function previousFile(fragments: Fragment[], current: Fragment): string {
  const index = fragments.indexOf(current);
  return index > 0 ? fragments[index - 1].file : current.file;
}

function conflict(kind: Conflict['kind'], key: string, previous: unknown, next: unknown, prevFile: string, nextFile: string, pointer: string): Conflict {
  return { kind, key, previous: { file: prevFile, pointer, value: json(previous) }, next: { file: nextFile, pointer, value: json(next) } };
}

/** Merges operation `b` (later input) into `a`: b's media types, responses and parameters are added or win. */
function mergeOperation(a: Operation, b: Operation, out: Merged): Operation {
  const key = `${a.method.toUpperCase()} ${a.path}`;
  const enrich = (message: string) => out.enrichments.push({ kind: 'operation', key, file: b.source.file, pointer: b.source.pointer, message });
  const clash = (field: string, previous: unknown, next: unknown) =>
    out.conflicts.push({
      kind: 'operation',
      key: `${key} ${field}`,
      previous: { file: a.source.file, pointer: joinPointer(a.source.pointer, ...field.split('.')), value: json(previous) },
      next: { file: b.source.file, pointer: joinPointer(b.source.pointer, ...field.split('.')), value: json(next) },
    });
  const merged: Operation = { ...a, parameters: [...a.parameters], responses: [...a.responses] };

  for (const field of ['operationId', 'summary', 'description'] as const) {
    if (b[field] === undefined || b[field] === a[field]) continue;
    if (a[field] === undefined) {
      merged[field] = b[field];
      enrich(`adds ${field}`);
    } else {
      clash(field, a[field], b[field]);
      merged[field] = b[field];
    }
  }

  for (const param of b.parameters) {
    const i = merged.parameters.findIndex((p) => p.name === param.name && p.in === param.in);
    if (i < 0) {
      merged.parameters.push(param);
      enrich(`adds ${param.in} parameter ${param.name}`);
    } else if (!same(merged.parameters[i], param)) {
      clash(`parameters.${param.in}.${param.name}`, merged.parameters[i], param);
      merged.parameters[i] = param;
    }
  }

  if (b.requestBody) {
    if (!a.requestBody) {
      merged.requestBody = b.requestBody;
      enrich('adds the request body');
    } else {
      const content = mergeContent(a.requestBody.content, b.requestBody.content, 'requestBody', enrich, clash);
      merged.requestBody = { ...a.requestBody, content, required: a.requestBody.required || b.requestBody.required };
    }
  }

  for (const response of b.responses) {
    const i = merged.responses.findIndex((r) => r.status === response.status);
    if (i < 0) {
      merged.responses.push(response);
      enrich(`adds response ${response.status}`);
    } else {
      const content = mergeContent(merged.responses[i].content, response.content, `responses.${response.status}`, enrich, clash);
      merged.responses[i] = { ...merged.responses[i], content };
    }
  }

  if (b.security && !same(a.security, b.security)) {
    if (a.security) clash('security', a.security, b.security);
    else enrich('adds security requirements');
    merged.security = b.security;
  }
  if (b.tags.length) merged.tags = [...new Set([...a.tags, ...b.tags])];
  // x-* extensions (e.g. a reference page's x-codegen-credentials) merge like the rest: added or later wins.
  for (const [name, value] of Object.entries(b.extensions ?? {})) {
    const previous = a.extensions?.[name];
    if (previous === undefined) enrich(`adds ${name}`);
    else if (!same(previous, value)) clash(name, previous, value);
    else continue;
    merged.extensions = { ...(merged.extensions ?? {}), [name]: value };
  }
  return merged;
}

function mergeContent(
  a: MediaContent[],
  b: MediaContent[],
  where: string,
  enrich: (message: string) => void,
  clash: (field: string, previous: unknown, next: unknown) => void,
): MediaContent[] {
  const out = [...a];
  for (const media of b) {
    const i = out.findIndex((m) => m.mediaType === media.mediaType);
    if (i < 0) {
      out.push(media);
      enrich(`adds ${media.mediaType} to ${where}`);
    } else if (!same(out[i].schema, media.schema)) {
      clash(`${where}.content.${media.mediaType}.schema`, out[i].schema, media.schema);
      out[i] = { ...media, examples: media.examples.length ? media.examples : out[i].examples };
    } else if (media.examples.length && !same(out[i].examples, media.examples)) {
      out[i] = { ...out[i], examples: [...out[i].examples, ...media.examples.filter((e) => !out[i].examples.some((x) => same(x, e)))] };
    }
  }
  return out;
}
