import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { stripTypes, Unsupported } from '../../src/emit/mocks/strip-types.js';
import { ROOT } from '../helpers.js';

/** A stripped module as a script: its imports and `export` keywords removed (our files put them at line starts). */
function asScript(js: string): string {
  return js.replace(/^\s*import[^;]*;\s*$/gm, '').replace(/^export (async function|const|function|class|let) /gm, '$1 ');
}

/** Runs a stripped module body and returns what it leaves in `out`. */
function evaluate(js: string): unknown {
  const context = vm.createContext({ out: undefined as unknown });
  vm.runInContext(`${asScript(js)}\n;`, context);
  return context.out;
}

describe('stripTypes (blanks TypeScript syntax, keeps positions)', () => {
  // Wanted output with runs of spaces collapsed; the real output keeps every position (same length, same lines).
  const cases: [string, string, string][] = [
    ['parameter and return annotations', 'function f(a: number, b?: string): boolean { return a > 0; }', 'function f(a , b ) { return a > 0; }'],
    ['variable annotation and definite assignment', 'let x!: Map<string, number[]> = new Map<string, number[]>();', 'let x = new Map ();'],
    ['as, satisfies and non-null', 'const y = (z as unknown as string)!.length satisfies number;', 'const y = (z ) .length ;'],
    ['type-only imports and specifiers', "import type { A } from './a.js';\nimport { b, type C } from './b.js';\nimport { type D } from './d.js';", "\nimport { b, } from './b.js';\n"],
    ['type-only exports', "export type { A } from './a.js';\nexport { b, type C };", "\nexport { b, };"],
    ['interfaces and type aliases', 'interface I { a: string }\ntype T = I | null;\nconst k = 1;', '\n\nconst k = 1;'],
    ['class members and modifiers', 'class K<T> implements I { private readonly a?: T; static b: number = 2; constructor(a: T) {} get v(): T { return this.a!; } }', 'class K { a ; static b = 2; constructor(a ) {} get v() { return this.a ; } }'],
    ['arrow functions and generic calls', 'const g = <T,>(v: T): T => v; const h = g<number>(1);', 'const g = (v ) => v; const h = g (1);'],
    ['overloads and declare', "function o(a: string): string;\nfunction o(a: unknown) { return a; }\ndeclare const w: number;", '\nfunction o(a ) { return a; }\n'],
  ];
  const collapse = (text: string) => text.split('\n').map((line) => line.replace(/ +/g, ' ').trim()).join('\n');
  it.each(cases)('%s', (_name, input, want) => {
    const got = stripTypes(input);
    expect(collapse(got)).toBe(collapse(want));
    expect(got.length).toBe(input.length);
    expect(got.split('\n').length).toBe(input.split('\n').length);
  });

  it('keeps object literals, ternaries and labels that look like annotations', () => {
    const input = 'const r = { ok: true, n: a ? b : c }; l: for (;;) break l;';
    expect(stripTypes(input)).toBe(input);
  });

  it('refuses syntax that needs rewriting, so the caller can use the compiler instead', () => {
    for (const input of ['enum E { A }', 'namespace N { export const a = 1; }', 'class P { constructor(private a: number) {} }', 'const v = <string>u;']) {
      expect(() => stripTypes(input), input).toThrow(Unsupported);
    }
  });

  it('turns the mock runtime templates into JavaScript that runs', () => {
    for (const name of ['gen.ts', 'runtime.ts', 'server.ts', 'msw.ts']) {
      const js = stripTypes(fs.readFileSync(path.join(ROOT, 'templates/mocks', name), 'utf8'));
      // Parses as JavaScript: no TypeScript left.
      expect(() => new vm.Script(asScript(js)), name).not.toThrow();
    }
    const gen = stripTypes(fs.readFileSync(path.join(ROOT, 'templates/mocks/gen.ts'), 'utf8'));
    const value = evaluate(`${gen}\nout = new MockGen(hashSeed(1, 'x'), 'response').o(0, [['id', 1, (g) => g.s({ f: 'uuid' })], ['n', 1, (g) => g.n({ i: 1, min: 3, max: 3 })]]);`);
    expect(value).toMatchObject({ n: 3 });
    expect((value as { id: string }).id).toMatch(/^[0-9a-f]{8}-/);
  });
});
