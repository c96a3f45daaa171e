import { InputError } from '@jcp/core';
import type { ByteWindow } from './byte-window.ts';
import { arcFieldCount, arcRecordAsWarc, findArcHeaderEnd, parseArcHeader, startsWithFiledesc, type ArcFieldCount } from './arc.ts';
import type { WarcRecord } from './record.ts';

/** An ARC file's state while it is read: the header layout its version block declared. */
export interface ArcFraming {
  fields: ArcFieldCount;
}

const LF = 0x0a;
const CR = 0x0d;
const ARC_NAME = /\.arc(?:\.gz)?$/i;

/** ARC by content (the `filedesc://` version block) or, for a fragment without one, by name. */
export function looksLikeArc(name: string, head: Uint8Array): boolean {
  return startsWithFiledesc(head) || ARC_NAME.test(name.replace(/[?#].*$/, ''));
}

/**
 * The ARC record at `at` in `data`, or an InputError naming the offset and what is wrong. A record whose
 * block runs past `data` is `truncated-record`; one not followed by LF (or the end) lied in its
 * Archive-length (`content-length-mismatch`).
 */
export function parseArcRecordAt(
  path: string,
  data: Uint8Array,
  at: number,
  reportedOffset: number,
  framing: ArcFraming,
  maxRecordBytes: number,
): { record: WarcRecord; next: number } | InputError {
  const lineEnd = findArcHeaderEnd(data, at, data.length);
  if (lineEnd < 0) return new InputError('bad-arc-header', path, reportedOffset, 'no LF ends the ARC header line');
  let header;
  try {
    header = parseArcHeader(data.subarray(at, lineEnd), framing.fields);
  } catch (e) {
    return new InputError('bad-arc-header', path, reportedOffset, (e as Error).message);
  }
  if (header.length > maxRecordBytes) {
    return new InputError('record-too-large', path, reportedOffset, `Archive-length ${header.length} exceeds ${maxRecordBytes}`);
  }
  const start = lineEnd + 1;
  const end = start + header.length;
  if (end > data.length) {
    return new InputError('truncated-record', path, reportedOffset, `Archive-length ${header.length} but only ${data.length - start} bytes follow the header line`);
  }
  if (end < data.length && data[end] !== LF && data[end] !== CR) {
    return new InputError('content-length-mismatch', path, reportedOffset, `no LF after the ${header.length}-byte block: Archive-length is wrong`);
  }
  const record = arcRecordAsWarc(path, reportedOffset, 0, header, data.subarray(start, end));
  if (record.type === 'warcinfo') framing.fields = arcFieldCount(record.block);
  return { record, next: end };
}

/** The ARC records of one inflated gzip member (normally one; a whole-file member holds them all). */
export function* arcRecordsInMember(
  path: string,
  data: Uint8Array,
  memberOffset: number,
  memberLength: number,
  framing: ArcFraming,
  maxRecordBytes: number,
): Generator<WarcRecord | InputError> {
  let p = skipBlankLines(data, 0);
  for (let index = 0; p < data.length; index++) {
    const parsed = parseArcRecordAt(path, data, p, memberOffset, framing, maxRecordBytes);
    if (parsed instanceof InputError) {
      yield parsed;
      return; // the member's boundary is the truth: go on with the next member
    }
    p = skipBlankLines(data, parsed.next);
    // A member's length is a record's only when the member holds just that record, as for WARC.
    yield { ...parsed.record, storedLength: index === 0 && p >= data.length ? memberLength : 0 };
  }
}

/** Streams the records of a plain (not gzipped) ARC file; a bad record costs one error, then resync. */
export async function* readArcPlain(path: string, window: ByteWindow, maxRecordBytes: number): AsyncGenerator<WarcRecord | InputError> {
  const framing: ArcFraming = { fields: 5 };
  let pos = 0;
  for (;;) {
    let bytes = await window.view(pos, 64 * 1024);
    const skip = skipBlankLines(bytes, 0);
    pos += skip;
    bytes = bytes.subarray(skip);
    if (bytes.length === 0) return;
    const lineEnd = findArcHeaderEnd(bytes, 0, bytes.length);
    let parsed: ReturnType<typeof parseArcRecordAt>;
    if (lineEnd < 0) {
      parsed = new InputError('bad-arc-header', path, pos, 'no LF ends the ARC header line');
    } else {
      let header;
      try {
        header = parseArcHeader(bytes.subarray(0, lineEnd), framing.fields);
      } catch {
        header = null;
      }
      // The whole record plus its LF separator in one view (the window grows only for a large record).
      const whole = header && header.length <= maxRecordBytes ? await window.view(pos, lineEnd + 2 + header.length) : bytes;
      parsed = parseArcRecordAt(path, whole, 0, pos, framing, maxRecordBytes);
      if (parsed instanceof InputError && parsed.reason === 'truncated-record') {
        yield parsed;
        return; // nothing follows a record the file cuts short
      }
      if (parsed instanceof InputError && parsed.reason === 'record-too-large' && header) {
        // The header parsed, so its length is the best guess of where the next record starts: skip the
        // block rather than scan it for something that looks like a header line.
        yield parsed;
        pos += lineEnd + 1 + header.length;
        continue;
      }
    }
    if (!(parsed instanceof InputError)) {
      // Copy: the window's buffer is reused by the next read.
      yield { ...parsed.record, storedLength: parsed.next + 1, block: Uint8Array.prototype.slice.call(parsed.record.block) };
      pos += parsed.next;
      continue;
    }
    yield parsed;
    const next = await resyncArc(window, pos + 1, framing);
    if (next < 0) return;
    pos = next;
  }
}

function skipBlankLines(data: Uint8Array, from: number): number {
  let p = from;
  while (p < data.length && (data[p] === LF || data[p] === CR)) p++;
  return p;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Next line start after `from` that parses as an ARC header line, or -1. */
async function resyncArc(window: ByteWindow, from: number, framing: ArcFraming): Promise<number> {
  let pos = from;
  for (;;) {
    const bytes = await window.view(pos, 1024 * 1024);
    if (bytes.length === 0) return -1;
    let lastLine = 0;
    for (let i = 1; i < bytes.length; i++) {
      if (bytes[i - 1] !== LF) continue;
      const end = findArcHeaderEnd(bytes, i, bytes.length);
      if (end < 0) break;
      lastLine = i;
      if (isArcHeaderLine(bytes.subarray(i, end), framing)) return pos + i;
    }
    if (window.atEof) return -1;
    pos += Math.max(1, lastLine > 0 ? lastLine - 1 : bytes.length - 1);
  }
}

function isArcHeaderLine(line: Uint8Array, framing: ArcFraming): boolean {
  try {
    return SCHEME.test(parseArcHeader(line, framing.fields).url);
  } catch {
    return false;
  }
}
