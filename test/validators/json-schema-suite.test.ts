import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitValidators } from '../../src/emit/validators/index.js';
import { FIXTURES } from '../helpers.js';
import { importValidators, type ValidatorsModule } from './compile-helper.js';
import { buildSuite, FORMAT_ANNOTATION_FILES, suiteFiles, type SuiteCase } from './schema-suite.js';

/**
 * The JSON Schema Test Suite through the real normalizer and emitter: draft4 as OpenAPI 3.0,
 * draft2020-12 as OpenAPI 3.1. Every applicable case must pass unless the checked-in gap list
 * (test/fixtures/validators/json-schema-suite-gaps.json) names it with a reason, and a listed gap
 * that starts passing fails the test too, so the list stays true.
 */

const GAPS_FILE = path.join(FIXTURES, 'validators/json-schema-suite-gaps.json');
const gaps = JSON.parse(fs.readFileSync(GAPS_FILE, 'utf8')) as { [file: string]: { [caseId: string]: string } };
const caseId = (c: SuiteCase) => `${c.group} :: ${c.test}`;

for (const [draft, version] of [['draft4', '3.0'], ['draft2020-12', '3.1']] as const) {
  describe(`JSON Schema Test Suite ${draft} (as OpenAPI ${version})`, () => {
    it('passes every applicable case outside the known gaps, and every listed gap still fails', async () => {
      // Format-annotation files get their own build, with the validators option formats: 'annotate'.
      const runs: { cases: SuiteCase[]; mod: ValidatorsModule }[] = [];
      for (const formats of ['assert', 'annotate'] as const) {
        const files = suiteFiles(draft).filter((file) => FORMAT_ANNOTATION_FILES.includes(file) === (formats === 'annotate'));
        if (!files.length) continue;
        const { model, cases } = await buildSuite(files, version);
        const emitted = emitValidators(model, { packageName: 'suite', emit: ['validators'], validators: { formats } });
        runs.push({ cases, mod: await importValidators(emitted, `suite-${draft}-${formats}`) });
      }
      const cases = runs.flatMap((run) => run.cases.map((c) => ({ c, mod: run.mod })));
      const perFile = new Map<string, { applicable: number; passed: number; notApplicable: number; gaps: number }>();
      const unexpected: string[] = [];
      const fixed: string[] = [];
      const failures: { [file: string]: { [caseId: string]: string } } = {};
      for (const { c, mod } of cases) {
        const stats = perFile.get(c.file) ?? { applicable: 0, passed: 0, notApplicable: 0, gaps: 0 };
        perFile.set(c.file, stats);
        let ok: boolean;
        try {
          // The first-error path (the guard twin) and the allErrors path (the check proper) are
          // separate code: both must give the suite's verdict.
          const validate = mod.schemaValidators[c.symbol];
          ok = validate(c.data).ok === c.valid && validate(c.data, { allErrors: true }).ok === c.valid;
        } catch (error) {
          ok = false;
        }
        if (c.notApplicable) {
          stats.notApplicable++;
          continue;
        }
        stats.applicable++;
        if (ok) stats.passed++;
        else (failures[c.file] ??= {})[caseId(c)] = c.unsupported ?? 'no known reason';
        const listed = gaps[c.file]?.[caseId(c)];
        if (listed !== undefined) {
          stats.gaps++;
          if (ok) fixed.push(`${c.file}: ${caseId(c)}`);
        } else if (!ok) {
          unexpected.push(`${c.file}: ${caseId(c)} (expected ${c.valid ? 'valid' : 'invalid'})`);
        }
      }
      const rows = [...perFile].map(([file, s]) => `${file.padEnd(48)} ${String(s.passed).padStart(4)}/${String(s.applicable).padEnd(4)} ${s.applicable ? ((100 * s.passed) / s.applicable).toFixed(1).padStart(5) : '  -  '}%  gaps ${s.gaps}  n/a ${s.notApplicable}`);
      const total = [...perFile.values()].reduce((t, s) => ({ a: t.a + s.applicable, p: t.p + s.passed, n: t.n + s.notApplicable }), { a: 0, p: 0, n: 0 });
      const required = [...perFile].filter(([f]) => !f.includes('/optional/')).reduce((t, [, s]) => ({ a: t.a + s.applicable, p: t.p + s.passed }), { a: 0, p: 0 });
      console.log(`${draft}: ${total.p}/${total.a} applicable cases pass (required files ${required.p}/${required.a}); ${total.n} not applicable\n${rows.join('\n')}`);
      // Writing the failures out helps when the suite or the emitter changes: review, then update the gap list.
      // (in the gap list's own format, each failure with the unsupported feature it uses).
      if (process.env.SUITE_FAILURES_OUT) fs.writeFileSync(`${process.env.SUITE_FAILURES_OUT}.${draft}.json`, JSON.stringify(failures, null, 2));
      expect(unexpected).toEqual([]);
      expect(fixed).toEqual([]);
      // A gap is a feature OpenAPI allows and the validators lack, never an unexplained failure.
      for (const [file, listed] of Object.entries(gaps)) if (file.startsWith(`${draft}/`)) for (const [id, reason] of Object.entries(listed)) expect(reason, `${file}: ${id}`).toMatch(/^\$|^remote|^custom/);
    });
  });
}
