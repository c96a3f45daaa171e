import { open } from 'node:fs/promises';
import parquet from '@dsnp/parquetjs';
import { InputError } from '@jcp/core';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from '../http/config.ts';
import { fetchRange } from '../http/fetch-range.ts';
import { connectionPool, type FetchStreamOptions } from '../http/fetch-stream.ts';
import { resourceVersion } from '../http/resource-version.ts';
import { isHttpUrl } from '../http/warc-source.ts';
import { CC_INDEX_READ_COLUMNS, type CcIndexRow } from './columns.ts';
import { parseLanguages, type IndexSelection } from './selection.ts';

/** What the reader yields: a row, or a row it could not use (named by file and row number). */
export type IndexItem = CcIndexRow | InputError;

/** Row groups and rows of one index file, for the ledger's `index` step. */
export interface IndexScanCounts {
  rowGroups: number;
  /** Row groups whose column statistics prove that no row can be selected: never read. */
  rowGroupsSkipped: number;
  rowsSkipped: number;
  /** Bytes of the index file read (footer and column chunks). */
  bytesRead: number;
}

export interface ReadIndexOptions extends Omit<FetchStreamOptions, 'range'> {
  http?: HttpFetchConfig;
  /** Filled in as the file is read. */
  counts?: IndexScanCounts;
  /** Also read the `url` column (for reports that name pages; it is the widest column). */
  withUrl?: boolean;
  /** Read every row group, even those whose statistics rule the selection out (a report of every row). Default true. */
  skipByStatistics?: boolean;
}

type ReadFn = (offset: number, length: number) => Promise<Buffer>;

interface ColumnStats {
  min_value?: unknown;
  max_value?: unknown;
}

interface RowGroupMeta {
  num_rows: unknown;
  columns: Array<{ meta_data?: { path_in_schema: string[]; statistics?: ColumnStats | null } | null }>;
}

/** A new, zeroed counter set. */
export function emptyScanCounts(): IndexScanCounts {
  return { rowGroups: 0, rowGroupsSkipped: 0, rowsSkipped: 0, bytesRead: 0 };
}

/**
 * The rows of one index Parquet file (a local path or an http(s) URL), reading only the columns in
 * CC_INDEX_READ_COLUMNS and only the row groups whose statistics do not rule out `selection`. Over
 * HTTP every read is a ranged GET with the WARC download's retries and resume. A row with a missing or
 * impossible location is an InputError naming the file and the row number; the reader goes on. Throws
 * (naming the file) when the file is not a readable Parquet file or lacks a needed column.
 */
export async function* readIndexFile(file: string, selection: IndexSelection, options: ReadIndexOptions = {}): AsyncGenerator<IndexItem> {
  const counts = options.counts ?? emptyScanCounts();
  const { read, size, close } = await openRandomAccess(file, options);
  const counted: ReadFn = async (offset, length) => {
    const bytes = await read(offset, length);
    counts.bytesRead += bytes.length;
    return bytes;
  };
  let reader: InstanceType<typeof parquet.ParquetReader>;
  try {
    const envelope = new parquet.ParquetEnvelopeReader(counted, close, size);
    reader = await parquet.ParquetReader.openEnvelopeReader(envelope);
  } catch (e) {
    await close();
    throw new Error(`index ${file}: not a readable Parquet file: ${(e as Error).message}`);
  }
  try {
    const fields = new Set(reader.schema.fieldList.map((f) => f.name));
    const wanted: string[] = [...CC_INDEX_READ_COLUMNS, ...(options.withUrl ? ['url'] : [])];
    const missing = wanted.filter((c) => !fields.has(c));
    if (missing.length > 0) throw new Error(`index ${file}: lacks the column(s) ${missing.join(', ')} of Common Crawl's cc-index table`);
    const columnList = wanted.map((c) => [c]);
    const metadata = reader.metadata;
    if (!metadata || !reader.envelopeReader) throw new Error(`index ${file}: no footer metadata`);
    let rowNumber = 0;
    for (const rowGroup of metadata.row_groups as unknown as RowGroupMeta[]) {
      const rows = Number(rowGroup.num_rows);
      counts.rowGroups++;
      if (options.skipByStatistics !== false && rowGroupCannotMatch(rowGroup, selection)) {
        counts.rowGroupsSkipped++;
        counts.rowsSkipped += rows;
        rowNumber += rows;
        continue;
      }
      const buffer = await reader.envelopeReader.readRowGroup(reader.schema, rowGroup as never, columnList);
      for (const raw of parquet.ParquetShredder.materializeRecords(reader.schema, buffer) as Array<Record<string, unknown>>) {
        yield toRow(file, rowNumber, raw);
        rowNumber++;
      }
    }
  } finally {
    await reader.close();
  }
}

/** True when a row group's min/max statistics prove no row in it passes `selection`. */
export function rowGroupCannotMatch(rowGroup: RowGroupMeta, selection: IndexSelection): boolean {
  const stats = (name: string): ColumnStats | null => rowGroup.columns.find((c) => c.meta_data?.path_in_schema.join('.') === name)?.meta_data?.statistics ?? null;
  const status = stats('fetch_status');
  if (status && typeof status.min_value === 'number' && typeof status.max_value === 'number') {
    const [min, max] = [status.min_value, status.max_value];
    if (!selection.fetchStatuses.some((s) => s >= min && s <= max)) return true;
  }
  // Languages are a list in a string: only a row group where every row has the same value can be judged.
  const languages = stats('content_languages');
  if (languages && typeof languages.min_value === 'string' && languages.min_value === languages.max_value) {
    if (!parseLanguages(languages.min_value).some((l) => selection.languages.includes(l))) return true;
  }
  return false;
}

function toRow(file: string, rowNumber: number, raw: Record<string, unknown>): IndexItem {
  const bad = (detail: string): InputError => new InputError('bad-index-row', file, rowNumber, `row ${rowNumber}: ${detail}`);
  const text = (name: string): string | null => {
    const v = raw[name];
    return typeof v === 'string' ? v : null;
  };
  const int = (name: string): number | null => {
    const v = raw[name];
    const n = typeof v === 'bigint' ? Number(v) : v;
    return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
  };
  const warcFilename = text('warc_filename');
  const offset = int('warc_record_offset');
  const length = int('warc_record_length');
  const fetchStatus = int('fetch_status');
  const url = text('url') ?? '';
  const where = url === '' ? '' : ` (url ${url})`;
  if (warcFilename === null || warcFilename === '') return bad(`no warc_filename${where}`);
  if (offset === null || offset < 0) return bad(`warc_record_offset ${String(raw.warc_record_offset)} is not a byte offset${where}`);
  if (length === null || length <= 0) return bad(`warc_record_length ${String(raw.warc_record_length)} is not a positive length${where}`);
  if (fetchStatus === null) return bad(`fetch_status ${String(raw.fetch_status)} is not a number${where}`);
  return {
    url,
    fetchStatus,
    mimeDetected: text('content_mime_detected'),
    languages: parseLanguages(text('content_languages')),
    warcFilename,
    offset,
    length,
  };
}

interface RandomAccess {
  read: ReadFn;
  size: number;
  close: () => Promise<void>;
}

/** Positioned reads of a local file, or ranged GETs of a URL (its size from a HEAD). */
async function openRandomAccess(file: string, options: ReadIndexOptions): Promise<RandomAccess> {
  if (isHttpUrl(file)) {
    const http = options.http ?? DEFAULT_HTTP_FETCH_CONFIG;
    const version = await resourceVersion(file, http);
    if (version.size === null) throw new Error(`index ${file}: the server gives no Content-Length, so the Parquet footer cannot be found`);
    // One pool for the file's footer and column chunks: they share kept-alive connections.
    const pool = connectionPool(http);
    const fetchOptions: Omit<FetchStreamOptions, 'range'> = { dispatcher: pool, ...(options.onRetry ? { onRetry: options.onRetry } : {}) };
    return {
      read: (offset, length) => fetchRange(file, { start: offset, end: offset + length }, http, fetchOptions),
      size: version.size,
      close: () => pool.destroy().catch(() => undefined),
    };
  }
  const fh = await open(file, 'r').catch((e: Error) => {
    throw new Error(`index ${file}: cannot open: ${e.message}`);
  });
  const size = (await fh.stat()).size;
  return {
    read: async (offset, length) => {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      if (bytesRead !== length) throw new Error(`index ${file}: wanted ${length} bytes at ${offset}, the file ends after ${bytesRead}`);
      return buf;
    },
    size,
    close: () => fh.close(),
  };
}
