import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { diffModels } from '../diff/index.js';
import { formatDiff } from '../diff/format.js';
import { parseSnapshot, SNAPSHOT_FILE, stripModel } from '../diff/snapshot.js';
import { inspect } from '../generate.js';
import { InputError } from '../load/errors.js';
import type { ApiModel } from '../model/types.js';

/** `codegen diff OLD NEW`: what changed between two versions of an API, breaking changes first. */
export function diffCommand(cli: Argv, setExit: (code: number) => void): Argv {
  return cli.command(
    'diff <old> <new>',
    'what changed between two spec versions, classified as breaking or not for a client of the generated package',
    (y) =>
      y
        .positional('old', { type: 'string', demandOption: true, describe: 'the old spec (file or glob), or a generated folder (its .codegen/model.jsonl)' })
        .positional('new', { type: 'string', demandOption: true, describe: 'the new spec, or a generated folder' })
        .option('json', { type: 'boolean', default: false, describe: 'print the changes as JSON' })
        .option('fail-on-breaking', { type: 'boolean', default: false, describe: 'exit 1 when a change breaks callers' })
        .option('verbose', { type: 'boolean', default: false, describe: 'list documentation changes too' }),
    async (args) => {
      const before = await loadSide(args.old);
      const after = await loadSide(args.new);
      // A generated folder keeps no documentation: compare the other side without it too.
      const docs = !before.snapshot && !after.snapshot;
      const strip = (m: ApiModel) => (docs ? m : stripModel(m));
      const result = diffModels(strip(before.model), strip(after.model), { docs });
      if (args.json) {
        process.stdout.write(JSON.stringify({ old: args.old, new: args.new, summary: result.summary, changes: result.changes }, null, 2) + '\n');
      } else {
        process.stdout.write(formatDiff(result, { before: args.old, after: args.new }, { verbose: args.verbose }));
      }
      if (args['fail-on-breaking'] && result.summary.breaking > 0) setExit(1);
    },
  );
}

async function loadSide(spec: string): Promise<{ model: ApiModel; snapshot: boolean }> {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(spec);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) {
    const file = path.join(spec, SNAPSHOT_FILE);
    if (!fs.existsSync(file)) throw new InputError(`is a folder without ${SNAPSHOT_FILE}: pass a spec file, or a folder codegen generated`, { file: spec });
    const snapshot = parseSnapshot(fs.readFileSync(file, 'utf8'));
    if (!snapshot) throw new InputError('is not a snapshot this version of codegen can read; regenerate the folder', { file: path.join(spec, SNAPSHOT_FILE) });
    return { model: snapshot.model, snapshot: true };
  }
  return { model: await inspect([spec]), snapshot: false };
}
