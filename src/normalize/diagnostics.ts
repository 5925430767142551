import type { Diagnostic } from '../model/types.js';

/** Collects warnings for one input file; unknown formats are listed once per model, not once per use. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private readonly formats: Map<string, string>;

  constructor(
    readonly file: string,
    seenFormats = new Map<string, string>(),
  ) {
    this.formats = seenFormats;
  }

  warn(code: string, message: string, pointer?: string): void {
    this.list.push({ severity: 'warning', code, message, file: this.file, pointer });
  }

  unknownFormat(format: string, pointer: string): void {
    if (this.formats.has(format)) return;
    this.formats.set(format, pointer);
    this.warn('unknown-format', `unknown format ${JSON.stringify(format)} is accepted without checks`, pointer);
  }
}
