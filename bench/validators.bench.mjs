// Validators: validations per second on real Plaid payloads against ajv (compiled once, with
// ajv-formats), ajv standalone code and zod 4, all in this process; plus the generation time and the
// size of the generated validators for the full spec.
//
// Payloads are built from the spec's own examples: the 200 examples of /transactions/get,
// /accounts/get and /cra/check_report/base_report/get (the largest example in the spec), and
// requests for /link/token/create and /item/application/scopes/update assembled from the property
// examples of their schemas. Each has an invalid twin: its last leaf of a checked type replaced by a
// value of the wrong type, so every validator walks nearly the whole payload before failing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';

export default async function validatorsBench(ctx) {
  const { root, benchDir, plaidSpec, tmp, median, log } = ctx;
  const requireRoot = createRequire(path.join(root, 'package.json'));
  const requireBench = createRequire(path.join(benchDir, 'package.json'));
  const Ajv = requireRoot('ajv').default;
  const addFormats = requireRoot('ajv-formats').default;
  const standaloneCode = requireRoot('ajv/dist/standalone').default;
  const yaml = requireRoot('js-yaml');
  const { ts } = requireRoot('ts-morph');
  const { z } = await import(pathToFileURL(requireBench.resolve('zod')).href);
  const dist = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
  const { loadInputs } = await dist('load/index.js');
  const { buildModel } = await dist('normalize/index.js');
  const { emitValidators } = await dist('emit/validators/index.js');
  const { emitTypes } = await dist('emit/types/index.js');

  // ---- generation: time and size ----------------------------------------------------------------
  const model = buildModel(await loadInputs([plaidSpec], root));
  const options = { packageName: 'bench', emit: ['types', 'validators', 'package'] };
  const generation = await median(() => emitValidators(model, options), 5);
  const files = emitValidators(model, options);
  const size = Object.fromEntries(files.map((f) => [f.path, Buffer.byteLength(f.content)]));
  const totalBytes = Object.values(size).reduce((a, b) => a + b, 0);
  const gzipBytes = files.reduce((n, f) => n + zlib.gzipSync(f.content).length, 0);
  const cold = coldPhase(root, plaidSpec, tmp('validators-cli'));

  // The generated package, transpiled to JavaScript and imported.
  const outDir = tmp('validators-generated');
  fs.writeFileSync(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  let jsBytes = 0;
  for (const file of [...emitTypes(model, options), ...files]) {
    const js = ts.transpileModule(file.content, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true } }).outputText;
    if (file.path.includes('validators')) jsBytes += Buffer.byteLength(js);
    const out = path.join(outDir, file.path.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, js);
  }
  const importStart = performance.now();
  const ours = await import(pathToFileURL(path.join(outDir, 'src/validators.js')).href);
  const importMs = performance.now() - importStart;

  // ---- the peers ---------------------------------------------------------------------------------
  const raw = yaml.load(fs.readFileSync(plaidSpec, 'utf8'));
  const doc = openApiToJsonSchema(structuredClone(raw));
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, code: { source: true } });
  addFormats(ajv);
  for (const format of unknownFormats(doc, ajv)) ajv.addFormat(format, true);
  ajv.addSchema({ ...doc, $id: 'plaid.json' });
  const schemas = raw.components.schemas;
  const zodOf = zodFactory(z, schemas);
  // A separate ajv instance assembles the payloads: the measured validators see them first when measured.
  const probe = new Ajv({ strict: false, validateSchema: false });
  addFormats(probe);
  for (const format of unknownFormats(doc, probe)) probe.addFormat(format, true);
  probe.addSchema({ ...doc, $id: 'plaid.json' });

  const cases = [
    { name: 'TransactionsGetResponse', payload: responseExample(raw, '/transactions/get') },
    { name: 'AccountsGetResponse', payload: responseExample(raw, '/accounts/get') },
    { name: 'CraCheckReportBaseReportGetResponse', payload: responseExample(raw, '/cra/check_report/base_report/get') },
    { name: 'LinkTokenCreateRequest', payload: asJson(validOnly(probe, 'LinkTokenCreateRequest', { ...fromExamples(schemas, schemas.LinkTokenCreateRequest), ...requestExample(raw, '/link/token/create') })) },
    { name: 'ItemApplicationScopesUpdateRequest', payload: asJson(validOnly(probe, 'ItemApplicationScopesUpdateRequest', fromExamples(schemas, schemas.ItemApplicationScopesUpdateRequest))) },
  ];

  // BENCH_CASES=AccountsGetResponse,... measures only those payloads (each still in the same process).
  if (process.env.BENCH_CASES) {
    const only = new Set(process.env.BENCH_CASES.split(','));
    cases.splice(0, cases.length, ...cases.filter((c) => only.has(c.name)));
  }

  // Invalid twins are made before anything is measured, with the probe, so that no measured
  // validator has run when JSON.parse builds the payloads' objects.
  for (const c of cases) {
    const check = probe.getSchema(`plaid.json#/components/schemas/${c.name}`);
    c.invalid = breakLastLeaf(c.payload, (v) => !check(v));
  }

  const rows = [];
  const later = [];
  const results = { generation: {}, payloads: [] };
  for (const c of cases) {
    const validateOurs = ours[`validate${c.name}`];
    const isOurs = ours[`is${c.name}`];
    const ajvFn = ajv.getSchema(`plaid.json#/components/schemas/${c.name}`);
    const standalonePath = path.join(tmp(`ajv-standalone-${c.name}`), 'validate.cjs');
    fs.writeFileSync(standalonePath, standaloneCode(ajv, ajvFn));
    const ajvStandalone = requireRoot(standalonePath);
    const zodSchema = zodOf(c.name);
    const invalid = c.invalid;
    const bytes = JSON.stringify(c.payload).length;

    // Every validator must give the expected verdict before its speed means anything.
    const verdicts = {
      ours: [validateOurs(c.payload).ok, validateOurs(invalid).ok],
      ajv: [ajvFn(c.payload), ajvFn(invalid)],
      'ajv standalone': [ajvStandalone(c.payload), ajvStandalone(invalid)],
      zod: [zodSchema.safeParse(c.payload).success, zodSchema.safeParse(invalid).success],
    };
    for (const [who, [valid, bad]] of Object.entries(verdicts)) {
      if (valid !== true || bad !== false) log(`  warning: ${who} says ${c.name} valid=${valid}, invalid twin=${bad}`, who === 'ours' ? JSON.stringify(validateOurs(c.payload, { allErrors: true })) : '');
    }

    const entry = { name: c.name, bytes, valid: {}, invalid: {} };
    for (const [kind, value] of [['valid', c.payload], ['invalid', invalid]]) {
      const runs = {
        'ours validateX': callLoop(validateOurs, value, 'f(v)'),
        'ours isX': callLoop(isOurs, value, 'f(v)'),
        // What a caller of ajv does: the verdict, and the errors when there are some.
        ajv: callLoop(ajvFn, value, 'f(v) || f.errors'),
        'ajv standalone': callLoop(ajvStandalone, value, 'f(v) || f.errors'),
      };
      Object.assign(entry[kind], roundRobin(runs));
      later.push({ entry, kind, label: `${c.name} (${(bytes / 1024).toFixed(1)} KB)`, zod: callLoop(zodSchema, value, 'f.safeParse(v)') });
    }
    results.payloads.push(entry);
  }
  // zod in rounds of its own, after every other measurement: it leaves survivors in every young
  // generation it fills (scavenges of 6-30 ms instead of 0.7 ms in this process), and whichever
  // contender triggered the next scavenge paid for them.
  for (const { entry, kind, label, zod } of later) {
    Object.assign(entry[kind], roundRobin({ zod }));
    const r = entry[kind];
    rows.push([
      label,
      kind,
      fmt(r['ours validateX']),
      fmt(r['ours isX']),
      fmt(r.ajv),
      fmt(r['ajv standalone']),
      fmt(r.zod),
      `${(r['ours validateX'] / r.ajv).toFixed(1)}x`,
      `${(r['ours validateX'] / r['ajv standalone']).toFixed(1)}x`,
      `${(r['ours validateX'] / r.zod).toFixed(1)}x`,
    ]);
  }

  log('Validations per CPU second (fastest of 11 interleaved rounds; zod in rounds of its own), same process; ratios are ours validateX against each peer:');
  table(log, ['payload', 'kind', 'ours validateX', 'ours isX', 'ajv', 'ajv standalone', 'zod 4', 'vs ajv', 'vs standalone', 'vs zod'], rows);
  log('');
  log(`Generation of the validators for the full Plaid spec (${model.schemas.length} schemas, ${model.operations.length} operations):`);
  log(`  emitValidators in process: median ${generation.median.toFixed(0)} ms (runs ${generation.runs.map((r) => r.toFixed(0)).join(', ')})`);
  if (cold) log(`  cold CLI run (--emit types,validators,package): emit validators ${cold.validators} ms, whole run ${cold.total} ms`);
  log(`  size: ${Object.entries(size).map(([p, b]) => `${p} ${(b / 1024).toFixed(0)} KB`).join(', ')}; total ${(totalBytes / 1024).toFixed(0)} KB, gzip ${(gzipBytes / 1024).toFixed(0)} KB, as JavaScript ${(jsBytes / 1024).toFixed(0)} KB`);
  log(`  import of the transpiled module: ${importMs.toFixed(0)} ms`);
  results.generation = { medianMs: Math.round(generation.median), runsMs: generation.runs.map(Math.round), cold, bytes: size, totalBytes, gzipBytes, jsBytes, importMs: Math.round(importMs) };
  return results;
}

function fmt(n) {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`;
}

function table(log, head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  log(line(head));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) log(line(r));
}

/**
 * `n` calls of one contender on one payload, as `(n) => last result`. Each loop is a function of its
 * own (new Function), so its call site sees one validator, as an application's own call does: a
 * loop shared by every contender and payload would make that call megamorphic and add the same
 * ten-odd nanoseconds of dispatch to every contender, which says nothing about any of them and
 * compresses the ratios between them. The calls go round 16 equal copies of the payload (parsed
 * from the same JSON, so of the same shapes), as an application validates a new object each
 * time: no read of one call can be reused by the next.
 */
function callLoop(f, value, call) {
  const copies = Array.from({ length: 16 }, () => JSON.parse(JSON.stringify(value)));
  const loop = new Function('f', 'vs', 'n', `let r; for (let i = 0; i < n; i++) { const v = vs[i & 15]; r = ${call}; } return r;`);
  return (n) => loop(f, copies, n);
}

/**
 * Validations per second of each contender, measured round-robin so that whatever disturbs one
 * round disturbs every contender alike: 300 ms of warm-up each, then 11 rounds of one ~25 ms
 * batch each (no forced collections between batches: they disturb V8's optimized code more than
 * they even out garbage, which each contender's own allocations trigger). The fastest round counts: on a machine
 * shared with other jobs, the least disturbed round is the most repeatable figure (and the same
 * rule applies to every contender).
 *
 * A round is timed in CPU time of this process (process.cpuUsage: user + system, every thread, so
 * a contender's garbage collection counts), not wall time: with 2 cores shared by several jobs, a
 * 25 ms batch is preempted for longer than it runs, and wall time measured the scheduler.
 */
function roundRobin(runs) {
  const sizes = {};
  for (const [who, fn] of Object.entries(runs)) {
    let n = 1;
    for (;;) {
      const start = performance.now();
      fn(n);
      const ms = performance.now() - start;
      if (ms > 10) {
        sizes[who] = Math.max(1, Math.round((n * 25) / ms));
        break;
      }
      n *= 4;
    }
  }
  // Warm-up: large validators need some ten thousand calls before V8's optimizing tiers settle.
  for (const [who, fn] of Object.entries(runs)) {
    const start = performance.now();
    while (performance.now() - start < 300) fn(sizes[who]);
  }
  const best = Object.fromEntries(Object.keys(runs).map((who) => [who, 0]));
  for (let round = 0; round < 11; round++) {
    for (const [who, fn] of Object.entries(runs)) {
      const n = sizes[who];
      const start = process.cpuUsage();
      fn(n);
      const used = process.cpuUsage(start);
      const rate = n / ((used.user + used.system) / 1e6);
      if (rate > best[who]) best[who] = rate;
    }
  }
  return Object.fromEntries(Object.entries(best).map(([who, rate]) => [who, Math.round(rate)]));
}

/** Whole-CLI phase times on a cold process. */
function coldPhase(root, spec, out) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/codegen.js'), 'generate', '--spec', spec, '--out', out, '--name', 'bench', '--emit', 'types,validators,package', '--no-cache', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) return undefined;
  const summary = JSON.parse(r.stdout);
  const phase = (name) => summary.timings.find((t) => t.phase === name)?.ms;
  return { validators: phase('emit validators'), total: summary.timings.reduce((n, t) => n + t.ms, 0) };
}

// ---- payloads -----------------------------------------------------------------------------------

function mediaExample(media) {
  if (!media) return undefined;
  if ('example' in media) return media.example;
  const first = Object.values(media.examples ?? {})[0];
  return first?.value;
}

/** Payloads as an application sees them: parsed from JSON text. */
const asJson = (value) => JSON.parse(JSON.stringify(value));

function responseExample(raw, p) {
  return asJson(mediaExample(raw.paths[p].post.responses['200'].content['application/json']));
}

function requestExample(raw, p) {
  return asJson(mediaExample(raw.paths[p].post.requestBody.content['application/json']) ?? {});
}

/**
 * A value for a schema built from the spec's examples: a property's example when it fits the
 * property's type, else a plain value of the right type and format; every property is filled in.
 */
export function fromExamples(schemas, s, depth = 0) {
  if (!s || depth > 14) return undefined;
  if (s.$ref) return fromExamples(schemas, schemas[s.$ref.split('/').pop()], depth + 1);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((b) => fromExamples(schemas, b, depth + 1) ?? {}));
  if (s.oneOf || s.anyOf) return fromExamples(schemas, (s.oneOf ?? s.anyOf)[0], depth + 1);
  const fits = (v) =>
    v !== undefined &&
    (s.enum ? s.enum.includes(v) : true) &&
    (s.type === undefined ||
      (s.type === 'string' && typeof v === 'string') ||
      ((s.type === 'number' || s.type === 'integer') && typeof v === 'number') ||
      (s.type === 'boolean' && typeof v === 'boolean') ||
      (s.type === 'array' && Array.isArray(v)) ||
      (s.type === 'object' && v && typeof v === 'object' && !Array.isArray(v) && !s.properties));
  if (fits(s.example)) return structuredClone(s.example);
  if (s.enum) return s.enum.find((v) => v !== null) ?? null;
  switch (s.type) {
    case 'string':
      return { date: '2024-01-15', 'date-time': '2024-01-15T10:20:30Z', email: 'user@example.com', uuid: '0b5e3f5a-6d2b-4c8e-9a51-2f0a7c1d9e34', uri: 'https://example.com/a', url: 'https://example.com/a' }[s.format] ?? 'x'.repeat(Math.max(s.minLength ?? 3, 1));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array': {
      const item = fromExamples(schemas, s.items, depth + 1);
      return item === undefined ? [] : [item];
    }
  }
  if (s.properties) {
    const out = {};
    for (const [name, p] of Object.entries(s.properties)) {
      const v = fromExamples(schemas, p, depth + 1);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  return s.type === 'object' ? {} : undefined;
}

/** Drops the top-level properties ajv objects to (optional ones whose parts do not fit together). */
export function validOnly(ajv, name, payload) {
  const validate = ajv.getSchema(`plaid.json#/components/schemas/${name}`);
  for (let round = 0; round < 20 && !validate(payload); round++) {
    const top = new Set(validate.errors.map((e) => e.instancePath.split('/')[1]).filter(Boolean));
    if (top.size === 0) break;
    for (const key of top) delete payload[key];
  }
  return payload;
}

/** The payload with its last leaf of a checked type replaced by a value of the wrong type. */
export function breakLastLeaf(payload, isInvalid) {
  const leaves = [];
  const walk = (v, at) => {
    if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...at, i]));
    else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...at, k]);
    else leaves.push(at);
  };
  walk(payload, []);
  for (let i = leaves.length - 1; i >= 0; i--) {
    const copy = asJson(payload);
    const at = leaves[i];
    let parent = copy;
    for (const k of at.slice(0, -1)) parent = parent[k];
    const key = at[at.length - 1];
    parent[key] = typeof parent[key] === 'string' ? 12345 : 'not a number';
    if (isInvalid(copy)) return copy;
  }
  throw new Error('no leaf makes the payload invalid');
}

// ---- OpenAPI 3.0 as JSON Schema for ajv (the same reading as test/validators/ajv-openapi.ts) -------

export function openApiToJsonSchema(doc) {
  const schema = (s) => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
    if (typeof s.$ref === 'string') return s.nullable === true ? { anyOf: [{ type: 'null' }, { $ref: s.$ref }] } : { $ref: s.$ref };
    const out = {};
    for (const [k, v] of Object.entries(s)) if (!['nullable', 'discriminator', 'example', 'examples', 'xml', 'externalDocs', 'deprecated', 'readOnly', 'writeOnly'].includes(k) && !k.startsWith('x-')) out[k] = v;
    if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([n, p]) => [n, schema(p)]));
    if (s.items) out.items = schema(s.items);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = schema(s.additionalProperties);
    for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[k])) out[k] = s[k].map(schema);
    if (s.not) out.not = schema(s.not);
    for (const [k, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
      if (typeof s[k] === 'boolean') {
        delete out[k];
        if (s[k] && typeof s[bound] === 'number') {
          out[k] = s[bound];
          delete out[bound];
        }
      }
    }
    if (s.nullable === true) {
      if (typeof out.type === 'string' && !out.allOf && !out.anyOf && !out.oneOf) {
        out.type = [out.type, 'null'];
        if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
        return out;
      }
      return { anyOf: [{ type: 'null' }, out] };
    }
    return out;
  };
  const schemas = doc.components.schemas;
  for (const k of Object.keys(schemas)) schemas[k] = schema(schemas[k]);
  return { components: { schemas } };
}

export function unknownFormats(doc, ajv) {
  const out = new Set();
  JSON.stringify(doc, (k, v) => {
    if (k === 'format' && typeof v === 'string' && !ajv.formats[v]) out.add(v);
    return v;
  });
  return out;
}

// ---- zod 4 schemas derived from the same OpenAPI schemas ---------------------------------------

function zodFactory(z, schemas) {
  const named = new Map();
  const building = new Set();
  const ref = (name) => {
    if (named.has(name)) return named.get(name);
    if (building.has(name)) return z.lazy(() => named.get(name));
    building.add(name);
    const built = convert(schemas[name]);
    building.delete(name);
    named.set(name, built);
    return built;
  };
  const string = (s) => {
    let t;
    if (s.format === 'date') t = z.iso.date();
    else if (s.format === 'date-time') t = z.iso.datetime({ offset: true });
    else if (s.format === 'email') t = z.email();
    else if (s.format === 'uuid') t = z.uuid();
    else if (s.format === 'uri' || s.format === 'url') t = z.url();
    else t = z.string();
    if (s.minLength !== undefined) t = t.min(s.minLength);
    if (s.maxLength !== undefined) t = t.max(s.maxLength);
    if (s.pattern) t = t.regex(new RegExp(s.pattern));
    return t;
  };
  const convert = (s) => {
    if (!s || typeof s !== 'object') return z.any();
    if (s.$ref) {
      const r = ref(s.$ref.split('/').pop());
      return s.nullable ? r.nullable() : r;
    }
    let t;
    if (s.enum) {
      const values = s.enum.filter((v) => v !== null);
      t = values.every((v) => typeof v === 'string') ? z.enum(values) : z.union(values.map((v) => z.literal(v)));
      if (s.enum.includes(null)) t = t.nullable();
    } else if (s.allOf) {
      t = s.allOf.map(convert).reduce((a, b) => z.intersection(a, b));
    } else if (s.anyOf || s.oneOf) {
      t = z.union((s.anyOf ?? s.oneOf).map(convert));
    } else if (s.type === 'string') t = string(s);
    else if (s.type === 'integer' || s.type === 'number') {
      t = s.type === 'integer' ? z.number().int() : z.number();
      if (s.minimum !== undefined) t = s.exclusiveMinimum === true ? t.gt(s.minimum) : t.min(s.minimum);
      if (s.maximum !== undefined) t = t.max(s.maximum);
    } else if (s.type === 'boolean') t = z.boolean();
    else if (s.type === 'array') {
      t = z.array(convert(s.items));
      if (s.minItems !== undefined) t = t.min(s.minItems);
      if (s.maxItems !== undefined) t = t.max(s.maxItems);
    } else if (s.type === 'object' || s.properties) {
      const required = new Set(s.required ?? []);
      const shape = {};
      for (const [name, p] of Object.entries(s.properties ?? {})) shape[name] = required.has(name) ? convert(p) : convert(p).optional();
      if (s.additionalProperties === false) t = z.strictObject(shape);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') t = z.object(shape).catchall(convert(s.additionalProperties));
      else t = z.looseObject(shape);
    } else t = z.any();
    return s.nullable ? t.nullable() : t;
  };
  return ref;
}
