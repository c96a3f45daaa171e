import { createHash } from 'node:crypto';
import type { WarcRecord } from '@jcp/crawler';

/**
 * What identifies a WARC record to a reader of the run's outputs: the document id it has (or would have
 * had, if it was dropped before extraction), its URL, and a preview of its raw bytes for audit samples.
 */

const utf8 = new TextEncoder();

/** 32 hex characters (128 bits) of SHA-256: collision-free at any corpus size, short in Parquet. */
export function docId(key: string): string {
  return createHash('sha256').update(utf8.encode(key)).digest('hex').slice(0, 32);
}

/** A WARC record, as opposed to another source's place (a text line): only a WARC record has headers. */
export function isWarcRecord(place: { file: string; offset: number }): place is WarcRecord {
  return 'headers' in place;
}

/** The id of a record's document: from its WARC-Record-ID, else from where it sits (file and offset). */
export function recordDocId(record: WarcRecord, warcFile: string = record.file): string {
  return docId(record.headers.get('warc-record-id') || `${warcFile}@${record.offset}`);
}

/** WARC-Target-URI without the angle brackets WARC/0.18 and some writers wrap it in. */
export function targetUri(record: WarcRecord): string {
  const uri = record.headers.get('warc-target-uri') ?? '';
  return uri.startsWith('<') && uri.endsWith('>') ? uri.slice(1, -1) : uri;
}

// Lenient: a byte sequence that is not UTF-8 becomes U+FFFD, so a preview never throws on bad input.
const lenient = new TextDecoder('utf-8', { fatal: false });

/**
 * The first `chars` characters of raw bytes, decoded as UTF-8 leniently from at most 4 × `chars` bytes
 * (the most `chars` UTF-8 characters take): bounded however large the record.
 */
export function bytePreview(bytes: Uint8Array, chars: number): string {
  return printable(lenient.decode(bytes.subarray(0, chars * 4)).slice(0, chars));
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Control characters other than tab and line breaks as U+FFFD: a binary body's preview stays one line of
 * JSON a terminal, DuckDB and the HTML report all show alike (HTML allows no C0 control in text).
 */
export function printable(text: string): string {
  return text.replace(CONTROL, '\ufffd');
}
