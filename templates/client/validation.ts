// Runs the generated validators (PKG/validators) on request bodies before sending and on answers
// after receiving, per `validate`. createClient wires it; createBaseClient takes it explicitly,
// `createBaseClient(withValidation({ validate: 'both', validators }))`, so lean bundles leave it out.

import { RequestValidationError, ResponseValidationError } from './errors.js';
import type { RuntimeOptions, ValidatorsModule } from './runtime.js';

export function withValidation<O extends RuntimeOptions>(options: O): O {
  const mode = options.validate ?? 'off';
  if (mode === 'off') return options;
  let loaded: Promise<ValidatorsModule> | undefined;
  const load = () => {
    const v = options.validators;
    if (!v) throw new Error(`validate: '${mode}' needs the validators module (generate the package with validators, or pass options.validators)`);
    return (loaded ??= typeof v === 'function' ? v() : Promise.resolve(v));
  };
  return {
    ...options,
    validation: {
      async request(op, body, redact) {
        if (mode === 'response') return;
        const result = (await load()).operationValidators[op.id]?.request?.(body);
        if (result && !result.ok) throw new RequestValidationError(op.id, result.errors, redact);
      },
      async response(op, status, body, redact) {
        if (mode === 'request') return;
        const result = (await load()).validateOperationResponse(op.id, status, body);
        if (!result.ok) throw new ResponseValidationError(op.id, status, body, result.errors, redact);
      },
    },
  };
}
