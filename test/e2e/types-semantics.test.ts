import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tmpDir, typecheck } from '../helpers.js';

/**
 * The generated types, checked by the compiler: each line below must compile, and each line marked
 * @ts-expect-error must not (tsc reports an unused directive otherwise, so a too-loose type fails).
 */
const CONSUMER = `
import type { Subtype, Strict, MaybeBase, Pet, Dictionary, Mixed, Closed, Old, Node, Tree, CreatePetResponse, CreatePetError, CreatePetRequest, Pair, Anything } from './index.js';

export const subtypes: Subtype[] = ['checking', 'savings', null];
// @ts-expect-error not in the enum
export const badSubtype: Subtype = 'brokerage';

export const strict: Strict = { id: 'a', name: 'b', extra: 1 };
// @ts-expect-error allOf's required makes name required although Base defines it
export const strictMissing: Strict = { id: 'a' };

export const maybe: MaybeBase = null;
export const maybeValue: MaybeBase = { id: 'x' };

export function speak(pet: Pet): string {
  switch (pet.kind) {
    case 'cat':
      return pet.meows ? 'meow' : '...';
    case 'dog':
      return pet.barks ? 'woof' : '...';
  }
}
// @ts-expect-error the discriminator pins kind to the mapped tags
export const badPet: Pet = { kind: 'fish' };

export const dict: Dictionary = { a: 1, b: 2 };
// @ts-expect-error values must be integers
export const badDict: Dictionary = { a: 'x' };
export const mixed: Mixed = { a: 'x', other: 3 };
export const closed: Closed = { a: 'x' };
export const old: Old = 'x';
export const node: Node = { value: 'root', children: [{ value: 'leaf' }], parent: { value: 'up' } };
export const tree: Tree = [[[]]];
export const created: CreatePetResponse = { kind: 'cat' };
export const problem: CreatePetError = { message: 'no' };
export const request: CreatePetRequest = { kind: 'dog', barks: true };
export const pair: Pair = ['a', 1];
export const anything: Anything = { whatever: [1] };
`;

describe('generated types', () => {
  let out: string;
  let types: string;

  beforeAll(() => {
    out = path.join(tmpDir('semantics'), 'pkg');
    const result = runCli(['--spec', path.join(FIXTURES, 'core/semantics.yaml'), '--spec', path.join(FIXTURES, 'core/circular.yaml'), '--out', out, '--quiet']);
    expect(result.code).toBe(0);
    types = fs.readFileSync(path.join(out, 'src/types.ts'), 'utf8');
  });

  it('accept what the schemas allow and reject what they forbid (checked by tsc)', () => {
    fs.writeFileSync(path.join(out, 'src/consumer.ts'), CONSUMER);
    const result = typecheck(out);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('carry descriptions, defaults, formats and deprecation as JSDoc', () => {
    expect(types).toContain('/**\n * Use New\n * @format mystery-format\n * @default "x"\n * @deprecated\n */\nexport type Old = string;');
  });

  it('type an opaque $ref loop as unknown with a note', () => {
    expect(types).toContain('/** Opaque: schema "A" is only an alias on a $ref loop (A -> B -> C -> A). */\nexport type A = unknown;');
  });
});
