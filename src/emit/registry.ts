import type { Emitter, EmitTarget } from './output.js';

/** Emitters besides types and package (client, validators, scopes, mocks), each in its own folder under emit/. */
export const extraEmitters: [EmitTarget, Emitter][] = [];
