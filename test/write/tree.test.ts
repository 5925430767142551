import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareTree, writeTree } from '../../src/write/tree.js';
import { hashTree, tmpDir } from '../helpers.js';

describe('writeTree', () => {
  it('swaps the new tree in and keeps node_modules and dist', async () => {
    const dir = tmpDir('tree');
    const out = path.join(dir, 'pkg');
    await writeTree(out, [{ path: 'a.txt', content: 'one' }, { path: 'src/b.ts', content: 'two' }]);
    fs.mkdirSync(path.join(out, 'node_modules/x'), { recursive: true });
    fs.writeFileSync(path.join(out, 'node_modules/x/index.js'), 'kept');
    await writeTree(out, [{ path: 'src/b.ts', content: 'three' }]);
    expect(Object.keys(hashTree(out)).sort()).toEqual(['node_modules/x/index.js', 'src/b.ts']);
    expect(fs.readFileSync(path.join(out, 'src/b.ts'), 'utf8')).toBe('three');
    expect(fs.readdirSync(dir)).toEqual(['pkg']);
  });

  it('leaves the old output untouched and no temporary folder behind when writing fails', async () => {
    const dir = tmpDir('tree-fail');
    const out = path.join(dir, 'pkg');
    await writeTree(out, [{ path: 'a.txt', content: 'old' }]);
    const before = hashTree(out);
    // `x` as a file and as a folder at once cannot be written.
    await expect(writeTree(out, [{ path: 'x', content: '1' }, { path: 'x/y', content: '2' }])).rejects.toThrow();
    expect(hashTree(out)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['pkg']);
  });

  it('compareTree lists changed, missing and extra files', async () => {
    const dir = tmpDir('compare');
    await writeTree(dir + '/pkg', [{ path: 'same', content: '1' }, { path: 'changed', content: '1' }, { path: 'extra', content: '1' }]);
    const drift = await compareTree(dir + '/pkg', [{ path: 'same', content: '1' }, { path: 'changed', content: '2' }, { path: 'missing', content: '1' }]);
    expect(drift).toEqual(['changed: changed', 'extra: extra', 'missing: missing']);
  });
});
