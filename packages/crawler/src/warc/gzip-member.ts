import { crc32 } from 'node:zlib';
import type { MemberInflater } from './member-inflater.ts';

const FTEXT_RESERVED_MASK = 0xe0; // RFC 1952: the top three flag bits must be zero
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FIXED_HEADER = 10;
const TRAILER = 8; // CRC32 + ISIZE

export function looksLikeGzipMember(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x1f && bytes[at + 1] === 0x8b && bytes[at + 2] === 8 && ((bytes[at + 3] ?? 0xff) & FTEXT_RESERVED_MASK) === 0;
}

/** Length of the gzip member header at `at`, or -1 if more bytes are needed. Throws on a malformed header. */
export function gzipHeaderLength(bytes: Uint8Array, at: number, end: number): number {
  if (end - at < FIXED_HEADER) return -1;
  if (!looksLikeGzipMember(bytes, at)) throw new Error('not a gzip member (bad magic, method or flags)');
  const flags = bytes[at + 3] ?? 0;
  let p = at + FIXED_HEADER;
  if (flags & FEXTRA) {
    if (end - p < 2) return -1;
    p += 2 + ((bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8));
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    while (p < end && bytes[p] !== 0) p++;
    if (p >= end) return -1;
    p++;
  }
  if (flags & FHCRC) p += 2;
  return p > end ? -1 : p - at;
}

export type InflateOutcome =
  | { kind: 'member'; data: Buffer; length: number }
  | { kind: 'need-more' }
  | { kind: 'error'; reason: string; detail: string };

/**
 * Inflates the one gzip member at the start of `bytes` through the file's reused `inflater`: whole by
 * libdeflate where it is installed, else (and for every member libdeflate leaves: cut by the window,
 * corrupt, too large) with native zlib, both several times faster than warcio's JS inflate
 * (docs/decisions.md). The compressed bytes the member used give the next member's offset.
 */
export function inflateMember(inflater: MemberInflater, bytes: Buffer, atEof: boolean, maxOutputBytes: number): InflateOutcome {
  const whole = inflater.gunzipWhole(bytes, maxOutputBytes);
  if (whole) return { kind: 'member', data: whole.output, length: whole.consumed };
  let headerLength: number;
  try {
    headerLength = gzipHeaderLength(bytes, 0, bytes.length);
  } catch (e) {
    return { kind: 'error', reason: 'bad-gzip-header', detail: (e as Error).message };
  }
  if (headerLength < 0) {
    return atEof ? { kind: 'error', reason: 'truncated-gzip', detail: 'file ends inside a gzip header' } : { kind: 'need-more' };
  }
  const inflated = inflater.inflate(bytes, headerLength, maxOutputBytes);
  switch (inflated.kind) {
    case 'need-more':
      return atEof ? { kind: 'error', reason: 'truncated-gzip', detail: 'file ends inside a gzip member' } : { kind: 'need-more' };
    case 'too-large':
      return { kind: 'error', reason: 'record-too-large', detail: `gzip member inflates past ${maxOutputBytes} bytes` };
    case 'error':
      return { kind: 'error', reason: 'corrupt-gzip', detail: inflated.message };
  }
  const data = inflated.output;
  const trailerAt = headerLength + inflated.consumed;
  if (trailerAt + TRAILER > bytes.length) {
    return atEof ? { kind: 'error', reason: 'truncated-gzip', detail: 'file ends inside a gzip trailer' } : { kind: 'need-more' };
  }
  const storedCrc = bytes.readUInt32LE(trailerAt);
  const storedSize = bytes.readUInt32LE(trailerAt + 4);
  if (storedSize !== data.length % 2 ** 32 || storedCrc !== crc32(data)) {
    return { kind: 'error', reason: 'corrupt-gzip', detail: 'gzip trailer CRC or size does not match the data' };
  }
  return { kind: 'member', data, length: trailerAt + TRAILER };
}

/** Offset of the next plausible gzip member after `from`, or -1. Used to resynchronise after corruption. */
export function findNextMember(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 3 < bytes.length; i++) {
    if (bytes[i] === 0x1f && looksLikeGzipMember(bytes, i)) return i;
  }
  return -1;
}
