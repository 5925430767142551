// Validators: validations per second on real Plaid payloads against ajv (compiled once, with
// ajv-formats), ajv standalone code and zod 4, all in this process; plus the generation time and the
// size of the generated validators for the full spec.
//
// Payloads are built from the spec's own examples: the 200 examples of /transactions/get,
// /accounts/get and /cra/check_report/base_report/get (the largest example in the spec), and
// requests for /link/token/create and /item/application/scopes/update assembled from the property
// examples of their schemas. Each has an invalid twin: its last leaf of a checked type replaced by a
// value of the wrong type, so every validator walks nearly the whole payload before failing.
//
// The rates come from BENCH_RUNS (default 3) measuring runs, each a fresh process that measures
// every payload in the same order; the table shows medians (see measure()).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

export default async function validatorsBench(ctx) {
  const { root, benchDir, plaidSpec, tmp, median, log } = ctx;
  const requireRoot = createRequire(path.join(root, 'package.json'));
  const Ajv = requireRoot('ajv').default;
  const addFormats = requireRoot('ajv-formats').default;
  const standaloneCode = requireRoot('ajv/dist/standalone').default;
  const yaml = requireRoot('js-yaml');
  const { ts } = requireRoot('ts-morph');
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
  await import(pathToFileURL(path.join(outDir, 'src/validators.js')).href);
  const importMs = performance.now() - importStart;

  // ---- payloads, invalid twins and ajv's standalone code, made once for every measuring run ------
  const raw = yaml.load(fs.readFileSync(plaidSpec, 'utf8'));
  const doc = openApiToJsonSchema(structuredClone(raw));
  const ajv = newAjv(Ajv, addFormats, doc, { code: { source: true } });
  const schemas = raw.components.schemas;
  // A separate ajv instance assembles the payloads and breaks them.
  const probe = newAjv(Ajv, addFormats, doc, {});
  let cases = [
    { name: 'TransactionsGetResponse', payload: responseExample(raw, '/transactions/get') },
    { name: 'AccountsGetResponse', payload: responseExample(raw, '/accounts/get') },
    { name: 'CraCheckReportBaseReportGetResponse', payload: responseExample(raw, '/cra/check_report/base_report/get') },
    { name: 'LinkTokenCreateRequest', payload: asJson(validOnly(probe, 'LinkTokenCreateRequest', { ...fromExamples(schemas, schemas.LinkTokenCreateRequest), ...requestExample(raw, '/link/token/create') })) },
    { name: 'ItemApplicationScopesUpdateRequest', payload: asJson(validOnly(probe, 'ItemApplicationScopesUpdateRequest', fromExamples(schemas, schemas.ItemApplicationScopesUpdateRequest))) },
  ];
  // BENCH_CASES=AccountsGetResponse,... measures only those payloads.
  if (process.env.BENCH_CASES) {
    const only = new Set(process.env.BENCH_CASES.split(','));
    cases = cases.filter((c) => only.has(c.name));
  }
  for (const c of cases) {
    const check = probe.getSchema(`plaid.json#/components/schemas/${c.name}`);
    c.invalid = breakLastLeaf(c.payload, (v) => !check(v));
    c.standalone = path.join(tmp(`ajv-standalone-${c.name}`), 'validate.cjs');
    fs.writeFileSync(c.standalone, standaloneCode(ajv, ajv.getSchema(`plaid.json#/components/schemas/${c.name}`)));
  }
  const config = path.join(tmp('validators-runs'), 'config.json');
  fs.writeFileSync(config, JSON.stringify({ root, benchDir, spec: plaidSpec, validators: path.join(outDir, 'src/validators.js'), cases }));

  // ---- measuring runs: each a fresh process, the medians count ----------------------------------
  // One process's figures hang on where V8 and the machine happened to put things: the same
  // validator runs 10-15% apart from one process to the next (and now and then 1.5x apart), which
  // the best of 11 rounds inside a process cannot even out. Every run measures every payload in the
  // same order, so what one payload's validation leaves behind for the next is part of every run.
  const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', config], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`validators bench: measuring run ${i + 1} failed:\n${r.stderr}`);
    if (r.stderr.trim()) log(r.stderr.trim());
    runs.push(JSON.parse(r.stdout));
  }

  const contenders = ['ours validateX', 'ours isX', 'ajv', 'ajv standalone', 'zod'];
  const results = { runs: RUNS, generation: {}, payloads: [] };
  const rows = [];
  cases.forEach((c, k) => {
    const entry = { name: c.name, bytes: runs[0][k].bytes, valid: {}, invalid: {}, ratios: {} };
    for (const kind of ['valid', 'invalid']) {
      for (const who of contenders) entry[kind][who] = Math.round(medianOf(runs.map((run) => run[k][kind][who])));
      const ratio = (peer) => {
        const each = runs.map((run) => run[k][kind]['ours validateX'] / run[k][kind][peer]);
        return { median: medianOf(each), min: Math.min(...each), max: Math.max(...each) };
      };
      const vs = { ajv: ratio('ajv'), 'ajv standalone': ratio('ajv standalone'), zod: ratio('zod') };
      entry.ratios[kind] = Object.fromEntries(Object.entries(vs).map(([peer, r]) => [peer, { median: +r.median.toFixed(2), min: +r.min.toFixed(2), max: +r.max.toFixed(2) }]));
      const r = entry[kind];
      const spread = (x) => (RUNS > 1 ? ` (${x.min.toFixed(1)}-${x.max.toFixed(1)})` : '');
      rows.push([`${c.name} (${(entry.bytes / 1024).toFixed(1)} KB)`, kind, fmt(r['ours validateX']), fmt(r['ours isX']), fmt(r.ajv), fmt(r['ajv standalone']), fmt(r.zod), `${vs.ajv.median.toFixed(1)}x${spread(vs.ajv)}`, `${vs['ajv standalone'].median.toFixed(1)}x`, `${vs.zod.median.toFixed(1)}x`]);
    }
    results.payloads.push(entry);
  });

  log(`Validations per CPU second, medians of ${RUNS} measuring run(s), each a fresh process (fastest of 11 interleaved rounds per run; zod in rounds of its own); ratios are ours validateX against each peer, median of the runs' ratios (their range in parentheses):`);
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

/** ajv 8 for the spec's schemas: OpenAPI 3 semantics, ajv-formats, unknown formats accepted. */
function newAjv(Ajv, addFormats, doc, options) {
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, ...options });
  addFormats(ajv);
  for (const format of unknownFormats(doc, ajv)) ajv.addFormat(format, true);
  ajv.addSchema({ ...doc, $id: 'plaid.json' });
  return ajv;
}

const medianOf = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * One measuring run (a child process: `node validators.bench.mjs --measure config.json`): every
 * payload, valid and invalid, for every contender; prints the rates as JSON on stdout.
 */
async function measure(configFile) {
  const { root, benchDir, spec, validators, cases } = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  const requireRoot = createRequire(path.join(root, 'package.json'));
  const requireBench = createRequire(path.join(benchDir, 'package.json'));
  const Ajv = requireRoot('ajv').default;
  const addFormats = requireRoot('ajv-formats').default;
  const yaml = requireRoot('js-yaml');
  const { z } = await import(pathToFileURL(requireBench.resolve('zod')).href);
  const ours = await import(pathToFileURL(validators).href);
  const raw = yaml.load(fs.readFileSync(spec, 'utf8'));
  const ajv = newAjv(Ajv, addFormats, openApiToJsonSchema(structuredClone(raw)), {});
  const zodOf = zodFactory(z, raw.components.schemas);
  const warn = (message) => process.stderr.write(`${message}\n`);

  const out = [];
  const later = [];
  for (const c of cases) {
    const validateOurs = ours[`validate${c.name}`];
    const isOurs = ours[`is${c.name}`];
    const ajvFn = ajv.getSchema(`plaid.json#/components/schemas/${c.name}`);
    const ajvStandalone = requireRoot(c.standalone);
    const zodSchema = zodOf(c.name);
    const { payload, invalid } = c;

    // Every validator must give the expected verdict before its speed means anything.
    const verdicts = {
      ours: [validateOurs(payload).ok, validateOurs(invalid).ok],
      ajv: [ajvFn(payload), ajvFn(invalid)],
      'ajv standalone': [ajvStandalone(payload), ajvStandalone(invalid)],
      zod: [zodSchema.safeParse(payload).success, zodSchema.safeParse(invalid).success],
    };
    for (const [who, [valid, bad]] of Object.entries(verdicts)) {
      if (valid !== true || bad !== false) warn(`  warning: ${who} says ${c.name} valid=${valid}, invalid twin=${bad}${who === 'ours' ? ` ${JSON.stringify(validateOurs(payload, { allErrors: true }))}` : ''}`);
    }

    const entry = { name: c.name, bytes: JSON.stringify(payload).length, valid: {}, invalid: {} };
    for (const [kind, value] of [['valid', payload], ['invalid', invalid]]) {
      const contenders = {
        'ours validateX': callLoop(validateOurs, value, 'f(v)'),
        'ours isX': callLoop(isOurs, value, 'f(v)'),
        // What a caller of ajv does: the verdict, and the errors when there are some.
        ajv: callLoop(ajvFn, value, 'f(v) || f.errors'),
        'ajv standalone': callLoop(ajvStandalone, value, 'f(v) || f.errors'),
      };
      Object.assign(entry[kind], roundRobin(contenders));
      later.push({ entry, kind, zod: callLoop(zodSchema, value, 'f.safeParse(v)') });
    }
    out.push(entry);
  }
  // zod in rounds of its own, after every other measurement: it leaves survivors in every young
  // generation it fills (scavenges of 6-30 ms instead of 0.7 ms in this process), and whichever
  // contender triggered the next scavenge paid for them.
  for (const { entry, kind, zod } of later) Object.assign(entry[kind], roundRobin({ zod }));
  process.stdout.write(JSON.stringify(out));
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

if (process.argv[2] === '--measure' && process.argv[1] === fileURLToPath(import.meta.url)) await measure(process.argv[3]);
