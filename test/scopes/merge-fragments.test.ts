import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../../src/load/index.js';
import type { ApiModel, Conflict, Diagnostic, Enrichment } from '../../src/model/types.js';
import { buildModel } from '../../src/normalize/index.js';
import { PLAID_SPEC, runCli, seed, tmpDir, typecheck } from '../helpers.js';

/**
 * The real Plaid spec plus every seed: one model, one generated package that type-checks, and a
 * report of what the fragments added (enrichments) and what they contradicted (conflicts).
 */
describe('the real spec merged with the seed fragments', () => {
  let model: ApiModel;
  const seeds = ['004', '000', '001', '002', '003'].map(seed);

  beforeAll(async () => {
    model = buildModel(await loadInputs([PLAID_SPEC, ...seeds]));
  });

  it('keeps every operation of the spec and adds the one only a fragment has', () => {
    expect(model.operations).toHaveLength(330);
    expect(model.operations.find((o) => o.path === '/link/profile/eligibility/check')?.source.file).toBe(seed('001'));
  });

  it('/oauth/token accepts both media types, with the fragment credentials, and keeps the spec responses', () => {
    const op = model.operations.find((o) => o.path === '/oauth/token')!;
    expect(op.name).toBe('oauthToken');
    expect(op.operationId).toBe('oauthToken');
    expect(op.requestBody!.content.map((c) => c.mediaType)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    const form = op.requestBody!.content[1].schema;
    expect(form.properties!.map((p) => p.name)).toEqual(['grant_type', 'client_id', 'secret', 'client_secret', 'scope', 'refresh_token', 'resource', 'audience', 'subject_token', 'subject_token_type']);
    expect(form.properties!.find((p) => p.name === 'grant_type')!.schema.enum).toEqual(['client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange']);
    expect(op.responses.map((r) => r.status)).toEqual(['200', 'default']);
    expect(op.security).toEqual([{ clientId: [], secret: [] }, {}]);
    expect(op.extensions?.['x-codegen-credentials']).toEqual([
      { scheme: 'clientId', header: 'PLAID-CLIENT-ID', bodyFields: ['client_id'] },
      { scheme: 'secret', header: 'PLAID-SECRET', bodyFields: ['secret', 'client_secret'] },
    ]);
    // The fragment's security schemes are the spec's own: no conflict, no duplicate.
    expect(model.securitySchemes.map((s) => s.key)).toEqual(['clientId', 'secret', 'plaidVersion']);
  });

  it('reports what the fragment added to /oauth/token', () => {
    const enrichments = model.enrichments.map((e: Enrichment) => [e.key, e.message, path.basename(e.file)]);
    expect(enrichments).toEqual([
      ['POST /oauth/token', 'adds application/x-www-form-urlencoded to requestBody', path.basename(seed('004'))],
      ['POST /oauth/token', 'adds security requirements', path.basename(seed('004'))],
      ['POST /oauth/token', 'adds x-codegen-credentials', path.basename(seed('004'))],
    ]);
  });

  it('reports every contradiction, with both files, pointers and values; the later input wins', () => {
    const conflicts = model.conflicts.map((c: Conflict) => [c.kind, c.key, path.basename(c.previous.file), path.basename(c.next.file)]);
    const [spec, s004, s000, s001] = [PLAID_SPEC, seed('004'), seed('000'), seed('001')].map((f) => path.basename(f));
    expect(conflicts).toEqual([
      ['operation', 'POST /oauth/token requestBody.content.application/json.schema', spec, s004],
      ['operation', 'POST /item/application/scopes/update requestBody.content.application/json.schema', spec, s000],
      ['schema', 'LinkTokenCreateResponse', spec, s001],
      ['schema', 'LinkTokenGetResponse', spec, s001],
      ['operation', 'POST /link/token/create summary', spec, s001],
      ['operation', 'POST /link/token/create description', spec, s001],
      ['operation', 'POST /link/token/get summary', spec, s001],
      ['operation', 'POST /link/token/get description', spec, s001],
      ['operation', 'POST /link/oauth/correlation_id/exchange summary', spec, s001],
      ['operation', 'POST /link/oauth/correlation_id/exchange description', spec, s001],
    ]);
    const summary = model.conflicts.find((c) => c.key === 'POST /link/token/create summary')!;
    expect(summary.previous).toEqual({ file: PLAID_SPEC, pointer: '/paths/~1link~1token~1create/post/summary', value: 'Create Link Token' });
    expect(summary.next).toEqual({ file: seed('001'), pointer: '/paths/~1link~1token~1create/post/summary', value: 'Plaid Create Link Token' });
    expect(model.operations.find((o) => o.path === '/link/token/create')!.summary).toBe('Plaid Create Link Token');
  });

  it('collects the scope catalogs of 002, 003 and 004, and every importer warning with its file', () => {
    expect(model.scopeCatalogs.map((c) => [c.id, c.scopes.length])).toEqual([
      ['plaid', 4],
      ['scopes', 55],
      ['scopesEntitlements', 6],
    ]);
    const byFile = (n: string) => model.warnings.filter((w: Diagnostic) => w.file === seed(n)).map((w) => w.code);
    expect(byFile('000')).toEqual(['lost-values', 'truncated-description', 'truncated-description', 'ignored-text', 'no-responses']);
    expect(byFile('001')).toEqual(['ambiguous-nesting', 'empty-value']);
    expect(byFile('002')).toEqual(['no-provider', 'empty-section', 'undescribed-default']);
    expect(byFile('003')).toEqual(['no-provider']);
    expect(byFile('004')).toEqual(['guessed-field-name', 'no-responses']);
    // 001's dangling refs exist in the real spec, except the request of the endpoint it no longer has.
    expect(model.warnings.filter((w) => w.code === 'unresolved-ref').map((w) => w.pointer)).toEqual(['/components/schemas/LinkProfileEligibilityCheckRequest']);
  });

  it('in the other order the spec wins the conflicts and the form body still comes from the fragment', async () => {
    const reversed = buildModel(await loadInputs([seed('004'), PLAID_SPEC]));
    const op = reversed.operations.find((o) => o.path === '/oauth/token')!;
    expect(op.requestBody!.content.map((c) => [c.mediaType, c.schema.ref])).toEqual([
      ['application/json', 'OAuthTokenRequest'],
      ['application/x-www-form-urlencoded', undefined],
    ]);
    expect(reversed.conflicts.map((c) => [c.key, path.basename(c.next.file)])).toEqual([['POST /oauth/token requestBody.content.application/json.schema', path.basename(PLAID_SPEC)]]);
    expect(reversed.enrichments.map((e) => e.message)).toEqual(['adds operationId', 'adds response 200', 'adds response default']);
  });
});

describe('one generated package from the spec and the fragments', () => {
  let out: string;
  let summary: { operations: number; conflicts: { kind: string; key: string; next: { file: string } }[]; warnings: { code: string; file?: string }[] };

  beforeAll(() => {
    out = path.join(tmpDir('merged-pkg'), 'pkg');
    const result = runCli(['generate', '--spec', PLAID_SPEC, ...['004', '000', '001'].flatMap((n) => ['--spec', seed(n)]), '--spec', 'specs/scopes/*.yaml', '--out', out, '--name', '@acme/merged', '--emit', 'types,scopes', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    summary = JSON.parse(result.stdout);
  });

  it('reports the conflicts and the importer warnings in the generate summary', () => {
    expect(summary.operations).toBe(330);
    expect(summary.conflicts).toHaveLength(11);
    // The reviewed manifest re-titles the catalog seed 004 yields: a conflict, and the manifest wins.
    expect(summary.conflicts.filter((c) => c.kind === 'scopeCatalog').map((c) => [c.key, c.next.file])).toEqual([['plaid', 'specs/scopes/plaid.yaml']]);
    expect(summary.warnings.filter((w) => w.file === seed('004')).map((w) => w.code)).toEqual(['guessed-field-name', 'no-responses']);
  });

  it('types the form body of /oauth/token and exports the catalogs', () => {
    const types = fs.readFileSync(path.join(out, 'src/types.ts'), 'utf8');
    expect(types).toMatch(/export type OauthTokenRequest = \{/);
    expect(types).toContain('grant_type: "client_credentials" | "refresh_token" | "urn:ietf:params:oauth:grant-type:token-exchange";');
    const catalogs = fs.readFileSync(path.join(out, 'src/scopes/catalogs.ts'), 'utf8');
    expect(catalogs).toContain('export type MoneyhubScope = ');
    expect(catalogs).toContain('listAccounts: [{"catalog":"apiture","allOf":["banking/read"]}],');
  });

  it('type-checks under tsc --strict', () => {
    const result = typecheck(out);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});
