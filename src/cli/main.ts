import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../load/errors.js';
import { generateCommand } from './generate.js';
import { inspectCommand } from './inspect.js';
import { extraCommands } from './registry.js';

/** Exit codes: 0 ok, 1 `--check` drift (or breaking changes with `--fail-on-breaking`), 2 bad input or usage, 3 a bug in codegen. */
export async function main(argv = hideBin(process.argv)): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = code;
  };
  let cli: Argv = yargs(argv)
    .scriptName('codegen')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message);
    });
  cli = generateCommand(cli, setExit);
  cli = inspectCommand(cli, setExit);
  for (const add of extraCommands) cli = add(cli, setExit);
  try {
    await cli.parseAsync();
    return exitCode;
  } catch (error) {
    return report(error);
  }
}

export class UsageError extends Error {}

/** One line for the user, never a stack trace (set DEBUG=codegen for one). */
export function report(error: unknown): number {
  if (error instanceof InputError) {
    process.stderr.write(`codegen: ${error.format()}\n`);
    return 2;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`codegen: ${error.message}\nRun codegen --help for usage.\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`codegen: internal error: ${message.split('\n')[0]} (this is a bug in codegen; DEBUG=codegen shows details)\n`);
  if (process.env.DEBUG?.includes('codegen') && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return 3;
}
