import type { Diagnostic } from '../model/types.js';
import { joinPointer } from './errors.js';
import { InputError } from './errors.js';
import type { InputFormat, RawInput } from './inputs.js';
import { explorerPage } from './text/explorer-page.js';
import { describeField, requiredFlag, schemaFromFieldRows, typeSchema, type FieldProblem, type FieldRow } from './text/field-table.js';
import { findPipeTables, type PipeTable } from './text/pipe-table.js';
import { cleanText, HTTP_METHOD_LINE, serverDescription } from './text/prose.js';
import { setKey } from './text/yaml-tokens.js';

/**
 * An endpoint reference page copied as text: `POST /path` near the top, then either field tables
 * (`Name | Type | Required | Description`, seed 000) or an API explorer's prose, one paragraph per
 * input field (seed 004). Either way the result is an OpenAPI fragment with one operation; an
 * explorer page that lists accepted scope values also yields a scope catalog.
 */
export const referencePageFormat: InputFormat = {
  name: 'reference-page',
  detect(file, text) {
    if (/\.(json|ya?ml)$/i.test(file)) return false;
    return findOperationLine(cleanText(text)) !== undefined;
  },
  load(file, text) {
    const clean = cleanText(text);
    const head = findOperationLine(clean);
    if (!head) throw new InputError('no `METHOD /path` line near the top of the reference page', { file, line: 1 });
    const tables = findPipeTables(clean, fieldRowFits).filter((t) => columnsOf(t) !== undefined);
    if (tables.length > 0) return [fieldTablePage(file, clean, head, tables)];
    return explorerPage(file, clean, head);
  },
};

export interface OperationLine {
  method: string;
  path: string;
  line: number;
}

/** The first `METHOD /path` in the first few non-blank lines (docs pages put it in the title). */
export function findOperationLine(text: string): OperationLine | undefined {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length && seen < 5; i++) {
    if (!lines[i].trim()) continue;
    seen++;
    const m = HTTP_METHOD_LINE.exec(lines[i]);
    if (m && !lines[i].includes('|')) return { method: m[1].toLowerCase(), path: m[2], line: i + 1 };
  }
  return undefined;
}

interface Columns {
  name: number;
  type: number;
  required: number;
  description: number;
}

function columnsOf(table: PipeTable): Columns | undefined {
  const find = (re: RegExp) => table.headers.findIndex((h) => re.test(h));
  const cols = { name: find(/^(name|field|parameter|property)$/i), type: find(/^type$/i), required: find(/^required$/i), description: find(/^description$/i) };
  return Object.values(cols).every((i) => i >= 0) ? cols : undefined;
}

/** A row starts with a one-word name and has a yes/no Required cell or a known Type (a "|" in a description shifts cells). */
function fieldRowFits(cells: string[], headers: string[]): boolean {
  const required = headers.findIndex((h) => /^required$/i.test(h));
  const name = headers.findIndex((h) => /^(name|field|parameter|property)$/i.test(h));
  const type = headers.findIndex((h) => /^type$/i.test(h));
  if (required < 0 || name < 0 || type < 0) return true;
  return /^\S+$/.test(cells[name]) && (requiredFlag(cells[required]) !== undefined || typeSchema(cells[type]) !== undefined);
}

type Location = 'header' | 'query' | 'path' | 'cookie' | 'body' | 'response';

function locationOf(title: string): Location | undefined {
  if (/response/i.test(title)) return 'response';
  if (/header/i.test(title)) return 'header';
  if (/query/i.test(title)) return 'query';
  if (/path/i.test(title)) return 'path';
  if (/cookie/i.test(title)) return 'cookie';
  if (/body|fields|request/i.test(title)) return 'body';
  return undefined;
}

/** Seed 000's format: servers list, request header and body field tables. */
function fieldTablePage(file: string, text: string, head: OperationLine, tables: PipeTable[]): RawInput {
  const warnings: Diagnostic[] = [];
  const lines = text.split('\n');
  const opPointer = joinPointer('/paths', head.path, head.method);
  const warn = (code: string, message: string, line?: number, pointer = opPointer) => warnings.push({ severity: 'warning', code, message, file, line, pointer });

  // The text between the title line and the first section is the operation's description.
  const firstTableLine = tables[0].line - (tables[0].title ? 1 : 0);
  const intro: string[] = [];
  const servers: { url: string; description?: string }[] = [];
  let inServers = false;
  for (let i = head.line; i < firstTableLine - 1; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (/^servers?:?$/i.test(line)) {
      inServers = true;
      continue;
    }
    const url = /^[-*•]?\s*(https?:\/\/\S+)$/.exec(line);
    if (inServers && url) {
      const description = serverDescription(url[1]);
      servers.push({ url: url[1], ...(description ? { description } : {}) });
      continue;
    }
    inServers = false;
    intro.push(line);
  }

  const operation: Record<string, unknown> = {};
  if (intro.length) operation.description = intro.join('\n');
  const parameters: Record<string, unknown>[] = [];
  let mediaType = 'application/json';
  let body: Record<string, unknown> | undefined;

  for (const table of tables) {
    const cols = columnsOf(table)!;
    for (const problem of table.problems) warn('malformed-table', `${table.title || 'table'}: ${problem}`, table.line);
    const location = locationOf(table.title);
    if (!location) {
      warn('unknown-section', `the table under ${JSON.stringify(table.title)} is neither parameters nor a body; read as request body fields`, table.line);
    }
    const rows: FieldRow[] = table.rows.map((r) => ({ name: r.cells[cols.name], type: r.cells[cols.type], required: r.cells[cols.required], description: r.cells[cols.description], line: r.line }));
    const problems: FieldProblem[] = [];
    const where = location ?? 'body';
    if (where === 'body' || where === 'response') {
      const schema = schemaFromFieldRows(rows, problems);
      if (where === 'body') body = schema;
      else operation.responses = { '200': { description: 'OK', content: { 'application/json': { schema } } } };
    } else {
      for (const row of rows) {
        const { description, keywords } = describeField(row.description, problems, row.line, row.name);
        // OpenAPI ignores Content-Type among header parameters: it is the body's media type.
        if (where === 'header' && /^content-type$/i.test(row.name)) {
          if (typeof keywords.default === 'string') mediaType = keywords.default;
          continue;
        }
        const schema = { ...(typeSchema(row.type) ?? {}), ...keywords };
        const required = requiredFlag(row.required);
        if (required === undefined) problems.push({ code: 'bad-required', line: row.line, field: row.name, message: `required cell ${JSON.stringify(row.required)} is neither yes nor no; taken as optional` });
        parameters.push({ name: row.name, in: where, required: where === 'path' ? true : required === true, ...(description ? { description } : {}), schema });
      }
    }
    for (const p of problems) warn(p.code, `${p.field ? `${p.field}: ` : ''}${p.message}`, p.line);
  }
  if (tables.length && tables[tables.length - 1].trailing) {
    const rest = tables[tables.length - 1].trailing.split('\n').map((l) => l.trim()).filter(Boolean);
    warn('ignored-text', `${rest.length} line(s) after the last table are not part of the reference (${JSON.stringify(rest[0].slice(0, 60))} ...); ignored`);
  }

  if (parameters.length) operation.parameters = parameters;
  if (body) {
    const required = Array.isArray(body.required) && body.required.length > 0;
    operation.requestBody = { required, content: { [mediaType]: { schema: body } } };
  }
  operation.responses ??= {};
  const pathItem: Record<string, unknown> = {};
  setKey(pathItem, head.method, operation);
  const paths: Record<string, unknown> = {};
  setKey(paths, head.path, pathItem);
  const document: Record<string, unknown> = { openapi: '3.0.3', paths };
  if (servers.length) document.servers = servers;
  return { kind: 'openapi', file, document, fragment: true, format: 'reference-page', warnings };
}
