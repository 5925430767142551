import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/load/errors.js';
import { loadInput } from '../../src/load/index.js';
import { buildModel } from '../../src/normalize/index.js';
import { SEEDS, tmpDir } from '../helpers.js';

/**
 * Every seed cut off at twenty places, and with its line breaks removed: each variant loads into a
 * model with warnings, or fails with an InputError naming the file. Nothing else may escape.
 */
describe('damaged copies of every seed', () => {
  const dir = tmpDir('damaged-seeds');
  const seeds = fs.readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort();

  it.each(seeds)('%s never crashes the loader', async (name) => {
    const text = fs.readFileSync(path.join(SEEDS, name), 'utf8');
    const variants: [string, string][] = [];
    for (let i = 1; i <= 20; i++) variants.push([`cut-${i}`, text.slice(0, Math.floor((text.length * i) / 21))]);
    variants.push(['one-line', text.replace(/\s*\n\s*/g, ' ')]);
    variants.push(['no-pipes', text.replace(/\|/g, ' ')]);
    let loaded = 0;
    for (const [variant, body] of variants) {
      const file = path.join(dir, `${name}.${variant}.txt`);
      fs.writeFileSync(file, body);
      try {
        const model = buildModel(await loadInput(file));
        expect(model.warnings.every((w) => typeof w.message === 'string' && w.message.length > 0)).toBe(true);
        loaded++;
      } catch (error) {
        if (!(error instanceof InputError)) throw new Error(`${variant}: ${(error as Error).stack}`);
        expect(error.format()).toContain(file);
      }
    }
    // Copies cut after their first table or list still give a model: damage is reported, not fatal.
    expect(loaded).toBeGreaterThanOrEqual(10);
  });
});
