import { basename } from 'node:path';
import type { WarcRecord } from './record.ts';

/*
 * ARC, the Internet Archive's format before WARC (Common Crawl's 2008-2012 crawls, many web archives):
 * https://archive.org/web/researcher/ArcFileFormat.php. A file starts with a `filedesc://` version
 * block whose second line says the version (`1 0 ...` or `2 0 ...`); every record is one header line
 * of space-separated fields ending in LF, then Archive-length bytes (for HTTP captures: the response
 * with its headers), then one LF.
 *   v1: URL IP-address Archive-date Content-type Archive-length
 *   v2: URL IP-address Archive-date Content-type Result-code Checksum Location Offset Filename Archive-length
 * Each record becomes the WarcRecord a WARC/1.0 writer would have written for it, so nothing
 * downstream knows the difference.
 */

const FILEDESC = Buffer.from('filedesc://');
const LF = 0x0a;
/** Longest header line we accept: a URL of a few KB plus four to nine short fields. */
const MAX_ARC_HEADER_BYTES = 16 * 1024;

/** Fields per header line: 5 in version 1, 10 in the Internet Archive's version 2. */
export type ArcFieldCount = 5 | 10;

export interface ArcHeader {
  url: string;
  ip: string;
  /** Archive-date as written: `YYYYMMDDhhmmss`, some writers add milliseconds. */
  date: string;
  contentType: string;
  length: number;
}

/** True when `data` at `at` opens an ARC file (the version block's `filedesc://` line). */
export function startsWithFiledesc(data: Uint8Array, at = 0): boolean {
  for (let k = 0; k < FILEDESC.length; k++) if (data[at + k] !== FILEDESC[k]) return false;
  return true;
}

/** Index of the LF ending the header line that starts at `from`, or -1. */
export function findArcHeaderEnd(data: Uint8Array, from: number, to: number): number {
  const limit = Math.min(to, from + MAX_ARC_HEADER_BYTES);
  for (let i = from; i < limit; i++) if (data[i] === LF) return i;
  return -1;
}

// UTF-8 as the WARC reader decodes header values: an IRI stays readable, ASCII is unchanged.
const headerDecoder = new TextDecoder('utf-8');

/**
 * Parses one header line. Fields are taken from the right, since URLs in real ARC files contain spaces
 * (warcio's example-space-in-url.arc). Throws a message naming what is wrong.
 */
export function parseArcHeader(line: Uint8Array, fields: ArcFieldCount): ArcHeader {
  const text = headerDecoder.decode(line).replace(/\r$/, '');
  const parts = text.split(' ');
  if (parts.length < fields) {
    // A version-2 file may still hold version-1 lines (and the other way round): trust the line.
    if (fields === 10 && parts.length >= 5) return parseArcHeader(line, 5);
    throw new Error(`expected ${fields} space-separated ARC header fields, found ${parts.length}: '${text.slice(0, 80)}'`);
  }
  const tail = parts.slice(parts.length - (fields - 1));
  const url = parts.slice(0, parts.length - (fields - 1)).join('%20');
  const rawLength = tail[fields - 2] ?? '';
  if (!/^\d+$/.test(rawLength)) throw new Error(`Archive-length '${rawLength}' is not a number`);
  const date = tail[1] ?? '';
  if (!/^\d{14}/.test(date)) throw new Error(`Archive-date '${date}' is not YYYYMMDDhhmmss`);
  return { url, ip: tail[0] ?? '', date, contentType: tail[2] ?? '', length: Number(rawLength) };
}

/** The field count the version block declares (`1 0 ...` → 5, `2 0 ...` → 10); 5 if it says nothing. */
export function arcFieldCount(versionBlock: Uint8Array): ArcFieldCount {
  const firstLine = headerDecoder.decode(versionBlock.subarray(0, 64)).split('\n', 1)[0] ?? '';
  return /^2\s/.test(firstLine) ? 10 : 5;
}

/** `YYYYMMDDhhmmss[...]` → ISO 8601 UTC, as WARC-Date writes it. */
export function arcDateToIso(date: string): string {
  return `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(8, 10)}:${date.slice(10, 12)}:${date.slice(12, 14)}Z`;
}

const HTTP_STATUS_PREFIX = Buffer.from('HTTP/');

function startsWithHttpStatus(block: Uint8Array): boolean {
  for (let k = 0; k < HTTP_STATUS_PREFIX.length; k++) if (block[k] !== HTTP_STATUS_PREFIX[k]) return false;
  return true;
}

/**
 * The WARC record an ARC record stands for: the version block is the file's `warcinfo`, an HTTP
 * capture a `response`, anything else (dns:, ftp:, a body stored without its HTTP head) a `resource`.
 * The record id names the file and offset, the only identity an ARC record has.
 */
export function arcRecordAsWarc(file: string, offset: number, storedLength: number, header: ArcHeader, block: Uint8Array): WarcRecord {
  const type = header.url.startsWith('filedesc:') ? 'warcinfo' : startsWithHttpStatus(block) ? 'response' : 'resource';
  const headers = new Map<string, string>([
    ['warc-type', type],
    ['warc-record-id', `<urn:arc:${basename(file)}:${offset}>`],
    ['warc-date', arcDateToIso(header.date)],
    ['warc-target-uri', header.url],
    ['warc-ip-address', header.ip],
    ['content-type', type === 'response' ? 'application/http; msgtype=response' : header.contentType],
    ['content-length', String(header.length)],
  ]);
  return { file, offset, storedLength, version: 'ARC', type, headers, block };
}
