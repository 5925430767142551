import { describe, expect, it } from 'vitest';
import { riskOf } from '../../src/emit/validators/patterns.js';

describe('risky pattern detection', () => {
  it.each([
    ['^(a+)+$', 'nested unbounded quantifiers'],
    ['^(\\w*\\s?)*$', 'nested unbounded quantifiers'],
    ['^(a|ab)*c$', 'a repeated alternation'],
    ['^((ab)+x)*$', 'nested unbounded quantifiers'],
    ['^([a-z]+\\.)+[a-z]{2,}$', 'nested unbounded quantifiers'],
  ])('flags %s', (pattern, reason) => {
    expect(riskOf(pattern)).toBe(reason);
  });

  it.each(['^$|^[A-Za-z0-9]{2,4}$', '^[a-z]+$', '^(https?|ftp)://', '^\\d{4}-\\d{2}-\\d{2}$', '^(ab){2,3}$', '[(+)*]', '^\\(a+\\)+$'])('leaves %s alone', (pattern) => {
    expect(riskOf(pattern)).toBeUndefined();
  });
});
