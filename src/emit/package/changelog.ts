import type { Release } from '../../diff/release.js';
import { summaryLine } from '../../diff/format.js';
import type { ApiModel } from '../../model/types.js';
import { render } from './index.js';

/** Changes listed per section; a spec update that touches thousands of fields is summarized past this. */
const MAX_ITEMS = 200;

/**
 * CHANGELOG.md of the generated package: the previous file with this generation's entry on top.
 * Nothing is added when nothing changed, so a no-op regeneration leaves the file as it was.
 */
export function renderChangelog(previous: string | undefined, model: ApiModel, release: Release, packageName: string): string {
  const header = render('CHANGELOG.md.hbs', { packageName, title: model.info.title });
  if (!release.first && release.summary.bump === 'none') return previous ?? header;
  if (release.first && previous !== undefined) return previous;
  const groups: [string, (c: Release['changes'][number]) => boolean][] = [
    ['Breaking changes', (c) => c.breaking],
    ['Added', (c) => !c.breaking && c.bump === 'minor'],
    ['Other changes', (c) => !c.breaking && c.bump === 'patch'],
  ];
  const sections = groups.flatMap(([title, pick]) => {
    const items = release.changes.filter(pick).map((c) => `${c.location}: ${c.message}`);
    return items.length ? [{ title, items: items.slice(0, MAX_ITEMS), more: Math.max(0, items.length - MAX_ITEMS) }] : [];
  });
  const entry = render('changelog-entry.md.hbs', {
    version: release.version,
    previousVersion: release.previousVersion,
    first: release.first,
    title: model.info.title,
    apiVersion: model.info.version,
    operationCount: model.operations.length,
    schemaCount: model.schemas.length,
    summary: summaryLine(release.summary),
    sections: release.first ? [] : sections,
  });
  const base = previous ?? header;
  const at = base.search(/^## /m);
  return at < 0 ? `${base.trimEnd()}\n\n${entry}` : `${base.slice(0, at)}${entry}${base.slice(at)}`;
}
