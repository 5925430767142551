import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffModels } from '../../src/diff/index.js';
import { inspect } from '../../src/generate.js';
import { tmpDir, writeFile } from '../helpers.js';

/** A one-operation API whose body (request or response, or both) is the schema `Thing`. */
function api(thing: object, where: 'request' | 'response' | 'both'): string {
  const ref = { $ref: '#/components/schemas/Thing' };
  const op: Record<string, unknown> = {
    operationId: 'thingPost',
    responses: { '200': { description: 'ok', content: { 'application/json': { schema: where === 'request' ? { type: 'object' } : ref } } } },
  };
  if (where !== 'response') op.requestBody = { required: true, content: { 'application/json': { schema: ref } } };
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    paths: { '/thing': { post: op } },
    components: { schemas: { Thing: thing, Other: { type: 'object', properties: { a: { type: 'string' } } } } },
  });
}

const obj = (properties: Record<string, object>, required: string[] = []) => ({ type: 'object', properties, ...(required.length ? { required } : {}) });
const str = { type: 'string' };

/** given: before/after of Thing; want: `mark kind` when Thing is sent (request) and when it is received (response). */
const CASES: { name: string; before: object; after: object; request: string[]; response: string[] }[] = [
  { name: 'optional property added', before: obj({ a: str }), after: obj({ a: str, b: str }), request: ['+ property-added'], response: ['+ property-added'] },
  { name: 'required property added', before: obj({ a: str }), after: obj({ a: str, b: str }, ['b']), request: ['! property-added'], response: ['+ property-added'] },
  { name: 'property removed', before: obj({ a: str, b: str }), after: obj({ a: str }), request: ['! property-removed'], response: ['! property-removed'] },
  { name: 'property became required', before: obj({ a: str }), after: obj({ a: str }, ['a']), request: ['! required-added'], response: ['~ required-added'] },
  { name: 'property became optional', before: obj({ a: str }, ['a']), after: obj({ a: str }), request: ['~ required-removed'], response: ['! required-removed'] },
  { name: 'enum value added', before: { type: 'string', enum: ['x', 'y'] }, after: { type: 'string', enum: ['x', 'y', 'z'] }, request: ['+ enum-value-added'], response: ['! enum-value-added'] },
  { name: 'enum value removed', before: { type: 'string', enum: ['x', 'y'] }, after: { type: 'string', enum: ['x'] }, request: ['! enum-value-removed'], response: ['~ enum-value-removed'] },
  { name: 'nullable added', before: str, after: { type: 'string', nullable: true }, request: ['~ nullable-added'], response: ['! nullable-added'] },
  { name: 'nullable removed', before: { type: 'string', nullable: true }, after: str, request: ['! nullable-removed'], response: ['~ nullable-removed'] },
  { name: 'nullable enum gains null (3.0)', before: { type: 'string', enum: ['x'] }, after: { type: 'string', nullable: true, enum: ['x'] }, request: ['~ nullable-added'], response: ['! nullable-added'] },
  { name: 'type widened integer -> number', before: { type: 'integer' }, after: { type: 'number' }, request: ['~ type-changed'], response: ['! type-changed'] },
  { name: 'type narrowed number -> integer', before: { type: 'number' }, after: { type: 'integer' }, request: ['! type-changed'], response: ['~ type-changed'] },
  { name: 'type changed string -> integer', before: str, after: { type: 'integer' }, request: ['! type-changed'], response: ['! type-changed'] },
  { name: 'format added', before: str, after: { type: 'string', format: 'date' }, request: ['! format-changed'], response: ['~ format-changed'] },
  { name: 'format removed', before: { type: 'string', format: 'date' }, after: str, request: ['~ format-changed'], response: ['! format-changed'] },
  { name: 'format changed', before: { type: 'string', format: 'date' }, after: { type: 'string', format: 'date-time' }, request: ['! format-changed'], response: ['! format-changed'] },
  { name: 'maxLength tightened', before: { type: 'string', maxLength: 10 }, after: { type: 'string', maxLength: 5 }, request: ['! constraint-changed'], response: ['~ constraint-changed'] },
  { name: 'maxLength loosened', before: { type: 'string', maxLength: 5 }, after: { type: 'string', maxLength: 10 }, request: ['~ constraint-changed'], response: ['~ constraint-changed'] },
  { name: 'pattern added', before: str, after: { type: 'string', pattern: '^[a-z]+$' }, request: ['! constraint-changed'], response: ['~ constraint-changed'] },
  { name: 'enum introduced', before: str, after: { type: 'string', enum: ['x'] }, request: ['! constraint-changed'], response: ['~ constraint-changed'] },
  { name: 'enum dropped', before: { type: 'string', enum: ['x'] }, after: str, request: ['~ constraint-changed'], response: ['! constraint-changed'] },
  {
    name: 'oneOf variant added',
    before: { oneOf: [str, { type: 'integer' }] },
    after: { oneOf: [str, { type: 'integer' }, { $ref: '#/components/schemas/Other' }] },
    request: ['+ variant-added'],
    response: ['! variant-added'],
  },
  { name: 'items type changed', before: { type: 'array', items: str }, after: { type: 'array', items: { type: 'integer' } }, request: ['! type-changed'], response: ['! type-changed'] },
  { name: 'extra properties closed', before: obj({ a: str }), after: { ...obj({ a: str }), additionalProperties: false }, request: ['! constraint-changed'], response: ['~ constraint-changed'] },
  { name: 'unevaluated properties closed', before: obj({ a: str }), after: { ...obj({ a: str }), unevaluatedProperties: false }, request: ['! constraint-changed'], response: ['~ constraint-changed'] },
  { name: 'deprecated', before: str, after: { type: 'string', deprecated: true }, request: ['~ deprecated'], response: ['~ deprecated'] },
  { name: 'description only', before: str, after: { type: 'string', description: 'now documented' }, request: ['~ documentation-changed'], response: ['~ documentation-changed'] },
  { name: 'no change', before: obj({ a: str }, ['a']), after: obj({ a: str }, ['a']), request: [], response: [] },
  // The same value moved into a named schema: nothing changes for callers.
  { name: 'inline object moved behind a $ref', before: obj({ a: str }), after: { $ref: '#/components/schemas/Other' }, request: [], response: [] },
];

async function diffOf(before: object, after: object, where: 'request' | 'response' | 'both', dir: string): Promise<string[]> {
  const a = writeFile(dir, `${where}-a.json`, api(before, where));
  const b = writeFile(dir, `${where}-b.json`, api(after, where));
  const result = diffModels(await inspect([a]), await inspect([b]));
  return result.changes.map((c) => `${c.breaking ? '!' : c.bump === 'minor' ? '+' : '~'} ${c.kind}`);
}

describe('breaking or not depends on which way the data flows', () => {
  const dir = tmpDir('diff-classify');
  for (const c of CASES) {
    it(`${c.name}: request ${c.request.join(', ') || '(none)'}; response ${c.response.join(', ') || '(none)'}`, async () => {
      const sub = path.join(dir, c.name.replace(/\W+/g, '-'));
      expect(await diffOf(c.before, c.after, 'request', sub)).toEqual(c.request);
      expect(await diffOf(c.before, c.after, 'response', sub)).toEqual(c.response);
    });
  }

  it('a schema sent and received breaks when either side breaks', async () => {
    const sub = path.join(dir, 'both');
    expect(await diffOf({ type: 'string', enum: ['x'] }, { type: 'string', enum: ['x', 'y'] }, 'both', sub)).toEqual(['! enum-value-added']);
    expect(await diffOf(obj({ a: str }), obj({ a: str, b: str }), 'both', sub)).toEqual(['+ property-added']);
  });
});
