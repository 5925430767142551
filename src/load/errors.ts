/**
 * A problem with the user's input: one clear line naming the file, the line or JSON pointer, and
 * what is wrong. The CLI prints it and exits 2; anything else escaping is a bug in codegen.
 */
export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly pointer?: string;

  constructor(message: string, where: { file?: string; line?: number; pointer?: string } = {}) {
    super(message);
    this.name = 'InputError';
    this.file = where.file;
    this.line = where.line;
    this.pointer = where.pointer;
  }

  /** `file:line: message` or `file#/pointer: message`, the way compilers print positions. */
  format(): string {
    let where = this.file ?? '';
    if (this.line !== undefined) where += `:${this.line}`;
    if (this.pointer !== undefined) where += `#${this.pointer}`;
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => '/' + pointerToken(t)).join('');
}

/** decodeURIComponent, or the text as it is when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
