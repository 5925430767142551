import yaml from 'js-yaml';
import { InputError } from './errors.js';

/**
 * Parses JSON or YAML text into plain data. js-yaml is the fastest YAML parser that still reports
 * lines, which matters on a 3 MB spec; JSON goes through JSON.parse, whose error offset we turn
 * into a line number.
 */
export function parseStructured(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (file.endsWith('.json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const at = /position (\d+)/.exec(message);
      const line = at ? lineAt(text, Number(at[1])) : undefined;
      throw new InputError(`malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { file, line });
    }
  }
  try {
    return yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA, json: true });
  } catch (error) {
    const e = error as { reason?: string; mark?: { line: number }; message: string };
    throw new InputError(`malformed YAML: ${e.reason ?? e.message}`, {
      file,
      line: e.mark ? e.mark.line + 1 : undefined,
    });
  }
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
