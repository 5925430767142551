import fs from 'node:fs';
import { InputError } from '../load/errors.js';
import { resolveInputPaths } from '../load/index.js';

export interface WatchOptions {
  /** Quiet time after the last change before regenerating: editors save in several writes. */
  debounceMs?: number;
  /** How often input files are polled (polling survives editors that save by renaming). */
  intervalMs?: number;
  /** Resolves when the watch should end (default: SIGINT or SIGTERM). */
  until?: Promise<void>;
}

/**
 * Generates, then regenerates whenever an input file changes (debounced; changes during a run
 * queue exactly one more run). A bad input keeps the previous output, which the atomic write
 * never touched, and says why; the watch goes on until stopped.
 */
export async function watchInputs(specs: string[], run: () => Promise<unknown>, log: (line: string) => void, options: WatchOptions = {}): Promise<void> {
  const debounceMs = options.debounceMs ?? Number(process.env.CODEGEN_WATCH_DEBOUNCE_MS ?? 200);
  const intervalMs = options.intervalMs ?? 100;
  const files = await resolveInputPaths(specs);

  const attempt = async () => {
    try {
      await run();
    } catch (error) {
      const message = error instanceof InputError ? error.format() : `internal error: ${(error as Error).message.split('\n')[0]}`;
      log(`codegen: ${message} (keeping the previous output)`);
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const changed = new Set<string>();
  const start = () => {
    if (running) {
      again = true;
      return;
    }
    const names = [...changed].sort();
    changed.clear();
    log(`codegen: ${names.join(', ')} changed, regenerating`);
    running = attempt().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        start();
      }
    });
  };
  const listeners = files.map((file) => {
    const listener = (curr: fs.Stats, prev: fs.Stats) => {
      if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size && curr.ino === prev.ino) return;
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(start, debounceMs);
    };
    fs.watchFile(file, { interval: intervalMs, persistent: true }, listener);
    return [file, listener] as const;
  });

  await attempt();
  log(`codegen: watching ${files.length} input(s) for changes; Ctrl-C to stop`);
  const stop =
    options.until ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  await stop;
  clearTimeout(timer);
  for (const [file, listener] of listeners) fs.unwatchFile(file, listener);
  await running;
}
