import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiModel } from '../../src/model/types.js';
import { ROOT, runCli, tmpDir, typecheck } from '../helpers.js';

/**
 * The default run: `npx codegen` in the repo reads codegen.config.json and turns specs/ into
 * generated/plaid, which is committed. These tests fail when generated/ is stale, when the core
 * spec loses an operation, or when one of its examples (served by the mocks) breaks its schema.
 */

const CONFIG = JSON.parse(fs.readFileSync(path.join(ROOT, 'codegen.config.json'), 'utf8')) as { specs: string[]; out: string; name: string };
const CORE_SPEC = path.join(ROOT, 'specs/plaid/core.yaml');

const EXPECTED_OPERATIONS = [
  'linkTokenCreate',
  'linkTokenGet',
  'itemPublicTokenExchange',
  'itemGet',
  'itemRemove',
  'accountsGet',
  'accountsBalanceGet',
  'transactionsSync',
  'transactionsGet',
  'oauthToken',
  'itemApplicationScopesUpdate',
  'sandboxPublicTokenCreate',
  'webhookVerificationKeyGet',
];

describe('the default run (codegen.config.json)', () => {
  let model: ApiModel;

  beforeAll(() => {
    const result = runCli(['inspect', ...CONFIG.specs.flatMap((s) => ['--spec', s]), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    model = JSON.parse(result.stdout);
  });

  it('points at the core spec and generated/plaid', () => {
    expect(CONFIG.specs[0]).toBe('specs/plaid/core.yaml');
    expect(CONFIG.out).toBe('generated/plaid');
    expect(CONFIG.name).toBe('@codegen/plaid');
  });

  it('models the 13 core operations by their Plaid operationIds, each POST', () => {
    expect(model.operations.map((op) => op.name).sort()).toEqual([...EXPECTED_OPERATIONS].sort());
    for (const op of model.operations) {
      expect(op.method, op.name).toBe('post');
      expect(op.operationId, op.name).toBe(op.name);
    }
    const byName = new Map(model.operations.map((op) => [op.name, op]));
    expect(byName.get('itemApplicationScopesUpdate')?.path).toBe('/item/application/scopes/update');
    expect(byName.get('linkTokenCreate')?.symbols.request).toBe('LinkTokenCreateRequest');
  });

  it('has no warnings and no conflicts', () => {
    expect(model.warnings).toEqual([]);
    expect(model.conflicts).toEqual([]);
  });

  it('declares PlaidError as the default error of every operation', () => {
    for (const op of model.operations) {
      const fallback = op.responses.find((r) => r.status === 'default');
      expect(fallback?.content[0]?.schema.ref, op.name).toBe('PlaidError');
      expect(op.responses.find((r) => r.status === '200')?.content[0]?.mediaType, op.name).toBe('application/json');
    }
  });

  it('accepts /oauth/token as JSON and as a form, with the three grant types', () => {
    const oauth = model.operations.find((op) => op.name === 'oauthToken');
    expect(oauth?.requestBody?.content.map((c) => c.mediaType)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    const grant = model.schemas.find((s) => s.key === 'OAuthGrantType');
    expect([...(grant?.schema.enum ?? [])].sort()).toEqual(['client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange']);
  });

  it('has Plaid servers, header credentials and an API version of 2020-09-14', () => {
    expect(model.servers.map((s) => [s.description, s.url])).toEqual([
      ['Production', 'https://production.plaid.com'],
      ['Sandbox', 'https://sandbox.plaid.com'],
      ['Development', 'https://development.plaid.com'],
    ]);
    expect(model.securitySchemes.map((s) => [s.key, s.type, s.in, s.name])).toEqual([
      ['clientId', 'apiKey', 'header', 'PLAID-CLIENT-ID'],
      ['secret', 'apiKey', 'header', 'PLAID-SECRET'],
      ['plaidVersion', 'apiKey', 'header', 'Plaid-Version'],
    ]);
    expect(model.security).toEqual([{ clientId: [], secret: [], plaidVersion: [] }]);
    expect(model.info.version).toMatch(/^2020-09-14_\d+\.\d+\.\d+-core$/);
    expect(model.info.apiVersion).toBe('2020-09-14');
  });

  it('keeps nullable enums nullable (AccountSubtype admits null without listing it)', () => {
    const subtype = model.schemas.find((s) => s.key === 'AccountSubtype')?.schema;
    expect(subtype?.nullable).toBe(true);
    expect(subtype?.type).toContain('null');
  });

  it('generated/ is up to date: `codegen --check` exits 0', () => {
    const result = runCli(['--check']);
    expect(result.stderr).toContain('is up to date');
    expect(result.code).toBe(0);
  });

  it('`codegen --check` exits 1 and names the file when the output is stale', () => {
    const stale = path.join(tmpDir('default-run-stale'), 'plaid');
    fs.cpSync(path.join(ROOT, CONFIG.out), stale, { recursive: true });
    fs.appendFileSync(path.join(stale, 'src/types.ts'), '\nexport type Stale = 1;\n');
    const result = runCli(['--check', '--out', stale]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('src/types.ts');
  });

  it('generated/plaid type-checks under tsc --strict', () => {
    const result = typecheck(path.join(ROOT, CONFIG.out));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});

/**
 * Mocks serve the spec's examples, and the docs show them: each must be valid against its schema.
 * Checked with ajv (not our validators) so that this holds even while the validators emitter changes.
 */
describe('the core spec examples', () => {
  type Raw = Record<string, any>;
  const doc = yaml.load(fs.readFileSync(CORE_SPEC, 'utf8')) as Raw;
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['double', 'int32', 'int64', 'float']) ajv.addFormat(f, true);
  ajv.addSchema({ $id: 'core', $defs: Object.fromEntries(Object.entries(doc.components.schemas as Raw).map(([k, v]) => [k, toJsonSchema(v)])) });
  const validator = (ref: string): ValidateFunction => {
    const fn = ajv.getSchema(`core#/$defs/${ref.replace('#/components/schemas/', '')}`);
    if (!fn) throw new Error(`no schema ${ref}`);
    return fn;
  };

  const examples: [string, string, unknown][] = [];
  for (const [p, item] of Object.entries(doc.paths as Raw)) {
    for (const op of Object.values(item as Raw) as Raw[]) {
      for (const [media, content] of Object.entries((op.requestBody?.content ?? {}) as Raw)) {
        for (const [name, ex] of Object.entries((content.examples ?? {}) as Raw)) examples.push([`${p} request ${media} ${name}`, content.schema.$ref, ex.value]);
      }
      for (const [status, response] of Object.entries(op.responses as Raw)) {
        for (const content of Object.values((response.content ?? {}) as Raw)) {
          for (const [name, ex] of Object.entries((content.examples ?? {}) as Raw)) examples.push([`${p} ${status} ${name}`, content.schema.$ref, ex.value]);
        }
      }
    }
  }
  for (const [key, schema] of Object.entries(doc.components.schemas as Raw)) {
    if ('example' in schema) examples.push([`schema ${key}`, key, schema.example]);
    if (key.endsWith('Webhook') && 'example' in schema) examples.push([`schema ${key} as PlaidWebhook`, 'PlaidWebhook', schema.example]);
  }

  it('has request and response examples for every operation', () => {
    for (const [p, item] of Object.entries(doc.paths as Raw)) {
      expect(examples.some(([where]) => where.startsWith(`${p} request`)), p).toBe(true);
      expect(examples.some(([where]) => where.startsWith(`${p} 200`)), p).toBe(true);
    }
    expect(examples.length).toBeGreaterThanOrEqual(40);
  });

  it.each(examples)('%s is valid against %s', (_where, ref, value) => {
    const validate = validator(ref);
    expect(validate(value) ? [] : validate.errors).toEqual([]);
  });

  it('the check catches a broken example (a transaction without its required name)', () => {
    const sync = doc.paths['/transactions/sync'].post.responses['200'].content['application/json'].examples;
    const body = structuredClone(Object.values(sync as Raw)[0].value);
    delete body.added[0].name;
    const validate = validator('TransactionsSyncResponse');
    expect(validate(body)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toContain('/added/0 required');
  });
});

/** OpenAPI 3.0 schema -> JSON Schema for ajv: `nullable` admits null (also beside enums and allOf), refs point into $defs. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const raw = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'nullable' || key === 'discriminator' || key === 'example') continue;
    if (key === '$ref') out.$ref = String(value).replace('#/components/schemas/', '#/$defs/');
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonSchema(v)]));
    else out[key] = toJsonSchema(value);
  }
  if (raw.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}
