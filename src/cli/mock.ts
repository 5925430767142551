import path from 'node:path';
import type { Argv } from 'yargs';
import type { MockModules } from '../emit/mocks/compile.js';
import { loadInputs, resolveInputPaths } from '../load/index.js';
import { buildModel } from '../normalize/index.js';
import { UsageError } from './main.js';

/** `codegen mock --spec ... [--port 4010] [--host 127.0.0.1] [--seed N]`: the generated mocks, served until stopped. */
export function mockCommand(cli: Argv, _setExit: (code: number) => void): Argv {
  return cli.command(
    'mock',
    'serve realistic, validating mocks of every operation over HTTP (the generated mocks, straight from the spec)',
    (y) =>
      y
        .option('spec', { type: 'string', array: true, demandOption: true, describe: 'input file or glob, repeatable; merged in order' })
        .option('port', { type: 'number', default: 4010, describe: 'port to listen on (0: any free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
        .option('seed', { type: 'string', describe: 'seed of synthesized data (same seed, same bodies)' })
        .option('validate', { type: 'boolean', default: true, describe: 'check request bodies with the generated validators' })
        .option('auth', { type: 'boolean', default: true, describe: 'require credentials and scopes as the spec declares them' })
        .option('cache', { type: 'boolean', default: true, describe: 'reuse the compiled mocks of identical inputs' })
        .option('log', { type: 'boolean', default: false, describe: 'print one line per request' }),
    async (args) => {
      const started = performance.now();
      // DEBUG=codegen prints where start-up time goes.
      const debug = process.env.DEBUG?.includes('codegen') ?? false;
      const time = async <T>(phase: string, fn: () => T | Promise<T>): Promise<T> => {
        const t = performance.now();
        const value = await fn();
        if (debug) process.stderr.write(`  ${phase.padEnd(18)} ${(performance.now() - t).toFixed(0).padStart(6)} ms\n`);
        return value;
      };
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, not ${args.port}`);
      const log = (line: string) => process.stderr.write(`${line}\n`);

      const files = await resolveInputPaths(args.spec);
      // Loaded here, not at CLI start: compile.ts pulls in the TypeScript compiler.
      const { defaultMockCacheDir, fillCacheInBackground, loadCachedMocks, mockCacheKey, startLazyMocks, sweepCache } = await import('../emit/mocks/compile.js');
      const cacheDir = defaultMockCacheDir();
      sweepCache(cacheDir);
      let key: string | undefined;
      try {
        key = mockCacheKey(files.map((f) => path.resolve(f)));
      } catch {
        // An unreadable input: loading it below reports it properly.
      }
      let modules: MockModules | undefined = args.cache && key ? await time('load cached', () => loadCachedMocks(cacheDir, key!)) : undefined;
      let warnings = 0;
      let dispose = () => {};
      let fillCache = false;
      if (!modules) {
        const inputs = await time('load', () => loadInputs(args.spec));
        const model = await time('normalize', () => buildModel(inputs));
        warnings = model.warnings.length;
        const lazy = await startLazyMocks(model, cacheDir, time);
        modules = lazy;
        dispose = lazy.dispose;
        fillCache = args.cache && key !== undefined;
      }

      let server: Awaited<ReturnType<MockModules['startMockServer']>>;
      try {
        server = await modules.startMockServer(modules.api, {
          port: args.port,
          host: args.host,
          seed: args.seed,
          validateRequests: args.validate,
          auth: args.auth,
          onRequest: args.log ? (info: { method: string; url: string; status: number; ms: number }) => log(`${info.method} ${info.url} ${info.status} ${info.ms.toFixed(1)} ms`) : undefined,
        });
      } catch (error) {
        dispose();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`port ${args.port} is already in use on ${args.host}`);
        if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${args.host}: no such local address`);
        if (code === 'EACCES') throw new UsageError(`not allowed to listen on ${args.host}:${args.port}`);
        throw error;
      }
      const ms = performance.now() - started;
      if (debug) {
        const cpu = process.cpuUsage();
        log(`  ready              ${performance.now().toFixed(0).padStart(6)} ms after the process started, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms of CPU`);
      }
      if (fillCache) {
        const t = performance.now();
        void fillCacheInBackground(args.spec, cacheDir, key!).then((ok) => {
          if (debug) log(`  cache ${ok ? 'written' : 'not written'} in the background in ${(performance.now() - t).toFixed(0)} ms`);
        });
      }
      log(
        `codegen mock: ${modules.api.spec.title}, ${modules.api.spec.operations.length} operations on ${server.url} (ready in ${ms.toFixed(0)} ms${modules.cached ? ', cached' : ''}${warnings ? `, ${warnings} spec warning(s): see codegen inspect` : ''})`,
      );

      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close().then(resolve, resolve).finally(dispose);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    },
  );
}
