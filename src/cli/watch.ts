import fs from 'node:fs';
import { InputError } from '../load/errors.js';
import { resolveInputPaths } from '../load/index.js';

/**
 * Regenerates when an input file changes (debounced). A bad input keeps the previous output and
 * says why; the watch goes on until the process is stopped.
 */
export async function watchInputs(specs: string[], run: () => Promise<unknown>, log: (line: string) => void, debounceMs = 150): Promise<void> {
  const files = await resolveInputPaths(specs);
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const trigger = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        try {
          await run();
        } catch (error) {
          const message = error instanceof InputError ? error.format() : (error as Error).message;
          log(`codegen: ${message} (keeping the previous output)`);
        }
      });
    }, debounceMs);
  };
  for (const file of files) fs.watchFile(file, { interval: 100 }, trigger);
  log(`codegen: watching ${files.length} input(s); Ctrl-C to stop`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  for (const file of files) fs.unwatchFile(file);
}
