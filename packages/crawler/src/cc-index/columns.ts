/**
 * Common Crawl's columnar URL index (`cc-index/table/cc-main/warc/crawl=<CRAWL>/subset=<SUBSET>/*.parquet`),
 * one row per WARC record. Column names and logical types follow Common Crawl's flat table schema
 * (github.com/commoncrawl/cc-index-table, `cc-index-schema-flat.json`): `fetch_status` is a short,
 * `warc_record_offset` and `warc_record_length` are ints. The schema also has the host-part columns
 * (`url_host_2nd_last_part`, ...), which the fixture leaves out because nothing here reads them.
 */
export interface CcIndexColumn {
  name: string;
  /** parquetjs type name: the physical/logical type the column is written with. */
  type: 'UTF8' | 'INT32' | 'INT_16' | 'TIMESTAMP_MILLIS';
  optional: boolean;
}

export const CC_INDEX_COLUMNS: readonly CcIndexColumn[] = [
  { name: 'url_surtkey', type: 'UTF8', optional: false },
  { name: 'url', type: 'UTF8', optional: false },
  { name: 'url_host_name', type: 'UTF8', optional: false },
  { name: 'url_host_tld', type: 'UTF8', optional: true },
  { name: 'url_host_registered_domain', type: 'UTF8', optional: true },
  { name: 'url_protocol', type: 'UTF8', optional: false },
  { name: 'url_port', type: 'INT32', optional: true },
  { name: 'url_path', type: 'UTF8', optional: true },
  { name: 'url_query', type: 'UTF8', optional: true },
  // Common Crawl's files store it as Spark's INT96 timestamp; parquetjs writes milliseconds. The reader
  // never reads this column, so the difference cannot change a selection.
  { name: 'fetch_time', type: 'TIMESTAMP_MILLIS', optional: false },
  { name: 'fetch_status', type: 'INT_16', optional: false },
  { name: 'fetch_redirect', type: 'UTF8', optional: true },
  { name: 'content_digest', type: 'UTF8', optional: true },
  { name: 'content_mime_type', type: 'UTF8', optional: true },
  { name: 'content_mime_detected', type: 'UTF8', optional: true },
  { name: 'content_charset', type: 'UTF8', optional: true },
  { name: 'content_languages', type: 'UTF8', optional: true },
  { name: 'content_truncated', type: 'UTF8', optional: true },
  { name: 'warc_filename', type: 'UTF8', optional: false },
  { name: 'warc_record_offset', type: 'INT32', optional: false },
  { name: 'warc_record_length', type: 'INT32', optional: false },
  { name: 'warc_segment', type: 'UTF8', optional: false },
  { name: 'crawl', type: 'UTF8', optional: false },
  { name: 'subset', type: 'UTF8', optional: false },
];

/**
 * The columns the reader reads: what the selection looks at and where the record is. Not `url`: it is
 * the widest column of the index and the documents carry their URL anyway (`withUrl` reads it too).
 */
export const CC_INDEX_READ_COLUMNS = [
  'fetch_status',
  'content_mime_detected',
  'content_languages',
  'warc_filename',
  'warc_record_offset',
  'warc_record_length',
] as const;

/** One index row, as the reader hands it on: only the columns it reads. */
export interface CcIndexRow {
  /** Read only with `withUrl`; '' otherwise. */
  url: string;
  fetchStatus: number;
  /** MIME type detected from the content (Apache Tika); null when Common Crawl did not detect one. */
  mimeDetected: string | null;
  /** CLD2's languages, most likely first, ISO 639-3 (`jpn,eng`); empty when CLD2 gave none. */
  languages: string[];
  warcFilename: string;
  offset: number;
  length: number;
}
