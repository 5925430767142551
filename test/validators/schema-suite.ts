import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleOpenApi } from '../../src/load/openapi.js';
import { SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_ONES } from '../../src/load/schema-ids.js';
import type { ApiModel, NamedSchema, Schema } from '../../src/model/types.js';
import { Diagnostics } from '../../src/normalize/diagnostics.js';
import { convertSchema, promotedSchemas, type SchemaContext } from '../../src/normalize/schema.js';
import { ROOT, SHARED } from '../helpers.js';

/**
 * Runs the JSON Schema Test Suite (read in place from ../shared/json-schema-test-suite) through the
 * real normalizer and the real validators emitter: draft4 as OpenAPI 3.0, draft2020-12 as 3.1.
 * Local `$ref`s become named schemas (the way a spec's components are), everything else goes
 * through convertSchema exactly as a spec's schema would.
 */

export const SUITE = path.join(SHARED, 'json-schema-test-suite/tests');
/** The documents the suite's runners serve at http://localhost:1234/. */
const REMOTES = path.join(SHARED, 'json-schema-test-suite/remotes');

export interface SuiteTest {
  description: string;
  data: unknown;
  valid: boolean;
}
export interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: SuiteTest[];
}

export interface SuiteCase {
  /** e.g. draft4/ref.json */
  file: string;
  group: string;
  test: string;
  /** Named schema symbol of the group's root. */
  symbol: string;
  data: unknown;
  valid: boolean;
  /** Why the case is outside what OpenAPI schemas can say, or undefined when it applies. */
  notApplicable?: string;
  /** What the case uses that OpenAPI allows and the validators do not implement: a known gap when it fails. */
  unsupported?: string;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What OpenAPI 3.1 schemas may use and the validators do not implement: custom vocabularies and
 * earlier drafts' semantics in a referenced document. $id, $anchor and $dynamicRef are
 * implemented (src/load/schema-ids.ts, the dynamic scope in the validators' runtime).
 */
const UNSUPPORTED: { [keyword: string]: string } = {
  $recursiveRef: '$recursiveRef (draft 2019-09): read as an unknown keyword',
  $recursiveAnchor: '$recursiveAnchor (draft 2019-09): read as an unknown keyword',
  $vocabulary: '$vocabulary: custom meta-schemas and vocabularies are not read',
};

/** Visits every sub-schema (not data such as enum, const or default) with its pointer. */
function walk(s: unknown, pointer: string, visit: (s: Raw, pointer: string) => void): void {
  if (!isObject(s)) return;
  visit(s, pointer);
  for (const k of SCHEMA_MAPS) if (isObject(s[k])) for (const [name, sub] of Object.entries(s[k] as Raw)) walk(sub, `${pointer}/${k}/${escape(name)}`, visit);
  if (isObject(s.dependencies)) for (const [name, sub] of Object.entries(s.dependencies)) if (!Array.isArray(sub)) walk(sub, `${pointer}/dependencies/${escape(name)}`, visit);
  for (const k of SCHEMA_LISTS) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((sub, i) => walk(sub, `${pointer}/${k}/${i}`, visit));
  if (Array.isArray(s.items)) s.items.forEach((sub, i) => walk(sub, `${pointer}/items/${i}`, visit));
  else if (s.items !== undefined) walk(s.items, `${pointer}/items`, visit);
  for (const k of SCHEMA_ONES) if (k !== 'items' && s[k] !== undefined) walk(s[k], `${pointer}/${k}`, visit);
}

const escape = (t: string) => t.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (t: string) => t.replace(/~1/g, '/').replace(/~0/g, '~');

function resolve(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = unescape(raw);
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

/** Whole files whose subject a JavaScript validator of parsed JSON cannot observe. */
const NOT_APPLICABLE_FILES: { [file: string]: string } = {
  'optional/zeroTerminatedFloats.json': 'JSON.parse gives 1.0 and 1 the same number: a validator of parsed JSON in JavaScript cannot tell them apart',
};

/**
 * Files that test format as an annotation: 2020-12's format.json runs with the validators option
 * formats: 'annotate' (format-annotation vocabulary); every other file with the default, 'assert'.
 */
export const FORMAT_ANNOTATION_FILES: readonly string[] = ['draft2020-12/format.json'];

/** OpenAPI 3.0 schemas have no identifiers: a draft-4 case that uses `id` (or refers to a remote document that does) says nothing about them. */
function notApplicable(schema: unknown, version: '3.0' | '3.1', depth = 0): string | undefined {
  if (version === '3.1') return undefined;
  let reason: string | undefined;
  walk(schema, '', (s) => {
    if (reason) return;
    if (typeof s.id === 'string') reason = 'uses id, which OpenAPI 3.0 schemas do not have';
    else if (typeof s.$ref === 'string' && s.$ref.startsWith('http://localhost:1234/') && depth < 4) {
      const file = path.join(REMOTES, s.$ref.slice('http://localhost:1234/'.length).split('#')[0]);
      if (fs.existsSync(file) && notApplicable(JSON.parse(fs.readFileSync(file, 'utf8')), version, depth + 1)) reason = `refers to a remote document that uses id (${s.$ref}), which OpenAPI 3.0 schemas do not have`;
    }
  });
  return reason;
}

/** The feature of the case's schema that the validators do not implement (the first in UNSUPPORTED's order, then the rest), if any. */
function unsupported(schema: unknown, version: '3.0' | '3.1'): string | undefined {
  const found = new Set<string>();
  walk(schema, '', (s) => {
    for (const k of Object.keys(UNSUPPORTED)) if (k in s) found.add(UNSUPPORTED[k]);
    if (typeof s.$schema === 'string' && !/^https:\/\/json-schema\.org\/draft\/2020-12\/schema#?$|^http:\/\/json-schema\.org\/draft-04\/schema#?$/.test(s.$schema)) found.add(`custom meta-schema ($schema ${s.$schema}): vocabularies are not read`);
    if (typeof s.$ref !== 'string') return;
    if (/json-schema\.org/.test(s.$ref)) found.add(`$ref to a JSON Schema meta-schema (${s.$ref}): meta-schemas are not bundled`);
    else if (version === '3.1' && /\/draft(2019-09|[3-7])\//.test(s.$ref)) found.add(`$ref to a document of an earlier draft (${s.$ref}): read with 2020-12 semantics, not its own $schema's`);
    else if (version === '3.1' && /^(https?|urn):/.test(s.$ref)) found.add(`remote $ref (${s.$ref}): a bundled document is found by its $id, not by the URL it was fetched from`);
  });
  return Object.values(UNSUPPORTED).find((reason) => found.has(reason)) ?? [...found][0];
}

/** All groups of the given suite files, as one model of named schemas plus the cases to run. */
export async function buildSuite(files: string[], version: '3.0' | '3.1'): Promise<{ model: ApiModel; cases: SuiteCase[] }> {
  const schemas: NamedSchema[] = [];
  const cases: SuiteCase[] = [];
  const diagnostics = new Diagnostics('suite');
  let groupIndex = 0;
  // 3.1: each group's schema is a component with an $id of its own (where it has none), and the
  // suite's remote documents are bundled beside them under their URLs, as a bundled 3.1 document
  // embeds other resources: every $ref then resolves through the normalizer's own $id and
  // $anchor handling. 3.0 has no identifiers: local refs are made named schemas here.
  const remotes = version === '3.1' ? remoteSchemas() : {};
  const added = new Set<string>();
  const add = (key: string, schema: Schema, file: string, symbol: string) => {
    if (added.has(key)) return;
    added.add(key);
    schemas.push({ key, symbol, schema, source: { file, pointer: `/components/schemas/${key}` } });
  };
  for (const file of files) {
    const groups = JSON.parse(fs.readFileSync(path.join(SUITE, file), 'utf8')) as SuiteGroup[];
    for (const group of groups) {
      const prefix = `G${groupIndex++}`;
      const fileReason = Object.entries(NOT_APPLICABLE_FILES).find(([suffix]) => file.endsWith(`/${suffix}`))?.[1];
      const reason = fileReason ?? notApplicable(group.schema, version);
      const missing = unsupported(group.schema, version);
      if (version === '3.1') {
        const own = isObject(group.schema) && typeof group.schema.$id === 'string' ? group.schema : isObject(group.schema) ? { $id: `https://suite.codegen.invalid/${prefix}.json`, ...group.schema } : group.schema;
        const components: Raw = { [prefix]: own, ...remotes };
        const ctx: SchemaContext = { file, version, root: { openapi: '3.1.0', components: { schemas: components } }, diagnostics, inlining: new Set() };
        add(prefix, convertSchema(own, `/components/schemas/${prefix}`, ctx), file, `${prefix}S0`);
        for (const [key, remote] of Object.entries(remotes)) add(key, convertSchema(remote, `/components/schemas/${key}`, ctx), file, key.replace(/\W/g, '_'));
        let n = 1;
        for (const promoted of promotedSchemas(ctx)) add(promoted.key, promoted.schema, file, `${prefix}S${n++}`);
        for (const test of group.tests) {
          cases.push({ file, group: group.description, test: test.description, symbol: `${prefix}S0`, data: test.data, valid: test.valid, notApplicable: reason, unsupported: missing });
        }
        continue;
      }
      const raw = structuredClone(group.schema);
      // Each local $ref target becomes a named schema keyed by group and pointer.
      const targets = new Map<string, string>();
      const rewrite = (node: unknown) =>
        walk(node, '', (s) => {
          if (typeof s.$ref !== 'string' || !(s.$ref === '#' || s.$ref.startsWith('#/'))) return;
          const pointer = decodeURIComponent(s.$ref.slice(1));
          const key = `${prefix}${pointer}`;
          targets.set(pointer, key);
          s.$ref = `#/components/schemas/${encodeURIComponent(escape(key))}`;
        });
      const queue = [''];
      const rewritten = new Map<string, unknown>();
      targets.set('', prefix);
      while (queue.length) {
        const pointer = queue.shift()!;
        if (rewritten.has(pointer)) continue;
        const target = structuredClone(resolve(raw, pointer));
        rewrite(target);
        rewritten.set(pointer, target);
        for (const p of targets.keys()) if (!rewritten.has(p)) queue.push(p);
      }
      const local: Raw = {};
      for (const [pointer, target] of rewritten) if (target !== undefined) local[targets.get(pointer)!] = target;
      // Remote documents go through the loader's own bundling (swagger-parser).
      const root = reason ? { components: { schemas: local } } : await bundled(local);
      const components = (root.components as Raw).schemas as Raw;
      const ctx: SchemaContext = { file: file, version, root, diagnostics, inlining: new Set() };
      let n = 0;
      for (const [key, target] of Object.entries(components)) {
        schemas.push({ key, symbol: `${prefix}S${n++}`, schema: convertSchema(target, `/components/schemas/${key}`, ctx), source: { file, pointer: `/${key}` } });
      }
      for (const promoted of promotedSchemas(ctx)) schemas.push({ key: promoted.key, symbol: `${prefix}S${n++}`, schema: promoted.schema, source: { file, pointer: promoted.pointer } });
      const rootSymbol = schemas.find((s) => s.key === prefix)!.symbol;
      for (const test of group.tests) {
        cases.push({ file, group: group.description, test: test.description, symbol: rootSymbol, data: test.data, valid: test.valid, notApplicable: reason, unsupported: missing });
      }
    }
  }
  const model: ApiModel = {
    info: { title: 'JSON Schema Test Suite', version: '', apiVersion: '', openapi: version === '3.0' ? '3.0.3' : '3.1.0' },
    servers: [],
    securitySchemes: [],
    security: [],
    operations: [],
    schemas,
    scopeCatalogs: [],
    warnings: diagnostics.list,
    conflicts: [],
    enrichments: [],
    sources: [],
  };
  return { model, cases };
}

/**
 * The suite's remote documents (remotes/, served at http://localhost:1234/ by the suite's own
 * runners) as components keyed R0, R1...: each keeps its $id, or gets its URL as one.
 */
function remoteSchemas(): Raw {
  const out: Raw = {};
  jsonFiles(REMOTES).forEach((rel, i) => {
    const schema = JSON.parse(fs.readFileSync(path.join(REMOTES, rel), 'utf8')) as unknown;
    const url = `http://localhost:1234/${rel}`;
    if (isObject(schema) && typeof schema.$id === 'string' && schema.$id !== url) {
      // Fetched from one URL, identified by another: a bundler keeps the document under its $id
      // and points the URL at it.
      out[`R${i}`] = schema;
      out[`R${i}url`] = { $id: url, $ref: schema.$id };
    } else out[`R${i}`] = isObject(schema) ? { $id: url, ...schema } : schema;
  });
  // The 2020-12 meta-schemas, as ajv (a dev dependency) ships them, bundled the same way.
  const meta = path.join(path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('ajv')), 'refs/json-schema-2020-12');
  for (const rel of ['schema.json', ...fs.readdirSync(path.join(meta, 'meta')).sort().map((f) => `meta/${f}`)]) {
    if (rel.endsWith('.json')) out[`M${Object.keys(out).length}`] = JSON.parse(fs.readFileSync(path.join(meta, rel), 'utf8')) as unknown;
  }
  return out;
}

/**
 * The components as an OpenAPI 3.0 document, bundled by the loader. Its remote refs name files of
 * the suite's remotes/ folder (what http://localhost:1234/ serves) and ajv-draft-04's meta-schema;
 * a document with none comes back as it is.
 */
async function bundled(components: Raw): Promise<Raw> {
  // ajv-draft-04 comes with swagger-parser: found from there, wherever npm put it.
  const fromParser = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve('@apidevtools/swagger-parser'));
  const draft4Meta = path.join(path.dirname(fromParser.resolve('ajv-draft-04')), 'refs/json-schema-draft-04.json');
  const file = (ref: string) => (ref.startsWith('http://localhost:1234/') ? path.join(REMOTES, ref.slice('http://localhost:1234/'.length)) : ref.replace(/^http:\/\/json-schema\.org\/draft-04\/schema#?/, `${draft4Meta}#`));
  // fromEntries defines a "__proto__" key as a property (the suite has schemas with one).
  const local = (node: unknown): unknown =>
    Array.isArray(node) ? node.map(local) : isObject(node) ? Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? file(v) : local(v)])) : node;
  const doc = { openapi: '3.0.3', info: { title: 'suite', version: '1' }, paths: {}, components: { schemas: local(components) } };
  // The path is only the base the refs resolve against: the document is given, not read.
  const input = await bundleOpenApi(path.join(REMOTES, 'suite.json'), doc);
  if (input.kind !== 'openapi') throw new Error('not an OpenAPI input');
  return input.document as Raw;
}

/** The JSON files under a folder, as paths relative to it, in name order. */
function jsonFiles(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => {
      const sub = rel ? `${rel}/${entry.name}` : entry.name;
      return entry.isDirectory() ? jsonFiles(dir, sub) : entry.name.endsWith('.json') ? [sub] : [];
    });
}

/** Suite files of a draft: the required ones and the optional ones (formats included). */
export function suiteFiles(draft: string): string[] {
  return jsonFiles(SUITE, draft);
}
