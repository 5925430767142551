import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';

describe('codegen inspect', () => {
  const spec = path.join(FIXTURES, 'core/semantics.yaml');

  it('--json prints the whole model as plain JSON', () => {
    const result = runCli(['inspect', '--spec', spec, '--json']);
    expect(result.code).toBe(0);
    const model = JSON.parse(result.stdout);
    expect(Object.keys(model).sort()).toEqual(['conflicts', 'enrichments', 'info', 'operations', 'schemas', 'scopeCatalogs', 'securitySchemes', 'security', 'servers', 'sources', 'warnings'].sort());
    expect(model.operations[0]).toMatchObject({ name: 'createPet', method: 'post', path: '/pets', symbols: { request: 'CreatePetRequest', response: 'CreatePetResponse', error: 'CreatePetError' } });
    expect(model.schemas.find((s: { key: string }) => s.key === 'Pet').schema.discriminator.mapping).toEqual({ cat: 'Cat', dog: 'Dog' });
  });

  it('prints a readable digest with warnings and their pointers', () => {
    const result = runCli(['inspect', '--spec', spec]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('operations (1):');
    expect(result.stdout).toMatch(/createPet\s+POST\s+\/pets\s+\[application\/json\]/);
    expect(result.stdout).toContain('#/components/schemas/NotAnObject/properties: [properties-ignored]');
  });

  it('needs --spec', () => {
    const result = runCli(['inspect']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Missing required argument: spec/);
  });
});
