/**
 * The byte-level facts the decision needs, gathered with native scans where Node has them (isAscii,
 * isUtf8, indexOf run at memory speed), so the common UTF-8 page costs almost nothing here.
 */
import { isAscii, isUtf8 } from 'node:buffer';

/**
 * 'valid': well-formed UTF-8. 'truncated': well-formed except a sequence cut off by the end of the body (a
 * truncated download). 'mostly-valid': well-formed multi-byte sequences with at most MAX_UTF8_INVALID_SHARE
 * stray bytes (a damaged or spliced page). 'invalid': not UTF-8.
 */
export type Utf8Verdict = 'valid' | 'truncated' | 'mostly-valid' | 'invalid';

export interface ByteProfile {
  length: number;
  /** No byte ≥ 0x80: ASCII or an ISO-2022 charset. */
  isAscii: boolean;
  /** Index of the first byte ≥ 0x80, or -1. Everything before it is plain ASCII in every candidate charset. */
  firstHighByte: number;
  /** NUL bytes by index mod 4: UTF-16 puts them in one lane of two, UTF-32 in two or three lanes of four. */
  nulsByLane: [number, number, number, number];
  utf8: Utf8Verdict;
}

/** Stray bytes tolerated per well-formed multi-byte sequence for 'mostly-valid'. */
export const MAX_UTF8_INVALID_SHARE = 0.02;
/** The UTF-8 scan stops once this many stray bytes outnumber the good sequences: the body is not UTF-8. */
const GIVE_UP_AFTER_INVALID = 16;
const FIRST_HIGH_BYTE = 0x80;
const CONTINUATION_MIN = 0x80;
const CONTINUATION_MAX = 0xbf;
const LANES = 4;

export function profileBytes(bytes: Uint8Array): ByteProfile {
  const nulsByLane = bytes.indexOf(0) < 0 ? ([0, 0, 0, 0] as ByteProfile['nulsByLane']) : countNulsByLane(bytes);
  if (isAscii(bytes)) {
    return { length: bytes.length, isAscii: true, firstHighByte: -1, nulsByLane, utf8: 'valid' };
  }
  let firstHighByte = 0;
  while (bytes[firstHighByte]! < FIRST_HIGH_BYTE) firstHighByte++;
  const utf8 = isUtf8(bytes) ? 'valid' : scanUtf8(bytes, firstHighByte);
  return { length: bytes.length, isAscii: false, firstHighByte, nulsByLane, utf8 };
}

function countNulsByLane(bytes: Uint8Array): ByteProfile['nulsByLane'] {
  const lanes = new Uint32Array(LANES);
  for (let i = bytes.indexOf(0); i >= 0; i = bytes.indexOf(0, i + 1)) lanes[i % LANES] = lanes[i % LANES]! + 1;
  return [lanes[0]!, lanes[1]!, lanes[2]!, lanes[3]!];
}

/** The verdict for a body isUtf8 rejected: count good sequences and stray bytes (RFC 3629 table). */
function scanUtf8(bytes: Uint8Array, from: number): Utf8Verdict {
  const n = bytes.length;
  let multibyte = 0;
  let invalid = 0;
  let i = from;
  while (i < n) {
    const b = bytes[i]!;
    if (b < FIRST_HIGH_BYTE) {
      i++;
      continue;
    }
    // Continuation bytes needed after this lead, and the allowed range of the first one.
    let need = 0;
    let firstMin = CONTINUATION_MIN;
    let firstMax = CONTINUATION_MAX;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) firstMin = 0xa0; // overlong
      if (b === 0xed) firstMax = 0x9f; // UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) firstMin = 0x90; // overlong
      if (b === 0xf4) firstMax = 0x8f; // beyond U+10FFFF
    }
    let ok = need > 0;
    let k = 1;
    for (; ok && k <= need && i + k < n; k++) {
      const c = bytes[i + k]!;
      ok = c >= (k === 1 ? firstMin : CONTINUATION_MIN) && c <= (k === 1 ? firstMax : CONTINUATION_MAX);
    }
    if (ok && k <= need) {
      // Ran off the end while the sequence was still well-formed.
      return invalid === 0 && multibyte > 0 ? 'truncated' : verdict(multibyte, invalid);
    }
    if (ok) {
      multibyte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
      if (invalid >= GIVE_UP_AFTER_INVALID && invalid > multibyte) return 'invalid';
    }
  }
  return verdict(multibyte, invalid);
}

function verdict(multibyte: number, invalid: number): Utf8Verdict {
  return multibyte > 0 && invalid <= multibyte * MAX_UTF8_INVALID_SHARE ? 'mostly-valid' : 'invalid';
}
