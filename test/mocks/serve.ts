import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers.js';

export interface RunningMock {
  child: ChildProcess;
  url: string;
  /** From spawn to the line saying where it listens. */
  readyMs: number;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Starts `codegen mock` as a user would and waits for the line naming its URL. */
export function startCliMock(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<RunningMock> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/codegen.js'), 'mock', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`codegen mock did not start in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = / on (http:\/\/[^\s]+) \(ready/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1],
          readyMs: performance.now() - started,
          stderr: () => stderr,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`codegen mock exited with ${code}: ${stderr}`));
    });
  });
}
