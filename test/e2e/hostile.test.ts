import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tmpDir, TSC, typecheck } from '../helpers.js';

/**
 * A spec written to break out of comments, strings and identifiers. The generated package must
 * compile, and executing every generated module must run no injected statement.
 */
describe('a hostile spec', () => {
  let out: string;

  beforeAll(() => {
    out = path.join(tmpDir('hostile'), 'pkg');
    const result = runCli(['--spec', path.join(FIXTURES, 'core/hostile.yaml'), '--out', out, '--name', 'hostile-pkg', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('generates code that type-checks under --strict', () => {
    const result = typecheck(out);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('keeps every hostile string inside a comment or a string literal', () => {
    const types = fs.readFileSync(path.join(out, 'src/types.ts'), 'utf8');
    // No comment is closed early: every JSDoc block runs to the end of its line.
    const comments = [...types.matchAll(/\/\*\*[\s\S]*?\*\//g)];
    expect(comments.length).toBeGreaterThan(5);
    for (const m of comments) expect(types[m.index! + m[0].length]).toBe('\n');
    expect(types).not.toMatch(/^\s*(export const pwned|globalThis\.pwned|process\.exit|throw new Error)/m);
    expect(types).toContain('"<\\/script>"?: "<\\/script><script>alert(1)<\\/script>" | "it\'s"');
    expect(types).toContain('"quote\\"d": string;');
    expect(types).toContain('"new\\nline": string;');
  });

  it('executes without side effects: every emitted module compiles to JS that runs cleanly', () => {
    const js = path.join(path.dirname(out), 'js');
    const compiled = spawnSync(process.execPath, [TSC, '-p', out, '--outDir', js, '--declaration', 'false'], { encoding: 'utf8' });
    expect(compiled.stdout + compiled.stderr).toBe('');
    const runner = path.join(js, 'run.mjs');
    const modules = fs.readdirSync(js).filter((f) => f.endsWith('.js'));
    expect(modules.length).toBeGreaterThan(0);
    fs.writeFileSync(
      runner,
      `globalThis.pwned = false;\n${modules.map((m, i) => `const m${i} = await import('./${m}');`).join('\n')}\nconsole.log(JSON.stringify({ pwned: globalThis.pwned, polluted: ({}).polluted === true }));\n`,
    );
    const run = spawnSync(process.execPath, [runner], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ pwned: false, polluted: false });
  });

  it('names the hostile schemas safely', () => {
    const types = fs.readFileSync(path.join(out, 'src/types.ts'), 'utf8');
    expect(types).toMatch(/^export interface Constructor \{/m);
    expect(types).toMatch(/^export interface Proto \{/m);
    expect(types).toMatch(/^export type RobertDROPTABLESchemas = "a'b" \| "c\\"d" \| "e\\\\f";/m);
  });
});
