// Incremental regeneration on the real Plaid spec: how much faster is a regeneration that changes
// one schema than a cold run? Whole `codegen generate` processes, every emitter, as a user (or a
// watch, or CI) runs them:
//   cold            fresh cache folder, no previous output
//   one schema      the output and cache of the previous version exist; AccountBase gained a property
//   one schema, --no-cache   the same edit with the cache turned off (what the cache alone saves)
//   no change       regenerating unchanged inputs
// Env: BENCH_RUNS (default 5); BENCH_QUICK=1 runs each once.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export default async function incrementalBench(ctx) {
  const { root, plaidSpec, log } = ctx;
  const RUNS = process.env.BENCH_QUICK === '1' ? 1 : Number(process.env.BENCH_RUNS ?? 5);
  const work = ctx.tmp('work');
  const codegen = path.join(root, 'bin/codegen.js');
  const original = fs.readFileSync(plaidSpec, 'utf8');
  const anchor = '\n    AccountBase:\n';
  if (!original.includes(anchor)) throw new Error('AccountBase not found in the Plaid spec');
  const spec = path.join(work, 'plaid.yml');
  let edits = 0;
  /** The spec with one more property on one schema than the last call gave. */
  const editOneSchema = () => {
    edits++;
    const extra = Array.from({ length: edits }, (_, i) => `        bench_field_${i}:\n          type: string\n`).join('');
    const at = original.indexOf('      properties:\n', original.indexOf(anchor)) + '      properties:\n'.length;
    fs.writeFileSync(spec, original.slice(0, at) + extra + original.slice(at));
  };
  const generate = (out, cacheDir, extra = []) => {
    const start = performance.now();
    const r = spawnSync(process.execPath, [codegen, 'generate', '--spec', spec, '--out', out, '--name', 'plaid', '--json', ...extra], { encoding: 'utf8', env: { ...process.env, CODEGEN_CACHE_DIR: cacheDir }, maxBuffer: 256 * 2 ** 20 });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`codegen failed: ${r.stderr.slice(-1500)}`);
    const summary = JSON.parse(r.stdout);
    return { ms, phases: Object.fromEntries(summary.timings.map((t) => [t.phase, t.ms])), cache: summary.cache, bump: summary.release.summary.bump };
  };

  const kinds = { cold: [], oneSchema: [], oneSchemaNoCache: [], noChange: [] };
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so that load on the shared machine hits every kind alike.
    const round = path.join(work, `round-${i}`);
    fs.rmSync(round, { recursive: true, force: true });
    const cache = path.join(round, 'cache');
    editOneSchema();
    kinds.cold.push(generate(path.join(round, 'out'), cache));
    editOneSchema();
    const one = generate(path.join(round, 'out'), cache);
    if (one.bump !== 'minor') throw new Error(`expected a minor bump for a new optional property, got ${one.bump}`);
    kinds.oneSchema.push(one);
    kinds.noChange.push(generate(path.join(round, 'out'), cache));
    // The same kind of edit without the cache (the output folder and its snapshot are there).
    editOneSchema();
    kinds.oneSchemaNoCache.push(generate(path.join(round, 'out'), cache, ['--no-cache']));
  }

  const med = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const rows = Object.fromEntries(
    Object.entries(kinds).map(([kind, runs]) => {
      const phases = {};
      for (const phase of Object.keys(runs[0].phases)) phases[phase] = Math.round(med(runs.map((r) => r.phases[phase] ?? 0)));
      return [kind, { ms: Math.round(med(runs.map((r) => r.ms))), phases, runs: runs.map((r) => Math.round(r.ms)) }];
    }),
  );
  const label = { cold: 'cold (no cache, no previous output)', oneSchema: 'one schema changed, warm cache', oneSchemaNoCache: 'one schema changed, --no-cache', noChange: 'no change, warm cache' };
  const phaseNames = Object.keys(rows.cold.phases);
  log(`Plaid spec, every emitter, median of ${RUNS} whole processes (ms):`);
  log(`| run | total | ${phaseNames.join(' | ')} |`);
  log(`| --- | ---: | ${phaseNames.map(() => '---:').join(' | ')} |`);
  for (const [kind, row] of Object.entries(rows)) log(`| ${label[kind]} | ${row.ms} | ${phaseNames.map((p) => row.phases[p] ?? '').join(' | ')} |`);
  const speedup = rows.cold.ms / rows.oneSchema.ms;
  log('');
  log(`One-schema regeneration: ${speedup.toFixed(1)}x faster than cold; no-change regeneration ${(rows.cold.ms / rows.noChange.ms).toFixed(1)}x.`);
  return { runs: RUNS, rows, speedup: +speedup.toFixed(2) };
}
