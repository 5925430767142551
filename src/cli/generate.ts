import type { Argv } from 'yargs';
import { DEFAULTS, loadConfig, parseEmit } from '../config/index.js';
import { EMIT_TARGETS } from '../emit/output.js';
import { generate } from '../generate.js';
import { UsageError } from './main.js';
import { releaseLine } from './release-line.js';
import path from 'node:path';

export function generateCommand(cli: Argv, setExit: (code: number) => void): Argv {
  return cli.command(
    ['generate', '$0'],
    'generate the package (reads codegen.config.json when no --spec is given)',
    (y) =>
      y
        .option('config', { type: 'string', describe: 'config file (default: codegen.config.json when present)' })
        .option('spec', { type: 'string', array: true, describe: 'input file or glob, repeatable; merged in order' })
        .option('out', { type: 'string', describe: 'output folder' })
        .option('name', { type: 'string', describe: 'npm name of the generated package' })
        .option('emit', { type: 'string', describe: `comma-separated outputs: ${EMIT_TARGETS.join(',')}` })
        .option('check', { type: 'boolean', default: false, describe: 'compare with the output folder instead of writing; exit 1 on drift' })
        .option('prettier', { type: 'boolean', describe: 'also run prettier over generated code (slow on big specs)' })
        .option('watch', { type: 'boolean', default: false, describe: 'regenerate when an input changes' })
        .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' })
        .option('cache', { type: 'boolean', default: true, describe: 'reuse work from earlier runs (node_modules/.cache/codegen); --no-cache turns it off' })
        .option('quiet', { type: 'boolean', alias: 'q', default: false, describe: 'no progress lines' }),
    async (args) => {
      const cwd = process.cwd();
      const config = loadConfig(args.config, cwd);
      const fromConfig = (p: string) => path.relative(cwd, path.resolve(config.baseDir, p)) || '.';
      const specs = args.spec?.length ? args.spec : (config.specs ?? []).map(fromConfig);
      if (specs.length === 0) throw new UsageError('no input: pass --spec FILE or create codegen.config.json with "specs"');
      const emit = args.emit !== undefined ? parseEmit(args.emit, () => { throw new UsageError(`--emit takes a comma-separated list of ${EMIT_TARGETS.join(', ')}`); }) : (config.emit ?? DEFAULTS.emit);
      const options = {
        specs,
        out: args.out ?? (config.out ? fromConfig(config.out) : DEFAULTS.out),
        name: args.name ?? config.name ?? DEFAULTS.name,
        emit,
        prettier: args.prettier ?? config.prettier ?? DEFAULTS.prettier,
        validators: config.validators,
        check: args.check,
        cache: args.cache ? undefined : (false as const),
      };
      const progress = !args.quiet && !args.json;
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const run = async () => {
        // Progress lines only for large inputs (a slow load): small runs stay one line, or silent.
        let large = false;
        const onPhase = (phase: string, ms: number) => {
          if (phase === 'load' && ms > 150) large = true;
          if (large) log(`  ${phase.padEnd(18)} ${ms.toFixed(0).padStart(6)} ms`);
        };
        const result = await generate({ ...options, onPhase: progress ? onPhase : undefined });
        const warnings = result.model.warnings.length;
        if (args.json) {
          process.stdout.write(
            JSON.stringify(
              {
                out: options.out,
                check: options.check,
                drift: result.drift,
                files: result.files.length,
                bytes: result.bytes,
                operations: result.model.operations.length,
                schemas: result.model.schemas.length,
                scopeCatalogs: result.model.scopeCatalogs.length,
                warnings: result.model.warnings,
                conflicts: result.model.conflicts,
                timings: result.timings.map((t) => ({ phase: t.phase, ms: Math.round(t.ms) })),
                cache: result.cache,
                release: { first: result.release.first, previousVersion: result.release.previousVersion, version: result.release.version, summary: result.release.summary, changes: result.release.changes },
              },
              null,
              2,
            ) + '\n',
          );
        } else if (!args.quiet || result.drift?.length) {
          if (result.drift) {
            if (result.drift.length) log(`codegen: ${options.out} is out of date (${result.drift.length} file(s)):\n${result.drift.map((d) => `  ${d}`).join('\n')}\n${releaseLine(result.release, true)}`);
            else log(`codegen: ${options.out} is up to date`);
          } else {
            const total = result.timings.reduce((n, t) => n + t.ms, 0);
            log(releaseLine(result.release, false));
            log(`codegen: wrote ${result.files.length} files (${(result.bytes / 1024).toFixed(0)} KB) to ${options.out}: ${result.model.operations.length} operations, ${result.model.schemas.length} schemas, ${warnings} warning(s), ${result.model.conflicts.length} conflict(s) in ${total.toFixed(0)} ms`);
          }
        }
        return result;
      };
      if (args.watch) {
        // The watch makes the first generation itself, so that a bad input at start is reported, not fatal.
        const { watchInputs } = await import('./watch.js');
        await watchInputs(specs, run, log);
        return;
      }
      const result = await run();
      if (result.drift?.length) setExit(1);
    },
  );
}
