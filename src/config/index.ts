import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../load/errors.js';
import { parseStructured } from '../load/parse.js';
import { EMIT_TARGETS, type EmitTarget } from '../emit/output.js';

/** codegen.config.json: what `npx codegen` with no flags generates. */
export interface CodegenConfig {
  /** Input files or globs, merged in order. */
  specs: string[];
  /** Output folder of the generated package. */
  out: string;
  /** npm name of the generated package. */
  name: string;
  /** Outputs to emit (default: all). */
  emit: EmitTarget[];
  /** Run prettier over generated code too (slow on large specs; text files are always formatted). */
  prettier: boolean;
  /** Options of the validators emitter. */
  validators?: ValidatorsOptions;
}

/** codegen.config.json `validators`. */
export interface ValidatorsOptions {
  /**
   * 'assert' (default): a string that does not match its `format` fails validation, as OpenAPI
   * tooling and ajv-formats do. 'annotate': `format` is an annotation only, as JSON Schema 2020-12
   * reads it without the format-assertion vocabulary.
   */
  formats?: 'assert' | 'annotate';
}

export const FORMAT_MODES = ['assert', 'annotate'] as const;

export const CONFIG_FILE = 'codegen.config.json';

export const DEFAULTS: Omit<CodegenConfig, 'specs'> = {
  out: 'generated/api',
  name: 'api-client',
  emit: [...EMIT_TARGETS],
  prettier: false,
};

/** Reads the config file when there is one; its paths are relative to its folder. */
export function loadConfig(file: string | undefined, cwd: string): Partial<CodegenConfig> & { baseDir: string } {
  const explicit = file !== undefined;
  const configPath = path.resolve(cwd, file ?? CONFIG_FILE);
  if (!fs.existsSync(configPath)) {
    if (explicit) throw new InputError('no such config file', { file });
    return { baseDir: cwd };
  }
  const shown = path.relative(cwd, configPath) || configPath;
  const raw = parseStructured(fs.readFileSync(configPath, 'utf8'), shown);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError('the config must be a JSON object', { file: shown, pointer: '' });
  const c = raw as Record<string, unknown>;
  const out: Partial<CodegenConfig> & { baseDir: string } = { baseDir: path.dirname(configPath) };
  const fail = (key: string, what: string): never => {
    throw new InputError(`"${key}" must be ${what}`, { file: shown, pointer: `/${key}` });
  };
  for (const key of Object.keys(c)) {
    if (!['$schema', 'specs', 'out', 'name', 'emit', 'prettier', 'validators'].includes(key)) throw new InputError(`unknown setting "${key}"`, { file: shown, pointer: `/${key}` });
  }
  if (c.specs !== undefined) out.specs = Array.isArray(c.specs) && c.specs.every((s) => typeof s === 'string') ? (c.specs as string[]) : fail('specs', 'a list of file paths or globs');
  if (c.out !== undefined) out.out = typeof c.out === 'string' && c.out ? c.out : fail('out', 'a folder path');
  if (c.name !== undefined) out.name = typeof c.name === 'string' && c.name ? c.name : fail('name', 'an npm package name');
  if (c.emit !== undefined) out.emit = parseEmit(c.emit, () => fail('emit', `a list of ${EMIT_TARGETS.join(', ')}`));
  if (c.prettier !== undefined) out.prettier = typeof c.prettier === 'boolean' ? c.prettier : fail('prettier', 'true or false');
  if (c.validators !== undefined) out.validators = parseValidators(c.validators, shown);
  return out;
}

function parseValidators(value: unknown, file: string): ValidatorsOptions {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputError('"validators" must be an object', { file, pointer: '/validators' });
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'formats') throw new InputError(`unknown validators setting "${key}"`, { file, pointer: `/validators/${key.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  if (v.formats !== undefined && !(FORMAT_MODES as readonly unknown[]).includes(v.formats)) {
    throw new InputError(`"validators.formats" must be one of ${FORMAT_MODES.join(', ')}`, { file, pointer: '/validators/formats' });
  }
  return v.formats === undefined ? {} : { formats: v.formats as ValidatorsOptions['formats'] };
}

export function parseEmit(value: unknown, fail: () => never): EmitTarget[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  if (!Array.isArray(list) || !list.every((t) => (EMIT_TARGETS as readonly string[]).includes(t))) fail();
  const set = new Set(list as EmitTarget[]);
  return EMIT_TARGETS.filter((t) => set.has(t));
}
