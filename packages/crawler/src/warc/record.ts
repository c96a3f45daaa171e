/** One WARC record: its header fields and its content block, with where it stands in the file. */
export interface WarcRecord {
  file: string;
  /** Byte offset of the record in the file as stored (start of its gzip member for `.warc.gz`). */
  offset: number;
  /** Length of the record as stored (the gzip member for `.warc.gz`), 0 when unknown. */
  storedLength: number;
  version: string;
  /** `WARC-Type`, lower-case: `response`, `request`, `warcinfo`, `metadata`, ... */
  type: string;
  /** Header fields with lower-case names; a repeated field keeps its last value. */
  headers: Map<string, string>;
  block: Uint8Array;
}

const CR = 0x0d;
const LF = 0x0a;
const MAX_HEADER_BYTES = 64 * 1024; // WARC headers are a few hundred bytes; past this the framing is lost.

/** Index just past the blank line (CRLF CRLF, or a bare LF LF as some writers emit) ending a header block, or -1. */
export function findHeaderEnd(bytes: Uint8Array, from: number, to: number): number {
  const limit = Math.min(to, from + MAX_HEADER_BYTES);
  for (let i = from; i < limit; i++) {
    if (bytes[i] !== LF) continue;
    if (bytes[i + 1] === LF) return i + 2;
    if (bytes[i + 1] === CR && bytes[i + 2] === LF) return i + 3;
  }
  return -1;
}

export interface ParsedHeader {
  version: string;
  headers: Map<string, string>;
}

// WARC/1.1 allows UTF-8 in header values (IRIs in WARC-Target-URI).
const headerDecoder = new TextDecoder('utf-8');

/** Parses `WARC/1.x` + `Name: value` lines (continuation lines folded). Throws a message naming what is wrong. */
export function parseWarcHeader(bytes: Uint8Array): ParsedHeader {
  const text = headerDecoder.decode(bytes);
  const lines = text.split(/\r?\n/);
  const version = (lines[0] ?? '').trim();
  if (!/^WARC\/\d+\.\d+$/.test(version)) {
    throw new Error(`expected a 'WARC/1.x' version line, found '${version.slice(0, 40)}'`);
  }
  const headers = new Map<string, string>();
  let last = '';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      headers.set(last, `${headers.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`header line without a name: '${line.slice(0, 60)}'`);
    last = line.slice(0, colon).trim().toLowerCase();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return { version, headers };
}

/** The declared `Content-Length`, or a message saying why there is none usable. */
export function contentLength(headers: Map<string, string>): number | string {
  const raw = headers.get('content-length');
  if (raw === undefined) return 'no Content-Length header';
  if (!/^\d+$/.test(raw)) return `Content-Length '${raw}' is not a number`;
  return Number(raw);
}
