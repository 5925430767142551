import type { JsonType, JsonValue } from './types.js';

/** Whether a JSON value is of one of the given types (`integer` admits numbers without a fraction). */
export function admitsValue(types: readonly JsonType[], value: JsonValue): boolean {
  if (value === null) return types.includes('null');
  if (typeof value === 'string') return types.includes('string');
  if (typeof value === 'number') return types.includes('number') || (types.includes('integer') && Number.isInteger(value));
  if (typeof value === 'boolean') return types.includes('boolean');
  if (Array.isArray(value)) return types.includes('array');
  return types.includes('object');
}
