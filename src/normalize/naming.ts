/**
 * Every generated identifier is decided here, once, so that all emitters agree on it and the
 * choice is deterministic: the same inputs in the same order give the same names.
 */

const JS_RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN Infinity'
  ).split(' '),
);

const KEEP_AS_IS = /^[A-Z][A-Za-z0-9_$]*$/;

/** Splits on anything that is not a letter or digit, keeping the case inside each word. */
function words(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

export function pascalCase(name: string): string {
  if (KEEP_AS_IS.test(name)) return name;
  let result = words(name)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  if (result === '') result = 'Schema';
  if (/^[0-9]/.test(result)) result = 'Schema' + result;
  return result;
}

export function camelCase(name: string): string {
  if (/^[a-z][A-Za-z0-9_$]*$/.test(name)) return name;
  const parts = words(name);
  if (parts.length === 0) return 'operation';
  let result = parts
    .map((w, i) => (i === 0 ? w[0].toLowerCase() + w.slice(1) : w[0].toUpperCase() + w.slice(1)))
    .join('');
  // An all-caps first word (`URLParse`) reads better lowered as a whole.
  if (/^[A-Z0-9]+$/.test(parts[0]) && parts.length > 1) result = parts[0].toLowerCase() + result.slice(parts[0].length);
  if (/^[0-9]/.test(result)) result = 'op' + result[0].toUpperCase() + result.slice(1);
  return result;
}

export function isReservedWord(name: string): boolean {
  return JS_RESERVED.has(name);
}

/** POST /item/application/scopes/update -> itemApplicationScopesUpdate; {id} segments become ById. */
export function nameFromPath(path: string): string {
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? 'by ' + param[1] : segment;
    });
  return camelCase(parts.join(' ') || 'root');
}

/** Hands out unique identifiers: the first claim of a name gets it, later ones get a numeric suffix. */
export class SymbolTable {
  private readonly taken = new Set<string>();

  has(name: string): boolean {
    return this.taken.has(name);
  }

  claim(preferred: string): string {
    let name = preferred;
    for (let i = 2; this.taken.has(name); i++) name = `${preferred}${i}`;
    this.taken.add(name);
    return name;
  }
}
