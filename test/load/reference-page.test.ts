import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadInput } from '../../src/load/index.js';
import type { RawInput } from '../../src/load/inputs.js';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../../src/normalize/index.js';
import { FIXTURES, PLAID_SPEC, seed } from '../helpers.js';

type Raw = Record<string, any>;
const FRAGMENTS = path.join(FIXTURES, 'fragments');
const realSpec = () => yaml.load(fs.readFileSync(PLAID_SPEC, 'utf8'), { schema: yaml.CORE_SCHEMA, json: true }) as Raw;

/** Every leaf of a schema as `a.b[].c` -> { type, required, default }, following local $refs. */
function fields(schema: Raw, root: Raw, prefix = '', out: Record<string, { type?: string; required: boolean; default?: unknown }> = {}, required = false): typeof out {
  const resolve = (s: Raw): Raw => (s.$ref ? resolve(root.components.schemas[s.$ref.split('/').pop()]) : s);
  const s = resolve(schema);
  if (prefix) out[prefix] = { type: s.type, required, ...(s.default !== undefined ? { default: s.default } : {}) };
  if (s.type === 'object' || s.properties) for (const [k, v] of Object.entries(s.properties ?? {})) fields(v as Raw, root, prefix ? `${prefix}.${k}` : k, out, (s.required ?? []).includes(k));
  if (s.type === 'array' && s.items) fields(s.items, root, `${prefix}[]`, out, false);
  return out;
}

describe('endpoint reference page with field tables (seed 000)', () => {
  let input: RawInput & { kind: 'openapi' };
  let op: Raw;
  let model: ApiModel;

  beforeAll(async () => {
    const inputs = await loadInput(seed('000'));
    expect(inputs).toHaveLength(1);
    input = inputs[0] as typeof input;
    op = (input.document.paths as Raw)['/item/application/scopes/update'].post;
    model = buildModel(inputs);
  });

  it('is a reference-page fragment with one POST operation and both servers', () => {
    expect(input).toMatchObject({ kind: 'openapi', format: 'reference-page', fragment: true });
    expect(Object.keys(input.document.paths as Raw)).toEqual(['/item/application/scopes/update']);
    expect(input.document.servers).toEqual([
      { url: 'https://production.plaid.com', description: 'Production' },
      { url: 'https://sandbox.plaid.com', description: 'Sandbox' },
    ]);
    expect(op.description).toBe('Enable consumers to update product access on selected accounts for an application.');
  });

  it('takes the Content-Type header row as the body media type, not as a parameter', () => {
    expect(op.parameters).toBeUndefined();
    expect(Object.keys(op.requestBody.content)).toEqual(['application/json']);
    expect(op.requestBody.required).toBe(true);
  });

  it('builds the full request schema: nesting, arrays, required flags, defaults, descriptions', () => {
    const schema = op.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(['scopes', 'context', 'client_id', 'application_id', 'state', 'access_token', 'secret']);
    expect(schema.required).toEqual(['scopes', 'context', 'application_id', 'access_token']);
    const scopes = schema.properties.scopes;
    expect(scopes).toMatchObject({ type: 'object', description: 'The scopes object' });
    expect(Object.keys(scopes.properties)).toEqual(['accounts', 'product_access', 'new_accounts']);
    expect(scopes.required).toBeUndefined();
    expect(scopes.properties.accounts).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          unique_id: { type: 'string', description: 'The unique account identifier for this account. This value must match that returned by the data access API for this account.' },
          authorized: {
            type: 'boolean',
            description: 'Allow the application to see this account (and associated details, including balance) in the list of accounts If unset, defaults to `true`.',
            default: true,
          },
        },
        required: ['unique_id'],
      },
    });
    const access = scopes.properties.product_access;
    expect(access.description).toBe('The product access being requested. Used to or disallow product access across all accounts. If unset, defaults to all products allowed.');
    expect(Object.keys(access.properties)).toEqual([
      'auth', 'transactions', 'accounts_tax_statements', 'accounts_statements', 'accounts_details_transactions', 'statements', 'identity', 'accounts_routing_number', 'customers_profiles',
    ]);
    for (const flag of Object.values(access.properties) as Raw[]) {
      expect(flag.type).toBe('boolean');
      expect(flag.default).toBe(true);
      expect(flag.description).toMatch(/defaults to `true`\.$/);
    }
    expect(scopes.properties.new_accounts).toEqual({ type: 'boolean', description: 'Allow access to newly opened accounts as they are opened. If unset, defaults to `true`.', default: true });
    expect(schema.properties.application_id).toEqual({
      type: 'string',
      description: 'This field will map to the application ID that is returned from /item/application/list, or provided to the institution in an oauth redirect.',
    });
  });

  it('reports what the page lost: the enum after "Possible values:", cut sentences, trailing boilerplate', () => {
    expect(input.warnings.map((w) => [w.code, w.line])).toEqual([
      ['lost-values', 59],
      ['truncated-description', 59],
      ['truncated-description', 69],
      ['ignored-text', undefined],
    ]);
    expect(input.warnings[0].message).toMatch(/^context: says "Possible values:" but lists none/);
    expect(op.requestBody.content['application/json'].schema.properties.context.enum).toBeUndefined();
  });

  it('is named from its path, with the contract request type name', () => {
    expect(model.operations.map((o) => [o.name, o.operationId, o.symbols.request])).toEqual([['itemApplicationScopesUpdate', undefined, 'ItemApplicationScopesUpdateRequest']]);
  });

  it('matches the real spec field for field, apart from a field added later', () => {
    const real = realSpec();
    const want = fields(real.components.schemas.ItemApplicationScopesUpdateRequest, real);
    const got = fields(op.requestBody.content['application/json'].schema, {});
    // account_product_access was added to AccountAccess after the page was captured.
    expect(Object.keys(want).filter((k) => !(k in got))).toEqual(['scopes.accounts[].account_product_access']);
    expect(Object.keys(got).filter((k) => !(k in want))).toEqual([]);
    for (const key of Object.keys(got)) {
      expect(got[key].type, key).toBe(want[key].type);
      expect(got[key].required, key).toBe(want[key].required);
      expect(got[key].default, key).toEqual(want[key].default);
    }
  });
});

describe('API explorer page in prose (seed 004)', () => {
  let inputs: RawInput[];
  let op: Raw;
  let schema: Raw;

  beforeAll(async () => {
    inputs = await loadInput(seed('004'));
    const doc = (inputs[0] as RawInput & { kind: 'openapi' }).document;
    op = (doc.paths as Raw)['/oauth/token'].post;
    schema = op.requestBody.content['application/json'].schema;
  });

  it('yields the operation and the scope catalog of its scope field', () => {
    expect(inputs.map((i) => [i.kind, i.format])).toEqual([
      ['openapi', 'reference-page'],
      ['scopes', 'reference-page'],
    ]);
    expect(op.summary).toBe('Create or refresh an OAuth access token');
    expect(op.description).toMatch(/^`\/oauth\/token` issues an access token and refresh token depending on the `grant_type` provided\./);
    expect((inputs[0] as RawInput & { kind: 'openapi' }).document.info).toEqual({ title: 'The Plaid API', version: '' });
  });

  it('accepts both application/json and application/x-www-form-urlencoded with the same fields', () => {
    expect(Object.keys(op.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(op.requestBody.content['application/x-www-form-urlencoded'].schema).toEqual(schema);
    expect(op.requestBody.required).toBe(true);
  });

  it('names every field from the prose, in page order', () => {
    expect(Object.keys(schema.properties)).toEqual(['grant_type', 'client_id', 'secret', 'client_secret', 'scope', 'refresh_token', 'resource', 'audience', 'subject_token', 'subject_token_type']);
    expect(schema.required).toEqual(['grant_type']);
    for (const p of Object.values(schema.properties) as Raw[]) expect(p.type).toBe('string');
    expect(schema.properties.refresh_token.description).toBe('Refresh token for OAuth');
    expect(schema.properties.resource.description).toBe('URI of the target resource server');
    expect(schema.properties.audience.description).toMatch(/^Used when exchanging a token\./);
    const guessed = inputs[0].warnings.filter((w) => w.code === 'guessed-field-name');
    expect(guessed.map((w) => w.message)).toEqual([expect.stringContaining('`audience`')]);
  });

  it('reads the three grant types, the subject token types and the grant-dependent required fields', () => {
    expect(schema.properties.grant_type.enum).toEqual(['client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange']);
    expect(schema.properties.subject_token_type.enum).toEqual(['urn:plaid:params:tokens:user', 'urn:plaid:params:oauth:user-token', 'urn:plaid:params:credit:multi-user']);
    expect(schema.allOf).toEqual([
      { if: { properties: { grant_type: { const: 'refresh_token' } }, required: ['grant_type'] }, then: { required: ['refresh_token'] } },
      { if: { properties: { grant_type: { const: 'urn:ietf:params:oauth:grant-type:token-exchange' } }, required: ['grant_type'] }, then: { required: ['audience', 'subject_token', 'subject_token_type'] } },
    ]);
  });

  it('takes client credentials from the PLAID-CLIENT-ID / PLAID-SECRET headers or from body fields', () => {
    const doc = (inputs[0] as RawInput & { kind: 'openapi' }).document as Raw;
    expect(doc.components.securitySchemes).toEqual({
      clientId: { type: 'apiKey', in: 'header', name: 'PLAID-CLIENT-ID' },
      secret: { type: 'apiKey', in: 'header', name: 'PLAID-SECRET' },
    });
    expect(op.security).toEqual([{ clientId: [], secret: [] }, {}]);
    expect(op['x-codegen-credentials']).toEqual([
      { scheme: 'clientId', header: 'PLAID-CLIENT-ID', bodyFields: ['client_id'] },
      { scheme: 'secret', header: 'PLAID-SECRET', bodyFields: ['secret', 'client_secret'] },
    ]);
  });

  it('turns the accepted scope values into the plaid catalog', () => {
    const { catalog } = inputs[1] as RawInput & { kind: 'scopes' };
    expect(catalog).toMatchObject({ id: 'plaid', title: 'The Plaid API', tokenOperation: 'POST /oauth/token', errorCode: 'invalid_scope', defaults: [], rules: [] });
    expect(catalog.scopes).toEqual([
      { name: 'user:read', description: 'Allows reading user data.' },
      { name: 'user:write', description: 'Allows writing user data.' },
      { name: 'exchange', description: 'Allows exchanging a token using the `urn:plaid:params:oauth:user-token` grant type.' },
      { name: 'mcp:dashboard', description: 'Allows access to the MCP dashboard server.' },
    ]);
  });

  it('agrees with OAuthTokenRequest in the real spec: fields, required, enums (as sets), scope values', () => {
    const real = realSpec();
    const request = real.components.schemas.OAuthTokenRequest;
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(request.properties).sort());
    expect(schema.required).toEqual(request.required);
    expect([...schema.properties.grant_type.enum].sort()).toEqual([...real.components.schemas.OAuthGrantType.enum].sort());
    expect(schema.properties.subject_token_type.enum).toEqual(real.components.schemas.OAuthSubjectTokenType.enum);
    const scopeText: string = real.components.schemas.OAuthScope.description;
    const realScopes = [...scopeText.matchAll(/^`([^`]+)` allows/gm)].map((m) => m[1]);
    expect((inputs[1] as RawInput & { kind: 'scopes' }).catalog.scopes.map((s) => s.name)).toEqual(realScopes);
  });
});

describe('reference page edge cases', () => {
  const load = async (name: string) => loadInput(path.join(FRAGMENTS, name));

  it('a "|" inside a description, an odd Required cell, an unknown type and skipped parents are reported, not fatal', async () => {
    const [input] = await load('reference-malformed.txt');
    const schema = ((input as RawInput & { kind: 'openapi' }).document.paths as Raw)['/widgets/create'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(['name', 'size', 'colour', 'owner', 'tags']);
    expect(schema.properties.name).toEqual({ type: 'string', description: "The widget's name | shown to users.", minLength: 1 });
    expect(schema.properties.size).toEqual({ description: 'How big it is.' });
    expect(schema.properties.colour).toEqual({ type: 'string', description: 'Its colour.', enum: ['red', 'green', 'blue'] });
    expect(schema.properties.owner).toEqual({ type: 'object', properties: { address: { type: 'object', properties: { city: { type: 'string', description: 'City of the owner.' } } } } });
    expect(schema.properties.tags).toEqual({ type: 'array', description: 'Labels.', items: { type: 'string' } });
    expect(schema.required).toEqual(['name']);
    expect(input.warnings.map((w) => [w.code, w.line])).toEqual([
      ['malformed-table', 4],
      ['unknown-type', 9],
      ['bad-required', 12],
      ['implied-parent', 15],
      ['implied-parent', 15],
    ]);
  });

  it('path, query and response tables become parameters and a 200 body', async () => {
    const inputs = await load('reference-params.txt');
    const model = buildModel(inputs);
    const [op] = model.operations;
    expect([op.method, op.path, op.name]).toEqual(['get', '/accounts/{account_id}/balance', 'accountsByAccountIdBalance']);
    expect(op.parameters.map((p) => [p.name, p.in, p.required, p.schema.default])).toEqual([
      ['account_id', 'path', true, undefined],
      ['currency', 'query', false, 'USD'],
    ]);
    expect(op.responses[0].status).toBe('200');
    expect(op.responses[0].content[0].schema.properties!.map((p) => [p.name, p.schema.type, p.schema.format])).toEqual([
      ['balance', ['number'], undefined],
      ['as_of', ['string'], 'date-time'],
    ]);
    expect(model.servers).toEqual([{ url: 'https://api.example.com', variables: [] }]);
  });

  it('a table cut off mid-row keeps the complete rows and reports the rest', async () => {
    const [input] = await load('reference-truncated.txt');
    const schema = ((input as RawInput & { kind: 'openapi' }).document.paths as Raw)['/things/update'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(['thing_id']);
    expect(input.warnings).toHaveLength(1);
    expect(input.warnings[0].message).toContain('an incomplete row (2 of 4 cells: "label | String") is skipped');
  });

  it('an explorer paragraph no clue can name is reported and left out', async () => {
    const inputs = await load('explorer-unnamed.txt');
    const [input] = inputs;
    const schema = ((input as RawInput & { kind: 'openapi' }).document.paths as Raw)['/oauth/token'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(['grant_type']);
    expect(schema.properties.grant_type.enum).toEqual(['client_credentials', 'password']);
    expect(input.warnings.map((w) => w.code)).toEqual(['unnamed-field']);
    expect(inputs).toHaveLength(1);
  });
});
