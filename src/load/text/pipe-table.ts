/**
 * Pipe tables as docs pages render them when copied as text: `A | B | C |`, a `---|---|---|` line,
 * then rows whose cells may run over several lines (a cell ends at its `|`). Rows are rebuilt from
 * the cell stream, so line breaks inside a description do not matter.
 */

export interface PipeTable {
  /** The line just above the header, e.g. "Request body fields" (empty when there is none). */
  title: string;
  headers: string[];
  rows: TableRow[];
  /** Line number (1-based) of the header line. */
  line: number;
  /** Text after the last row's closing `|` up to the next table's title, when any. */
  trailing: string;
  /** Line number (1-based) of the last line that closes a cell; prose after the table starts below it. */
  endLine: number;
  problems: string[];
}

export interface TableRow {
  cells: string[];
  /** Line number (1-based) where the row starts. */
  line: number;
}

const SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/;

/**
 * Finds every table in the text. `rowFits` says whether cells look like a row of this table; a
 * row that does not fit is taken as a `|` inside the previous row's last cell, and reported.
 */
export function findPipeTables(text: string, rowFits: (cells: string[], headers: string[]) => boolean = () => true): PipeTable[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // A header may be one line (`A | B | C |`) or, copied from a rendered page, one cell per line.
  const found: { first: number; separator: number; headers: string[] }[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!SEPARATOR.test(lines[i]) || !lines[i - 1].includes('|')) continue;
    const width = lines[i].split('|').filter((c) => /-{3,}/.test(c)).length;
    let first = i - 1;
    let headers = cellsOf(lines[first]);
    while (headers.length < width && first > 0 && /\|\s*$/.test(lines[first - 1]) && !SEPARATOR.test(lines[first - 1])) {
      first--;
      headers = [...cellsOf(lines[first]), ...headers];
    }
    found.push({ first, separator: i, headers });
  }
  const headerAt = found.map((f) => f.first);
  return found.map(({ first: h, separator, headers }, n) => {
    const bodyStart = separator + 1;
    // The next table's title line belongs to it, not to this table's last cell.
    const bodyEnd = n + 1 < headerAt.length ? Math.max(bodyStart, headerAt[n + 1] - 1) : lines.length;
    const { rows, trailing, problems, endLine } = readRows(lines, bodyStart, bodyEnd, headers, rowFits);
    return { title: h > 0 ? lines[h - 1].trim() : '', headers, rows, line: h + 1, trailing, endLine, problems };
  });
}

function cellsOf(line: string): string[] {
  const cells = line.trim().replace(/^\|/, '').split('|').map((c) => c.trim());
  while (cells.length && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

interface Cell {
  text: string;
  line: number;
}

function readRows(lines: string[], start: number, end: number, headers: string[], rowFits: (cells: string[], headers: string[]) => boolean) {
  const cells: Cell[] = [];
  let current = '';
  let currentLine = start + 1;
  let open = false;
  let endLine = start;
  let lastTextLine = start;
  for (let i = start; i < end; i++) {
    const parts = lines[i].split('|');
    if (parts.length > 1) endLine = i + 1;
    if (lines[i].trim()) lastTextLine = i + 1;
    for (let p = 0; p < parts.length; p++) {
      if (!open) {
        currentLine = i + 1;
        open = true;
      }
      current += (current && p === 0 ? '\n' : '') + parts[p];
      if (p < parts.length - 1) {
        cells.push({ text: current.trim(), line: currentLine });
        current = '';
        open = false;
      }
    }
  }
  const trailing = current.trim();
  const width = headers.length;
  const rows: TableRow[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < cells.length) {
    const slice = cells.slice(i, i + width);
    if (slice.length === width && rowFits(slice.map((c) => c.text), headers)) {
      rows.push({ cells: slice.map((c) => c.text.replace(/\s*\n\s*/g, ' ')), line: slice[0].line });
      i += width;
      continue;
    }
    if (slice.length < width) {
      // The text after the last `|` is the rest of this cut-off row, not prose after the table.
      const rest = [...slice.map((c) => c.text), ...(trailing ? [trailing] : [])].join(' | ');
      problems.push(`line ${slice[0].line}: an incomplete row (${slice.length} of ${width} cells: ${JSON.stringify(rest.replace(/\s+/g, ' ').slice(0, 80))}) is skipped`);
      if (trailing) endLine = firstBlankAfter(lines, endLine, lastTextLine);
      return { rows, trailing: '', problems, endLine };
    }
    // A "|" inside a cell splits it in two: join a pair of neighbours if that makes a row.
    const wider = cells.slice(i, i + width + 1).map((c) => c.text);
    const join = wider.length === width + 1 ? [...Array(width - 1).keys()].map((j) => j + 1).find((j) => rowFits([...wider.slice(0, j), `${wider[j]} | ${wider[j + 1]}`, ...wider.slice(j + 2)], headers)) : undefined;
    if (join !== undefined) {
      const merged = [...wider.slice(0, join), `${wider[join]} | ${wider[join + 1]}`, ...wider.slice(join + 2)];
      rows.push({ cells: merged.map((c) => c.replace(/\s*\n\s*/g, ' ')), line: cells[i].line });
      problems.push(`line ${cells[i + join].line}: a "|" inside the ${headers[join] ?? `column ${join + 1}`} cell; read as text`);
      i += width + 1;
      continue;
    }
    if (rows.length) {
      const last = rows[rows.length - 1];
      last.cells[width - 1] = `${last.cells[width - 1]} | ${cells[i].text}`.trim();
      problems.push(`line ${cells[i].line}: ${JSON.stringify(cells[i].text.slice(0, 60))} does not start a row; read as part of the row above (a "|" inside its description?)`);
    } else {
      problems.push(`line ${cells[i].line}: ${JSON.stringify(cells[i].text.slice(0, 60))} does not start a row; skipped`);
    }
    i++;
  }
  return { rows, trailing, problems, endLine };
}

/** The table's text runs on to the first blank line after its last `|` (a cut-off row). */
function firstBlankAfter(lines: string[], from: number, last: number): number {
  let n = from;
  while (n < last && lines[n].trim() !== '') n++;
  return n;
}
