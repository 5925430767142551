import { describe, expect, it } from 'vitest';
import { specialize, type RuntimeFeatures } from '../../src/emit/client/runtime-features.js';

const NONE: RuntimeFeatures = { basic: false, bearerSchemes: false, bearer: false, placedKeys: false, serverVariables: false, operationServers: false, scopes: false };

/** The runtime templates mark what only some APIs use; specialize keeps what the API has. */
describe('runtime specialization', () => {
  const template = ['a();', '  // @if basic', 'basic();', '  // @else', 'noBasic();', '  // @end', '// @if !scopes', 'unscoped();', '// @end', 'z();'].join('\n');

  it('keeps the branch of each region that the features select, and no marker', () => {
    expect(specialize(template, NONE)).toBe(['a();', 'noBasic();', 'unscoped();', 'z();'].join('\n'));
    expect(specialize(template, { ...NONE, basic: true, scopes: true })).toBe(['a();', 'basic();', 'z();'].join('\n'));
  });

  it('refuses a template it would misread: unknown feature, nesting, stray or unclosed markers', () => {
    expect(() => specialize('// @if colour\n// @end', NONE, 'x.ts')).toThrow(/x\.ts: unknown runtime feature "colour"/);
    expect(() => specialize('// @if basic\n// @if scopes\n// @end\n// @end', NONE)).toThrow(/nested/);
    expect(() => specialize('// @end', NONE)).toThrow(/without \/\/ @if/);
    expect(() => specialize('// @if basic\nx();', NONE)).toThrow(/not closed/);
  });
});
