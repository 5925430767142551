import { beforeAll, describe, expect, it } from 'vitest';
import { compileValidators, lazyValidators, operationModel } from '../../src/emit/mocks/lazy-validators.js';
import { loadInputs } from '../../src/load/index.js';
import type { ApiModel, JsonValue } from '../../src/model/types.js';
import { buildModel } from '../../src/normalize/index.js';
import { PLAID_SPEC } from '../helpers.js';

// `codegen mock` compiles each operation's validators on first use, from the model cut down to that
// operation. Their verdicts must be those of the validators of the whole spec, or a cold mock
// server would accept or reject what the generated package does not.
describe('per-operation validators of codegen mock', () => {
  let model: ApiModel;
  let full: ReturnType<typeof compileValidators>;
  beforeAll(async () => {
    model = buildModel(await loadInputs([PLAID_SPEC]));
    full = compileValidators(model);
  }, 120_000);

  it('agree with the whole spec\'s validators on every example and on broken variants, for a spread of Plaid operations', () => {
    const lazy = lazyValidators(model);
    // Every 7th operation: 47 of 329, from every part of the spec.
    const sample = model.operations.filter((_, i) => i % 7 === 0);
    let compared = 0;
    let rejected = 0;
    for (const op of sample) {
      const requests: unknown[] = [null, {}, [], 'text'];
      for (const media of op.requestBody?.content ?? []) for (const example of media.examples) requests.push(...variants(example.value));
      const fullRequest = full.operationValidators[op.name]?.request;
      const lazyRequest = lazy.request(op.name);
      expect(lazyRequest === undefined).toBe(fullRequest === undefined);
      if (fullRequest && lazyRequest) {
        for (const body of requests) {
          const verdict = fullRequest(body).ok;
          expect(lazyRequest(body).ok, `${op.name} request ${JSON.stringify(body)?.slice(0, 200)}`).toBe(verdict);
          compared++;
          if (!verdict) rejected++;
        }
      }
      for (const response of op.responses) {
        const status = /^\d{3}$/.test(response.status) ? Number(response.status) : 500;
        const bodies: unknown[] = [null, {}];
        for (const media of response.content) for (const example of media.examples) bodies.push(...variants(example.value));
        for (const body of bodies) {
          const verdict = full.validateOperationResponse(op.name, status, body).ok;
          expect(lazy.response(op.name, status, body).ok, `${op.name} ${status} ${JSON.stringify(body)?.slice(0, 200)}`).toBe(verdict);
          compared++;
          if (!verdict) rejected++;
        }
      }
    }
    console.log(`per-operation validators: ${sample.length} operations, ${compared} payloads, ${rejected} rejected by both`);
    expect(compared).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(100);
  }, 120_000);

  it('cut the model down to the schemas an operation reaches', () => {
    const op = model.operations.find((o) => o.name === 'itemApplicationScopesUpdate')!;
    const cut = operationModel(model, op);
    expect(cut.operations).toEqual([op]);
    expect(cut.schemas.length).toBeGreaterThan(2);
    expect(cut.schemas.length).toBeLessThan(model.schemas.length / 20);
    expect(cut.schemas.map((s) => s.key)).toContain('ItemApplicationScopesUpdateRequest');
  });
});

/** The value, then copies with each top-level property removed, nulled and turned into a string. */
function variants(value: JsonValue | undefined): unknown[] {
  if (value === undefined) return [];
  const out: unknown[] = [value];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      const { [key]: _removed, ...rest } = value;
      out.push(rest, { ...value, [key]: null }, { ...value, [key]: 'not-the-right-type' });
    }
  }
  return out;
}
