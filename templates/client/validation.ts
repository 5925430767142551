// Runs the generated validators (PKG/validators) on request bodies before sending and on answers
// after receiving, per `validate`, as a plugin. createClient wires it; createBaseClient takes it
// explicitly, `createBaseClient(withValidation({ validate: 'both', validators }))`, so lean bundles
// leave it out.

import { RequestValidationError, ResponseValidationError, type ValidationIssue } from './errors.js';
import { plugged, type Plugin, type RuntimeOptions } from './runtime.js';

export type ValidationOutcome = { ok: true; value: unknown } | { ok: false; errors: ValidationIssue[] };

/** The shape of the generated validators module (`PKG/validators`) the client uses. */
export interface ValidatorsModule {
  readonly operationValidators: { readonly [operation: string]: { readonly request?: (value: unknown) => ValidationOutcome } | undefined };
  validateOperationResponse(operation: string, status: number, body: unknown): ValidationOutcome;
}

export interface ValidationOptions {
  /** Run the generated validators on request bodies, responses, or both. Default 'off'. */
  validate?: 'off' | 'request' | 'response' | 'both';
  /** The validators module (loaded on first use by createClient when the package has one). */
  validators?: ValidatorsModule | (() => Promise<ValidatorsModule>);
}

/** The options with the validation plugin added, per `validate`. */
export function withValidation<O extends RuntimeOptions & ValidationOptions>(options: O): Omit<O, keyof ValidationOptions> {
  const { validate: mode = 'off', validators, ...rest } = options;
  if (mode === 'off') return rest;
  let loaded: Promise<ValidatorsModule> | undefined;
  const load = () => {
    if (!validators) throw new Error(`validate: '${mode}' needs the validators module (generate the package with validators, or pass options.validators)`);
    return (loaded ??= typeof validators === 'function' ? validators() : Promise.resolve(validators));
  };
  const plugin: Plugin = {
    async request(request, { op, body, redact }) {
      // Once per call, before anything is sent.
      if (mode === 'response' || request.attempt > 0 || body === undefined || !op.b) return;
      const result = (await load()).operationValidators[op.id]?.request?.(body);
      if (result && !result.ok) throw new RequestValidationError(op.id, result.errors, redact);
    },
    async response({ response, ok, data }, _request, { op, redact }) {
      if (mode === 'request' || !ok) return false;
      const result = (await load()).validateOperationResponse(op.id, response!.status, data);
      if (!result.ok) throw new ResponseValidationError(op.id, response!.status, data, result.errors, redact);
      return false;
    },
  };
  return plugged(rest, plugin);
}
