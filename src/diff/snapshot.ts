import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ApiModel, MediaContent, NamedSchema, Operation, Parameter, Schema, ScopeCatalog } from '../model/types.js';
import { childSchemas } from '../model/walk.js';

/**
 * The output folder keeps the API shape it was generated from, so the next generation can say what
 * changed and bump the version: `DIR/.codegen/model.jsonl`, one JSON record per line (a header, then
 * one line per schema and per operation) so that a spec update shows up in `git diff` as the lines
 * of what changed. Descriptions and examples are left out (a hash stands for them): they are most
 * of the bytes and never break a caller. Not part of the published package.
 */
export const SNAPSHOT_FILE = '.codegen/model.jsonl';
const FORMAT = 'codegen-model-snapshot@1';

export interface Snapshot {
  /** The generated package's version at the time. */
  version: string;
  /** Hash of the whole model, documentation included: it changes when only docs change. */
  docsHash: string;
  /** Hash of the generated files (but package.json and the changelog): it changes when codegen's output does. */
  outputHash: string;
  /** Entry points the package had (`types`, `client`, ...). */
  entries: string[];
  /** The API shape, with empty sources and no documentation. */
  model: ApiModel;
}

interface Header {
  format: string;
  version: string;
  docsHash: string;
  outputHash: string;
  entries: string[];
  info: ApiModel['info'];
  servers: ApiModel['servers'];
  securitySchemes: ApiModel['securitySchemes'];
  security: ApiModel['security'];
}

const NO_SOURCE = { file: '', pointer: '' };

/** Hash of everything in the model that reaches generated code, but where the input files were. */
export function modelHash(model: ApiModel): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify([model.info, model.servers, model.securitySchemes, model.security]));
  for (const s of model.schemas) h.update(JSON.stringify([s.key, s.symbol, s.schema]));
  for (const op of model.operations) h.update(JSON.stringify({ ...op, source: undefined }));
  for (const c of model.scopeCatalogs) h.update(JSON.stringify({ ...c, source: undefined }));
  return h.digest('hex');
}

/** The model as a snapshot holds it: no documentation, no sources, no diagnostics. */
export function stripModel(model: ApiModel): ApiModel {
  return {
    info: { ...model.info, description: undefined },
    servers: model.servers.map((s) => ({ ...s, description: undefined, variables: s.variables.map((v) => ({ ...v, description: undefined })) })),
    securitySchemes: model.securitySchemes.map((s) => ({ ...s, description: undefined })),
    security: model.security,
    schemas: model.schemas.map((s) => ({ key: s.key, symbol: s.symbol, schema: stripSchema(s.schema), source: NO_SOURCE })),
    operations: model.operations.map((op) => ({ ...stripOperation(op), source: NO_SOURCE })),
    scopeCatalogs: model.scopeCatalogs.map((c) => ({ ...stripCatalog(c), source: NO_SOURCE })),
    warnings: [],
    conflicts: [],
    enrichments: [],
    sources: [],
  };
}

/** The snapshot file of a model; `stripped` is `stripModel(model)`, `docsHash` is `modelHash(model)`. */
export function renderSnapshot(stripped: ApiModel, meta: Omit<Snapshot, 'model'>): string {
  const header: Header = {
    format: FORMAT,
    version: meta.version,
    docsHash: meta.docsHash,
    outputHash: meta.outputHash,
    entries: meta.entries,
    info: stripped.info,
    servers: stripped.servers,
    securitySchemes: stripped.securitySchemes,
    security: stripped.security,
  };
  const lines = [JSON.stringify(header)];
  for (const s of stripped.schemas) lines.push(JSON.stringify({ schema: { key: s.key, symbol: s.symbol, schema: s.schema } }));
  for (const op of stripped.operations) lines.push(JSON.stringify({ operation: { ...op, source: undefined } }));
  for (const c of stripped.scopeCatalogs) lines.push(JSON.stringify({ scopeCatalog: { ...c, source: undefined } }));
  return lines.join('\n') + '\n';
}

/** Reads a snapshot; undefined when there is none or it is not one this codegen understands. */
export async function readSnapshot(outDir: string): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(outDir, SNAPSHOT_FILE), 'utf8');
  } catch {
    return undefined;
  }
  return parseSnapshot(text);
}

export function parseSnapshot(text: string): Snapshot | undefined {
  try {
    const lines = text.split('\n').filter((l) => l.trim());
    const header = JSON.parse(lines[0]) as Header;
    if (header.format !== FORMAT) return undefined;
    const model: ApiModel = {
      info: header.info,
      servers: header.servers,
      securitySchemes: header.securitySchemes,
      security: header.security,
      operations: [],
      schemas: [],
      scopeCatalogs: [],
      warnings: [],
      conflicts: [],
      enrichments: [],
      sources: [],
    };
    for (const line of lines.slice(1)) {
      const record = JSON.parse(line) as { schema?: Omit<NamedSchema, 'source'>; operation?: Omit<Operation, 'source'>; scopeCatalog?: Omit<ScopeCatalog, 'source'> };
      if (record.schema) model.schemas.push({ ...record.schema, source: NO_SOURCE });
      else if (record.operation) model.operations.push({ ...record.operation, source: NO_SOURCE });
      else if (record.scopeCatalog) model.scopeCatalogs.push({ ...record.scopeCatalog, source: NO_SOURCE });
    }
    return { version: header.version, docsHash: header.docsHash, outputHash: header.outputHash, entries: header.entries, model };
  } catch {
    return undefined;
  }
}

const DOC_KEYS = ['title', 'description', 'example', 'hasExample', 'examples'] as const;

/** A schema without its documentation; every sub-schema too (rebuilt through the one child list of model/walk). */
export function stripSchema(schema: Schema): Schema {
  const out: Schema = { ...schema };
  for (const key of DOC_KEYS) delete out[key];
  if (childSchemas(schema).length === 0) return out;
  if (out.properties) out.properties = out.properties.map((p) => ({ name: p.name, schema: stripSchema(p.schema) }));
  if (out.patternProperties) out.patternProperties = out.patternProperties.map((p) => ({ pattern: p.pattern, schema: stripSchema(p.schema) }));
  if (out.dependentSchemas) out.dependentSchemas = Object.fromEntries(Object.entries(out.dependentSchemas).map(([k, v]) => [k, stripSchema(v)]));
  for (const key of ['additionalProperties', 'unevaluatedProperties', 'propertyNames', 'items', 'unevaluatedItems', 'contains', 'not', 'if', 'then', 'else'] as const) {
    const sub = out[key];
    if (sub) out[key] = stripSchema(sub);
  }
  for (const key of ['prefixItems', 'allOf', 'anyOf', 'oneOf'] as const) {
    const list = out[key];
    if (list) out[key] = list.map(stripSchema);
  }
  return out;
}

const stripMedia = (m: MediaContent): MediaContent => ({ mediaType: m.mediaType, schema: stripSchema(m.schema), examples: [] });
const stripParameter = (p: Parameter): Parameter => ({ ...p, description: undefined, schema: stripSchema(p.schema), examples: [] });

function stripOperation(op: Operation): Omit<Operation, 'source'> {
  const { source: _source, summary: _summary, description: _description, ...rest } = op;
  return {
    ...rest,
    parameters: op.parameters.map(stripParameter),
    requestBody: op.requestBody && { required: op.requestBody.required, content: op.requestBody.content.map(stripMedia) },
    responses: op.responses.map((r) => ({
      status: r.status,
      content: r.content.map(stripMedia),
      headers: r.headers.map((h) => ({ ...h, description: undefined, schema: stripSchema(h.schema) })),
    })),
    servers: op.servers?.map((s) => ({ ...s, description: undefined })),
  };
}

function stripCatalog(c: ScopeCatalog): Omit<ScopeCatalog, 'source'> {
  const { source: _source, ...rest } = c;
  return {
    ...rest,
    description: undefined,
    scopes: c.scopes.map((s) => ({ ...s, description: undefined })),
    groups: c.groups.map((g) => ({ ...g, description: undefined })),
    rules: c.rules.map((r) => ({ ...r, description: undefined })),
    entitlements: c.entitlements.map((e) => ({ ...e, description: undefined })),
  };
}
