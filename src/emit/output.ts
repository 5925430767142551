/** A file of the generated package, relative to the output folder. */
export interface OutputFile {
  path: string;
  content: string;
}

/** One emitter: reads the model, returns files. Emitters never read the raw spec. */
export type Emitter = (model: import('../model/types.js').ApiModel, options: EmitOptions) => OutputFile[] | Promise<OutputFile[]>;

export interface EmitOptions {
  /** The npm package name of the generated package. */
  packageName: string;
  /** Which outputs to emit. */
  emit: EmitTarget[];
  /** The version written into the generated package.json. */
  version?: string;
  /** Options of the validators emitter (codegen.config.json `validators`). */
  validators?: import('../config/index.js').ValidatorsOptions;
}

export const EMIT_TARGETS = ['types', 'client', 'validators', 'scopes', 'mocks', 'package'] as const;
export type EmitTarget = (typeof EMIT_TARGETS)[number];
