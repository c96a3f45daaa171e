import type { Doc } from './doc.ts';

export type ColumnType = 'UTF8' | 'INT64' | 'DOUBLE' | 'TIMESTAMP_MILLIS';

/** One Parquet column: its snake_case name, type, meaning (the README's schema table) and how to read it off a Doc. */
export interface Column<T = Doc> {
  name: string;
  type: ColumnType;
  optional?: boolean;
  /**
   * false: no min/max statistics in the file's metadata. parquetjs stores them whole and uncompressed in
   * every page header and column chunk (current and deprecated fields both) and the column index: for
   * `text`, ten copies of the row group's smallest and largest document, more than half of a small shard's bytes (docs/decisions.md, "Parquet: no statistics on text"), and a
   * footer that grows with the longest document. Nothing prunes on text ranges.
   */
  statistics?: false;
  description: string;
  value: (doc: T) => string | number | Date | null;
}

function isoToDate(iso: string): Date | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t);
}

/** The columns every corpus shard has, in this order. Later stages append theirs (filter scores, token_count). */
export const DOC_COLUMNS: Column[] = [
  { name: 'id', type: 'UTF8', description: 'stable document id: SHA-256 (hex, 32 chars) of the WARC record id', value: (d) => d.id },
  { name: 'text', type: 'UTF8', statistics: false, description: 'main text, one paragraph per line', value: (d) => d.text },
  { name: 'title', type: 'UTF8', description: 'page <title>', value: (d) => d.title },
  { name: 'url', type: 'UTF8', description: 'WARC-Target-URI', value: (d) => d.url },
  { name: 'host', type: 'UTF8', description: 'host name of url, lower-case', value: (d) => d.host },
  { name: 'source', type: 'UTF8', description: 'cc (Common Crawl), warp (WARP URL-list crawl), ...', value: (d) => d.source },
  { name: 'subcorpus', type: 'UTF8', description: 'output partition as in llm-jp-corpus: ja_cc, ja_warp, ...', value: (d) => d.subcorpus },
  { name: 'crawl', type: 'UTF8', description: 'crawl id, e.g. CC-MAIN-2024-10 (from the path or the warcinfo record)', value: (d) => d.crawl },
  { name: 'warc_file', type: 'UTF8', description: 'WARC file the record was read from (as given, resolved)', value: (d) => d.warcFile },
  { name: 'warc_record_id', type: 'UTF8', description: 'WARC-Record-ID', value: (d) => d.warcRecordId },
  { name: 'warc_offset', type: 'INT64', description: 'byte offset of the record in the stored WARC file (gzip member start)', value: (d) => d.warcOffset },
  { name: 'warc_payload_digest', type: 'UTF8', description: 'WARC-Payload-Digest (may be empty)', value: (d) => d.warcPayloadDigest },
  { name: 'fetched_at', type: 'TIMESTAMP_MILLIS', optional: true, description: 'fetch time: WARC-Date, else the HTTP Date header, else the warcinfo date (null only when none parses, counted in the ledger)', value: (d) => isoToDate(d.fetchedAt) },
  { name: 'fetched_at_source', type: 'UTF8', description: 'which field gave fetched_at: warc-date, http-date, warcinfo, revision (a wiki article), or none', value: (d) => d.fetchedAtSource },
  { name: 'charset_declared', type: 'UTF8', optional: true, description: 'charset the HTTP header or the page declared (null if none)', value: (d) => d.charsetDeclared },
  { name: 'charset', type: 'UTF8', description: 'charset used to decode the body', value: (d) => d.charset },
  { name: 'lang', type: 'UTF8', description: 'detected language (ISO 639-1)', value: (d) => d.lang },
  { name: 'lang_score', type: 'DOUBLE', description: 'language detector probability', value: (d) => d.langScore },
  { name: 'token_count', type: 'INT64', description: "tokens of text by the run's token counter (stats.json names it)", value: (d) => d.tokenCount },
  { name: 'page_id', type: 'INT64', optional: true, description: 'a wiki article: its page id in the dump (null for other sources)', value: (d) => d.pageId },
  { name: 'revision_id', type: 'INT64', optional: true, description: 'a wiki article: the revision the dump holds (null for other sources)', value: (d) => d.revisionId },
];

/** One nullable DOUBLE column per filter score, in the order the filters run. */
export function scoreColumns(names: readonly string[], describe: (name: string) => string): Column[] {
  return names.map((name) => ({
    name,
    type: 'DOUBLE' as const,
    optional: true,
    description: describe(name),
    value: (d: Doc) => d.scores[name] ?? null,
  }));
}
