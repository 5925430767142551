import type { ApiModel, Schema } from './types.js';

/** The direct sub-schemas of a node, in a fixed order. Every walk over schemas goes through this. */
export function childSchemas(schema: Schema): Schema[] {
  const out: Schema[] = [];
  if (schema.properties) for (const p of schema.properties) out.push(p.schema);
  if (schema.additionalProperties) out.push(schema.additionalProperties);
  if (schema.patternProperties) for (const p of schema.patternProperties) out.push(p.schema);
  if (schema.propertyNames) out.push(schema.propertyNames);
  if (schema.dependentSchemas) out.push(...Object.values(schema.dependentSchemas));
  if (schema.prefixItems) out.push(...schema.prefixItems);
  if (schema.items) out.push(schema.items);
  if (schema.contains) out.push(schema.contains);
  if (schema.unevaluatedProperties) out.push(schema.unevaluatedProperties);
  if (schema.unevaluatedItems) out.push(schema.unevaluatedItems);
  if (schema.allOf) out.push(...schema.allOf);
  if (schema.anyOf) out.push(...schema.anyOf);
  if (schema.oneOf) out.push(...schema.oneOf);
  if (schema.not) out.push(schema.not);
  if (schema.if) out.push(schema.if);
  if (schema.then) out.push(schema.then);
  if (schema.else) out.push(schema.else);
  return out;
}

/** Visits a schema and all its sub-schemas (not following refs), depth first, without recursion limits. */
export function walkSchema(root: Schema, visit: (schema: Schema) => void): void {
  const stack: Schema[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    visit(node);
    const children = childSchemas(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

/** Every schema position in the model: named schemas, parameters, bodies, responses, headers. */
export function forEachModelSchema(model: Pick<ApiModel, 'schemas' | 'operations'>, visit: (schema: Schema) => void): void {
  for (const named of model.schemas) walkSchema(named.schema, visit);
  for (const op of model.operations) {
    for (const p of op.parameters) walkSchema(p.schema, visit);
    for (const m of op.requestBody?.content ?? []) walkSchema(m.schema, visit);
    for (const r of op.responses) {
      for (const m of r.content) walkSchema(m.schema, visit);
      for (const h of r.headers) walkSchema(h.schema, visit);
    }
  }
}
