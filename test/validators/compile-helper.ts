import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import type { OutputFile } from '../../src/emit/output.js';
import { emitValidators } from '../../src/emit/validators/index.js';
import { loadInputs } from '../../src/load/index.js';
import type { ApiModel } from '../../src/model/types.js';
import { buildModel } from '../../src/normalize/index.js';
import { tmpDir } from '../helpers.js';

export interface ValidationError {
  path: string;
  keyword: string;
  message: string;
}
export type ValidationResult = { ok: true; value: unknown } | { ok: false; errors: ValidationError[] };
export type Validator = (value: unknown, options?: { allErrors?: boolean }) => ValidationResult;

/** What the generated `./validators` entry exports, as seen by a test. */
export interface ValidatorsModule {
  schemaValidators: { readonly [symbol: string]: Validator };
  operationValidators: { readonly [name: string]: { request?: Validator; responses: { readonly [status: string]: Validator } } };
  validateOperationResponse(operation: string, status: number, body: unknown, options?: { allErrors?: boolean }): ValidationResult;
  [name: string]: unknown;
}

export async function modelOf(specs: string[]): Promise<ApiModel> {
  return buildModel(await loadInputs(specs, process.cwd()));
}

/** Emits the validators of a model (types are only needed by tsc, not to run them). */
export function emitFiles(model: ApiModel): OutputFile[] {
  return emitValidators(model, { packageName: 'test-pkg', emit: ['validators'] });
}

/** Transpiles emitted TypeScript to ESM JavaScript in a fresh folder and imports `src/validators.js`. */
export async function importValidators(files: OutputFile[], name: string): Promise<ValidatorsModule> {
  const dir = tmpDir(name);
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const file of files) {
    if (!file.path.endsWith('.ts')) continue;
    const js = ts.transpileModule(file.content, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
    }).outputText;
    const out = path.join(dir, file.path.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, js);
  }
  return (await import(pathToFileURL(path.join(dir, 'src/validators.js')).href)) as ValidatorsModule;
}

/** Reads a generated package's src/ folder back as output files. */
export function readPackage(dir: string): OutputFile[] {
  const out: OutputFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push({ path: child.slice(1), content: fs.readFileSync(path.join(dir, child), 'utf8') });
    }
  };
  walk('');
  return out.filter((f) => f.path.startsWith('src/'));
}
