import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, TSC, type CliResult } from '../helpers.js';

export interface Checked {
  generated: Map<string, CliResult>;
  /** tsc error lines by package folder. */
  errors: Map<string, string[]>;
  /** tsc error lines naming no package (a broken setup): must be empty. */
  unattributed: string[];
}

/**
 * Generates one package per spec (every emitter) into `dir/<id>`, then type-checks them all in one
 * tsc run with the generated packages' own compiler options: tsc's start-up costs more than
 * checking most of these packages. Each error line names its package's folder.
 */
export function generateAndTypecheck(dir: string, specs: { id: string; file: string }[], extra: string[] = []): Checked {
  const generated = new Map<string, CliResult>();
  for (const { id, file } of specs) generated.set(id, runCli(['generate', '--spec', file, '--out', path.join(dir, id), '--name', `corpus-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`, '--quiet', '--no-cache', ...extra]));
  const ok = specs.filter((s) => generated.get(s.id)!.code === 0);
  const errors = new Map<string, string[]>();
  const unattributed: string[] = [];
  if (ok.length === 0) return { generated, errors, unattributed };
  const options = JSON.parse(fs.readFileSync(path.join(dir, ok[0].id, 'tsconfig.json'), 'utf8')).compilerOptions;
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...options, rootDir: undefined, outDir: undefined, declaration: false, noEmit: true }, include: ok.map((s) => `${s.id}/src/**/*.ts`) }),
  );
  const tsc = spawnSync(process.execPath, ['--max-old-space-size=4096', TSC, '-p', dir, '--pretty', 'false'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  for (const line of (tsc.stdout + tsc.stderr).split('\n')) {
    const id = /^([^/(]+)\/src\//.exec(line)?.[1];
    if (id) errors.set(id, [...(errors.get(id) ?? []), line]);
    else if (/error TS\d+/.test(line)) unattributed.push(line);
  }
  if (tsc.status !== 0 && errors.size === 0 && unattributed.length === 0) unattributed.push(`tsc exited ${tsc.status} without error lines`);
  return { generated, errors, unattributed };
}
