// Generation of the real Plaid spec (329 operations, 2275 schemas), as whole processes, side by side
// with openapi-typescript, @hey-api/openapi-ts and orval in the same run; then `tsc --noEmit` over
// the generated types. Every tool runs as a user runs it (a fresh `node` process per run), so
// start-up, parsing and writing count for everyone alike.
//
// Env: BENCH_RUNS (default 5) runs per measurement; BENCH_PRETTIER_RUNS (default 1: prettier over
// the full output takes minutes, and one run shows its order of magnitude) for `--prettier`; BENCH_QUICK=1 runs everything once (for checking the harness);
// BENCH_MEMORY=node measures memory without /usr/bin/time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const GOAL_TYPES_MS = 3000;

export default async function generateBench(ctx) {
  const { root, benchDir, plaidSpec, log } = ctx;
  const quick = process.env.BENCH_QUICK === '1';
  const RUNS = quick ? 1 : Number(process.env.BENCH_RUNS ?? 5);
  const PRETTIER_RUNS = quick ? 1 : Number(process.env.BENCH_PRETTIER_RUNS ?? 1);
  const peers = createRequire(path.join(benchDir, 'package.json'));
  const codegen = path.join(root, 'bin/codegen.js');
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const work = ctx.tmp('work');
  const memory = memoryProbe(work);

  /** Runs one tool process to completion; throws with its output when it fails. */
  const exec = (args, env = {}) => {
    const r = memory.spawn(process.execPath, args, work, { ...process.env, ...env });
    if (r.status !== 0) throw new Error(`${path.basename(args[0])} exited ${r.status}:\n${(r.stdout + r.stderr).slice(-2000)}`);
    return r;
  };

  /**
   * Round-robin: round r runs every task once (tasks with fewer runs drop out), so a change in the
   * shared machine's load hits every tool alike instead of whichever ran during it.
   */
  const interleave = (tasks, rounds) => {
    for (const t of tasks) Object.assign(t, { times: [], peakKb: 0 });
    for (const t of tasks) t.prime?.();
    for (let round = 0; round < rounds; round++) {
      for (const t of tasks) {
        if (round >= t.runs) continue;
        const start = performance.now();
        const r = t.run();
        t.times.push(performance.now() - start);
        t.peakKb = Math.max(t.peakKb, r.maxRssKb ?? 0);
        t.onRun?.(r);
      }
    }
    for (const t of tasks) {
      t.median = medianOf(t.times);
      t.peakMb = t.peakKb ? t.peakKb / 1024 : null;
      log(`  ${t.label.padEnd(44)} ${fmtS(t.median)}  (runs: ${t.times.map(fmtS).join(', ')})${t.note ? `  ${t.note()}` : ''}`);
    }
  };

  /**
   * codegen with --json: every run's summary carries its phase timings. codegen keeps an
   * incremental cache (CODEGEN_CACHE_DIR): `cold` gives each run an empty one, as on a first run or
   * a fresh CI machine (the peers have no cache, so cold is the comparable figure); `warm` reuses
   * one filled by an untimed run first, as when regenerating an unchanged spec.
   */
  let coldRun = 0;
  const codegenTask = (label, runs, out, extra, cache) => {
    const warmDir = path.join(work, `cache-warm-${path.basename(out)}`);
    const args = [codegen, 'generate', '--spec', plaidSpec, '--out', out, '--name', '@bench/plaid', '--json', ...extra];
    const task = {
      label,
      runs,
      out,
      phaseLog: [],
      prime: cache === 'warm' ? () => exec(args, { CODEGEN_CACHE_DIR: warmDir }) : undefined,
      run: () => {
        if (cache === 'warm') return exec(args, { CODEGEN_CACHE_DIR: warmDir });
        const cold = path.join(work, `cache-cold-${coldRun++}`);
        try {
          return exec(args, { CODEGEN_CACHE_DIR: cold });
        } finally {
          fs.rmSync(cold, { recursive: true, force: true });
        }
      },
      onRun: (r) => {
        task.summary = JSON.parse(r.stdout);
        task.phaseLog.push(task.summary.timings);
      },
    };
    return task;
  };
  const peerTask = (label, out, args) => ({ label, runs: RUNS, out, run: () => exec(args) });

  const oatOut = path.join(work, 'openapi-typescript');
  const heyOut = path.join(work, 'hey-api');
  const orvalOut = path.join(work, 'orval');
  fs.mkdirSync(oatOut, { recursive: true });
  const codegenTypes = codegenTask('codegen --emit types,package', RUNS, path.join(work, 'codegen-types'), ['--emit', 'types,package'], 'cold');
  const codegenTypesWarm = codegenTask('codegen --emit types,package (warm cache)', RUNS, path.join(work, 'codegen-types-warm'), ['--emit', 'types,package'], 'warm');
  const codegenAll = codegenTask('codegen (all emitters)', RUNS, path.join(work, 'codegen-all'), [], 'cold');
  const codegenAllWarm = codegenTask('codegen (all emitters, warm cache)', RUNS, path.join(work, 'codegen-all-warm'), [], 'warm');
  const codegenPrettier = codegenTask('codegen (all emitters) --prettier', PRETTIER_RUNS, path.join(work, 'codegen-prettier'), ['--prettier'], 'cold');
  const oat = peerTask(`openapi-typescript ${versionOf(peers, 'openapi-typescript')} (types)`, oatOut, [binOf(peers, 'openapi-typescript'), plaidSpec, '-o', path.join(oatOut, 'schema.ts')]);
  const hey = peerTask(`@hey-api/openapi-ts ${versionOf(peers, '@hey-api/openapi-ts')} (defaults)`, heyOut, [binOf(peers, '@hey-api/openapi-ts'), '-i', plaidSpec, '-o', heyOut, '--silent', '--no-log-file']);
  const orval = peerTask(`orval ${versionOf(peers, 'orval')} (defaults)`, orvalOut, [binOf(peers, 'orval'), '--input', plaidSpec, '--output', path.join(orvalOut, 'api.ts')]);

  log(`spec: ${path.relative(root, plaidSpec)} (${(fs.statSync(plaidSpec).size / 2 ** 20).toFixed(1)} MB); median of ${RUNS} interleaved runs (--prettier: ${PRETTIER_RUNS}); memory: ${memory.how}`);
  // The machine is shared: absolute times move with its load, ratios within one run much less.
  const loadAtStart = os.loadavg()[0];
  log(`load average at start: ${loadAtStart.toFixed(1)} on ${os.cpus().length} cores`);
  log('');
  log('generation, whole processes:');
  interleave([codegenTypes, codegenTypesWarm, codegenAll, codegenAllWarm, codegenPrettier, oat, hey, orval], RUNS);

  // ---- tsc --noEmit over the outputs, same compiler and options for all ----
  const tsVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/typescript/package.json'), 'utf8')).version;
  const tscTask = (label, dir, include) => {
    const config = path.join(dir, 'tsconfig.bench.json');
    fs.writeFileSync(config, JSON.stringify({ compilerOptions: TSC_OPTIONS, include }, null, 2));
    const task = {
      label,
      runs: RUNS,
      errors: 0,
      run: () => {
        const r = spawnSync(process.execPath, [tsc, '-p', config], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
        task.errors = (r.stdout.match(/error TS\d+/g) ?? []).length;
        return r;
      },
      note: () => `${task.errors} errors`,
    };
    return task;
  };
  const tscTasks = [
    tscTask('codegen types', codegenTypes.out, ['src/index.ts', 'src/types.ts']),
    tscTask('codegen (all emitters)', codegenAll.out, ['src/**/*.ts']),
    tscTask('openapi-typescript', oatOut, ['schema.ts']),
    tscTask('@hey-api/openapi-ts', heyOut, ['**/*.ts']),
  ];
  log('');
  log(`tsc --noEmit over the output (typescript ${tsVersion}; strict, NodeNext, skipLibCheck):`);
  interleave(tscTasks, RUNS);
  log('  (orval is left out: its output imports axios, which it does not install)');
  const tscResults = Object.fromEntries(tscTasks.map((t) => [t.label, { median: t.median, runs: t.times, errors: t.errors }]));

  // ---- tables ----
  const base = codegenTypes.median;
  const rows = [
    ['codegen', 'types + package', codegenTypes],
    ['codegen', 'types + package, warm cache', codegenTypesWarm],
    ['codegen', 'all emitters', codegenAll],
    ['codegen', 'all emitters, warm cache', codegenAllWarm],
    ['codegen', 'all emitters + --prettier', codegenPrettier],
    ['openapi-typescript', 'types', oat],
    ['@hey-api/openapi-ts', 'types + sdk + client', hey],
    ['orval', 'types + axios client', orval],
  ];
  log('');
  log('| tool | output | median | peak memory | output size | time / codegen types+package |');
  log('| --- | --- | ---: | ---: | ---: | ---: |');
  const generation = {};
  for (const [tool, what, m] of rows) {
    const bytes = treeBytes(m.out, /\.(ts|json|md)$/, /tsconfig\.bench\.json$/);
    generation[`${tool} (${what})`] = { median: m.median, runs: m.times, peakMb: m.peakMb, bytes };
    log(`| ${tool} | ${what} | ${fmtS(m.median)} | ${m.peakMb ? `${m.peakMb.toFixed(0)} MB` : 'n/a'} | ${(bytes / 2 ** 20).toFixed(2)} MB | ${(m.median / base).toFixed(2)}x |`);
  }

  const phases = {
    'types + package': medianPhases(codegenTypes.phaseLog),
    'types + package, warm': medianPhases(codegenTypesWarm.phaseLog),
    'all emitters': medianPhases(codegenAll.phaseLog),
    'all emitters, warm': medianPhases(codegenAllWarm.phaseLog),
    'all emitters + --prettier': medianPhases(codegenPrettier.phaseLog),
  };
  // In pipeline order: the all-emitters run has every phase.
  const phaseNames = [...new Set([phases['all emitters'], ...Object.values(phases)].flatMap((p) => Object.keys(p)))];
  log('');
  log('codegen phases (median ms, from --json):');
  log(`| phase | ${Object.keys(phases).join(' | ')} |`);
  log(`| --- | ${Object.keys(phases).map(() => '---:').join(' | ')} |`);
  for (const phase of phaseNames) log(`| ${phase} | ${Object.values(phases).map((p) => (p[phase] === undefined ? '' : String(Math.round(p[phase])))).join(' | ')} |`);
  const inProcess = (p) => Object.values(p).reduce((a, b) => a + b, 0);
  log(`| (sum of phases) | ${Object.values(phases).map((p) => String(Math.round(inProcess(p)))).join(' | ')} |`);
  log(`| (process total) | ${[codegenTypes, codegenTypesWarm, codegenAll, codegenAllWarm, codegenPrettier].map((m) => String(Math.round(m.median))).join(' | ')} |`);

  const ratios = {
    'openapi-typescript / codegen types+package': oat.median / codegenTypes.median,
    'codegen all emitters / openapi-typescript': codegenAll.median / oat.median,
    '@hey-api/openapi-ts / codegen all emitters': hey.median / codegenAll.median,
    'orval / codegen all emitters': orval.median / codegenAll.median,
    'codegen warm cache / cold (types + package)': codegenTypesWarm.median / codegenTypes.median,
    'prettier cost (all emitters, --prettier / without)': codegenPrettier.median / codegenAll.median,
    'tsc: openapi-typescript output / codegen types': tscResults['openapi-typescript'].median / tscResults['codegen types'].median,
    'tsc: hey-api output / codegen types': tscResults['@hey-api/openapi-ts'].median / tscResults['codegen types'].median,
  };
  const goals = {
    'types + package under 3 s median': codegenTypes.median < GOAL_TYPES_MS,
    'types + package no slower than openapi-typescript': codegenTypes.median <= oat.median,
    'all emitters under 2x openapi-typescript': codegenAll.median < 2 * oat.median,
  };
  const loadAtEnd = os.loadavg()[0];
  log('');
  log(`load average at end: ${loadAtEnd.toFixed(1)} on ${os.cpus().length} cores`);
  log('ratios:');
  for (const [k, v] of Object.entries(ratios)) log(`  ${k.padEnd(62)} ${v.toFixed(2)}x`);
  log('goals:');
  for (const [k, v] of Object.entries(goals)) log(`  ${v ? 'PASS' : 'FAIL'}  ${k}`);

  return {
    spec: path.relative(root, plaidSpec),
    runs: RUNS,
    prettierRuns: PRETTIER_RUNS,
    memory: memory.how,
    loadAverage: { start: loadAtStart, end: loadAtEnd, cores: os.cpus().length },
    codegen: {
      operations: codegenTypes.summary.operations,
      schemas: codegenTypes.summary.schemas,
      emitters: { 'types + package': phaseKeys(codegenTypes.summary), all: phaseKeys(codegenAll.summary) },
    },
    generation,
    phases,
    tsc: tscResults,
    ratios,
    goals,
  };

  function phaseKeys(summary) {
    return summary.timings.map((t) => t.phase).filter((p) => p.startsWith('emit ')).map((p) => p.slice(5));
  }
}

const TSC_OPTIONS = {
  strict: true,
  noEmit: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  skipLibCheck: true,
  types: [],
};

/**
 * Peak resident memory of a process tree: GNU time's max RSS when /usr/bin/time exists, else a
 * preloaded script that reports every node process's own maxRSS at exit (the peers are node
 * processes; the largest is the peak).
 */
function memoryProbe(work) {
  const gnuTime = process.env.BENCH_MEMORY !== 'node' && ['/usr/bin/time', '/bin/time'].find((p) => fs.existsSync(p) && spawnSync(p, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0);
  const report = path.join(work, 'maxrss.txt');
  if (gnuTime) {
    return {
      how: `${gnuTime} (max RSS)`,
      spawn(cmd, args, cwd, env) {
        fs.rmSync(report, { force: true });
        const r = spawnSync(gnuTime, ['-f', '%M', '-o', report, cmd, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
        const kb = Number(fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').pop() : NaN);
        return { status: r.status, stdout: r.stdout, stderr: r.stderr, maxRssKb: Number.isFinite(kb) ? kb : null };
      },
    };
  }
  const preload = path.join(work, 'maxrss.cjs');
  fs.writeFileSync(preload, `process.on('exit', () => { try { require('fs').appendFileSync(process.env.BENCH_MAXRSS_FILE, process.resourceUsage().maxRSS + '\\n'); } catch {} });\n`);
  return {
    how: 'process.resourceUsage().maxRSS of each node process (preloaded)',
    spawn(cmd, args, cwd, baseEnv) {
      fs.rmSync(report, { force: true });
      const env = { ...baseEnv, BENCH_MAXRSS_FILE: report, NODE_OPTIONS: `${baseEnv.NODE_OPTIONS ?? ''} --require ${JSON.stringify(preload)}`.trim() };
      const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
      const kbs = fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').map(Number) : [];
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, maxRssKb: kbs.length ? Math.max(...kbs) : null };
    },
  };
}

/** The file a package's CLI runs, resolved from bench/node_modules. */
function binOf(req, name) {
  const dir = packageDir(req, name);
  const { bin } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const rel = typeof bin === 'string' ? bin : (bin[name.split('/').pop()] ?? Object.values(bin)[0]);
  return path.join(dir, rel);
}

function versionOf(req, name) {
  return JSON.parse(fs.readFileSync(path.join(packageDir(req, name), 'package.json'), 'utf8')).version;
}

function packageDir(req, name) {
  for (const base of req.resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`${name} is not installed in bench/node_modules (npm run bench installs it)`);
}

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianPhases(runs) {
  const byPhase = {};
  for (const timings of runs) for (const t of timings) (byPhase[t.phase] ??= []).push(t.ms);
  return Object.fromEntries(
    Object.entries(byPhase).map(([phase, values]) => [phase, medianOf(values)]),
  );
}

function treeBytes(dir, include, exclude) {
  let total = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (include.test(file) && !(exclude && exclude.test(file))) total += fs.statSync(file).size;
  }
  return total;
}

function fmtS(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}
