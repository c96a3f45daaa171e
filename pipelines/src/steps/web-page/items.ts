import type { CaptureDate, WarcRecord } from '@jcp/crawler';
import type { StepItem } from '../step.ts';

/**
 * What a web page is at each step, from the WARC record to the document. Each carries its size as the
 * ledger counts it at that point, and the record it came from (for bad-input lines and lineage).
 */

/** Where the documents of a WARC go and what they are called. */
export interface DocOrigin {
  source: string;
  subcorpus: string;
  crawl: string;
  warcFile: string;
}

/** A WARC response record, as the reader gives it: its size is its block's bytes. */
export interface ResponseRecord extends StepItem {
  record: WarcRecord;
  origin: DocOrigin;
  /** When the page was fetched and which field said so (WARC-Date, else HTTP Date, else warcinfo). */
  captured: CaptureDate;
}

/** An HTTP 2xx HTML response: its body, sized in body bytes. */
export interface HtmlPage extends StepItem {
  record: WarcRecord;
  origin: DocOrigin;
  captured: CaptureDate;
  body: Uint8Array;
  contentType: string;
}

/** The page decoded to text: sized in body bytes and the HTML's code points. */
export interface DecodedPage extends StepItem {
  record: WarcRecord;
  origin: DocOrigin;
  captured: CaptureDate;
  body: Uint8Array;
  html: string;
  charset: string;
  charsetDeclared: string | null;
}

/**
 * The page's main text, with its identity: sized in the text's UTF-8 bytes and code points. From here
 * on a document no longer needs its WARC record: a text collection's records become one too
 * (steps/text-record), their `record` the file and line they were read from.
 */
export interface PageText extends StepItem {
  origin: DocOrigin;
  captured: CaptureDate;
  id: string;
  url: string;
  title: string;
  text: string;
  charset: string;
  charsetDeclared: string | null;
  /** Set by language identification. */
  lang: string;
  langScore: number;
  /** Filter scores, filled by the filter steps in column order. */
  scores: Record<string, number>;
  /** A text collection's own id of the record (its id field), kept in `warc_record_id`; absent for a web page. */
  recordId?: string;
  /** A wiki article's page and revision (`page_id`, `revision_id`); absent for every other source. */
  article?: WikiRevision;
  /** Hash of the normalised text, set by the exact dedup (the run-wide dedup's exact band reuses it). */
  exactKey: string;
}

export interface WikiRevision {
  pageId: number;
  revisionId: number;
}

export function responseRecord(record: WarcRecord, origin: DocOrigin, captured: CaptureDate): ResponseRecord {
  return { record, origin, captured, size: { bytes: record.block.length, chars: 0, tokens: 0 } };
}
