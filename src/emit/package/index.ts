import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { ApiModel } from '../../model/types.js';
import type { EmitOptions, EmitTarget, OutputFile } from '../output.js';
import { fileHeader } from '../shared/header.js';

const TEMPLATES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/package');

/** Entry points of the generated package, in export order; each exists only when its emitter ran. */
const ENTRIES: { target: EmitTarget; suffix: string; summary: string }[] = [
  { target: 'types', suffix: '', summary: 'types for every schema and operation' },
  { target: 'client', suffix: 'client', summary: '`createClient`, typed operations, `ApiError`, retries, OAuth tokens, webhooks' },
  { target: 'validators', suffix: 'validators', summary: 'compiled validators: `validateX`, `isX`, `schemaValidators`' },
  { target: 'scopes', suffix: 'scopes', summary: 'scope catalogs, `checkScopes`, `operationScopes`' },
  { target: 'mocks', suffix: 'mocks', summary: 'MSW handlers and `createMockServer`' },
];

const hb = Handlebars.create();
// JSON files get JSON literals; Markdown gets text that cannot open HTML or break a table.
hb.registerHelper('json', (value: unknown) => new hb.SafeString(JSON.stringify(value ?? null)));
hb.registerHelper('md', (value: unknown) => new hb.SafeString(escapeMarkdown(String(value ?? ''))));

const compiled = new Map<string, HandlebarsTemplateDelegate>();
/** Renders one of templates/package/ (compiled once per process). */
export function render(name: string, data: unknown): string {
  let template = compiled.get(name);
  if (!template) {
    template = hb.compile(fs.readFileSync(path.join(TEMPLATES, name), 'utf8'), { noEscape: false, strict: false });
    compiled.set(name, template);
  }
  return template(data);
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** package.json, README.md, tsconfig.json and the `.` entry (src/index.ts) of the generated package. */
export function emitPackage(model: ApiModel, options: EmitOptions): OutputFile[] {
  const has = (t: EmitTarget) => options.emit.includes(t);
  const entries = ENTRIES.filter((e) => has(e.target)).map((e) => ({
    ...e,
    subpath: e.suffix ? `./${e.suffix}` : '.',
    types: `./dist/${e.suffix || 'index'}.d.ts`,
    import: `./dist/${e.suffix || 'index'}.js`,
  }));
  // Narrow entries: the client without its operation table, and one operation (with its types). A program
  // importing only these makes tsc read a few small declaration files and a bundler a small graph.
  const narrow = (target: EmitTarget, suffix: string, file: string, summary: string) => ({ target, suffix, summary, subpath: `./${suffix}`, types: `./dist/${file}.d.ts`, import: `./dist/${file}.js` });
  if (has('client')) {
    const at = entries.findIndex((e) => e.target === 'client') + 1;
    entries.splice(
      at,
      0,
      narrow('client', 'client/core', 'client/core', '`createBaseClient` and its plugins (`withRetries`, `withValidation`, ...), errors and runtime types, without the operation table'),
      narrow('client', 'operations/*', 'client/operations/*', 'one standalone operation function per module, for `createBaseClient` clients (tree-shakable, fast to type-check)'),
    );
  }
  const example = model.operations.find((o) => o.requestBody) ?? model.operations[0];
  const environments = model.servers.map((s) => s.description).filter(Boolean) as string[];
  const data = {
    packageName: options.packageName,
    version: options.version ?? '0.1.0',
    title: model.info.title,
    apiVersion: model.info.apiVersion || model.info.version,
    description: `Typed client, validators, scopes and mocks for ${model.info.title} ${model.info.version}`.trim(),
    operationCount: model.operations.length,
    schemaCount: model.schemas.length,
    scopeCatalogs: model.scopeCatalogs.map((c) => c.id),
    entries,
    hasMocks: has('mocks'),
    hasClient: has('client'),
    environments: environments.length > 0,
    firstEnvironment: environments.find((e) => /sandbox/i.test(e)) ?? environments[0],
    credentialOptions: model.securitySchemes.filter((s) => s.type === 'apiKey' && s.in === 'header' && !/version/i.test(s.name ?? '')).map((s) => `${s.key}: process.env.${(s.name ?? s.key).toUpperCase().replace(/[^A-Z0-9]+/g, '_')}!`),
    exampleOperation: example?.name ?? 'operation',
    exampleRequest: example?.symbols.request ?? 'Request',
    exampleResponse: example?.symbols.response ?? 'Response',
    operations: model.operations.map((o) => ({ name: o.name, method: o.method.toUpperCase(), path: o.path })),
  };
  const files: OutputFile[] = [
    { path: 'package.json', content: render('package.json.hbs', data) },
    { path: 'README.md', content: render('README.md.hbs', data) },
    { path: 'tsconfig.json', content: render('tsconfig.json.hbs', data) },
  ];
  if (has('types')) {
    files.push({ path: 'src/index.ts', content: `${fileHeader(model, 'Package entry: every type of the API.')}export type * from './types.js';\n` });
  }
  return files;
}
