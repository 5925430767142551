/**
 * The only ways spec text reaches generated code. Every emitter goes through these: names become
 * identifiers or quoted keys, values become JSON literals, prose becomes comment text that cannot
 * close its comment. Nothing from a spec is ever pasted into code as it is.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string literal that is valid TypeScript and JavaScript, whatever the input holds. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029').replace(/<\/(script)/gi, '<\\/$1');
}

/** A JSON value as a literal expression (objects and arrays too). */
export function jsonLiteral(value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (value === undefined) return 'undefined';
  const json = JSON.stringify(value);
  if (json === undefined) return 'undefined';
  return json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029').replace(/<\/(script)/gi, '<\\/$1');
}

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A property key in a type or interface: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : stringLiteral(name);
}

/** A property access: `.name` or `["na-me"]`. */
export function propertyAccess(name: string): string {
  return isIdentifier(name) ? `.${name}` : `[${stringLiteral(name)}]`;
}

/**
 * Text for a JSDoc comment: no `*\/` can close it, no stray carriage returns, and every line is
 * still a line. Returns lines without the leading ` * `.
 */
export function commentLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/[\u2028\u2029]/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
}
