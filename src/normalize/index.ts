import type { RawInput } from '../load/inputs.js';
import type { ApiModel, Diagnostic, NamedSchema, Operation, Schema, ScopeCatalog } from '../model/types.js';
import { forEachModelSchema } from '../model/walk.js';
import { mergeFragments } from './merge.js';
import { assignNames } from './names.js';
import { normalizeOpenApi, type Fragment } from './openapi.js';
import { catalogsFromSecuritySchemes } from './security-scopes.js';

/** Turns loaded inputs into the one model every emitter reads. */
export function buildModel(inputs: RawInput[]): ApiModel {
  const seenFormats = new Map<string, string>();
  const fragments: Fragment[] = [];
  const catalogs: ScopeCatalog[] = [];
  const warnings: Diagnostic[] = [];
  for (const input of inputs) {
    if (input.kind === 'openapi') {
      fragments.push(normalizeOpenApi(input, seenFormats));
    } else {
      catalogs.push(input.catalog);
      warnings.push(...input.warnings);
    }
  }
  warnings.unshift(...fragments.flatMap((f) => f.warnings.list));

  const merged = mergeFragments(fragments, catalogs);
  const schemaKeys = new Set(merged.schemas.map((s) => s.key));
  warnings.push(...resolveDanglingRefs(merged, schemaKeys));
  warnings.push(...breakAliasCycles(merged.schemas));

  const info = merged.info ?? { title: 'API', version: '', apiVersion: '', openapi: '3.0.0' };
  const model: ApiModel = {
    info,
    servers: merged.servers,
    securitySchemes: merged.securitySchemes,
    security: merged.security,
    operations: merged.operations,
    schemas: merged.schemas,
    scopeCatalogs: merged.scopeCatalogs,
    warnings,
    conflicts: merged.conflicts,
    enrichments: merged.enrichments,
    sources: [...new Set(inputs.map((i) => i.file))],
  };
  model.scopeCatalogs.push(...catalogsFromSecuritySchemes(model).filter((c) => !model.scopeCatalogs.some((x) => x.id === c.id)));
  warnings.push(...assignNames(model));
  return model;
}

/**
 * A `$ref` to a schema that no input defines becomes an opaque `unknown` node, with one warning per
 * missing name saying how often it is used: never a crash.
 */
function resolveDanglingRefs(model: { schemas: NamedSchema[]; operations: Operation[] }, keys: Set<string>): Diagnostic[] {
  const missing = new Map<string, number>();
  forEachModelSchema(model, (schema: Schema) => {
    if (schema.ref !== undefined && !keys.has(schema.ref)) {
      missing.set(schema.ref, (missing.get(schema.ref) ?? 0) + 1);
      schema.unresolved = `#/components/schemas/${schema.ref}`;
      delete schema.ref;
    }
  });
  return [...missing].map(([key, count]) => ({
    severity: 'warning' as const,
    code: 'unresolved-ref',
    message: `schema ${JSON.stringify(key)} is referenced ${count} time(s) but no input defines it; typed as unknown`,
    pointer: `/components/schemas/${key}`,
  }));
}

/** `A: {$ref: B}, B: {$ref: A}` has no meaning as a type; each schema on such a loop becomes unknown. */
function breakAliasCycles(schemas: NamedSchema[]): Diagnostic[] {
  const byKey = new Map(schemas.map((s) => [s.key, s]));
  const aliasOf = (s: Schema): string | undefined => {
    if (s.ref !== undefined) return s.ref;
    const only = s.allOf ?? s.anyOf ?? s.oneOf;
    return only && only.length === 1 && only[0].ref !== undefined ? only[0].ref : undefined;
  };
  const out: Diagnostic[] = [];
  for (const named of schemas) {
    const seen = new Set<string>([named.key]);
    let next = aliasOf(named.schema);
    while (next !== undefined && !seen.has(next)) {
      seen.add(next);
      const target = byKey.get(next);
      next = target ? aliasOf(target.schema) : undefined;
    }
    if (next === named.key) {
      out.push({
        severity: 'warning',
        code: 'alias-cycle',
        message: `schema ${JSON.stringify(named.key)} is only an alias on a $ref loop (${[...seen].join(' -> ')} -> ${named.key}); typed as unknown`,
        file: named.source.file,
        pointer: named.source.pointer,
      });
    }
  }
  for (const d of out) {
    const named = schemas.find((s) => s.source.pointer === d.pointer && s.source.file === d.file)!;
    const note = `Opaque: ${d.message.replace(/; typed as unknown$/, '')}.`;
    named.schema = { unresolved: `#/components/schemas/${named.key}`, description: named.schema.description ? `${named.schema.description}\n\n${note}` : note };
  }
  return out;
}
