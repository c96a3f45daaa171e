/**
 * One document as the corpus keeps it. The Parquet schema (`columns.ts` `DOC_COLUMNS`, and the README)
 * mirrors these fields one to one, in snake_case.
 */
export interface Doc {
  /** Stable id: hex of SHA-256 over the WARC record id (or WARC file + offset when the record has none). */
  id: string;
  text: string;
  title: string;
  url: string;
  host: string;
  /** Where the text came from: `cc` (Common Crawl), `warp` (WARP URL-list crawl), ... */
  source: string;
  /** Output partition, named as in llm-jp-corpus (`ja_cc`, `ja_warp`, ...). */
  subcorpus: string;
  /** Crawl id, e.g. `CC-MAIN-2024-10`, or `unknown` when neither the path nor the warcinfo names one. */
  crawl: string;
  warcFile: string;
  warcRecordId: string;
  /** Byte offset of the record in the WARC file as stored (compressed offset for `.warc.gz`). */
  warcOffset: number;
  warcPayloadDigest: string;
  /** ISO-8601 fetch time (UTC), or '' when no field of the record or its file gave one (a ledger event says so). */
  fetchedAt: string;
  /** Which field gave `fetchedAt`: `warc-date`, `http-date` (WARC-Date unparsable), `warcinfo` (neither), `revision` (a wiki article's revision timestamp), `none`. */
  fetchedAtSource: string;
  /** Charset the HTTP header or the page declared, lower-case WHATWG name, or null when none. */
  charsetDeclared: string | null;
  /** Charset actually used to decode the body. */
  charset: string;
  lang: string;
  langScore: number;
  /** Tokens of `text` by the run's token counter (LLM-jp SentencePiece by default). */
  tokenCount: number;
  /** A wiki article's page id and revision id (`wiki-ja`); null for every other source. */
  pageId: number | null;
  revisionId: number | null;
  /** Every filter score, by snake_case name; each is a DOUBLE Parquet column after the fixed ones. */
  scores: Record<string, number>;
}
