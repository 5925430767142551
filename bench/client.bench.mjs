// The generated Plaid client against the official `plaid` SDK (and bare fetch), measured in the
// same run:
//   1. bundle size: esbuild --bundle --minify of an app that creates a client and calls
//      linkTokenCreate once, gzipped (level 9); for the generated client three ways to call it:
//      the operation's own entry point (`PKG/operations/linkTokenCreate`) on createBaseClient from
//      `PKG/client/core` ("lean", the tree-shakable way: the runtime and no plugin, as the one-call
//      SDK app has no retries either), the same with the retries plugin ("lean+retries":
//      `createBaseClient(withRetries(...))`, what createClient retries with), the same standalone function imported
//      from `PKG/client` ("shaken": same bundle, but tsc reads the whole client), and
//      createClient's method ("full"); platform node (how a server holding Plaid secrets runs)
//      and browser;
//   2. type-check time: `tsc --noEmit` of that app minus `tsc --noEmit` of an empty app, each in a
//      fresh process, with and without skipLibCheck, rounds interleaved, medians of the process's
//      CPU time (and wall time, which a shared machine makes noisy); the goal is read on the lean
//      app, the others are shown beside it;
//   3. per-call overhead: sequential calls to a local node:http server on 127.0.0.1, client minus
//      bare fetch, medians over interleaved batches; and the same in process with a fetch that
//      answers from memory, which shows the client's own cost without the network's noise.
//
// Env: BENCH_RUNS (default 5) rounds per measurement; BENCH_CALLS (default 400) calls per round;
// BENCH_QUICK=1 runs everything once with few calls (for checking the harness).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const GOAL_GZ_BYTES = 5 * 1024;
const GOAL_SIZE_RATIO = 50;
const GOAL_TSC_RATIO = 3;

const BODY = { client_name: 'Acme', language: 'en', country_codes: ['US'], user: { client_user_id: 'user-1' }, products: ['transactions'] };

/** The one-call app on PKG/client/core and the operation's own module, with or without the retries plugin. */
function leanApp(retries) {
  const options = "{ environment: 'sandbox', clientId: 'client-id', secret: 'secret' }";
  return [
    `import { createBaseClient${retries ? ', withRetries' : ''} } from '@bench/plaid/client/core';`,
    "import { linkTokenCreate } from '@bench/plaid/operations/linkTokenCreate';",
    `const plaid = createBaseClient(${retries ? `withRetries(${options})` : options});`,
    `const res = await linkTokenCreate(plaid, ${JSON.stringify(BODY)});`,
    'console.log(res.link_token);',
    'export {};',
  ].join('\n');
}

const APPS = {
  empty: 'export {};\n',
  lean: leanApp(false),
  'lean+retries': leanApp(true),
  shaken: [
    "import { createBaseClient, linkTokenCreate } from '@bench/plaid/client';",
    "const plaid = createBaseClient({ environment: 'sandbox', clientId: 'client-id', secret: 'secret' });",
    `const res = await linkTokenCreate(plaid, ${JSON.stringify(BODY)});`,
    'console.log(res.link_token);',
    'export {};',
  ].join('\n'),
  full: [
    "import { createClient } from '@bench/plaid/client';",
    "const plaid = createClient({ environment: 'sandbox', clientId: 'client-id', secret: 'secret' });",
    `const res = await plaid.linkTokenCreate(${JSON.stringify(BODY)});`,
    'console.log(res.link_token);',
    'export {};',
  ].join('\n'),
  // The SDK types enum fields as TS enums: its users write CountryCode.Us, not 'US'.
  sdk: [
    "import { Configuration, CountryCode, PlaidApi, PlaidEnvironments, Products } from 'plaid';",
    "const plaid = new PlaidApi(new Configuration({ basePath: PlaidEnvironments.sandbox, baseOptions: { headers: { 'PLAID-CLIENT-ID': 'client-id', 'PLAID-SECRET': 'secret', 'Plaid-Version': '2020-09-14' } } }));",
    `const res = await plaid.linkTokenCreate(${JSON.stringify(BODY).replace('["US"]', '[CountryCode.Us]').replace('["transactions"]', '[Products.Transactions]')});`,
    'console.log(res.data.link_token);',
    'export {};',
  ].join('\n'),
};

export default async function clientBench(ctx) {
  const { root, benchDir, plaidSpec, log } = ctx;
  const quick = process.env.BENCH_QUICK === '1';
  const RUNS = quick ? 1 : Number(process.env.BENCH_RUNS ?? 5);
  const CALLS = quick ? 50 : Number(process.env.BENCH_CALLS ?? 400);
  const peers = createRequire(path.join(benchDir, 'package.json'));
  const esbuild = peers('esbuild');
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const work = ctx.tmp('work');
  const pkgDir = path.join(work, 'node_modules/@bench/plaid');

  // The generated package, compiled as its users get it (dist/*.js + .d.ts).
  const gen = spawnSync(process.execPath, [path.join(root, 'bin/codegen.js'), 'generate', '--spec', plaidSpec, '--out', pkgDir, '--name', '@bench/plaid', '--emit', 'types,client', '--quiet'], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`codegen failed:\n${gen.stdout}${gen.stderr}`);
  const build = spawnSync(process.execPath, [tsc, '-p', pkgDir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (build.status !== 0) throw new Error(`tsc failed on the generated package:\n${build.stdout}${build.stderr}`);
  const sdkVersion = JSON.parse(fs.readFileSync(peers.resolve('plaid/package.json'), 'utf8')).version;
  for (const [name, source] of Object.entries(APPS)) fs.writeFileSync(path.join(work, `${name}.ts`), source);

  // 1. Bundle size.
  log(`bundle: esbuild ${JSON.parse(fs.readFileSync(peers.resolve('esbuild/package.json'), 'utf8')).version} --bundle --minify, gzip -9; plaid ${sdkVersion}`);
  const sizes = {};
  for (const platform of ['node', 'browser']) {
    for (const app of ['lean', 'lean+retries', 'shaken', 'full', 'sdk']) {
      const out = await esbuild.build({ entryPoints: [path.join(work, `${app}.ts`)], bundle: true, minify: true, format: 'esm', platform, target: 'es2022', write: false, logLevel: 'silent', absWorkingDir: work });
      const code = out.outputFiles[0].contents;
      sizes[`${app}-${platform}`] = { min: code.length, gzip: zlib.gzipSync(code, { level: 9 }).length };
    }
  }
  const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
  for (const platform of ['node', 'browser']) {
    const sdk = sizes[`sdk-${platform}`];
    for (const app of ['lean', 'lean+retries', 'shaken', 'full', 'sdk']) {
      const s = sizes[`${app}-${platform}`];
      const ratio = app === 'sdk' ? '' : `  ${(sdk.gzip / s.gzip).toFixed(1)}x smaller than the SDK`;
      log(`  ${`${app} (${platform})`.padEnd(22)} min ${kb(s.min).padStart(10)}  gzip ${kb(s.gzip).padStart(9)}${ratio}`);
    }
  }

  // 2. Type-check time above an empty app, fresh tsc process per run, rounds interleaved.
  const tsconfig = (app, skipLibCheck) => {
    const file = path.join(work, `tsconfig.${app}.${skipLibCheck ? 'skip' : 'full'}.json`);
    const compilerOptions = { target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck, types: [] };
    fs.writeFileSync(file, JSON.stringify({ compilerOptions, files: [`${app}.ts`] }));
    return file;
  };
  // CPU time (user + system) of each tsc process, reported by the process itself: on a machine
  // shared with other jobs it moves far less than wall time does.
  const cpuProbe = path.join(work, 'cpu-probe.cjs');
  fs.writeFileSync(cpuProbe, "process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write(`\\nCPU_MS ${(u.user + u.system) / 1000}\\n`); });\n");
  const tscRuns = {};
  for (const skip of [true, false]) {
    const tasks = ['empty', 'lean', 'shaken', 'full', 'sdk'].map((app) => ({ key: `${app}-${skip ? 'skipLibCheck' : 'libCheck'}`, config: tsconfig(app, skip), wall: [], cpu: [] }));
    for (let round = 0; round < RUNS; round++) {
      for (const t of tasks) {
        const start = performance.now();
        const r = spawnSync(process.execPath, ['--require', cpuProbe, tsc, '-p', t.config], { cwd: work, encoding: 'utf8', maxBuffer: 64 << 20 });
        t.wall.push(performance.now() - start);
        if (r.status !== 0) throw new Error(`tsc failed for ${t.key}:\n${r.stdout}${r.stderr}`);
        t.cpu.push(Number(/CPU_MS ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN));
      }
    }
    for (const t of tasks) tscRuns[t.key] = { wall: median(t.wall), cpu: median(t.cpu), wallRuns: t.wall, cpuRuns: t.cpu };
  }
  log(`type-check: tsc --noEmit (strict, NodeNext), medians of ${RUNS}; time above an empty app, CPU (user+sys) and wall`);
  const tscAdded = {};
  for (const mode of ['skipLibCheck', 'libCheck']) {
    const empty = tscRuns[`empty-${mode}`];
    for (const app of ['lean', 'shaken', 'full', 'sdk']) tscAdded[`${app}-${mode}`] = { cpu: tscRuns[`${app}-${mode}`].cpu - empty.cpu, wall: tscRuns[`${app}-${mode}`].wall - empty.wall };
    log(`  ${mode.padEnd(13)} empty: cpu ${fmt(empty.cpu)} wall ${fmt(empty.wall)}`);
    for (const app of ['lean', 'shaken', 'full', 'sdk']) {
      const added = tscAdded[`${app}-${mode}`];
      const sdk = tscAdded[`sdk-${mode}`];
      const ratio = app === 'sdk' ? '' : `  SDK/this: cpu ${(sdk.cpu / added.cpu).toFixed(1)}x, wall ${(sdk.wall / added.wall).toFixed(1)}x`;
      log(`    ${app.padEnd(6)} added cpu ${fmt(added.cpu)}  wall ${fmt(added.wall)}${ratio}`);
    }
  }

  // 3. Per-call overhead against bare fetch, same server, sequential calls.
  const answer = JSON.stringify({ link_token: 'link-sandbox-1', expiration: '2030-01-01T00:00:00Z', request_id: 'r' });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const ours = await import(pathToFileURL(path.join(pkgDir, 'dist/client.js')).href);
  const { Configuration, PlaidApi } = peers('plaid');
  const headers = { 'PLAID-CLIENT-ID': 'client-id', 'PLAID-SECRET': 'secret', 'Plaid-Version': '2020-09-14' };
  const makeCallers = (url, fetchImpl) => {
    const lean = ours.createBaseClient({ baseUrl: url, clientId: 'client-id', secret: 'secret', fetch: fetchImpl });
    const full = ours.createClient({ baseUrl: url, clientId: 'client-id', secret: 'secret', fetch: fetchImpl });
    const callers = {
      'bare fetch': async () => {
        const res = await (fetchImpl ?? fetch)(`${url}/link/token/create`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: JSON.stringify(BODY) });
        if (!res.ok) throw new Error(String(res.status));
        return res.json();
      },
      'generated, lean': () => ours.linkTokenCreate(lean, BODY),
      'generated, full': () => full.linkTokenCreate(BODY),
    };
    if (!fetchImpl) {
      const sdk = new PlaidApi(new Configuration({ basePath: url, baseOptions: { headers } }));
      callers['plaid SDK'] = async () => (await sdk.linkTokenCreate(BODY)).data;
    }
    return callers;
  };
  /** Batches of calls, callers interleaved batch by batch so load changes hit all alike; median of the batch means (us per call). */
  const measure = async (callers, rounds, batch) => {
    const per = Object.fromEntries(Object.keys(callers).map((k) => [k, []]));
    for (const call of Object.values(callers)) for (let i = 0; i < 20; i++) await call(); // warm up connections and JIT
    for (let round = 0; round < rounds; round++) {
      for (const [name, call] of Object.entries(callers)) {
        const start = performance.now();
        for (let i = 0; i < batch; i++) await call();
        per[name].push(((performance.now() - start) / batch) * 1000);
      }
    }
    return Object.fromEntries(Object.entries(per).map(([k, v]) => [k, median(v)]));
  };
  const report = (title, us) => {
    log(title);
    for (const [name, value] of Object.entries(us)) {
      const over = name === 'bare fetch' ? '' : `  overhead ${(value - us['bare fetch']).toFixed(0)} us (${((value / us['bare fetch'] - 1) * 100).toFixed(0)}%)`;
      log(`  ${name.padEnd(16)} ${value.toFixed(0).padStart(5)} us${over}`);
    }
  };
  let us;
  try {
    const rounds = quick ? 2 : Math.max(10, RUNS * 3);
    us = await measure(makeCallers(base), rounds, Math.max(10, Math.round(CALLS / 4)));
    report(`per call over HTTP: linkTokenCreate to 127.0.0.1, ${rounds} interleaved batches of ${Math.max(10, Math.round(CALLS / 4))}, median`, us);
  } finally {
    server.closeAllConnections();
    server.close();
  }
  // The client's own CPU cost, without the network's noise: fetch answers from memory.
  const stub = async () => new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } });
  const cpu = await measure(makeCallers('http://127.0.0.1:9', stub), quick ? 2 : RUNS * 2, quick ? 100 : 2000);
  report('per call in process (fetch answering from memory): what the client itself costs', cpu);

  const lean0 = sizes['lean-node'];
  const sdk0 = sizes['sdk-node'];
  const goals = {
    leanUnder5KbGz: lean0.gzip < GOAL_GZ_BYTES,
    leanSizeRatio: sdk0.gzip / lean0.gzip,
    leanSizeRatioMet: sdk0.gzip / lean0.gzip >= GOAL_SIZE_RATIO,
    leanWithRetriesGzBytes: sizes['lean+retries-node'].gzip,
    leanWithRetriesSizeRatio: sdk0.gzip / sizes['lean+retries-node'].gzip,
    fullUnder5KbGz: sizes['full-node'].gzip < GOAL_GZ_BYTES,
    tscRatioSkipLibCheck: tscAdded['sdk-skipLibCheck'].cpu / tscAdded['lean-skipLibCheck'].cpu,
    tscRatioLibCheck: tscAdded['sdk-libCheck'].cpu / tscAdded['lean-libCheck'].cpu,
    fullTscRatioSkipLibCheck: tscAdded['sdk-skipLibCheck'].cpu / tscAdded['full-skipLibCheck'].cpu,
    fullTscRatioLibCheck: tscAdded['sdk-libCheck'].cpu / tscAdded['full-libCheck'].cpu,
  };
  goals.tscRatioMet = goals.tscRatioSkipLibCheck >= GOAL_TSC_RATIO && goals.tscRatioLibCheck >= GOAL_TSC_RATIO;
  log(`goals: lean < 5 KB gz ${goals.leanUnder5KbGz ? 'met' : 'MISSED'}; >= ${GOAL_SIZE_RATIO}x smaller ${goals.leanSizeRatioMet ? 'met' : `MISSED (${goals.leanSizeRatio.toFixed(1)}x)`}; tsc >= ${GOAL_TSC_RATIO}x less added CPU time (lean app) ${goals.tscRatioMet ? 'met' : 'MISSED'} (${goals.tscRatioSkipLibCheck.toFixed(1)}x skipLibCheck / ${goals.tscRatioLibCheck.toFixed(1)}x libCheck; full client ${goals.fullTscRatioSkipLibCheck.toFixed(1)}x / ${goals.fullTscRatioLibCheck.toFixed(1)}x)`);
  return { sdkVersion, runs: RUNS, calls: CALLS, sizes, tsc: tscRuns, tscAdded, perCallMicroseconds: us, perCallInProcessMicroseconds: cpu, goals };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fmt(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}
