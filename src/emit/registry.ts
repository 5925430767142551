import { emitClient } from './client/index.js';
import { emitMocks } from './mocks/index.js';
import type { Emitter, EmitTarget } from './output.js';
import { emitScopes } from './scopes/index.js';
import { emitValidators } from './validators/index.js';

/** Emitters besides types and package (client, validators, scopes, mocks), each in its own folder under emit/. */
export const extraEmitters: [EmitTarget, Emitter][] = [
  ['validators', emitValidators],
  ['client', emitClient],
  ['scopes', emitScopes],
  ['mocks', emitMocks],
];
