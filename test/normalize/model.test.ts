import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInputs } from '../../src/load/index.js';
import { buildModel } from '../../src/normalize/index.js';
import type { ApiModel, NamedSchema } from '../../src/model/types.js';
import { FIXTURES, tmpDir, writeFile } from '../helpers.js';

const fixture = (name: string) => path.join(FIXTURES, 'core', name);
const model = async (...files: string[]): Promise<ApiModel> => buildModel(await loadInputs(files));
const schema = (m: ApiModel, key: string): NamedSchema => {
  const found = m.schemas.find((s) => s.key === key);
  if (!found) throw new Error(`no schema ${key}`);
  return found;
};

describe('normalize: schema semantics', () => {
  it('folds 3.0 nullable into the type and keeps the nullable flag for enums', async () => {
    const m = await model(fixture('semantics.yaml'));
    expect(schema(m, 'Subtype').schema).toMatchObject({ type: ['string', 'null'], nullable: true, enum: ['checking', 'savings'] });
    expect(schema(m, 'MaybeBase').schema).toMatchObject({ nullable: true, allOf: [{ ref: 'Base' }] });
  });

  it('ignores properties on a non-object type, with a warning naming the pointer', async () => {
    const m = await model(fixture('semantics.yaml'));
    expect(schema(m, 'NotAnObject').schema.properties).toBeUndefined();
    expect(m.warnings).toContainEqual(expect.objectContaining({ code: 'properties-ignored', pointer: '/components/schemas/NotAnObject/properties' }));
  });

  it('accepts an unknown format and lists it once', async () => {
    const m = await model(fixture('semantics.yaml'));
    expect(schema(m, 'Old').schema.format).toBe('mystery-format');
    expect(m.warnings.filter((w) => w.code === 'unknown-format')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('mystery-format'), pointer: '/components/schemas/Old/format' }),
    ]);
  });

  it('turns a $ref that no input defines into an opaque node and a warning naming it', async () => {
    const m = await model(fixture('semantics.yaml'));
    const ghost = schema(m, 'Dangling').schema.properties!.find((p) => p.name === 'ghost')!;
    expect(ghost.schema).toEqual({ unresolved: '#/components/schemas/Ghost' });
    expect(m.warnings).toContainEqual(expect.objectContaining({ code: 'unresolved-ref', message: expect.stringContaining('"Ghost"') }));
  });

  it('resolves discriminator mappings to schema keys', async () => {
    const m = await model(fixture('semantics.yaml'));
    expect(schema(m, 'Pet').schema.discriminator).toEqual({ propertyName: 'kind', mapping: { cat: 'Cat', dog: 'Dog' } });
  });

  it('takes the API version from info.version before the underscore', async () => {
    const m = await model(fixture('semantics.yaml'));
    expect(m.info.apiVersion).toBe('2021-01-01');
  });

  it('makes each schema on a pure $ref loop opaque, and keeps real recursion', async () => {
    const m = await model(fixture('circular.yaml'));
    for (const key of ['A', 'B', 'C']) expect(schema(m, key).schema.unresolved).toBeDefined();
    expect(m.warnings.filter((w) => w.code === 'alias-cycle')).toHaveLength(3);
    expect(schema(m, 'Node').schema.properties![1].schema).toEqual({ type: ['array'], items: { ref: 'Node' } });
  });
});

describe('normalize: naming', () => {
  it('keeps valid PascalCase names exactly and resolves collisions deterministically, with a report', async () => {
    const m = await model(fixture('naming.yaml'));
    const symbols = Object.fromEntries(m.schemas.map((s) => [s.key, s.symbol]));
    expect(symbols).toEqual({
      'user-profile': 'UserProfile2',
      UserProfile: 'UserProfile',
      user_profile: 'UserProfile3',
      class: 'Class',
      default: 'Default',
      enum: 'Enum',
      '200Response': 'Schema200Response',
      AAMVAAnalysis: 'AAMVAAnalysis',
    });
    expect(m.warnings.filter((w) => w.code === 'name-collision').map((w) => w.pointer)).toEqual([
      '/components/schemas/user-profile',
      '/components/schemas/user_profile',
    ]);
  });

  it('names operations by camelCased operationId, else from the path; reserved words are renamed and reported', async () => {
    const m = await model(fixture('naming.yaml'));
    expect(m.operations.map((o) => o.name)).toEqual(['usersByUserId', 'itemApplicationScopesUpdate', 'deleteOperation']);
    expect(m.operations[1].symbols.request).toBe('ItemApplicationScopesUpdateRequest');
    expect(m.warnings).toContainEqual(expect.objectContaining({ code: 'reserved-name' }));
  });
});

describe('normalize: merging inputs', () => {
  it('reports a conflict with file, pointer and both values; the later input wins', async () => {
    const dir = tmpDir('merge');
    const a = writeFile(dir, 'a.yaml', 'openapi: 3.0.3\ninfo: { title: A, version: "1" }\npaths: {}\ncomponents:\n  schemas:\n    Money: { type: string }\n    Same: { type: integer }\n');
    const b = writeFile(dir, 'b.yaml', 'openapi: 3.0.3\ninfo: { title: B, version: "2" }\npaths: {}\ncomponents:\n  schemas:\n    Money: { type: number, format: double }\n    Same: { type: integer }\n');
    const m = await model(a, b);
    expect(m.info.title).toBe('A');
    expect(schema(m, 'Money').schema).toEqual({ type: ['number'], format: 'double' });
    expect(m.conflicts).toEqual([
      {
        kind: 'schema',
        key: 'Money',
        previous: { file: a, pointer: '/components/schemas/Money', value: { type: ['string'] } },
        next: { file: b, pointer: '/components/schemas/Money', value: { type: ['number'], format: 'double' } },
      },
    ]);
  });

  it('adds a media type a later input brings to an operation, reported as an enrichment', async () => {
    const dir = tmpDir('enrich');
    const body = (media: string) => `openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths:\n  /oauth/token:\n    post:\n      operationId: oauthToken\n      requestBody:\n        content:\n          ${media}: { schema: { type: object, properties: { grant_type: { type: string } } } }\n      responses: { '200': { description: ok } }\n`;
    const a = writeFile(dir, 'a.yaml', body('application/json'));
    const b = writeFile(dir, 'b.yaml', body('application/x-www-form-urlencoded'));
    const m = await model(a, b);
    expect(m.operations).toHaveLength(1);
    expect(m.operations[0].requestBody!.content.map((c) => c.mediaType)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(m.enrichments).toEqual([expect.objectContaining({ key: 'POST /oauth/token', file: b, message: 'adds application/x-www-form-urlencoded to requestBody' })]);
    expect(m.conflicts).toEqual([]);
  });

  it('resolves a fragment ref against a schema another input defines', async () => {
    const dir = tmpDir('fragment');
    const spec = writeFile(dir, 'spec.yaml', 'openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths: {}\ncomponents:\n  schemas:\n    RequestID: { type: string }\n');
    const frag = writeFile(dir, 'frag.yaml', "openapi: 3.0.3\ninfo: { title: F, version: '1' }\npaths: {}\ncomponents:\n  schemas:\n    Thing: { type: object, properties: { request_id: { $ref: '#/components/schemas/RequestID' } } }\n");
    const m = await model(frag, spec);
    expect(schema(m, 'Thing').schema.properties![0].schema).toEqual({ ref: 'RequestID' });
    expect(m.warnings.filter((w) => w.code === 'unresolved-ref')).toEqual([]);
  });
});
