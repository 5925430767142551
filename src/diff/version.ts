import type { Bump } from './types.js';

/** The next semver version: `1.4.2` + major = `2.0.0`. A version that is not semver starts over at 0.1.0. */
export function bumpVersion(version: string, bump: Bump | 'none'): string {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return '0.1.0';
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
  return version;
}
