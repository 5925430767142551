import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { recoverCollapsedYaml } from '../../src/load/collapsed-yaml.js';
import { loadInput } from '../../src/load/index.js';
import type { ApiModel, Operation } from '../../src/model/types.js';
import { buildModel } from '../../src/normalize/index.js';
import { FIXTURES, PLAID_SPEC, seed } from '../helpers.js';

type Raw = Record<string, any>;
const FRAGMENTS = path.join(FIXTURES, 'fragments');

/** Seed 001: the Plaid spec's link endpoints copied from a web page, all on one line. */
describe('collapsed YAML (seed 001)', () => {
  let doc: Raw;
  let warnings: { code: string; pointer?: string; message: string }[];
  let model: ApiModel;
  const op = (path: string): Operation => model.operations.find((o) => o.path === path)!;

  beforeAll(async () => {
    const text = fs.readFileSync(seed('001'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    ({ document: doc, warnings } = recoverCollapsedYaml(text, seed('001')));
    model = buildModel(await loadInput(seed('001')));
  });

  it('is detected as collapsed YAML and loaded as an OpenAPI fragment', async () => {
    const [input] = await loadInput(seed('001'));
    expect(input).toMatchObject({ kind: 'openapi', fragment: true, format: 'collapsed-yaml' });
  });

  it('recovers servers, info, tags and security', () => {
    expect(doc.openapi).toBe('3.0.0');
    expect(doc.servers).toEqual([
      { description: 'Production', url: 'https://production.plaid.com' },
      { description: 'Development', url: 'https://development.plaid.com' },
      { description: 'Sandbox', url: 'https://sandbox.plaid.com' },
    ]);
    expect(doc.info).toEqual({
      title: 'Plaid link/',
      version: '2020-09-14_1.517.0',
      description: 'Needs description.',
      contact: { name: 'Plaid Developer Team', url: 'https://plaid.com' },
      termsOfService: 'https://plaid.com/legal/',
    });
    expect(doc.tags).toEqual([{ name: 'Plaid' }]);
    expect(doc.security).toEqual([{ clientId: [], secret: [], plaidVersion: [] }]);
    expect(model.info).toMatchObject({ title: 'Plaid link/', version: '2020-09-14_1.517.0', apiVersion: '2020-09-14' });
    expect(model.security).toEqual([{ clientId: [], secret: [], plaidVersion: [] }]);
  });

  it('recovers the four paths with their extensions and operations', () => {
    expect(Object.keys(doc.paths)).toEqual(['/link/profile/eligibility/check', '/link/token/create', '/link/token/get', '/link/oauth/correlation_id/exchange']);
    expect(doc.paths['/link/profile/eligibility/check']['x-hidden-from-docs']).toBe(true);
    expect(doc.paths['/link/profile/eligibility/check']['x-plaid-business-unit-context']).toBe('BUSINESS_UNIT_PLAID');
    expect(doc.paths['/link/token/create']['x-plaid-business-unit-context']).toBe('BUSINESS_UNIT_UNDETERMINED');
    expect(model.operations.map((o) => [o.method, o.path, o.operationId, o.name])).toEqual([
      ['post', '/link/profile/eligibility/check', 'linkProfileEligibilityCheck', 'linkProfileEligibilityCheck'],
      ['post', '/link/token/create', 'linkTokenCreate', 'linkTokenCreate'],
      ['post', '/link/token/get', 'linkTokenGet', 'linkTokenGet'],
      ['post', '/link/oauth/correlation_id/exchange', 'linkOauthCorrelationIdExchange', 'linkOauthCorrelationIdExchange'],
    ]);
  });

  it('recovers summaries, tags, externalDocs and folded (>-) descriptions', () => {
    const check = doc.paths['/link/profile/eligibility/check'].post;
    expect(check.tags).toEqual(['Plaid']);
    expect(check.summary).toBe('Plaid Check profile eligibility');
    expect(check.externalDocs).toEqual({ url: '/api/link/#profileeligibilitycheck' });
    expect(check.description).toBe(
      'The `/link/profile/eligibility/check` endpoint can be used to check whether a user with the supplied phone number has a saved profile that satisfies customer-defined eligibility requirements.',
    );
    expect(op('/link/token/create').summary).toBe('Plaid Create Link Token');
    expect(op('/link/token/create').description).toMatch(/^The `\/link\/token\/create` endpoint creates a `link_token`, .* or the Payment Initiation \(Europe\) flow\.$/);
    expect(op('/link/token/get').summary).toBe('Plaid Get Link Token');
    expect(op('/link/oauth/correlation_id/exchange').summary).toBe('Plaid Exchange the Link Correlation Id for a Link Token');
    expect(op('/link/oauth/correlation_id/exchange').description).toMatch(/no longer be exchanged for the 'link_token'\.$/);
  });

  it('puts the operation description after the examples on the operation, not on the example', () => {
    for (const p of Object.keys(doc.paths)) {
      const example = doc.paths[p].post.responses['200'].content['application/json'].examples['example-1'];
      expect(Object.keys(example), p).toEqual(['value']);
      expect(typeof doc.paths[p].post.description, p).toBe('string');
    }
  });

  it('recovers request bodies (required, $ref, empty description) and 200 responses', () => {
    for (const [p, request, response] of [
      ['/link/profile/eligibility/check', 'LinkProfileEligibilityCheckRequest', 'LinkProfileEligibilityCheckResponse'],
      ['/link/token/create', 'LinkTokenCreateRequest', 'LinkTokenCreateResponse'],
      ['/link/token/get', 'LinkTokenGetRequest', 'LinkTokenGetResponse'],
      ['/link/oauth/correlation_id/exchange', 'LinkOAuthCorrelationIdExchangeRequest', 'LinkOAuthCorrelationIdExchangeResponse'],
    ]) {
      expect(doc.paths[p].post.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${request}` } } }, description: '' });
      const o = op(p);
      expect(o.requestBody?.required).toBe(true);
      expect(o.responses.map((r) => [r.status, r.description, r.content.map((c) => c.mediaType)])).toEqual([['200', 'OK', ['application/json']]]);
      expect(o.responses[0].content[0].schema).toEqual({ ref: response });
    }
  });

  it('recovers the example values, nested objects and lists included', () => {
    const value = (p: string) => op(p).responses[0].content[0].examples[0];
    expect(value('/link/profile/eligibility/check')).toEqual({ name: 'example-1', value: { profile_matches: true, request_id: 'XQVgFigpGHXkb0b' } });
    expect(value('/link/token/create').value).toEqual({ link_token: 'link-sandbox-af1a0311-da53-4636-b754-dd15cc058176', expiration: '2020-03-27T12:56:34Z', request_id: 'XQVgFigpGHXkb0b' });
    expect(value('/link/token/get').value).toEqual({
      created_at: '2020-12-02T21:14:54Z',
      expiration: '2020-12-03T01:14:54Z',
      link_token: 'link-sandbox-33792986-2b9c-4b80-b1f2-518caaac6183',
      metadata: {
        account_filters: { depository: { account_subtypes: ['checking', 'savings'] } },
        client_name: 'Insert Client name here',
        country_codes: ['US'],
        initial_products: ['auth'],
        language: 'en',
        redirect_uri: null,
        webhook: 'https://www.example.com/webhook',
      },
      // request_id is a property of LinkTokenGetResponse: the schema puts it back at the top.
      request_id: 'u0ydFs493XjyTYn',
    });
    expect(value('/link/oauth/correlation_id/exchange').value).toEqual({ link_token: 'link-sandbox-33792986-2b9c-4b80-b1f2-518caaac6183', request_id: 'u0ydFs493XjyTYn' });
  });

  it('recovers the four response schemas: properties, types, formats, nullable, required, descriptions', () => {
    expect(model.schemas.map((s) => s.key)).toEqual(['LinkProfileEligibilityCheckResponse', 'LinkTokenCreateResponse', 'LinkTokenGetResponse', 'LinkOAuthCorrelationIdExchangeResponse']);
    const s = doc.components.schemas;
    expect(s.LinkProfileEligibilityCheckResponse).toEqual({
      type: 'object',
      'x-hidden-from-docs': true,
      additionalProperties: true,
      description: 'LinkProfileEligibilityCheckResponse defines the response schema for `/link/profile/eligibility/check`',
      properties: {
        profile_matches: { type: 'boolean', description: "Indicates whether Plaid has a profile matching the customer's eligibility requirements for this user" },
        request_id: { $ref: '#/components/schemas/RequestID' },
      },
      required: ['profile_matches', 'request_id'],
    });
    expect(Object.keys(s.LinkTokenCreateResponse.properties)).toEqual(['link_token', 'expiration', 'request_id', 'hosted_link_url']);
    expect(s.LinkTokenCreateResponse.properties.expiration).toMatchObject({ type: 'string', format: 'date-time' });
    expect(s.LinkTokenCreateResponse.properties.hosted_link_url).toEqual({
      type: 'string',
      description: 'A URL of a Plaid-hosted Link flow that will use the Link token returned by this request. Only present if the client is enabled for Hosted Link.',
    });
    // `required:` right after a string property's description belongs to the object, not the string.
    expect(s.LinkTokenCreateResponse.required).toEqual(['link_token', 'expiration', 'request_id']);
    const get = s.LinkTokenGetResponse;
    expect(Object.keys(get.properties)).toEqual(['link_token', 'created_at', 'expiration', 'link_sessions', 'metadata', 'request_id']);
    expect(get.properties.created_at).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(get.properties.expiration).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(get.properties.link_sessions).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/LinkTokenGetSessionsResponse' } });
    expect(get.properties.metadata).toEqual({ $ref: '#/components/schemas/LinkTokenGetMetadataResponse' });
    expect(get.required).toEqual(['link_token', 'created_at', 'expiration', 'metadata', 'request_id']);
    expect(s.LinkOAuthCorrelationIdExchangeResponse.required).toEqual(['link_token', 'request_id']);

    // In the model: nullable folded into the type, dangling refs opaque.
    const getModel = model.schemas.find((x) => x.key === 'LinkTokenGetResponse')!.schema;
    const created = getModel.properties!.find((p) => p.name === 'created_at')!.schema;
    expect(created).toMatchObject({ type: ['string', 'null'], nullable: true, format: 'date-time' });
    expect(getModel.properties!.find((p) => p.name === 'request_id')!.schema.unresolved).toBe('#/components/schemas/RequestID');
  });

  it('reports the guesses it made, and the refs no input defines', () => {
    expect(warnings.map((w) => w.code)).toEqual(['ambiguous-nesting', 'empty-value']);
    expect(warnings[0].message).toContain('`client_name` follows the list under `account_subtypes`');
    expect(warnings[1].pointer).toBe('/paths/~1link~1token~1get/post/responses/200/content/application~1json/examples/example-1/value/metadata/redirect_uri');
    const unresolved = model.warnings.filter((w) => w.code === 'unresolved-ref').map((w) => w.pointer);
    expect(unresolved.sort()).toEqual(
      ['RequestID', 'LinkTokenGetSessionsResponse', 'LinkTokenGetMetadataResponse', 'LinkProfileEligibilityCheckRequest', 'LinkTokenCreateRequest', 'LinkTokenGetRequest', 'LinkOAuthCorrelationIdExchangeRequest']
        .map((k) => `/components/schemas/${k}`)
        .sort(),
    );
  });
});

/**
 * Field by field against the same operations and schemas in the real spec (a later version). Every
 * difference is listed here and explained: each is a change between spec versions, none a
 * recovery error. Text is compared with whitespace collapsed, since the seed lost its line breaks.
 */
describe('seed 001 against the real Plaid spec, field by field', () => {
  let differences: Map<string, [unknown, unknown]>;

  beforeAll(() => {
    const recovered = recoverCollapsedYaml(fs.readFileSync(seed('001'), 'utf8'), seed('001')).document as Raw;
    const real = yaml.load(fs.readFileSync(PLAID_SPEC, 'utf8'), { schema: yaml.CORE_SCHEMA, json: true }) as Raw;
    differences = new Map();
    const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
    const walk = (a: unknown, b: unknown, at: string) => {
      const norm = (v: unknown) => (typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v);
      if (JSON.stringify(norm(a)) === JSON.stringify(norm(b))) return;
      const isObj = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);
      // Example values are compared whole: a new version replaces the example.
      if (isObj(a) && isObj(b) && !at.endsWith('/value')) {
        for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], `${at}/${esc(k)}`);
        return;
      }
      differences.set(at, [a, b]);
    };
    for (const p of Object.keys(recovered.paths)) {
      if (real.paths[p]) walk(recovered.paths[p], real.paths[p], `/paths/${esc(p)}`);
      else differences.set(`/paths/${esc(p)}`, [recovered.paths[p], undefined]);
    }
    for (const s of Object.keys(recovered.components.schemas)) {
      if (real.components.schemas[s]) walk(recovered.components.schemas[s], real.components.schemas[s], `/components/schemas/${s}`);
      else differences.set(`/components/schemas/${s}`, [recovered.components.schemas[s], undefined]);
    }
    for (const k of ['openapi', 'servers', 'info', 'security', 'tags']) walk(recovered[k], real[k], `/${k}`);
  });

  const link = '/paths/~1link~1token~1create';
  const get = '/paths/~1link~1token~1get';
  const corr = '/paths/~1link~1oauth~1correlation_id~1exchange';
  const errorResponse = { description: 'Error response', content: { 'application/json': { schema: { $ref: '#/components/schemas/PlaidError' } } } };
  /** pointer -> [seed value, real value] (or a predicate pair for long text) with the reason. */
  const expected: [string, unknown, unknown, string][] = [
    ['/paths/~1link~1profile~1eligibility~1check', 'present', undefined, 'the endpoint was removed from later specs'],
    ['/components/schemas/LinkProfileEligibilityCheckResponse', 'present', undefined, 'its response schema went with it'],
    [`${link}/x-plaid-business-unit-context`, 'BUSINESS_UNIT_UNDETERMINED', undefined, 'internal extension dropped from the public spec'],
    [`${get}/x-plaid-business-unit-context`, 'BUSINESS_UNIT_PLAID', undefined, 'same'],
    [`${corr}/x-plaid-business-unit-context`, 'BUSINESS_UNIT_PLAID', undefined, 'same'],
    [`${link}/post/tags`, ['Plaid'], ['plaid'], 'tag renamed (the top-level tag too)'],
    [`${get}/post/tags`, ['Plaid'], ['plaid'], 'same'],
    [`${corr}/post/tags`, ['Plaid'], ['plaid'], 'same'],
    [`${link}/post/summary`, 'Plaid Create Link Token', 'Create Link Token', 'summaries lost their "Plaid" prefix'],
    [`${get}/post/summary`, 'Plaid Get Link Token', 'Get Link Token', 'same'],
    [`${corr}/post/summary`, 'Plaid Exchange the Link Correlation Id for a Link Token', 'Exchange the Link Correlation ID for a Link Token', 'same, and "Id" became "ID"'],
    [`${link}/post/externalDocs/url`, '/api/tokens/#linktokencreate', '/api/link/#linktokencreate', 'docs moved from /api/tokens to /api/link'],
    [`${get}/post/externalDocs/url`, '/api/tokens/#linktokenget', '/api/link/#linktokenget', 'same'],
    [`${link}/post/responses/default`, undefined, errorResponse, 'later specs document the PlaidError default response'],
    [`${get}/post/responses/default`, undefined, errorResponse, 'same'],
    [`${corr}/post/responses/default`, undefined, errorResponse, 'same'],
    [`${link}/post/description`, /Payment Initiation \(Europe\) flow\.$/, /Link flow overview.*Identity Verification flow\.$/s, 'rewritten: Identity Verification replaced Payment Initiation'],
    [`${get}/post/description`, /previously-created `link_token`/, /gets information about a Link session/, 'rewritten for Hosted Link and Link events'],
    [`${corr}/post/description`, /'payment_initiation' products/, /`payment_initiation` products/, "quotes became code spans ('x' -> `x`)"],
    [`${get}/post/responses/200/content/application~1json/examples/example-1/value`, /2020-12-02T21:14:54Z/, /2024-07-29T20:22:21Z/, 'the example was replaced by a 2024 one with link_sessions and user_id'],
    ['/components/schemas/LinkTokenCreateResponse/properties/expiration/description', /^The expiration date for/, /^The expiration date and time for/, 'Hosted Link and Link Delivery expiry rules added'],
    ['/components/schemas/LinkTokenCreateResponse/properties/hosted_link_url/description', /if the client is enabled/, /if the session is enabled/, 'reworded'],
    ['/components/schemas/LinkTokenCreateResponse/properties/user_id', undefined, { $ref: '#/components/schemas/NewUserID' }, 'property added later'],
    ['/components/schemas/LinkTokenGetResponse/properties/user_id', undefined, { $ref: '#/components/schemas/NewUserID' }, 'property added later'],
    ['/components/schemas/LinkTokenGetResponse/properties/link_sessions/description', /Backend Handoff/, /^Information about Link sessions created using this `link_token`\. Session data/, 'Backend Handoff sentence removed'],
    ['/servers', /development\.plaid\.com/, (v: unknown) => !JSON.stringify(v).includes('development'), 'the Development environment was retired'],
    ['/info/title', 'Plaid link/', 'The Plaid API', 'the seed is a per-tag extract of the spec'],
    ['/info/version', '2020-09-14_1.517.0', '2020-09-14_1.697.4', 'spec release 1.517.0 vs 1.697.4'],
    ['/info/description', 'Needs description.', 'The Plaid REST API. Please see https://plaid.com/docs/api for more details.', 'same'],
    ['/tags', [{ name: 'Plaid' }], [{ name: 'plaid', description: 'The Plaid API' }], 'tag renamed and described'],
  ];

  it('lists exactly the expected differences', () => {
    expect([...differences.keys()].sort()).toEqual(expected.map((e) => e[0]).sort());
  });

  it.each(expected)('%s differs as a version change', (pointer, seedValue, realValue) => {
    const [a, b] = differences.get(pointer)!;
    const matches = (actual: unknown, want: unknown) => {
      if (want instanceof RegExp) return want.test(typeof actual === 'string' ? actual : JSON.stringify(actual));
      if (typeof want === 'function') return (want as (v: unknown) => boolean)(actual);
      if (want === 'present') return actual !== undefined;
      return JSON.stringify(actual) === JSON.stringify(want);
    };
    expect(matches(a, seedValue), `seed value ${JSON.stringify(a)?.slice(0, 200)}`).toBe(true);
    expect(matches(b, realValue), `real value ${JSON.stringify(b)?.slice(0, 200)}`).toBe(true);
  });

  it('agrees everywhere else: operationIds, bodies, response refs, schema types, formats, nullable, required', () => {
    // Spot checks on fields the differences above do not cover, to make the comparison's reach explicit.
    expect(differences.has(`${link}/post/operationId`)).toBe(false);
    expect(differences.has(`${link}/post/requestBody`)).toBe(false);
    expect(differences.has(`${get}/post/responses/200/content/application~1json/schema`)).toBe(false);
    expect(differences.has('/components/schemas/LinkTokenGetResponse/required')).toBe(false);
    expect(differences.has('/components/schemas/LinkTokenGetResponse/properties/created_at/nullable')).toBe(false);
    expect(differences.has('/components/schemas/LinkTokenCreateResponse/required')).toBe(false);
    expect(differences.has('/security')).toBe(false);
  });
});

describe('collapsed YAML edge cases', () => {
  const load = (name: string) => {
    const file = path.join(FRAGMENTS, name);
    return { file, ...recoverCollapsedYaml(fs.readFileSync(file, 'utf8'), file) };
  };

  it('a truncated fragment keeps what is there and says where the text ends', async () => {
    const { document, warnings } = load('truncated-001.txt');
    expect(Object.keys(document.paths as Raw)).toEqual(['/link/token/create']);
    expect((document.paths as Raw)['/link/token/create'].post.operationId).toBe('linkTokenCreate');
    expect(warnings.map((w) => [w.code, w.pointer])).toEqual([['truncated', '/paths/~1link~1token~1create/post/requestBody/content/application~1json/schema/$ref']]);
    const model = buildModel(await loadInput(path.join(FRAGMENTS, 'truncated-001.txt')));
    expect(model.operations.map((o) => o.name)).toEqual(['linkTokenCreate']);
  });

  it('reports words it cannot place, with their text and position', () => {
    const { document, warnings } = load('unplaced.txt');
    expect((document.info as Raw).title).toBe('Shop');
    expect((document.paths as Raw)['/pets'].get.operationId).toBe('listPets');
    const unplaced = warnings.filter((w) => w.code === 'unplaced-text');
    expect(unplaced).toHaveLength(1);
    expect(unplaced[0].message).toContain('"colour: blue"');
    expect(unplaced[0].message).toMatch(/characters \d+-\d+/);
  });

  it('an unterminated quote is reported, and never swallows the rest of the document', () => {
    const { document, warnings } = load('unterminated-quote.txt');
    expect(warnings.map((w) => w.code)).toContain('unterminated-quote');
    expect((document.paths as Raw)['/a'].get.operationId).toBe('getA');
  });

  it('`__proto__` keys stay plain data', () => {
    const { document } = load('proto-keys.txt');
    const props = ((document.components as Raw).schemas as Raw).Evil.properties as Raw;
    expect(Object.prototype.hasOwnProperty.call(props, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(({} as Raw).type).toBeUndefined();
  });

  it('OpenAPI 3.1 keeps $ref siblings on the same schema', () => {
    const { document } = load('openapi-31.txt');
    const pet = ((document.components as Raw).schemas as Raw).Pet as Raw;
    expect(pet.properties.owner).toEqual({ $ref: '#/components/schemas/Person', description: 'Who owns it' });
    expect(pet.properties.tags).toEqual({ type: ['array', 'null'], items: { type: 'string' } });
  });
});
