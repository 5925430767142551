import type { ApiModel } from '../model/types.js';
import { NEVER, ALWAYS, record, type ChangeSink } from './classify.js';
import { diffModels, summarize } from './index.js';
import { modelHash, renderSnapshot, stripModel, type Snapshot } from './snapshot.js';
import type { Change, DiffSummary } from './types.js';
import { bumpVersion } from './version.js';

/** What a generation means for the generated package's version and changelog. */
export interface Release {
  /** No snapshot of a previous generation in the output folder. */
  first: boolean;
  previousVersion?: string;
  version: string;
  /** API changes since the previous generation, breaking first, plus entry-point, documentation and code changes. */
  changes: Change[];
  summary: DiffSummary;
  /** The new snapshot, to be written to the output folder. */
  snapshot: string;
}

export interface ReleaseInput {
  /** Hash of the generated files that do not depend on the version. */
  outputHash: string;
  /** Entry points generated this time. */
  entries: string[];
  /** The version of a first generation (default 0.1.0). */
  initialVersion?: string;
}

/**
 * Compares the model with the previous generation's snapshot: the version goes up by the largest
 * step any change asks for, and stays put when nothing changed, so that regenerating unchanged
 * inputs gives byte-identical output.
 */
export function planRelease(previous: Snapshot | undefined, model: ApiModel, input: ReleaseInput): Release {
  const docsHash = modelHash(model);
  const stripped = stripModel(model);
  const meta = { docsHash, outputHash: input.outputHash, entries: input.entries };
  if (!previous) {
    const version = input.initialVersion ?? '0.1.0';
    return { first: true, version, changes: [], summary: summarize([]), snapshot: renderSnapshot(stripped, { ...meta, version }) };
  }
  // The same model as before (documentation included) has no API changes: skip the comparison.
  const changes = previous.docsHash === docsHash ? [] : diffModels(previous.model, stripped, { docs: false }).changes;
  const sink: ChangeSink = { docs: false, add: (c) => changes.push(c) };
  const site = (prefix: string) => ({ prefix, path: [], tokens: [] });
  for (const entry of input.entries) {
    if (!previous.entries.includes(entry)) record(sink, site(`entry point ${entry}`), 'entry-added', 'both', NEVER, 'entry point added', { addition: true });
  }
  for (const entry of previous.entries) {
    if (!input.entries.includes(entry)) record(sink, site(`entry point ${entry}`), 'entry-removed', 'both', ALWAYS, 'entry point removed: imports of it fail');
  }
  if (changes.length === 0 && previous.docsHash !== docsHash) {
    record(sink, site('documentation'), 'documentation-changed', 'both', NEVER, 'descriptions or examples changed');
  }
  if (changes.length === 0 && previous.outputHash !== input.outputHash) {
    record(sink, site('generated code'), 'regenerated', 'both', NEVER, 'the generated code changed (a codegen update or different options) with the same API');
  }
  const ordered = [...changes.filter((c) => c.breaking), ...changes.filter((c) => !c.breaking && c.bump === 'minor'), ...changes.filter((c) => !c.breaking && c.bump !== 'minor')];
  const summary = summarize(ordered);
  const version = bumpVersion(previous.version, summary.bump);
  return { first: false, previousVersion: previous.version, version, changes: ordered, summary, snapshot: renderSnapshot(stripped, { ...meta, version }) };
}
