import { summaryLine } from '../diff/format.js';
import type { Release } from '../diff/release.js';

/** The one line `generate` prints about what changed since the output folder's previous generation. */
export function releaseLine(release: Release, check: boolean): string {
  if (release.first) return `codegen: first generation, version ${release.version}`;
  if (release.summary.bump === 'none') return `codegen: no API changes since the previous generation (version ${release.version})`;
  if (check) return `codegen: the inputs changed since that generation: ${summaryLine(release.summary)}; regenerating makes it version ${release.version}`;
  return `codegen: since the previous generation: ${summaryLine(release.summary)}; version ${release.previousVersion} -> ${release.version} (see CHANGELOG.md)`;
}
