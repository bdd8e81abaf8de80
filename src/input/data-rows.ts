/**
 * Reads a `load.data` file's text into rows of strings: CSV (RFC 4180, a header row names the
 * columns) or JSON (an array of flat objects, every object with the same keys). Every row keeps the
 * line it starts on, so a bad value found later is reported at its line in the data file.
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Problem } from '../errors.js';
import { parseCsv } from './csv.js';

/** Formats a data file can be in. */
export type DataFormat = 'csv' | 'json';

/** One row of a data file. */
export interface DataRow {
  /** The row's values, in the order of {@link DataRows.columns}. */
  values: string[];
  /** Line the row starts on in the data file (1-based). */
  line: number;
}

/** A data file's rows. */
export interface DataRows {
  /** Column names, in file order (CSV: the header row; JSON: the first object's keys). */
  columns: string[];
  /** The rows, in file order. */
  rows: DataRow[];
}

/** Most rows a data file may have: every row is held in memory for the whole run. */
export const MAX_DATA_ROWS = 100_000;

/** The format of `file` by its extension (".csv", ".json"), or undefined. */
export function dataFormatOf(file: string): DataFormat | undefined {
  const lower = file.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.json') ? 'json' : undefined;
}

function problem(file: string, line: number, message: string, hint?: string): Problem {
  return { file, line, col: 1, path: '', message, ...(hint ? { hint } : {}) };
}

function checkColumns(columns: string[], file: string, line: number): Problem | undefined {
  if (columns.length === 0) return problem(file, line, 'no columns: the first row must name them');
  const seen = new Set<string>();
  for (const c of columns) {
    if (c.trim() === '') return problem(file, line, 'a column name is empty', 'name every column in the header row');
    if (seen.has(c)) return problem(file, line, `column "${c}" is named twice`);
    seen.add(c);
  }
  return undefined;
}

function tooMany(file: string, line: number): Problem {
  return problem(file, line, `more than ${MAX_DATA_ROWS.toLocaleString('en-US')} rows`, 'every row is kept in memory for the run: use fewer rows');
}

function csvRows(text: string, file: string): DataRows | Problem {
  const parsed = parseCsv(text);
  if ('error' in parsed) return problem(file, parsed.error.line, parsed.error.message);
  const [header, ...records] = parsed.records;
  if (header === undefined) return problem(file, 1, 'the file is empty: a header row naming the columns is needed');
  const bad = checkColumns(header.fields, file, header.line);
  if (bad) return bad;
  if (records.length > MAX_DATA_ROWS) return tooMany(file, records[MAX_DATA_ROWS]!.line);
  for (const r of records) {
    if (r.fields.length !== header.fields.length) {
      return problem(file, r.line, `${r.fields.length} fields, but the header row names ${header.fields.length} columns`, 'quote a field that holds a comma');
    }
  }
  return { columns: header.fields, rows: records.map((r) => ({ values: r.fields, line: r.line })) };
}

/** The line of a JSON.parse error, from the "position N" of V8's message (line 1 when absent). */
function jsonErrorLine(text: string, message: string): number {
  const at = /position (\d+)/.exec(message);
  if (!at) return 1;
  return text.slice(0, Number(at[1])).split('\n').length;
}

function jsonRows(text: string, file: string): DataRows | Problem {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    return problem(file, jsonErrorLine(text, message), `not valid JSON: ${message}`);
  }
  if (!Array.isArray(data)) return problem(file, 1, 'expected a JSON array of objects, one per row');
  if (data.length > MAX_DATA_ROWS) return tooMany(file, 1);
  // JSON is YAML: the YAML parser gives each row's line, which JSON.parse does not.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const items = isSeq(doc.contents) ? doc.contents.items : [];
  const lineOf = (i: number): number => {
    const item = items[i];
    const offset = isMap(item) && item.range ? item.range[0] : 0;
    return lineCounter.linePos(offset).line;
  };
  if (data.length === 0) return problem(file, 1, 'the array is empty: at least one row is needed');
  let columns: string[] = [];
  const rows: DataRow[] = [];
  for (const [i, row] of data.entries()) {
    const line = lineOf(i);
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return problem(file, line, `row ${i + 1} is not an object`);
    const keys = Object.keys(row);
    if (i === 0) {
      const bad = checkColumns(keys, file, line);
      if (bad) return bad;
      columns = keys;
    } else if (keys.length !== columns.length || keys.some((k) => !columns.includes(k))) {
      return problem(file, line, `row ${i + 1} has the keys ${keys.join(', ') || '(none)'}, but the first row has ${columns.join(', ')}`, 'give every row the same keys');
    }
    const values: string[] = [];
    for (const c of columns) {
      const v = (row as Record<string, unknown>)[c];
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        return problem(file, line, `row ${i + 1}, key "${c}": expected a string, number or boolean, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
      }
      values.push(String(v));
    }
    rows.push({ values, line });
  }
  return { columns, rows };
}

/**
 * Parses a data file's text. Never throws for a mistake in the file: returns the problem, located
 * at its line in `file` (the name as the user gave it).
 */
export function parseDataRows(text: string, file: string, format: DataFormat): DataRows | { problem: Problem } {
  const out = format === 'csv' ? csvRows(text, file) : jsonRows(text, file);
  if ('columns' in out) {
    if (out.rows.length === 0) return { problem: problem(file, 1, 'no rows: the file has a header row only') };
    return out;
  }
  return { problem: out };
}
