/**
 * CSV as RFC 4180 writes and reads it: fields quoted when they hold a comma, a quote or a line break,
 * quotes doubled inside. One reader and one writer for the report's items and the ratings' export/import.
 */

/** One field, quoted when needed. */
export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text (each row's fields joined by commas, rows by `\n`, a final newline). */
export function csvText(rows: ReadonlyArray<readonly unknown[]>): string {
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

/**
 * Parses CSV text into rows of fields. Accepts `\n` and `\r\n`, quoted fields with line breaks and doubled
 * quotes; a blank line is skipped. O(|text|).
 * @throws Error with the 1-based line of an unterminated quoted field.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const endRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else field += c;
  }
  if (quoted) throw new Error(`line ${quoteLine}: a quoted field is not closed`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
