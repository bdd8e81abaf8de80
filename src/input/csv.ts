/**
 * A small RFC 4180 CSV reader for `load.data` files. No CSV library is among the dependencies, and
 * what the data files need is the RFC's core alone: comma-separated fields, double-quoted fields
 * (which may hold commas, CR/LF and `""` for a quote), a header row, CRLF or LF line ends. Being
 * strict (a quote inside an unquoted field, an unterminated quote, a row with the wrong number of
 * fields are errors at their line) is what makes a data file's mistakes findable.
 */

/** One record of the file: its fields and the 1-based line it starts on. */
export interface CsvRecord {
  /** The fields, unquoted. */
  fields: string[];
  /** Line the record starts on (1-based). */
  line: number;
}

/** A CSV syntax error at a line. */
export interface CsvError {
  /** 1-based line of the error. */
  line: number;
  /** What is wrong. */
  message: string;
}

/**
 * Splits CSV text into records (the header row included). A blank line (no characters at all)
 * between records is skipped, as is a final line end. Returns the first syntax error instead,
 * when there is one.
 */
export function parseCsv(text: string): { records: CsvRecord[] } | { error: CsvError } {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    // A blank line is no record (spreadsheets often end with one or two).
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const open = line;
        i++;
        for (;;) {
          if (i >= n) return { error: { line: open, message: 'a quoted field is not closed: a " is missing' } };
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          return { error: { line, message: 'a quoted field must end at a comma or a line end (write "" for a quote inside it)' } };
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') return { error: { line, message: 'a " inside an unquoted field: quote the whole field and write "" for the quote' } };
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') {
      if (text[i + 1] !== '\n') return { error: { line, message: 'a bare CR (carriage return) outside quotes: lines end with LF or CRLF' } };
      i++;
    }
    if (text[i] === '\n') {
      i++;
      line++;
    }
    records.push({ fields, line: start });
  }
  return { records };
}
