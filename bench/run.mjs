#!/usr/bin/env node
// `npm run bench [-- NAME...] [--no-install] [--no-build]`: runs bench/*.bench.mjs side by side with the peers.
//
// Each bench file is `export default async function (ctx)` with
//   ctx = { root, benchDir, shared, plaidSpec, tmp(name), median(fn, runs), log }
// prints its own table through ctx.log and returns a JSON-able object, saved to
// bench/results/<name>.json. Everything a bench logs is kept too (bench/results/<name>.log), and
// bench/results/summary.md collects the latest log of every bench, so running one bench keeps the
// others' numbers.
//
// Peers (bench/package.json) are installed into bench/node_modules, never into the root's: they pin
// versions that run on Node 20 and must not disturb the generator's own dependencies.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(benchDir);
const shared = path.resolve(root, '../shared');
const plaidSpec = path.join(shared, 'specs/plaid/2020-09-14.yml');
const resultsDir = path.join(benchDir, 'results');
const tmpRoot = path.join(benchDir, '.tmp');
const STAMP = path.join(benchDir, 'node_modules', '.codegen-bench-stamp');

const argv = process.argv.slice(2);
const flags = new Set(argv.filter((a) => a.startsWith('--')));
const names = argv.filter((a) => !a.startsWith('--')).map((a) => path.basename(a).replace(/\.bench\.mjs$/, ''));
for (const flag of flags) {
  if (!['--no-install', '--no-build', '--help'].includes(flag)) fail(`unknown flag ${flag}`);
}
if (flags.has('--help')) {
  process.stdout.write('usage: npm run bench [-- NAME...] [--no-install] [--no-build]\n');
  process.exit(0);
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** Installs bench/package.json's dependencies when one is missing or not the pinned version, or the manifest changed since the last install. */
function ensurePeers() {
  const manifest = fs.readFileSync(path.join(benchDir, 'package.json'), 'utf8');
  const wanted = JSON.parse(manifest).dependencies ?? {};
  const hash = crypto.createHash('sha256').update(manifest).digest('hex');
  const stale = Object.entries(wanted).filter(([name, spec]) => {
    const file = path.join(benchDir, 'node_modules', name, 'package.json');
    if (!fs.existsSync(file)) return true;
    const installed = JSON.parse(fs.readFileSync(file, 'utf8')).version;
    return /^\d+\.\d+\.\d+/.test(spec) && installed !== spec;
  });
  const stampOk = fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash;
  if (stale.length === 0 && stampOk) return;
  const why = stale.length ? `missing or outdated: ${stale.map(([n, v]) => `${n}@${v}`).join(', ')}` : 'bench/package.json changed';
  process.stderr.write(`bench: installing peers into bench/node_modules (${why})\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', benchDir, '--no-audit', '--no-fund'], { cwd: benchDir, stdio: 'inherit' });
  if (r.status !== 0) fail('npm install --prefix bench failed (see above)');
  fs.writeFileSync(STAMP, hash);
}

function buildRoot() {
  process.stderr.write('bench: building (tsc -p tsconfig.build.json)\n');
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) fail(`the build failed:\n${r.stdout}${r.stderr}`);
}

function discover() {
  const all = fs
    .readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.mjs'))
    .map((f) => f.replace(/\.bench\.mjs$/, ''))
    .sort();
  if (names.length === 0) return all;
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length) fail(`no bench named ${unknown.join(', ')} (have: ${all.join(', ') || 'none'})`);
  return names;
}

/** Runs fn `runs` times in a row and returns the median and every run, in milliseconds. */
async function median(fn, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const value = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: value, runs: times };
}

function contextFor(name, lines) {
  return {
    root,
    benchDir,
    shared,
    plaidSpec,
    /** A fresh, empty folder under bench/.tmp (git-ignored). */
    tmp(dirName) {
      const dir = path.join(tmpRoot, `${name}-${dirName}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    },
    median,
    log(...parts) {
      const line = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
      lines.push(line);
      process.stdout.write(`${line}\n`);
    },
  };
}

function machine() {
  const cpus = os.cpus();
  return `Node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB`;
}

function writeSummary() {
  const logs = fs
    .readdirSync(resultsDir)
    .filter((f) => f.endsWith('.log'))
    .sort();
  const parts = ['# Benchmark results', '', `Written by \`npm run bench\` on ${new Date().toISOString()} (${machine()}).`, ''];
  for (const file of logs) {
    const name = file.replace(/\.log$/, '');
    parts.push(`## ${name}`, '', '```', fs.readFileSync(path.join(resultsDir, file), 'utf8').trimEnd(), '```', '', `Data: \`bench/results/${name}.json\``, '');
  }
  fs.writeFileSync(path.join(resultsDir, 'summary.md'), parts.join('\n'));
}

if (!fs.existsSync(plaidSpec)) fail(`the Plaid spec is missing: ${plaidSpec}`);
if (!flags.has('--no-install')) ensurePeers();
if (!flags.has('--no-build')) buildRoot();
const benches = discover();
fs.mkdirSync(resultsDir, { recursive: true });
process.stdout.write(`${machine()}\n`);
let failed = 0;
for (const name of benches) {
  const lines = [];
  const ctx = contextFor(name, lines);
  process.stdout.write(`\n== ${name} ==\n`);
  const started = performance.now();
  try {
    const mod = await import(pathToFileURL(path.join(benchDir, `${name}.bench.mjs`)).href);
    if (typeof mod.default !== 'function') throw new Error(`${name}.bench.mjs has no default export function`);
    const result = await mod.default(ctx);
    fs.writeFileSync(path.join(resultsDir, `${name}.json`), JSON.stringify(result ?? null, null, 2) + '\n');
    lines.push('', `(${((performance.now() - started) / 1000).toFixed(1)} s, ${new Date().toISOString()})`);
    fs.writeFileSync(path.join(resultsDir, `${name}.log`), lines.join('\n') + '\n');
  } catch (error) {
    failed++;
    process.stderr.write(`bench: ${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
}
writeSummary();
process.stdout.write(`\nbench: results in ${path.relative(process.cwd(), resultsDir) || resultsDir}/ (summary.md)\n`);
process.exitCode = failed ? 1 : 0;
