import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitValidators } from '../../src/emit/validators/index.js';
import { PLAID_SPEC, runCli, tmpDir, typecheck } from '../helpers.js';
import { importValidators, modelOf, readPackage, type Validator, type ValidatorsModule } from './compile-helper.js';

/** The validators of the full Plaid spec (2275 schemas, 329 operations) as a package: compiles, loads, answers. */
describe('validators for the real Plaid spec', () => {
  let dir: string;
  let v: ValidatorsModule;

  beforeAll(async () => {
    dir = path.join(tmpDir('plaid-validators'), 'pkg');
    const result = runCli(['generate', '--spec', PLAID_SPEC, '--out', dir, '--name', '@acme/plaid', '--emit', 'types,validators,package', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    v = await importValidators(readPackage(dir), 'plaid-validators-js');
  });

  it('type-checks under tsc --strict with 0 errors', () => {
    const result = typecheck(dir);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('has a validator for every schema and every operation, with statuses as the spec writes them', () => {
    expect(Object.keys(v.schemaValidators)).toHaveLength(2275);
    expect(Object.keys(v.operationValidators)).toHaveLength(329);
    for (const name of ['LinkTokenCreateRequest', 'LinkTokenCreateResponse', 'AccountSubtype', 'PlaidError', 'TransactionsSyncResponse', 'ItemApplicationScopesUpdateRequest']) {
      expect(v[`validate${name}`], name).toBeTypeOf('function');
      expect(v[`is${name}`], name).toBeTypeOf('function');
    }
    expect(Object.keys(v.operationValidators.linkTokenCreate.responses)).toEqual(['200', 'default']);
    expect(v.operationValidators.linkTokenCreate.request).toBeTypeOf('function');
  });

  it('checks requests and responses against the spec, with the error where it belongs', () => {
    const raw = yaml.load(fs.readFileSync(PLAID_SPEC, 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> }>> };
    const example = Object.values(raw.paths['/accounts/get'].post.responses['200'].content['application/json'].examples)[0].value as { accounts: { subtype: unknown; balances: Record<string, unknown> }[] };
    expect(v.validateOperationResponse('accountsGet', 200, example).ok).toBe(true);
    // AccountSubtype is a nullable enum: null passes (the API sends it), an unknown value does not.
    const copy = structuredClone(example);
    copy.accounts[1].subtype = null;
    expect(v.validateOperationResponse('accountsGet', 200, copy).ok).toBe(true);
    copy.accounts[1].subtype = 'not-a-subtype';
    expect(v.validateOperationResponse('accountsGet', 200, copy)).toMatchObject({ ok: false, errors: [{ path: '/accounts/1/subtype', keyword: 'enum' }] });
    delete copy.accounts[0].balances.current;
    expect(v.validateOperationResponse('accountsGet', 200, copy, { allErrors: true })).toMatchObject({
      ok: false,
      errors: [
        { path: '/accounts/0/balances/current', keyword: 'required' },
        { path: '/accounts/1/subtype', keyword: 'enum' },
      ],
    });
    const plaidError = { error_type: 'INVALID_REQUEST', error_code: 'MISSING_FIELDS', error_message: 'x', display_message: null, request_id: 'r' };
    expect(v.validateOperationResponse('accountsGet', 400, plaidError).ok).toBe(true);
    const request = v.operationValidators.linkTokenCreate.request as Validator;
    expect(request({ client_name: 'app', language: 'en', country_codes: ['US'], user: { client_user_id: 'u1' }, products: ['transactions'] }).ok).toBe(true);
    expect(request({ client_name: 'app', language: 'en', country_codes: ['US'], user: {} })).toMatchObject({ ok: false, errors: [{ path: '/user/client_user_id', keyword: 'required' }] });
  });

  it('emits the same text on every run', async () => {
    const model = await modelOf([PLAID_SPEC]);
    const options = { packageName: 'x', emit: ['types', 'validators'] as ('types' | 'validators')[] };
    const first = emitValidators(model, options);
    const second = emitValidators(await modelOf([PLAID_SPEC]), options);
    expect(second.map((f) => f.content)).toEqual(first.map((f) => f.content));
    const size = first.reduce((n, f) => n + f.content.length, 0);
    console.log(`Plaid validators: ${first.map((f) => `${f.path} ${(f.content.length / 1024).toFixed(0)} KB`).join(', ')}; ${(size / 1024).toFixed(0)} KB in all`);
  });
});
