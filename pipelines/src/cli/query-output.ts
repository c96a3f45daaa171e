import { DuckDBDecimalType, DuckDBTypeId, doubleFromDecimalValue, JsonDuckDBValueConverter, type DuckDBResult, type DuckDBType, type DuckDBValue, type DuckDBValueConverter, type Json } from '@duckdb/node-api';

/**
 * How `pnpm query` prints a result: an aligned table for a person, CSV (RFC 4180) or JSON Lines for a
 * program. CSV and JSON stream chunk by chunk, so `SELECT * FROM docs --json` of a large corpus never
 * holds the corpus in memory; the table needs its widths first and shows a bounded number of rows.
 */

export type OutputFormat = 'table' | 'csv' | 'json';

export interface OutputLimits {
  /** A table cell is cut to this many terminal columns (with …): one document's text would fill the screen. */
  maxCellWidth: number;
  /** Rows a table shows; beyond them the query is not read further (a table of a million rows is read by nobody). */
  maxTableRows: number;
}

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxCellWidth: 80, maxTableRows: 1000 };

/** Writes a piece of output, resolving when the sink can take more (stdout backpressure). */
export type Write = (text: string) => Promise<void>;

export interface OutputSummary {
  rows: number;
  /** The table stopped at `maxTableRows` with more rows to come. */
  cut: boolean;
}

const NUMERIC = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

const BIG_INTEGERS = new Set<DuckDBTypeId>([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.BIGNUM]);

/**
 * DuckDB values as JSON: 64-bit and wider integers (and decimals) as numbers when they fit a double
 * exactly (counts almost always do) and as strings when not, so no consumer ever reads a silently
 * rounded count; the rest as DuckDB's own JSON conversion does it (timestamps as strings, structs as objects, lists as arrays).
 */
export const jsonValue: DuckDBValueConverter<Json> = (value, type, self) => {
  if (value === null) return null;
  if (BIG_INTEGERS.has(type.typeId) && typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  // Up to 15 digits a decimal survives the trip through a double (DBL_DIG); wider ones stay exact strings.
  if (type instanceof DuckDBDecimalType && type.width <= 15) return doubleFromDecimalValue(value);
  return JsonDuckDBValueConverter(value, type, self);
};

/** A JSON column's text as its value (the alias is on the result's column types, not on the chunk's vectors). */
function parsedJson(value: Json): Json {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return value;
  }
}

/** A value as the text of a table or CSV cell (DuckDB's own rendering for nested and temporal types); null stays null. */
function cellText(value: DuckDBValue): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  return String(value);
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, quotes doubled. NULL is an empty field, '' a quoted empty one. */
export function csvField(text: string | null): string {
  if (text === null) return '';
  if (text === '' || /[",\r\n]/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

/** RFC 4180 ends every record with CRLF. */
const CSV_EOL = '\r\n';

/**
 * Terminal columns of a code point: 0 for combining marks and zero-width characters, 2 for East Asian
 * Wide and Fullwidth ones (UAX #11; the blocks below cover kana, kanji, Hangul, fullwidth forms and
 * emoji), 1 otherwise. Without it a column of Japanese text comes out twice as wide as its padding.
 */
export function codePointWidth(cp: number): number {
  if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0x2060 || cp === 0xfeff) return 0;
  if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x3099 || cp === 0x309a) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    w += codePointWidth(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return w;
}

/**
 * A cell on one line, at most `max` columns: line breaks shown as `\n` and other control characters
 * as spaces (a raw newline would break the table's rows), cut with … when longer. Scans only as far
 * as the cut, so a 100 kB text costs no more than its first line.
 */
export function fitCell(text: string, max: number): { text: string; width: number } {
  const pieces: string[] = [];
  const widths: number[] = [];
  let width = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    let len = cp > 0xffff ? 2 : 1;
    let piece: string;
    let w: number;
    if (cp === 0x0a || cp === 0x0d) {
      piece = '\\n';
      w = 2;
      if (cp === 0x0d && text.charCodeAt(i + 1) === 0x0a) len = 2;
    } else if (cp < 0x20 || cp === 0x7f) {
      piece = ' ';
      w = 1;
    } else {
      piece = text.slice(i, i + len);
      w = codePointWidth(cp);
    }
    if (width + w > max) {
      // Make room for the ellipsis (one column) by dropping what no longer fits.
      while (pieces.length > 0 && width + 1 > max) {
        pieces.pop();
        width -= widths.pop()!;
      }
      return { text: `${pieces.join('')}…`, width: width + 1 };
    }
    pieces.push(piece);
    widths.push(w);
    width += w;
    i += len;
  }
  return { text: pieces.join(''), width };
}

function pad(cell: { text: string; width: number }, to: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, to - cell.width));
  return right ? fill + cell.text : cell.text + fill;
}

/** Reads `result` to the end (or, for a table, to `maxTableRows`) and writes it in `format`. */
export async function writeResult(result: DuckDBResult, format: OutputFormat, write: Write, limits: OutputLimits = DEFAULT_OUTPUT_LIMITS): Promise<OutputSummary> {
  const names = result.columnNames();
  const types = result.columnTypes();
  if (format === 'table') return writeTable(result, names, types, write, limits);
  const jsonColumn = types.map((t) => t.typeId === DuckDBTypeId.VARCHAR && t.alias === 'JSON');
  let rows = 0;
  if (format === 'csv') await write(names.map(csvField).join(',') + CSV_EOL);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    let text = '';
    if (format === 'csv') {
      for (const row of chunk.getRows()) text += row.map((v) => csvField(cellText(v))).join(',') + CSV_EOL;
    } else {
      for (const row of chunk.convertRows(jsonValue)) {
        const o: Record<string, Json> = {};
        // A JSON column (the samples' scores) as its value, not as a string holding JSON.
        row.forEach((v, i) => (o[names[i]!] = jsonColumn[i] ? parsedJson(v) : v));
        text += `${JSON.stringify(o)}\n`;
      }
    }
    rows += chunk.rowCount;
    await write(text);
  }
  return { rows, cut: false };
}

async function writeTable(result: DuckDBResult, names: string[], types: DuckDBType[], write: Write, limits: OutputLimits): Promise<OutputSummary> {
  const right = types.map((t) => NUMERIC.has(t.typeId));
  const header = names.map((n) => fitCell(n, limits.maxCellWidth));
  const body: Array<Array<{ text: string; width: number }>> = [];
  let cut = false;
  read: for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const row of chunk.getRows()) {
      if (body.length === limits.maxTableRows) {
        cut = true;
        break read;
      }
      body.push(row.map((v) => fitCell(cellText(v) ?? 'NULL', limits.maxCellWidth)));
    }
  }
  const widths = header.map((h, i) => Math.max(h.width, ...body.map((r) => r[i]!.width)));
  const line = (cells: Array<{ text: string; width: number }>, alignRight: (i: number) => boolean): string =>
    cells
      .map((c, i) => pad(c, widths[i]!, alignRight(i)))
      .join(' | ')
      .trimEnd();
  let text = `${line(header, () => false)}\n${widths.map((w) => '-'.repeat(w)).join('-+-')}\n`;
  for (const r of body) text += `${line(r, (i) => right[i]!)}\n`;
  const n = body.length;
  text += cut
    ? `(the first ${n.toLocaleString('en-US')} rows; more not read: add a LIMIT or use --csv / --json for every row)\n`
    : `(${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'})\n`;
  await write(text);
  return { rows: n, cut };
}
