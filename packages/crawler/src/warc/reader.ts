import { InputError } from '@jcp/core';
import { ByteSourceError, ByteWindow, FileByteSource, type ByteSource } from './byte-window.ts';
import { arcRecordsInMember, looksLikeArc, readArcPlain, type ArcFraming } from './arc-reader.ts';
import { startsWithFiledesc } from './arc.ts';
import { findNextMember, inflateMember } from './gzip-member.ts';
import { MemberInflater } from './member-inflater.ts';
import { contentLength, findHeaderEnd, parseWarcHeader, type WarcRecord } from './record.ts';

export interface WarcReaderConfig {
  /** Largest record (inflated) the reader will hold; larger ones are skipped as `record-too-large`. */
  maxRecordBytes: number;
  /** Initial read window; grows only for a record larger than itself. */
  windowBytes: number;
}

export const DEFAULT_WARC_READER_CONFIG: WarcReaderConfig = {
  // 64 MiB: an order above the 20 MB pages the pipeline must reject by name (it drops them later as
  // `html-too-large`), so the reader itself rarely loses framing.
  maxRecordBytes: 64 * 1024 * 1024,
  // 4 MiB: holds hundreds of typical Common Crawl gzip members (~10-30 KB each) per read syscall.
  windowBytes: 4 * 1024 * 1024,
};

/**
 * How long a record's `block` stays valid. `kept` (the default): for good. `until-next-item`: until the
 * consumer asks for the next item, for a consumer that is done with each record by then (the process
 * stage): gzip members are then inflated into one reused buffer, with no allocation or copy per record
 * (about 9 % of the process stage's CPU time on the bench mix: docs/decisions.md).
 */
export type BlockLifetime = 'kept' | 'until-next-item';

/** What a WARC file yields: records, and one InputError per bad stretch (the reader then goes on). */
export type WarcItem = WarcRecord | InputError;

const WARC_MAGIC = [0x57, 0x41, 0x52, 0x43, 0x2f]; // "WARC/"
const RECORD_SEPARATOR = 4; // CRLF CRLF after each block

/**
 * Streams the records of a `.warc` or `.warc.gz` file (per-record gzip members, as Common Crawl writes
 * them, or one member holding many records). Never holds more than the read window and one record.
 */
export async function* readWarc(
  path: string,
  config: WarcReaderConfig = DEFAULT_WARC_READER_CONFIG,
  blocks: BlockLifetime = 'kept',
): AsyncGenerator<WarcItem> {
  yield* readWarcSource(await FileByteSource.open(path), path, config, blocks);
}

/**
 * The same reader over any forward-only byte source (an HTTP download, say); `name` stands for the file
 * in records and errors. A source that fails for good (ByteSourceError) ends the stream with one
 * InputError at the byte it reached, after the records read before it (the records within the last
 * read-ahead, 64 KiB or a member's size, are not: the reader was still waiting for bytes after them).
 * An empty source (a 0-byte file, a 0-length download) yields one `empty-warc` InputError at offset 0,
 * so it is counted instead of passing as a WARC that was read in full.
 */
export async function* readWarcSource(
  source: ByteSource,
  name: string,
  config: WarcReaderConfig = DEFAULT_WARC_READER_CONFIG,
  blocks: BlockLifetime = 'kept',
): AsyncGenerator<WarcItem> {
  const window = new ByteWindow(source, config.windowBytes);
  try {
    const head = await window.view(0, 16);
    if (head.length === 0) {
      yield new InputError('empty-warc', name, 0, 'the file is empty (0 bytes): no WARC record to read');
      return;
    }
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) yield* readGzipped(name, window, config, blocks);
    else if (looksLikeArc(name, head)) yield* readArcPlain(name, window, config.maxRecordBytes);
    else yield* readPlain(name, window, config);
  } catch (e) {
    if (!(e instanceof ByteSourceError)) throw e;
    yield new InputError(e.reason, name, e.offset, e.detail);
  } finally {
    await window.close();
  }
}

async function* readGzipped(path: string, window: ByteWindow, config: WarcReaderConfig, blocks: BlockLifetime): AsyncGenerator<WarcItem> {
  // One zlib state and output buffer for every member of the file (three members per Common Crawl page).
  const inflater = new MemberInflater(blocks === 'kept' ? 'copied' : 'reused');
  try {
    yield* readMembers(path, window, config, inflater);
  } finally {
    inflater.close();
  }
}

async function* readMembers(path: string, window: ByteWindow, config: WarcReaderConfig, inflater: MemberInflater): AsyncGenerator<WarcItem> {
  let pos = 0;
  let want = 64 * 1024;
  // A record whose block runs past its member (some writers split one record over several members).
  let carry: { data: Buffer; offset: number } | null = null;
  const framing: MemberFraming = { onePerMember: false, arc: looksLikeArc(path, new Uint8Array(0)) ? { fields: 5 } : null };
  // Inflated bytes and gzip errors so far: a file of empty members is as empty as a 0-byte file.
  let inflated = 0;
  let gzipErrors = 0;
  for (;;) {
    const bytes = await window.view(pos, want);
    if (bytes.length === 0) {
      if (carry) yield incomplete(path, carry.offset, carry.data);
      else if (inflated === 0 && gzipErrors === 0) {
        yield new InputError('empty-warc', path, 0, 'the file is empty: its gzip members inflate to 0 bytes, no WARC record to read');
      }
      return;
    }
    const outcome = inflateMember(inflater, bytes, window.atEof, config.maxRecordBytes);
    if (outcome.kind === 'need-more') {
      want = Math.max(want * 2, bytes.length + 1);
      continue;
    }
    want = 64 * 1024;
    if (outcome.kind === 'member') {
      inflated += outcome.data.length;
      let data = outcome.data;
      let offset = pos;
      if (carry) {
        if (startsWithWarcMagic(data) || carry.data.length + data.length > config.maxRecordBytes) {
          // The next record starts here, so the carried record's Content-Length lied.
          yield incomplete(path, carry.offset, carry.data);
        } else {
          data = Buffer.concat([carry.data, data]);
          offset = carry.offset;
        }
        carry = null;
      }
      if (framing.arc === null && pos === 0 && startsWithFiledesc(data)) framing.arc = { fields: 5 };
      if (framing.arc) {
        yield* arcRecordsInMember(path, data, offset, outcome.length, framing.arc, config.maxRecordBytes);
        pos += outcome.length;
        continue;
      }
      const rest = yield* recordsInMember(path, data, offset, offset === pos ? outcome.length : 0, framing);
      // A copy: the next member may be inflated into the same buffer.
      if (rest > 0) carry = { data: Buffer.from(data.subarray(data.length - rest)), offset };
      pos += outcome.length;
      continue;
    }
    if (carry) yield incomplete(path, carry.offset, carry.data);
    carry = null;
    gzipErrors++;
    yield new InputError(outcome.reason, path, pos, outcome.detail);
    if (outcome.reason === 'truncated-gzip') return;
    const next = await resyncGzip(window, inflater, pos + 1);
    if (next < 0) return;
    pos = next;
  }
}

function startsWithWarcMagic(data: Uint8Array): boolean {
  let p = 0;
  while (data[p] === 0x0d || data[p] === 0x0a) p++;
  return warcMagicAt(data, p);
}

function warcMagicAt(data: Uint8Array, at: number): boolean {
  for (let k = 0; k < WARC_MAGIC.length; k++) if (data[at + k] !== WARC_MAGIC[k]) return false;
  return true;
}

function incomplete(path: string, offset: number, data: Uint8Array): InputError {
  const parsed = parseRecordAt(path, data, 0, offset);
  if (parsed instanceof InputError) return parsed;
  return new InputError('content-length-mismatch', path, offset, 'record framing lost');
}

/** Finds the next gzip member that actually inflates, so one corrupt member costs one error, not many. */
async function resyncGzip(window: ByteWindow, inflater: MemberInflater, from: number): Promise<number> {
  let pos = from;
  for (;;) {
    const bytes = await window.view(pos, 1024 * 1024);
    const candidate = findNextMember(bytes, 0);
    if (candidate < 0) {
      if (window.atEof) return -1;
      pos += Math.max(1, bytes.length - 3);
      continue;
    }
    const at = pos + candidate;
    const probe = await window.view(at, 64 * 1024);
    const outcome = inflateMember(inflater, probe, window.atEof, 1); // any real member inflates at least its header
    if (outcome.kind !== 'error' || outcome.reason === 'record-too-large') return at;
    pos = at + 1;
  }
}

/** What the members read so far say about the file's gzip framing. */
interface MemberFraming {
  /**
   * A member has held exactly one record (the usual `.warc.gz`, as Common Crawl writes it): from then on a
   * member holds one record, and bytes after that record's block are a lying Content-Length, never a
   * second record. Whole-file gzip (one member, many records) never sets it.
   */
  onePerMember: boolean;
  /** Set when the file is ARC (its first member opens with `filedesc://`, or its name ends `.arc.gz`). */
  arc: ArcFraming | null;
}

/**
 * A member normally holds one record; whole-file gzip holds many, all reported at the member's offset.
 * The member's end is authoritative: a record whose block and CRLF CRLF end before it (Content-Length
 * too small) is one `content-length-mismatch`, and the bytes left in the member are dropped, not read as
 * another record. Returns how many bytes at the end form a record whose block continues in the next
 * member (0 if none).
 */
function* recordsInMember(
  path: string,
  data: Buffer,
  memberOffset: number,
  memberLength: number,
  framing: MemberFraming,
): Generator<WarcItem, number> {
  let p = 0;
  while (p < data.length) {
    while (p < data.length && (data[p] === 0x0d || data[p] === 0x0a)) p++;
    if (p >= data.length) return 0;
    const parsed = parseRecordAt(path, data, p, memberOffset);
    if (parsed instanceof InputError) {
      if (parsed.reason === 'content-length-mismatch') return data.length - p;
      yield parsed;
      return 0; // the member's boundary is the truth: go on with the next member
    }
    const end = parsed.next;
    let q = end;
    while (q < data.length && (data[q] === 0x0d || data[q] === 0x0a)) q++;
    if (q >= data.length && (q - end <= RECORD_SEPARATOR || p > 0)) {
      // The record ends the member (a whole-file member may end in extra blank lines, as a plain WARC may).
      if (p === 0) framing.onePerMember = true;
      yield { ...parsed.record, storedLength: p === 0 ? memberLength : 0 };
      return 0;
    }
    if (q < data.length && !framing.onePerMember && warcMagicAt(data, q)) {
      yield parsed.record; // whole-file gzip: the next record follows in this member
      p = q;
      continue;
    }
    const declared = parsed.record.block.length;
    const held = data.length - (end - declared);
    yield new InputError(
      'content-length-mismatch',
      path,
      memberOffset,
      `Content-Length ${declared} but the gzip member holds ${held} bytes after the WARC header (${declared} + ${RECORD_SEPARATOR} for CRLF CRLF expected): the record is cut short`,
    );
    return 0; // the rest of the member is the cut-off block, not a record
  }
  return 0;
}

function parseRecordAt(
  path: string,
  data: Uint8Array,
  at: number,
  reportedOffset: number,
): { record: WarcRecord; next: number } | InputError {
  const headerEnd = findHeaderEnd(data, at, data.length);
  if (headerEnd < 0) return new InputError('bad-warc-header', path, reportedOffset, 'no blank line ends the WARC header');
  let header;
  try {
    header = parseWarcHeader(data.subarray(at, headerEnd));
  } catch (e) {
    return new InputError('bad-warc-header', path, reportedOffset, (e as Error).message);
  }
  const length = contentLength(header.headers);
  if (typeof length === 'string') return new InputError('bad-warc-header', path, reportedOffset, length);
  if (headerEnd + length > data.length) {
    return new InputError(
      'content-length-mismatch',
      path,
      reportedOffset,
      `Content-Length ${length} but only ${data.length - headerEnd} bytes follow the header`,
    );
  }
  const record: WarcRecord = {
    file: path,
    offset: reportedOffset,
    storedLength: 0,
    version: header.version,
    type: (header.headers.get('warc-type') ?? '').toLowerCase(),
    headers: header.headers,
    block: data.subarray(headerEnd, headerEnd + length),
  };
  return { record, next: headerEnd + length };
}

async function* readPlain(path: string, window: ByteWindow, config: WarcReaderConfig): AsyncGenerator<WarcItem> {
  let pos = 0;
  for (;;) {
    let bytes = await window.view(pos, 64 * 1024);
    let skip = 0;
    while (skip < bytes.length && (bytes[skip] === 0x0d || bytes[skip] === 0x0a)) skip++;
    pos += skip;
    bytes = bytes.subarray(skip);
    if (bytes.length === 0) return;
    const headerEnd = findHeaderEnd(bytes, 0, bytes.length);
    let error: InputError | null = null;
    if (headerEnd < 0) {
      error = new InputError('bad-warc-header', path, pos, 'no blank line ends the WARC header');
    } else {
      let header;
      try {
        header = parseWarcHeader(bytes.subarray(0, headerEnd));
      } catch (e) {
        error = new InputError('bad-warc-header', path, pos, (e as Error).message);
      }
      const length = header ? contentLength(header.headers) : 0;
      if (header && typeof length === 'string') error = new InputError('bad-warc-header', path, pos, length);
      else if (header && typeof length === 'number' && length > config.maxRecordBytes) {
        error = new InputError('record-too-large', path, pos, `Content-Length ${length} exceeds ${config.maxRecordBytes}`);
      } else if (header && typeof length === 'number') {
        const total = headerEnd + length;
        const whole = await window.view(pos, total + RECORD_SEPARATOR);
        if (whole.length < total) {
          yield new InputError('truncated-record', path, pos, `Content-Length ${length} but the file ends ${total - whole.length} bytes early`);
          return;
        }
        if (!endsRecord(whole, total)) {
          error = new InputError('content-length-mismatch', path, pos, `no CRLF CRLF after the ${length}-byte block: Content-Length is wrong`);
        } else {
          yield {
            file: path,
            offset: pos,
            storedLength: total + RECORD_SEPARATOR,
            version: header.version,
            type: (header.headers.get('warc-type') ?? '').toLowerCase(),
            headers: header.headers,
            // Copy: the window's buffer is reused by the next read.
            block: Uint8Array.prototype.slice.call(whole, headerEnd, total),
          };
          pos += total;
          continue;
        }
      }
    }
    if (error) {
      yield error;
      const next = await resyncPlain(window, pos + 1);
      if (next < 0) return;
      pos = next;
    }
  }
}

function endsRecord(bytes: Uint8Array, at: number): boolean {
  // The separator is CRLF CRLF; some writers end the file after a single CRLF or none at all.
  if (at >= bytes.length) return true;
  return bytes[at] === 0x0d && bytes[at + 1] === 0x0a && (at + 2 >= bytes.length || (bytes[at + 2] === 0x0d && bytes[at + 3] === 0x0a));
}

/** Next "WARC/" at the start of a line after `from`, or -1. */
async function resyncPlain(window: ByteWindow, from: number): Promise<number> {
  let pos = from;
  for (;;) {
    const bytes = await window.view(pos, 1024 * 1024);
    if (bytes.length < WARC_MAGIC.length) return -1;
    for (let i = 1; i + WARC_MAGIC.length <= bytes.length; i++) {
      if (bytes[i - 1] !== 0x0a) continue;
      let match = true;
      for (let k = 0; k < WARC_MAGIC.length; k++) if (bytes[i + k] !== WARC_MAGIC[k]) match = false;
      if (match) return pos + i;
    }
    if (window.atEof) return -1;
    pos += bytes.length - WARC_MAGIC.length;
  }
}
