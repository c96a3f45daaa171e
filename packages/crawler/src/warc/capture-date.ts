import type { WarcRecord } from './record.ts';

/**
 * When a page was fetched, and which field said so. WARC-Date first (the spec's capture time); a
 * WARC-Date that does not parse falls back to the HTTP `Date` header the server sent with the page,
 * then to the date of the file's warcinfo record (the file's creation: hours off, never years). A wiki
 * article has no fetch: its date is its revision's timestamp (`revision`).
 */
export type CaptureDateSource = 'warc-date' | 'http-date' | 'warcinfo' | 'revision';

export type CaptureDate = { iso: string; source: CaptureDateSource } | { iso: null; source: 'none' };

// ISO 8601 as WARC writers actually emit it: `T` or a space, seconds and fractions optional, `Z`,
// `+09:00`, `-0700` (ClueWeb09) or no zone at all (read as UTC, as the WARC spec's dates are).
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
// `YYYYMMDDhhmmss`, the compact form of WARC/0.x and ARC dates.
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\d*$/;

/**
 * A WARC-Date (or any ISO-like date) as ISO 8601 UTC with milliseconds, or null. Lenient about the form,
 * strict about the values: a field out of range (month 13, day 294, hour 25) is null, never rolled over
 * into another date. ClueWeb09's `2008-10-294T05:21:46-0700` is such a case: Java's day-of-year pattern
 * (`DDD`) written where day-of-month was meant, and the same value on every record of a file, so it is
 * not the fetch time (the records' HTTP Date headers say January 2009) and the caller falls back.
 */
export function parseWarcDate(raw: string): string | null {
  const value = raw.trim();
  const iso = ISO_LIKE.exec(value);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone = 'Z'] = iso;
    const ms = Math.floor(Number(`0.${frac}`) * 1000);
    return utcIso(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms, zoneOffsetMinutes(zone));
  }
  const compact = COMPACT.exec(value);
  if (compact) {
    const [, y, mo, d, h, mi, s] = compact;
    return utcIso(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), 0, 0);
  }
  return null;
}

function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const sign = digits.startsWith('-') ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

function utcIso(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMinutes: number): string | null {
  // A leap second (…:60) is the last second of the minute, as POSIX time has no other place for it.
  const local = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
  const back = new Date(local);
  const inRange =
    back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi && s <= 60;
  return inRange ? new Date(local - offsetMinutes * 60_000).toISOString() : null;
}

// RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept.
const IMF_FIXDATE = /^[A-Za-z]{3},\s*(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2}):(\d{2})\s*(?:GMT|UTC|[+-]0000)?$/;
const RFC850 = /^[A-Za-z]+,\s*(\d{2})-([A-Za-z]{3})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})\s*GMT$/;
const ASCTIME = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\d{4})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** An HTTP `Date` header value as ISO 8601 UTC, or null. */
export function parseHttpDate(raw: string): string | null {
  const value = raw.trim();
  const month = (name: string): number => MONTHS.indexOf(name.toLowerCase()) + 1;
  let m = IMF_FIXDATE.exec(value);
  if (m) return utcIso(Number(m[3]), month(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), 0, 0);
  m = RFC850.exec(value);
  // RFC 9110: a two-digit year more than 50 years in the future is in the past century; the web starts in 1991.
  if (m) return utcIso(Number(m[3]) < 70 ? 2000 + Number(m[3]) : 1900 + Number(m[3]), month(m[2]!), Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), 0, 0);
  m = ASCTIME.exec(value);
  if (m) return utcIso(Number(m[6]), month(m[1]!), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), 0, 0);
  return null;
}

const CR = 0x0d;
const LF = 0x0a;
/** HTTP heads are a few KB; a Date header past this is not one the server sent first. */
const MAX_HTTP_HEAD_BYTES = 16 * 1024;
const headDecoder = new TextDecoder('latin1');

/** The `Date` header of an HTTP response block, or null when the block has none before its blank line. */
export function httpDateHeader(block: Uint8Array): string | null {
  const limit = Math.min(block.length, MAX_HTTP_HEAD_BYTES);
  let end = limit;
  for (let i = 0; i < limit; i++) {
    if (block[i] === LF && (block[i + 1] === LF || (block[i + 1] === CR && block[i + 2] === LF))) {
      end = i;
      break;
    }
  }
  const head = headDecoder.decode(block.subarray(0, end));
  return /^date:[ \t]*(.+?)[ \t]*\r?$/im.exec(head)?.[1] ?? null;
}

/**
 * The capture date of a response record: its WARC-Date, else its HTTP Date, else `fileDate` (the
 * warcinfo record's date, already parsed; null when the file has none or it did not parse).
 */
export function captureDate(record: WarcRecord, fileDate: string | null): CaptureDate {
  const warcDate = parseWarcDate(record.headers.get('warc-date') ?? '');
  if (warcDate) return { iso: warcDate, source: 'warc-date' };
  const header = httpDateHeader(record.block);
  const httpDate = header === null ? null : parseHttpDate(header);
  if (httpDate) return { iso: httpDate, source: 'http-date' };
  if (fileDate) return { iso: fileDate, source: 'warcinfo' };
  return { iso: null, source: 'none' };
}
