import { createWriter } from '../shared/writer.js';
import { errorResponses, preferredMedia, successResponses } from '../../model/operation.js';
import type { ApiModel, MediaContent, Operation, Schema } from '../../model/types.js';
import type { EmitOptions, OutputFile } from '../output.js';
import { commentLines, propertyKey, stringLiteral } from '../shared/escape.js';
import { fileHeader } from '../shared/header.js';
import { writeDoc } from '../shared/jsdoc.js';
import { Analysis, type Direction } from './analysis.js';
import { Compiler } from './compile.js';
import { runtimeSource } from './runtime.js';

/**
 * The `./validators` entry of the generated package:
 * - src/validators.ts: `validateX` / `isX` for every schema and operation type, `schemaValidators`,
 *   `operationValidators`, `validateOperationResponse` (the cross-part contract);
 * - src/validators/schemas.ts: the compiled checks, one function per named schema;
 * - src/validators/runtime.ts: result types, error helpers and the format checks the spec uses.
 */
export function emitValidators(model: ApiModel, options: EmitOptions): OutputFile[] {
  const compiler = new Compiler(new Analysis(model.schemas), options.validators?.formats);
  const typed = options.emit.includes('types');
  const entry = new EntryWriter(compiler, typed);

  for (const named of model.schemas) entry.schema(named.symbol, compiler.fnOf(named.key, 'neutral'));
  const operations = model.operations.map((op) => entry.operation(op));

  const checks = compiler.finish();
  return [
    { path: 'src/validators.ts', content: fileHeader(model, 'Validators for every schema and operation: validateX, isX, schemaValidators, operationValidators.') + entry.toString(operations) },
    { path: 'src/validators/schemas.ts', content: fileHeader(model, 'Compiled checks, one function per schema. Internal: use ../validators.js.') + checks },
    { path: 'src/validators/runtime.ts', content: fileHeader(model, 'Runtime of the validators: result types, error paths, formats.') + runtimeSource(compiler.formats, compiler.dynamicScope) },
  ];
}

/** A body is checked when it is JSON (or a form, which the client builds from an object). */
function checkedMedia(content: MediaContent[], forRequest: boolean): MediaContent | undefined {
  const media = preferredMedia(content);
  if (!media) return undefined;
  if (/json/i.test(media.mediaType) || (forRequest && /x-www-form-urlencoded/i.test(media.mediaType))) return media;
  return undefined;
}

interface OperationEntry {
  op: Operation;
  request?: string;
  responses: [status: string, validator: string][];
}

/** Writes src/validators.ts: one validator and one guard per check function that users can reach. */
class EntryWriter {
  private readonly w = createWriter();
  /** Check function -> name of its validator const. */
  private readonly validatorOf = new Map<string, string>();
  private readonly exported = new Set<string>();
  private readonly schemaTable: [symbol: string, validator: string][] = [];
  private readonly internal: string[] = [];
  /** Functions of schemas.ts this module calls, imported by name (see toString). */
  private readonly imported = new Set<string>();

  constructor(
    private readonly compiler: Compiler,
    private readonly typed: boolean,
  ) {}

  /** The local name of a schemas.ts export: `S_` in front, so it never meets an export of this module. */
  private s(name: string): string {
    this.imported.add(name);
    return `S_${name}`;
  }

  private type(symbol: string): string {
    return this.typed ? `Types.${symbol}` : 'unknown';
  }

  /** `validateX` and `isX` for a type symbol, bound to a check function. */
  private exportPair(symbol: string, fn: string, doc?: string): string | undefined {
    const validate = `validate${symbol}`;
    if (RESERVED_EXPORTS.has(validate) || this.exported.has(validate)) return undefined;
    this.exported.add(validate);
    // A comment line (not a JSDoc block) for operation bodies only: a large spec has thousands of exports.
    if (doc) this.w.writeLine(`// ${commentLines(doc).join(' ')}`);
    // A function per schema rather than a closure from a shared factory: the check call in it
    // stays monomorphic, which keeps V8's optimized code stable when many validators are in use.
    // The guard twin answers first: a valid value costs one call and the result object; an
    // invalid one gets the first error the twin returned. Only allErrors runs the check proper.
    // isX is its own function too, so that its call of the twin stays monomorphic.
    const type = this.type(symbol);
    const twin = this.compiler.guardOf(fn);
    this.w.writeLine(`export function ${validate}(value: unknown, options?: ValidateOptions): ValidationResult<${type}> {`);
    this.w.writeLine(`  if (options !== undefined && options.allErrors === true) return all<${type}>(${this.s(fn)}, value);`);
    this.w.writeLine(`  const r = ${this.s(twin)}(value);`);
    this.w.writeLine(`  return r === true ? { ok: true, value: value as ${type} } : first(r, S_SITES[S_SITE]);`);
    this.w.writeLine('}');
    this.w.writeLine(`export function is${symbol}(value: unknown): value is ${type} {`);
    this.w.writeLine(`  return ${this.s(twin)}(value) === true;`);
    this.w.writeLine('}');
    if (!this.validatorOf.has(fn)) this.validatorOf.set(fn, validate);
    return validate;
  }

  /** The validator const for a check function, declared once. */
  private validatorFor(fn: string): string {
    let name = this.validatorOf.get(fn);
    if (name === undefined) {
      name = `v_${fn}`;
      this.validatorOf.set(fn, name);
      this.internal.push(`const ${name}: Validator = validator(${this.s(this.compiler.guardOf(fn))}, ${this.s(fn)});`);
    }
    return name;
  }

  schema(symbol: string, fn: string): void {
    const validate = this.exportPair(symbol, fn);
    if (validate) this.schemaTable.push([symbol, validate]);
  }

  operation(op: Operation): OperationEntry {
    const label = `${op.name} (${op.method.toUpperCase()} ${op.path})`;
    const out: OperationEntry = { op, responses: [] };
    const compiler = this.compiler;
    const base = op.name[0].toUpperCase() + op.name.slice(1);

    const requestMedia = op.requestBody && checkedMedia(op.requestBody.content, true);
    if (requestMedia) {
      const fn = compiler.fnFor(requestMedia.schema, 'request', `check${base}Request`, `request body of ${label}`);
      this.exportPair(op.symbols.request, fn, `Checks a request body of ${label}; readOnly properties are not required.`);
      out.request = this.validatorFor(fn);
    }

    for (const response of [...op.responses].sort((a, b) => statusOrder(a.status) - statusOrder(b.status) || (a.status < b.status ? -1 : 1))) {
      const media = checkedMedia(response.content, false);
      const fn = media ? compiler.fnFor(media.schema, 'response', `check${base}${statusName(response.status)}`, `${response.status} response of ${label}`) : compiler.anyFn();
      out.responses.push([response.status, this.validatorFor(fn)]);
    }

    this.union(op.symbols.response, successResponses(op).map((r) => r.content), `${base}Success`, `success body of ${label}`);
    this.union(op.symbols.error, errorResponses(op).map((r) => r.content), `${base}ErrorBody`, `error body of ${label}`);
    return out;
  }

  /** `validateXResponse` / `validateXError`: any of the bodies; anything when one of them has no JSON schema. */
  private union(symbol: string, contents: MediaContent[][], name: string, doc: string): void {
    if (this.exported.has(`validate${symbol}`)) return;
    const schemas: Schema[] = [];
    let open = contents.length === 0;
    for (const content of contents) {
      const media = checkedMedia(content, false);
      if (media) schemas.push(media.schema);
      else open = true;
    }
    const direction: Direction = 'response';
    const fn = open ? this.compiler.anyFn() : this.compiler.fnFor(schemas.length === 1 ? schemas[0] : { anyOf: schemas }, direction, `check${name}`, doc);
    this.exportPair(symbol, fn, `Checks the ${doc}.`);
  }

  toString(operations: OperationEntry[]): string {
    const head = [
      '/*',
      ' * validateX(value, { allErrors? }) -> { ok: true, value } | { ok: false, errors: [{ path, keyword, message }] }',
      ' *   path is a JSON pointer (RFC 6901); a missing property points at where it should be.',
      ' *   The first error only, unless allErrors. isX(value) is the same check as a type guard.',
      ' * Inputs are read as JSON data: own properties only (a "__proto__" key is data, a polluted',
      ' * Object.prototype adds nothing), nesting through recursive schemas is capped (keyword "depth").',
      ' * operationValidators apply readOnly/writeOnly by direction: a readOnly property is not required',
      ' * in a request body, a writeOnly one not in a response.',
      ' */',
      ...(this.typed ? [`import type * as Types from './types.js';`] : []),
      `import { all, first, H, type Answer, type Check, type ValidateOptions, type ValidationResult, type Validator } from './validators/runtime.js';`,
      // By name, not through a namespace object: V8 reads an imported binding as a cell, while
      // S.isX and S.SITE go through the namespace's accessors (validateX on an invalid
      // ItemApplicationScopesUpdateRequest: 41 -> 30 ns; valid AccountsGetResponse: 96 -> 93 ns).
      'import {',
      '  SITES as S_SITES,',
      '  SITE as S_SITE,',
      ...[...this.imported].sort().map((name) => `  ${name} as S_${name},`),
      `} from './validators/schemas.js';`,
      '',
      `export type { Guard, ValidateOptions, ValidationError, ValidationResult, Validator } from './validators/runtime.js';`,
      '',
      '/** Validators and response validators of one operation, by status as the spec writes it (200, 4XX, default). */',
      'export interface OperationValidators {',
      '  readonly request?: Validator;',
      '  readonly responses: { readonly [status: string]: Validator };',
      '}',
      '',
      '/** A lookup table without a prototype: a name like "constructor" finds nothing it should not. */',
      'function table<T>(entries: { [key: string]: T }): { readonly [key: string]: T } {',
      '  return Object.freeze(Object.assign(Object.create(null) as { [key: string]: T }, entries));',
      '}',
      '',
      '/** A guard twin and its check as a validator, for the tables (each schema has its own validateX). */',
      'function validator<T>(test: (v: any) => Answer, check: Check): Validator<T> {',
      '  return (value: unknown, options?: ValidateOptions): ValidationResult<T> => {',
      '    if (options !== undefined && options.allErrors === true) return all<T>(check, value);',
      '    const r = test(value);',
      '    return r === true ? { ok: true, value: value as T } : first(r, S_SITES[S_SITE]);',
      '  };',
      '}',
    ].join('\n');
    const w = this.w;
    w.blankLineIfLastNot();
    for (const line of this.internal) w.writeLine(line);

    w.blankLineIfLastNot();
    writeDoc(w, { description: 'Every schema validator by type name.' });
    w.writeLine('export const schemaValidators: { readonly [symbol: string]: Validator } = table<Validator>({');
    w.indent(() => {
      for (const [symbol, validate] of this.schemaTable) w.writeLine(`${key(symbol)}: ${validate},`);
    });
    w.writeLine('});');

    w.blankLine();
    writeDoc(w, { description: 'Request and response validators of every operation, by operation name.' });
    w.writeLine('export const operationValidators: { readonly [operationName: string]: OperationValidators } = table<OperationValidators>({');
    w.indent(() => {
      for (const { op, request, responses } of operations) {
        const parts = [...(request ? [`request: ${request}`] : []), `responses: table<Validator>({ ${responses.map(([status, v]) => `${key(status)}: ${v}`).join(', ')} })`];
        w.writeLine(`${key(op.name)}: { ${parts.join(', ')} },`);
      }
    });
    w.writeLine('});');

    w.blankLine();
    writeDoc(w, {
      description:
        "Checks a response body of an operation: the status's own entry, then its range (4XX), then default. Valid when the spec declares no schema for the status; an unknown operation is an error.",
    });
    w.writeLine('export function validateOperationResponse(operation: string, status: number, body: unknown, options?: ValidateOptions): ValidationResult<unknown> {');
    w.indent(() => {
      w.writeLine('const entry = H(operationValidators, operation) ? operationValidators[operation] : undefined;');
      w.writeLine(`if (entry === undefined) return { ok: false, errors: [{ path: '', keyword: 'operation', message: 'unknown operation ' + JSON.stringify(operation) }] };`);
      w.writeLine('const code = String(status);');
      w.writeLine(`const range = code.charAt(0) + 'XX';`);
      w.writeLine('const r = entry.responses;');
      w.writeLine(`const check = H(r, code) ? r[code] : H(r, range) ? r[range] : H(r, 'default') ? r['default'] : undefined;`);
      w.writeLine('return check === undefined ? { ok: true, value: body } : check(body, options);');
    });
    w.writeLine('}');
    return `${head}\n${w.toString()}`;
  }
}

/** Exports of the contract that a schema's `validateX` must not shadow. */
const RESERVED_EXPORTS = new Set(['validateOperationResponse']);

function key(name: string): string {
  // In an object literal `__proto__: x` would set the prototype; a computed key defines a property.
  return name === '__proto__' ? `[${stringLiteral(name)}]` : propertyKey(name);
}

function statusOrder(status: string): number {
  if (status === 'default') return 1000;
  return /^\d/.test(status) ? Number(status[0]) * 100 + (/XX$/.test(status) ? 99 : Number(status.slice(1))) : 999;
}

function statusName(status: string): string {
  return status === 'default' ? 'Default' : status;
}
