import type { CodeBlockWriter } from './writer.js';
import type { Schema } from '../../model/types.js';
import { commentLines, jsonLiteral } from './escape.js';

export interface DocParts {
  description?: string;
  deprecated?: boolean;
  tags?: [tag: string, value: string][];
}

/** Writes a JSDoc block (nothing when there is nothing to say). */
export function writeDoc(writer: CodeBlockWriter, doc: DocParts): void {
  const lines: string[] = [];
  if (doc.description && doc.description.trim()) lines.push(...commentLines(doc.description.trim()));
  for (const [tag, value] of doc.tags ?? []) lines.push(...commentLines(`@${tag} ${value}`.trimEnd()));
  if (doc.deprecated) lines.push('@deprecated');
  if (lines.length === 0) return;
  if (lines.length === 1) {
    writer.writeLine(`/** ${lines[0]} */`);
    return;
  }
  writer.writeLine('/**');
  for (const line of lines) writer.writeLine(line ? ` * ${line}` : ' *');
  writer.writeLine(' */');
}

/** The documentation a schema carries: description, format, default, deprecation. */
export function schemaDoc(schema: Schema, extra?: string): DocParts {
  const tags: [string, string][] = [];
  if (schema.format) tags.push(['format', schema.format]);
  if (schema.hasDefault) tags.push(['default', jsonLiteral(schema.default)]);
  if (schema.pattern) tags.push(['pattern', schema.pattern]);
  // Titles are left out: real specs use them to repeat the schema's name.
  const description = [schema.description, extra].filter(Boolean).join('\n\n');
  return { description, deprecated: schema.deprecated, tags };
}
