import type { Change, DiffResult, DiffSummary } from './types.js';

/** `2 breaking, 3 additions, 1 other change (major)`, or `no changes`. */
export function summaryLine(summary: DiffSummary): string {
  if (summary.bump === 'none') return 'no changes';
  const other = summary.nonBreaking - summary.additions;
  const parts = [`${summary.breaking} breaking`, `${summary.additions} addition${summary.additions === 1 ? '' : 's'}`, `${other} other change${other === 1 ? '' : 's'}`];
  return `${parts.join(', ')} (${summary.bump})`;
}

const line = (c: Change) => `${c.location}: ${c.message}`;

/**
 * Human report, breaking changes first. Documentation-only changes are counted, not listed, unless
 * `verbose`: on a real spec update they are most of the list and say nothing about compatibility.
 */
export function formatDiff(result: DiffResult, labels: { before: string; after: string }, options: { verbose?: boolean } = {}): string {
  const out: string[] = [`${labels.before} -> ${labels.after}: ${summaryLine(result.summary)}`];
  const breaking = result.changes.filter((c) => c.breaking);
  const additions = result.changes.filter((c) => !c.breaking && c.bump === 'minor');
  const docs = result.changes.filter((c) => !c.breaking && c.bump === 'patch' && c.kind === 'documentation-changed');
  const other = result.changes.filter((c) => !c.breaking && c.bump === 'patch' && (c.kind !== 'documentation-changed' || options.verbose));
  const section = (title: string, mark: string, list: Change[]) => {
    if (!list.length) return;
    out.push('', `${title} (${list.length}):`);
    for (const c of list) out.push(`  ${mark} ${line(c)}`);
  };
  section('Breaking', '!', breaking);
  section('Added', '+', additions);
  section('Other non-breaking', '~', other);
  if (docs.length && !options.verbose) out.push('', `Documentation: ${docs.length} change(s) to descriptions, examples or the API version (--verbose lists them)`);
  return out.join('\n') + '\n';
}
