import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tmpDir, TSC, typecheck } from '../helpers.js';

/** Scope names, descriptions and operation names written to break out of generated code. */
describe('a hostile scope manifest', () => {
  let out: string;

  beforeAll(() => {
    out = path.join(tmpDir('hostile-scopes'), 'pkg');
    const result = runCli(['generate', '--spec', path.join(FIXTURES, 'fragments/manifest-hostile.yaml'), '--out', out, '--name', 'hostile-scopes', '--emit', 'types,scopes', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('type-checks under --strict', () => {
    const result = typecheck(out);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('keeps every string inside a literal or a comment', () => {
    const catalogs = fs.readFileSync(path.join(out, 'src/scopes/catalogs.ts'), 'utf8');
    for (const m of catalogs.matchAll(/\/\*\*[\s\S]*?\*\//g)) expect(catalogs[m.index! + m[0].length]).toBe('\n');
    expect(catalogs).not.toMatch(/^\s*globalThis\.pwned/m);
    expect(catalogs).toContain('`${"a`b$"}${string}`');
    expect(catalogs).toContain('["__proto__"]: [{"catalog":"evil","allOf":["__proto__"]}],');
  });

  it('runs without side effects, and `__proto__` stays an ordinary key', () => {
    const js = path.join(path.dirname(out), 'js');
    const compiled = spawnSync(process.execPath, [TSC, '-p', out, '--outDir', js, '--declaration', 'false'], { encoding: 'utf8' });
    expect(compiled.stdout + compiled.stderr).toBe('');
    fs.writeFileSync(path.join(js, 'package.json'), '{"type":"module"}');
    const runner = path.join(js, 'run.mjs');
    fs.writeFileSync(
      runner,
      [
        'globalThis.pwned = false;',
        "const s = await import('./scopes.js');",
        'const c = s.scopeCatalogs.evil;',
        'console.log(JSON.stringify({',
        '  pwned: globalThis.pwned,',
        '  polluted: Object.getPrototypeOf({}) !== Object.prototype || ({}).catalog !== undefined,',
        "  ownProto: Object.prototype.hasOwnProperty.call(s.operationScopes, '__proto__'),",
        "  protoMissing: s.missingScopes('__proto__', []),",
        "  injectedOp: s.missingScopes('*/ globalThis.pwned = true; /*', []),",
        "  toStringOp: s.missingScopes('toString', []),",
        "  exclusive: s.checkScopes(c, ['__proto__', 'constructor']),",
        "  pattern: s.checkScopes(c, ['id:anything']),",
        "  backtick: s.checkScopes(c, ['a`b$whatever']),",
        '  errorCode: c.errorCode,',
        '}));',
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, [runner], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      pwned: false,
      polluted: false,
      ownProto: true,
      protoMissing: ['__proto__'],
      injectedOp: ['constructor'],
      toStringOp: [],
      pattern: { ok: true },
      backtick: { ok: true },
      errorCode: 'invalid_scope"; globalThis.pwned = true; "',
    });
    expect(result.exclusive.problems.map((p: { rule: string }) => p.rule)).toEqual(['exclusive']);
  });
});
