import { createWriter, type CodeBlockWriter } from '../shared/writer.js';
import { errorResponses, preferredMedia, successResponses } from '../../model/operation.js';
import type { ApiModel, NamedSchema, Operation, Schema } from '../../model/types.js';
import { walkSchema } from '../../model/walk.js';
import { hashKey, openPieces } from '../../write/cache.js';
import type { OutputFile } from '../output.js';
import { propertyKey } from '../shared/escape.js';
import { writeDoc, schemaDoc } from '../shared/jsdoc.js';
import { fileHeader } from '../shared/header.js';
import { schemaType, type TypeContext } from './from-schema.js';
import { printObjectBody, printType, text, union, UNKNOWN, type TsProp, type TsType } from './ts-type.js';

/** `src/types.ts`: one exported type per component schema, and request/response/error/params types per operation. */
export function emitTypes(model: ApiModel): OutputFile[] {
  const ctx: TypeContext = { schemas: new Map(model.schemas.map((s) => [s.key, s])), refName: (symbol) => symbol };
  // Each declaration is rendered on its own and memoized (write/cache.ts): a spec update that
  // changes one schema re-renders that one. Pieces are separated by one blank line, as one writer
  // would have written them.
  const pieces = openPieces('types-declarations', [model.info.title, ...model.sources]);
  const render = (write: (w: CodeBlockWriter) => void) => {
    const w = createWriter();
    write(w);
    return w.toString();
  };
  const parts: string[] = [];
  for (const named of model.schemas) parts.push(pieces.memo(declarationKey(named, ctx), () => render((w) => writeNamedSchema(w, named, ctx))));
  for (const op of model.operations) parts.push(render((w) => writeOperationTypes(w, op, ctx)));
  parts.push(render((w) => writeOperationsMap(w, model)));
  pieces.save();
  const body = parts.map((p) => p.replace(/^\n+/, '')).filter((p) => p !== '');
  return [{ path: 'src/types.ts', content: fileHeader(model, 'Types for every schema and operation of the API.') + body.join('\n') }];
}

/**
 * What a named schema's declaration depends on: its own schema and symbol, the symbols of the
 * schemas it references, and, where it has allOf, every schema its allOf branches reach through
 * refs (required-ness is looked up there).
 */
function declarationKey(named: NamedSchema, ctx: TypeContext): string {
  const refs: string[] = [];
  const reach: Schema[] = [];
  walkSchema(named.schema, (node) => {
    if (node.ref !== undefined) refs.push(`${node.ref}=${ctx.schemas.get(node.ref)?.symbol ?? ''}`);
    if (node.allOf) reach.push(...node.allOf);
  });
  const closure = new Set<string>();
  while (reach.length) {
    const node = reach.pop()!;
    if (node.ref !== undefined && !closure.has(node.ref)) {
      closure.add(node.ref);
      const target = ctx.schemas.get(node.ref);
      if (target) reach.push(target.schema);
    }
    if (node.allOf) reach.push(...node.allOf);
  }
  return hashKey(named.symbol, JSON.stringify(named.schema), refs.join('\n'), ...[...closure].sort().map((k) => JSON.stringify(ctx.schemas.get(k)?.schema ?? null)));
}

function writeNamedSchema(w: CodeBlockWriter, named: NamedSchema, ctx: TypeContext): void {
  const type = schemaType(named.schema, ctx);
  w.blankLineIfLastNot();
  const dangling = named.schema.unresolved !== undefined && named.schema.unresolved !== `#/components/schemas/${named.key}`;
  writeDoc(w, schemaDoc(named.schema, dangling ? `Opaque: ${named.schema.unresolved} is not defined by any input.` : undefined));
  if (type.k === 'object') {
    w.write(`export interface ${named.symbol} `);
    printObjectBody(w, type);
    w.newLine();
  } else {
    w.write(`export type ${named.symbol} = `);
    printType(w, type);
    w.write(';').newLine();
  }
}

export function requestBodyType(op: Operation, ctx: TypeContext): TsType | undefined {
  const media = op.requestBody && preferredMedia(op.requestBody.content);
  return media ? schemaType(media.schema, ctx) : undefined;
}

export function responseBodyType(op: Operation, ctx: TypeContext): TsType {
  const bodies = successResponses(op).map((r) => preferredMedia(r.content));
  if (bodies.length === 0) return UNKNOWN;
  return union(bodies.map((m) => (m ? schemaType(m.schema, ctx) : text('void'))));
}

export function errorBodyType(op: Operation, ctx: TypeContext): TsType {
  const bodies = errorResponses(op).flatMap((r) => {
    const m = preferredMedia(r.content);
    return m ? [schemaType(m.schema, ctx)] : [];
  });
  return bodies.length ? union(bodies) : UNKNOWN;
}

function writeAlias(w: CodeBlockWriter, symbol: string, type: TsType, doc: string): void {
  // The body schema may already carry exactly this name; then it is the type, not an alias of it.
  if (type.k === 'text' && type.text === symbol) return;
  w.blankLineIfLastNot();
  writeDoc(w, { description: doc });
  w.write(`export type ${symbol} = `);
  printType(w, type);
  w.write(';').newLine();
}

function writeOperationTypes(w: CodeBlockWriter, op: Operation, ctx: TypeContext): void {
  const label = `${op.method.toUpperCase()} ${op.path}`;
  const request = requestBodyType(op, ctx);
  writeAlias(w, op.symbols.request, request ?? text('void'), `Request body of ${op.name} (${label}).`);
  writeAlias(w, op.symbols.response, responseBodyType(op, ctx), `Success body of ${op.name} (${label}).`);
  writeAlias(w, op.symbols.error, errorBodyType(op, ctx), `Error body of ${op.name} (${label}).`);
  if (op.parameters.length) {
    w.blankLineIfLastNot();
    writeDoc(w, { description: `Parameters of ${op.name} (${label}), by location.` });
    const groups: TsProp[] = [];
    for (const location of ['path', 'query', 'header', 'cookie'] as const) {
      const params = op.parameters.filter((p) => p.in === location);
      if (!params.length) continue;
      groups.push({
        name: location,
        optional: !params.some((p) => p.required),
        type: {
          k: 'object',
          props: params.map((p) => ({ name: p.name, optional: !p.required, type: schemaType(p.schema, ctx), doc: { ...schemaDoc(p.schema), description: p.description ?? p.schema.description, deprecated: p.deprecated } })),
        },
      });
    }
    w.write(`export interface ${op.symbols.params} `);
    printObjectBody(w, { k: 'object', props: groups });
    w.newLine();
  }
}

/** One entry per operation, so generic code (the client, mocks) can look types up by operation name. */
function writeOperationsMap(w: CodeBlockWriter, model: ApiModel): void {
  w.blankLineIfLastNot();
  writeDoc(w, { description: 'Every operation by name: its request body, success body, error body and parameters.' });
  w.write('export interface Operations {').newLine();
  w.indent(() => {
    for (const op of model.operations) {
      w.write(`${propertyKey(op.name)}: { request: ${op.symbols.request}; response: ${op.symbols.response}; error: ${op.symbols.error}; params: ${op.parameters.length ? op.symbols.params : '{}'} };`).newLine();
    }
  });
  w.write('}').newLine();
}
