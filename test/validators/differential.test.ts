import fs from 'node:fs';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RawInput } from '../../src/load/inputs.js';
import { buildModel } from '../../src/normalize/index.js';
import { PLAID_SPEC } from '../helpers.js';
import { AjvReference, escapeToken, type Direction } from './ajv-openapi.js';
import { emitFiles, importValidators, type ValidationResult, type Validator, type ValidatorsModule } from './compile-helper.js';

/**
 * Differential testing against ajv on the real Plaid spec: every `example` (schema examples and
 * media-type examples) and thousands of payloads derived from them must get the same verdict from
 * our generated validators and from ajv, and our errors must point where ajv's do.
 */

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (pointer: string, ...tokens: (string | number)[]) => pointer + tokens.map((t) => `/${escapeToken(String(t))}`).join('');

interface Case {
  /** Where the example is, for messages. */
  where: string;
  /** JSON pointer of the schema in the raw document (what ajv compiles). */
  schemaPointer: string;
  direction: Direction;
  value: unknown;
  ours: () => Validator;
}

/** Calls visit(schema, pointer) for every schema node below a schema, following the schema keywords only. */
function walkRawSchema(s: unknown, pointer: string, visit: (s: Raw, pointer: string) => void): void {
  if (!isObject(s)) return;
  visit(s, pointer);
  if (typeof s.$ref === 'string') return;
  if (isObject(s.properties)) for (const [name, p] of Object.entries(s.properties)) walkRawSchema(p, join(pointer, 'properties', name), visit);
  if (isObject(s.items)) walkRawSchema(s.items, join(pointer, 'items'), visit);
  if (isObject(s.additionalProperties)) walkRawSchema(s.additionalProperties, join(pointer, 'additionalProperties'), visit);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((b, i) => walkRawSchema(b, join(pointer, k, i), visit));
  if (isObject(s.not)) walkRawSchema(s.not, join(pointer, 'not'), visit);
}

function mediaExamples(media: Raw): unknown[] {
  const out: unknown[] = [];
  if ('example' in media) out.push(media.example);
  if (isObject(media.examples)) for (const e of Object.values(media.examples)) if (isObject(e) && 'value' in e) out.push(e.value);
  return out;
}

/** Every place a value sits inside a payload: the container, the key, and the pointer. */
function positions(value: unknown, pointer = ''): { parent: Raw | unknown[]; key: string | number; pointer: string }[] {
  const out: { parent: Raw | unknown[]; key: string | number; pointer: string }[] = [];
  const stack: [unknown, string][] = [[value, pointer]];
  while (stack.length) {
    const [node, at] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        out.push({ parent: node, key: i, pointer: `${at}/${i}` });
        stack.push([child, `${at}/${i}`]);
      });
    } else if (isObject(node)) {
      for (const [k, child] of Object.entries(node)) {
        out.push({ parent: node, key: k, pointer: `${at}/${escapeToken(k)}` });
        stack.push([child, `${at}/${escapeToken(k)}`]);
      }
    }
  }
  return out.sort((a, b) => (a.pointer < b.pointer ? -1 : 1));
}

function otherType(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return 'true';
  if (v === null) return 0;
  if (Array.isArray(v)) return {};
  return [];
}

/** Applies each mutation in place, yields, and restores the payload afterwards. */
function* mutations(root: { value: unknown }, cap: number): Generator<string> {
  yield 'as is';
  const all = positions(root.value);
  const step = Math.max(1, Math.ceil(all.length / cap));
  for (let i = 0; i < all.length; i += step) {
    const { parent, key, pointer } = all[i];
    const get = () => (parent as Record<string | number, unknown>)[key];
    const set = (v: unknown) => ((parent as Record<string | number, unknown>)[key] = v);
    const original = get();
    if (!Array.isArray(parent)) {
      delete (parent as Raw)[key];
      yield `remove ${pointer}`;
      set(original);
    }
    set(otherType(original));
    yield `retype ${pointer}`;
    if (original !== null) {
      set(null);
      yield `null at ${pointer}`;
    }
    if (typeof original === 'string') {
      set('\u0000not-an-allowed-value');
      yield `break enum at ${pointer}`;
    }
    if (isObject(original)) {
      set(original);
      original.__extra_property__ = 1;
      yield `extra property in ${pointer}`;
      delete original.__extra_property__;
    }
    set(original);
  }
  if (isObject(root.value)) {
    root.value.__extra_property__ = true;
    yield 'extra property at the root';
    delete root.value.__extra_property__;
  }
  const original = root.value;
  root.value = otherType(original);
  yield 'retyped root';
  root.value = original;
}

describe('differential testing against ajv on the real Plaid spec', () => {
  let cases: Case[] = [];
  let refs: Record<Direction, AjvReference>;

  beforeAll(async () => {
    const raw = yaml.load(fs.readFileSync(PLAID_SPEC, 'utf8')) as Raw;
    const doc = structuredClone(raw);
    const components = (doc.components as Raw).schemas as Raw;
    let generated: ValidatorsModule | undefined;
    const mod = () => generated!;

    // Schema examples: named schemas are validated with validateX; an inline schema with an
    // example becomes an extra named schema ($ref to its pointer) so it gets a validator too.
    const extra: [key: string, pointer: string][] = [];
    const addSchemaCase = (s: Raw, pointer: string, symbolFor: () => string) => {
      if (!('example' in s)) return;
      cases.push({ where: `example at ${pointer}`, schemaPointer: pointer, direction: 'neutral', value: s.example, ours: () => mod().schemaValidators[symbolFor()] });
    };
    for (const [name, schema] of Object.entries((raw.components as Raw).schemas as Raw)) {
      walkRawSchema(schema, join('/components/schemas', name), (node, pointer) => {
        if (!('example' in node)) return;
        if (node === schema) {
          addSchemaCase(node, pointer, () => name);
        } else {
          const key = `DifferentialExample${extra.length}`;
          extra.push([key, pointer]);
          addSchemaCase(node, pointer, () => key);
        }
      });
    }
    const paths = raw.paths as Raw;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item as Raw)) {
        if (!isObject(op) || !isObject(op.responses)) continue;
        const opPointer = join('/paths', path, method);
        const name = () => operationNames.get(opPointer)!;
        const json = (content: unknown) => (isObject(content) && isObject(content['application/json']) ? (content['application/json'] as Raw) : undefined);
        const request = isObject(op.requestBody) ? json(op.requestBody.content) : undefined;
        if (request) {
          const schemaPointer = join(opPointer, 'requestBody', 'content', 'application/json', 'schema');
          mediaExamples(request).forEach((value, i) =>
            cases.push({ where: `request example ${i} of ${method.toUpperCase()} ${path}`, schemaPointer, direction: 'request', value, ours: () => mod().operationValidators[name()].request! }),
          );
          walkRawSchema(request.schema, schemaPointer, (node, pointer) => {
            if (!('example' in node) || node === request.schema) return;
            const key = `DifferentialExample${extra.length}`;
            extra.push([key, pointer]);
            addSchemaCase(node, pointer, () => key);
          });
        }
        for (const [status, response] of Object.entries(op.responses)) {
          const media = isObject(response) ? json(response.content) : undefined;
          if (!media) continue;
          const schemaPointer = join(opPointer, 'responses', status, 'content', 'application/json', 'schema');
          mediaExamples(media).forEach((value, i) =>
            cases.push({ where: `${status} example ${i} of ${method.toUpperCase()} ${path}`, schemaPointer, direction: 'response', value, ours: () => mod().operationValidators[name()].responses[status] }),
          );
        }
      }
    }
    for (const [key, pointer] of extra) components[key] = { $ref: `#${pointer}` };

    const input: RawInput = { kind: 'openapi', file: PLAID_SPEC, document: doc, fragment: false, format: 'openapi', warnings: [] };
    const model = buildModel([input]);
    const operationNames = new Map(model.operations.map((op) => [op.source.pointer, op.name]));
    generated = await importValidators(emitFiles(model), 'differential');
    refs = { neutral: new AjvReference(raw, 'neutral'), request: new AjvReference(raw, 'request'), response: new AjvReference(raw, 'response') };
  });

  it('has examples to compare: schema examples and media-type examples', () => {
    expect(cases.filter((c) => c.direction === 'neutral').length).toBeGreaterThan(200);
    expect(cases.filter((c) => c.direction !== 'neutral').length).toBeGreaterThan(300);
  });

  it('agrees with ajv on every example and every derived payload, and errors point where ajv points', () => {
    let payloads = 0;
    let invalid = 0;
    let examplesValid = 0;
    const invalidExamples: string[] = [];
    const mismatches: string[] = [];
    const pathMismatches: string[] = [];
    // The first error comes from the guard twin, allErrors from the check proper: they must agree.
    const firstMismatches: string[] = [];
    for (const c of cases) {
      const ours = c.ours();
      expect(ours, c.where).toBeTypeOf('function');
      const ajv = refs[c.direction].at(c.schemaPointer);
      const root = { value: structuredClone(c.value) };
      for (const mutation of mutations(root, 60)) {
        payloads++;
        const theirs = ajv(root.value) as boolean;
        const first = ours(root.value) as ValidationResult;
        if (mutation === 'as is') {
          if (theirs) examplesValid++;
          else invalidExamples.push(`${c.where}: ${[...AjvReference.paths(ajv.errors)].join(', ')}`);
        }
        if (first.ok !== theirs) {
          mismatches.push(`${c.where}, ${mutation}: ours ${first.ok ? 'valid' : JSON.stringify(first.errors)}, ajv ${theirs ? 'valid' : JSON.stringify(ajv.errors)}`);
          continue;
        }
        if (first.ok) continue;
        invalid++;
        const where = AjvReference.paths(ajv.errors);
        const all = ours(root.value, { allErrors: true }) as ValidationResult;
        const ourPaths = all.ok ? [] : all.errors.map((e) => e.path);
        if (!where.has(first.errors[0].path) || ourPaths.some((p) => !where.has(p)) || all.ok) {
          pathMismatches.push(`${c.where}, ${mutation}: ours ${JSON.stringify(ourPaths)}, ajv ${JSON.stringify([...where])}`);
        }
        if (!all.ok && JSON.stringify(all.errors[0]) !== JSON.stringify(first.errors[0])) {
          firstMismatches.push(`${c.where}, ${mutation}: first ${JSON.stringify(first.errors)}, allErrors ${JSON.stringify(all.errors[0])}`);
        }
      }
    }
    console.log(
      `differential vs ajv: ${cases.length} examples (${examplesValid} valid as given), ${payloads} payloads (${invalid} invalid), ` +
        `${mismatches.length} verdict mismatches, ${pathMismatches.length} error-path mismatches, ` +
        `${firstMismatches.length} differences between the first error and the first of allErrors` +
        (invalidExamples.length ? `\nexamples the spec itself gets wrong (both validators agree):\n  ${invalidExamples.join('\n  ')}` : ''),
    );
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(pathMismatches.slice(0, 10)).toEqual([]);
    expect(firstMismatches.slice(0, 10)).toEqual([]);
    expect(payloads).toBeGreaterThan(10_000);
  });
});
