import { errorResponses, preferredMedia, successResponses } from '../../model/operation.js';
import type { ApiModel, NamedSchema, Operation, Schema } from '../../model/types.js';
import { walkSchema } from '../../model/walk.js';
import { schemaType, type TypeContext } from '../types/from-schema.js';
import { printDeclaration, printType, text, union, UNKNOWN, type TsType } from '../types/ts-type.js';
import { propertyKey } from '../shared/escape.js';
import { schemaDoc, writeDoc } from '../shared/jsdoc.js';
import { createWriter, type CodeBlockWriter } from '../shared/writer.js';
import type { OutputFile } from '../output.js';
import { groupModules, TYPE_MODULE_HEADER, typeImports, type TypeNode } from '../types/index.js';

/**
 * Response-direction types: what the client receives. A string enum there also admits values the
 * spec does not list yet (`"a" | "b" | (string & {})`: editors still complete the known ones), so a
 * server that adds an enum value never breaks a deployed client; request types stay strict.
 *
 * Only schemas that differ from their request form are re-emitted (those holding a string enum,
 * directly or through a reference) and only when a response or a webhook can reach them; every
 * other reference points at the shared type in ../types.ts.
 */
export interface OpenTypes {
  /** Schema keys emitted in client/types.ts. */
  emitted: Set<string>;
  /** The type context for client/types.ts: local names for emitted schemas, `$T.X` for the rest. */
  ctx: TypeContext;
}

/** Added to every union of two or more string literals in a received type. */
export const OPEN_STRING = text('(string & {})');

export function isBinaryMedia(mediaType: string): boolean {
  return !/json|^text\/|x-www-form-urlencoded|multipart\/|xml/i.test(mediaType);
}

export function planOpenTypes(model: ApiModel, extraRoots: string[]): OpenTypes {
  const byKey = new Map(model.schemas.map((s) => [s.key, s]));
  const bySymbol = new Map(model.schemas.map((s) => [s.symbol, s]));
  const rawCtx: TypeContext = { schemas: byKey, refName: (symbol) => symbol };

  // Which schemas hold an openable enum of their own, and who references whom.
  const openable = new Set<string>();
  const referrers = new Map<string, string[]>();
  const refsOf = new Map<string, string[]>();
  for (const named of model.schemas) {
    if (hasOpenableUnion(schemaType(named.schema, rawCtx))) openable.add(named.key);
    const refs = schemaRefs(named.schema);
    refsOf.set(named.key, refs);
    for (const r of refs) referrers.set(r, [...(referrers.get(r) ?? []), named.key]);
  }
  // A schema differs when it, or anything it references, is openable.
  const differs = new Set<string>(openable);
  const queue = [...openable];
  while (queue.length) {
    for (const parent of referrers.get(queue.pop()!) ?? []) {
      if (!differs.has(parent)) {
        differs.add(parent);
        queue.push(parent);
      }
    }
  }
  // What the client receives: success and error bodies, and webhook payloads.
  const reachable = new Set<string>();
  const stack: string[] = [...extraRoots];
  for (const op of model.operations) {
    for (const r of [...successResponses(op), ...errorResponses(op)]) for (const m of r.content) stack.push(...schemaRefs(m.schema));
  }
  while (stack.length) {
    const key = stack.pop()!;
    if (reachable.has(key) || !byKey.has(key)) continue;
    reachable.add(key);
    stack.push(...(refsOf.get(key) ?? []));
  }
  const emitted = new Set([...reachable].filter((k) => differs.has(k)));
  const ctx: TypeContext = {
    schemas: byKey,
    refName: (symbol) => (emitted.has(bySymbol.get(symbol)?.key ?? '') ? symbol : `$T.${symbol}`),
  };
  return { emitted, ctx };
}

/** Every union of two or more string literals also admits any other string. */
export function openUp(type: TsType): TsType {
  switch (type.k) {
    case 'text':
      return type;
    case 'union': {
      const members = type.members.map(openUp);
      const literals = members.filter((m) => m.k === 'text' && m.text.startsWith('"')).length;
      return { k: 'union', members: literals >= 2 ? [...members, OPEN_STRING] : members };
    }
    case 'intersection':
      return { k: 'intersection', members: type.members.map(openUp) };
    case 'array':
      return { k: 'array', element: openUp(type.element) };
    case 'tuple':
      return { k: 'tuple', elements: type.elements.map(openUp), rest: type.rest && openUp(type.rest) };
    case 'object':
      return { k: 'object', props: type.props.map((p) => ({ ...p, type: openUp(p.type) })), index: type.index && openUp(type.index) };
    case 'generic':
      // Only the first argument is a value type: Pick's key list must stay exact.
      return { k: 'generic', name: type.name, args: type.args.map((a, i) => (i === 0 ? openUp(a) : a)) };
  }
}

function hasOpenableUnion(type: TsType): boolean {
  switch (type.k) {
    case 'text':
      return false;
    case 'union':
      return type.members.filter((m) => m.k === 'text' && m.text.startsWith('"')).length >= 2 || type.members.some(hasOpenableUnion);
    case 'intersection':
      return type.members.some(hasOpenableUnion);
    case 'array':
      return hasOpenableUnion(type.element);
    case 'tuple':
      return type.elements.some(hasOpenableUnion) || (!!type.rest && hasOpenableUnion(type.rest));
    case 'object':
      return type.props.some((p) => hasOpenableUnion(p.type)) || (!!type.index && hasOpenableUnion(type.index));
    case 'generic':
      return hasOpenableUnion(type.args[0]);
  }
}

export function schemaRefs(schema: Schema): string[] {
  const out: string[] = [];
  walkSchema(schema, (node) => {
    if (node.ref !== undefined) out.push(node.ref);
  });
  return out;
}

/** The received type of an operation's success body: opened, and a Blob for binary media. */
export function receivedResponseType(op: Operation, open: OpenTypes): TsType {
  const bodies = successResponses(op).map((r) => preferredMedia(r.content));
  if (bodies.length === 0) return UNKNOWN;
  return union(bodies.map((m) => (!m ? text('void') : isBinaryMedia(m.mediaType) ? text('Blob') : openUp(schemaType(m.schema, open.ctx)))));
}

export function receivedErrorType(op: Operation, open: OpenTypes): TsType {
  const bodies = errorResponses(op).flatMap((r) => {
    const m = preferredMedia(r.content);
    return m ? [isBinaryMedia(m.mediaType) ? text('Blob') : openUp(schemaType(m.schema, open.ctx))] : [];
  });
  return bodies.length ? union(bodies) : UNKNOWN;
}

/** Where the client's types live: received modules under client/types/, strict ones under types/. */
export interface ReceivedLayout {
  /** The module of a received type, relative to src/ without extension (`client/types/X` or `types/X`). */
  moduleOf(symbol: string): string;
  /** Received symbols declared under client/types/. */
  local: Set<string>;
  files: OutputFile[];
}

/**
 * `client/types/<Module>.ts`: the received form of every schema that has one and of every
 * operation's success and error bodies, grouped into modules as the strict types are
 * (groupModules), each importing only what it references (the received module when there is one,
 * else the strict one under types/), so that one operation's entry point loads only its own types.
 * A received body identical to the strict type is not repeated: it is the strict type.
 * `client/types.ts` (writeOpenTypes) holds the same types in one module, for the whole client.
 */
export function openTypeModules(model: ApiModel, open: OpenTypes, strictFiles: Map<string, string>): ReceivedLayout {
  const byKey = open.ctx.schemas;
  const plain: TypeContext = { schemas: byKey, refName: (symbol) => symbol };
  const emittedSymbols = new Set(model.schemas.filter((s) => open.emitted.has(s.key)).map((s) => s.symbol));
  const refsOf = (...schemas: (Schema | undefined)[]) => {
    const out = new Set<string>();
    for (const schema of schemas) if (schema) for (const key of schemaRefs(schema)) if (open.emitted.has(key)) out.add(byKey.get(key)!.symbol);
    return [...out];
  };
  const writers = new Map<string, (w: CodeBlockWriter, ctx: TypeContext) => void>();
  const nodes: TypeNode[] = [];
  for (const named of model.schemas) {
    if (!open.emitted.has(named.key)) continue;
    writers.set(named.symbol, (w, ctx) => writeNamed(w, named, ctx));
    nodes.push({ id: named.symbol, members: [named.symbol], refs: refsOf(named.schema) });
  }
  const aliases: [string, string][] = [];
  for (const op of model.operations) {
    const label = `${op.method.toUpperCase()} ${op.path}`;
    const members: string[] = [];
    const alias = (symbol: string, type: (o: OpenTypes) => TsType, doc: string) => {
      if (writers.has(symbol)) return;
      const t = type({ ...open, ctx: plain });
      // The strict type itself (nothing to open) or an emitted received schema of that name.
      if (t.k === 'text' && t.text === symbol) return;
      members.push(symbol);
      aliases.push([symbol, op.name]);
      writers.set(symbol, (w, ctx) => {
        writeDoc(w, { description: doc });
        w.write(`export type ${symbol} = `);
        printType(w, type({ ...open, ctx }));
        w.write(';').newLine();
      });
    };
    alias(op.symbols.response, (o) => receivedResponseType(op, o), `Success body of ${op.name} (${label}) as received.`);
    alias(op.symbols.error, (o) => receivedErrorType(op, o), `Error body of ${op.name} (${label}) as received.`);
    const bodies = [...successResponses(op), ...errorResponses(op)].map((r) => preferredMedia(r.content)?.schema);
    nodes.push({ id: `op ${op.name}`, members, refs: refsOf(...bodies), root: true, prefer: [op.symbols.response, op.symbols.error] });
  }
  const { fileOf, modules } = groupModules(nodes);
  const local = new Set(writers.keys());
  const moduleOf = (symbol: string) => (local.has(symbol) ? `client/types/${fileOf.get(symbol)}` : `types/${strictFiles.get(symbol) ?? symbol}`);
  const files: OutputFile[] = [];
  for (const m of modules) {
    const declared = new Set(m.nodes.flatMap((n) => n.members));
    const used = new Set<string>();
    const ctx: TypeContext = {
      schemas: byKey,
      refName: (name) => {
        if (!declared.has(name)) used.add(name);
        return name;
      },
    };
    const w = createWriter();
    for (const n of m.nodes) for (const symbol of n.members) writers.get(symbol)!(w, ctx);
    const imports = typeImports(used, (symbol) => (local.has(symbol) ? `./${fileOf.get(symbol)}.js` : `../../types/${strictFiles.get(symbol) ?? symbol}.js`));
    files.push({ path: `src/client/types/${m.file}.ts`, content: TYPE_MODULE_HEADER + (imports ? `\n${imports}` : '') + '\n' + w.toString().replace(/^\n+/, '') });
  }
  return { moduleOf, local, files };
}

function writeNamed(w: CodeBlockWriter, named: NamedSchema, ctx: TypeContext): void {
  const type = openUp(schemaType(named.schema, ctx));
  w.blankLineIfLastNot();
  writeDoc(w, schemaDoc(named.schema));
  printDeclaration(w, named.symbol, type);
}

/** `client/types.ts`: the received form of every schema that has one, and per-operation aliases. */
export function writeOpenTypes(w: CodeBlockWriter, model: ApiModel, open: OpenTypes): void {
  w.writeLine("import type * as $T from '../types.js';");
  const written = new Set<string>();
  for (const named of model.schemas) {
    if (!open.emitted.has(named.key)) continue;
    writeNamed(w, named, open.ctx);
    written.add(named.symbol);
  }
  for (const op of model.operations) {
    const label = `${op.method.toUpperCase()} ${op.path}`;
    writeAlias(w, op.symbols.response, receivedResponseType(op, open), `Success body of ${op.name} (${label}) as received.`, written);
    writeAlias(w, op.symbols.error, receivedErrorType(op, open), `Error body of ${op.name} (${label}) as received.`, written);
  }
  w.blankLineIfLastNot();
  writeDoc(w, { description: 'Every operation by name: request body (strict), success and error bodies (as received).' });
  w.write('export interface OperationTypes {').newLine();
  w.indent(() => {
    for (const op of model.operations) {
      w.write(`${propertyKey(op.name)}: { request: $T.${op.symbols.request}; response: ${op.symbols.response}; error: ${op.symbols.error} };`).newLine();
    }
  });
  w.write('}').newLine();
}

function writeAlias(w: CodeBlockWriter, symbol: string, type: TsType, doc: string, written: Set<string>): void {
  // The body schema may carry exactly this name and be written above already.
  if (written.has(symbol) || (type.k === 'text' && type.text === symbol)) return;
  written.add(symbol);
  w.blankLineIfLastNot();
  writeDoc(w, { description: doc });
  w.write(`export type ${symbol} = `);
  printType(w, type);
  w.write(';').newLine();
}
