/**
 * A docs page's `Name | Type | Required | Description` field table to a JSON Schema: dotted names
 * nest (`scopes.product_access.auth`), `[]` marks an array whose items the following rows describe
 * (`scopes.accounts[].unique_id`), and the description's trailing notes (`Default value: true`,
 * `Possible values: A, B`) become keywords.
 */

import { setKey } from './yaml-tokens.js';

type Raw = Record<string, unknown>;

export interface FieldRow {
  name: string;
  type: string;
  required: string;
  description: string;
  line: number;
}

export interface FieldProblem {
  code: string;
  message: string;
  line: number;
  /** The dotted field name the problem is about. */
  field?: string;
}

const TYPES: [RegExp, Raw][] = [
  [/^(string|str|text)$/i, { type: 'string' }],
  [/^(integer|int|int32|int64|long)$/i, { type: 'integer' }],
  [/^(number|float|double|decimal)$/i, { type: 'number' }],
  [/^(boolean|bool)$/i, { type: 'boolean' }],
  [/^(object|map|dictionary)$/i, { type: 'object' }],
  [/^(array|list)$/i, { type: 'array' }],
  [/^(date-?time|timestamp)$/i, { type: 'string', format: 'date-time' }],
  [/^date$/i, { type: 'string', format: 'date' }],
  [/^null$/i, { type: 'string', nullable: true }],
];

/** A type cell to a schema; `undefined` when the page's type is not one we know. */
export function typeSchema(cell: string): Raw | undefined {
  const text = cell.trim();
  const arrayOf = /^(?:array|list)\s*(?:of|<)\s*([\w-]+)>?$/i.exec(text) ?? /^([\w-]+)\s*\[\]$/.exec(text);
  if (arrayOf) {
    const item = typeSchema(arrayOf[1]);
    return item ? { type: 'array', items: item } : undefined;
  }
  const nullable = /^(.+?)\s*(?:\||,|or)\s*null$/i.exec(text);
  if (nullable) {
    const base = typeSchema(nullable[1]);
    return base ? { ...base, nullable: true } : undefined;
  }
  for (const [pattern, schema] of TYPES) if (pattern.test(text)) return { ...schema };
  return undefined;
}

export function requiredFlag(cell: string): boolean | undefined {
  if (/^(yes|y|true|required)$/i.test(cell.trim())) return true;
  if (/^(no|n|false|optional|)$/i.test(cell.trim())) return false;
  return undefined;
}

/** Words a sentence cannot end on: the page dropped what followed (usually inline code). */
const DANGLING = /\b(the|a|an|is|are|to|of|for|with|when|send|and|or|must|be)\s*$/i;

/** Reads the notes docs pages append to a description. Returns the cleaned description and keywords. */
export function describeField(text: string, problems: FieldProblem[], line: number, field?: string): { description?: string; keywords: Raw } {
  const keywords: Raw = {};
  let description = text.trim();

  const defaultMatch = /\s*Default value:\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s]+)\s*$/i.exec(description) ?? /\s*Default value:\s*("(?:[^"\\]|\\.)*"|\S+)/i.exec(description);
  if (defaultMatch) {
    const literal = defaultMatch[1];
    keywords.default = parseLiteral(literal);
    const before = description.slice(0, defaultMatch.index).trimEnd();
    const after = description.slice(defaultMatch.index + defaultMatch[0].length).trim();
    // "If unset, defaults to Default value: true": the page put its label where the value went.
    const shown = typeof keywords.default === 'string' ? keywords.default : JSON.stringify(keywords.default);
    description = /defaults to$/i.test(before) ? `${before} \`${shown}\`.` : before;
    if (after) description = `${description} ${after}`.trim();
  }

  const possible = /\s*Possible values:\s*(.*)$/i.exec(description);
  if (possible) {
    const values = possible[1]
      .split(/\s*(?:,|\s\|\s|\bor\b)\s*/)
      .map((v) => v.replace(/^[`"']|[`"'.]$/g, '').trim())
      .filter(Boolean);
    description = description.slice(0, possible.index).trimEnd();
    if (values.length) keywords.enum = values;
    else problems.push({ code: 'lost-values', field, line, message: `says "Possible values:" but lists none (the page lost them); no enum is set` });
  }

  for (const [label, key] of [
    ['Min(?:imum)? length', 'minLength'],
    ['Max(?:imum)? length', 'maxLength'],
    ['Minimum', 'minimum'],
    ['Maximum', 'maximum'],
    ['Min(?:imum)? items', 'minItems'],
    ['Max(?:imum)? items', 'maxItems'],
  ] as const) {
    const m = new RegExp(`\\s*${label}:\\s*(-?\\d+(?:\\.\\d+)?)`, 'i').exec(description);
    if (m) {
      keywords[key] = Number(m[1]);
      description = (description.slice(0, m.index) + description.slice(m.index + m[0].length)).trim();
    }
  }
  const format = /\s*Format:\s*([\w-]+)/i.exec(description);
  if (format) {
    keywords.format = format[1];
    description = (description.slice(0, format.index) + description.slice(format.index + format[0].length)).trim();
  }

  if (description && DANGLING.test(description)) {
    problems.push({ code: 'truncated-description', field, line, message: `description ends mid-sentence (${JSON.stringify(description.slice(-40))}); the page probably dropped inline code` });
  }
  return { description: description || undefined, keywords };
}

function parseLiteral(text: string): unknown {
  if (/^"/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text.slice(1, -1);
    }
  }
  if (/^'.*'$/.test(text)) return text.slice(1, -1);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

interface Segment {
  name: string;
  array: number;
}

function parseName(name: string): Segment[] | undefined {
  const parts = name.trim().split('.');
  const out: Segment[] = [];
  for (const part of parts) {
    const m = /^([^[\]\s]+)((?:\[\])*)$/.exec(part);
    if (!m) return undefined;
    out.push({ name: m[1], array: m[2].length / 2 });
  }
  return out;
}

/** Builds one object schema from the rows; problems say what the table got wrong. */
export function schemaFromFieldRows(rows: FieldRow[], problems: FieldProblem[]): Raw {
  const root: Raw = { type: 'object', properties: {} };
  const seen = new Set<string>();
  for (const row of rows) {
    const path = parseName(row.name);
    if (!path || path.length === 0) {
      problems.push({ code: 'bad-field-name', line: row.line, field: row.name, message: `${JSON.stringify(row.name)} is not a field name (dotted names and [] only); row skipped` });
      continue;
    }
    const key = path.map((s) => s.name + '[]'.repeat(s.array)).join('.');
    if (seen.has(key)) problems.push({ code: 'duplicate-field', line: row.line, field: row.name, message: `${row.name} is listed twice; the later row wins` });
    seen.add(key);

    // Walk to the object that holds the last segment, creating parents the table skipped.
    let holder = root;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i];
      const props = ensureProps(holder);
      let child = props[seg.name] as Raw | undefined;
      if (!child) {
        child = seg.array ? { type: 'array', items: { type: 'object', properties: {} } } : { type: 'object', properties: {} };
        setKey(props, seg.name, child);
        problems.push({ code: 'implied-parent', line: row.line, field: row.name, message: `${path.slice(0, i + 1).map((s) => s.name).join('.')} has no row of its own; taken as ${seg.array ? 'an array of objects' : 'an object'}` });
      }
      holder = innermost(child, seg.array, problems, row);
    }

    const last = path[path.length - 1];
    const typed = typeSchema(row.type);
    if (!typed && row.type.trim()) problems.push({ code: 'unknown-type', line: row.line, field: row.name, message: `type ${JSON.stringify(row.type)} is not one we know; the field is left untyped` });
    const { description, keywords } = describeField(row.description, problems, row.line, row.name);
    const props = ensureProps(holder);
    const existing = props[last.name] as Raw | undefined;
    let schema: Raw = { ...(typed ?? {}), ...(description ? { description } : {}), ...keywords };
    if (last.array) {
      // `accounts[]` of type Array: the array itself; rows below describe its items.
      const itemType = typed && typed.type !== 'array' ? typed : (typed?.items as Raw | undefined);
      let items: Raw = itemType ? { ...itemType } : {};
      for (let d = 1; d < last.array; d++) items = { type: 'array', items };
      schema = { type: 'array', ...(description ? { description } : {}), ...keywords, items };
    }
    if (schema.type === 'object' && !schema.properties) schema.properties = {};
    // Rows for children may come before their parent's own row: keep what they built.
    if (existing?.properties && schema.type === 'object') schema.properties = existing.properties;
    if (existing?.items && schema.type === 'array' && (existing.items as Raw).properties) schema.items = existing.items;
    setKey(props, last.name, schema);

    const req = requiredFlag(row.required);
    if (req === undefined) problems.push({ code: 'bad-required', line: row.line, field: row.name, message: `required cell ${JSON.stringify(row.required)} is neither yes nor no; taken as optional` });
    if (req) {
      const list = (holder.required as string[] | undefined) ?? [];
      if (!list.includes(last.name)) list.push(last.name);
      holder.required = list;
    }
  }
  return root;
}

function ensureProps(schema: Raw): Raw {
  if (!schema.properties || typeof schema.properties !== 'object') schema.properties = {};
  return schema.properties as Raw;
}

/** The object that nested rows add properties to: the schema itself, or its (nested) array items. */
function innermost(schema: Raw, arrays: number, problems: FieldProblem[], row: FieldRow): Raw {
  let node = schema;
  for (let d = 0; d < arrays; d++) {
    if (node.type !== 'array') {
      problems.push({ code: 'not-an-array', line: row.line, field: row.name, message: `${row.name} uses [] on a field that is not an array; taken as one` });
      node.type = 'array';
    }
    if (!node.items || typeof node.items !== 'object' || (node.items as Raw).type === undefined) node.items = { type: 'object', properties: {}, ...(node.items as Raw | undefined) };
    node = node.items as Raw;
  }
  if (arrays === 0 && node.type !== 'object') {
    if (node.type !== undefined) problems.push({ code: 'not-an-object', line: row.line, field: row.name, message: `${row.name} nests under a field of type ${String(node.type)}; taken as an object` });
    node.type = 'object';
  }
  if (node.type === 'object') ensureProps(node);
  return node;
}
