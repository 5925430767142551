/**
 * A cheap look at a spec pattern for the shapes that make backtracking regex engines slow on long
 * input: a quantified group that itself contains an unbounded quantifier (`(a+)+`, `(\w*\s?)*`),
 * or a quantified alternation (`(a|ab)*`). Not a proof either way; it names the patterns worth a
 * maxLength. Returns why the pattern is risky, or undefined.
 */
export function riskOf(pattern: string): string | undefined {
  const groups: { unbounded: boolean; alternation: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      groups.push({ unbounded: false, alternation: false });
      continue;
    }
    if (c === '|' && groups.length) {
      groups[groups.length - 1].alternation = true;
      continue;
    }
    if (c === ')') {
      const group = groups.pop();
      if (!group) continue;
      const quantifier = unboundedQuantifierAt(pattern, i + 1);
      if (quantifier && group.unbounded) return 'nested unbounded quantifiers';
      if (quantifier && group.alternation) return 'a repeated alternation';
      // The group's own quantifier makes its parent unbounded too.
      if (groups.length && (quantifier || group.unbounded)) groups[groups.length - 1].unbounded = true;
      continue;
    }
    if (groups.length && unboundedQuantifierAt(pattern, i)) groups[groups.length - 1].unbounded = true;
  }
  return undefined;
}

/** `*`, `+` or `{n,}` starting at i. */
function unboundedQuantifierAt(pattern: string, i: number): boolean {
  const c = pattern[i];
  if (c === '*' || c === '+') return true;
  return c === '{' && /^\{\d+,\}/.test(pattern.slice(i, i + 12));
}
