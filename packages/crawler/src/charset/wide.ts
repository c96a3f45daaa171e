/**
 * UTF-16 and UTF-32 without a BOM. Text in them has NUL bytes in fixed lanes (the high byte of every
 * ASCII character), which legacy 8-bit text never has; a NUL-padded or binary file has NULs in every lane.
 */
import type { ByteProfile } from './byte-profile.ts';

export type WideCharset = 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

/** Share of a lane's bytes that must be NUL to call it the high-byte lane. Ideographs alone leave none,
 *  but a UTF-16 page's markup, spaces and newlines put NULs in well over 5 % of that lane. */
const MIN_HIGH_LANE_NUL_SHARE = 0.05;
/** The other lane may hold NULs too (U+4E00 一 is 00 4E), but far fewer: at most this share of the high lane's. */
const MAX_OTHER_LANE_NUL_RATIO = 0.25;
/** UTF-32's top byte is always 0 (code points stop at U+10FFFF); allow this share of stray bytes. */
const MIN_UTF32_TOP_LANE_NUL_SHARE = 0.98;
/** UTF-32's second byte is 0 for every BMP character; most text is mostly BMP. */
const MIN_UTF32_PLANE_LANE_NUL_SHARE = 0.5;
const UTF32_UNIT = 4;

export function sniffWideUnicode(profile: ByteProfile): WideCharset | null {
  const { length: n, nulsByLane } = profile;
  const [l0, l1, l2, l3] = nulsByLane;
  if (l0 + l1 + l2 + l3 === 0) return null;
  const laneSize = n / UTF32_UNIT;
  if (n % UTF32_UNIT === 0 && laneSize > 0) {
    if (l3 / laneSize >= MIN_UTF32_TOP_LANE_NUL_SHARE && l2 / laneSize >= MIN_UTF32_PLANE_LANE_NUL_SHARE) return 'utf-32le';
    if (l0 / laneSize >= MIN_UTF32_TOP_LANE_NUL_SHARE && l1 / laneSize >= MIN_UTF32_PLANE_LANE_NUL_SHARE) return 'utf-32be';
  }
  if (n % 2 !== 0) return null;
  const half = n / 2;
  const even = l0 + l2;
  const odd = l1 + l3;
  if (odd / half >= MIN_HIGH_LANE_NUL_SHARE && even <= odd * MAX_OTHER_LANE_NUL_RATIO) return 'utf-16le';
  if (even / half >= MIN_HIGH_LANE_NUL_SHARE && odd <= even * MAX_OTHER_LANE_NUL_RATIO) return 'utf-16be';
  return null;
}

const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_MIN = 0xd800;
const SURROGATE_MAX = 0xdfff;
const FIRST_SUPPLEMENTARY = 0x10000;
const REPLACEMENT = 0xfffd;
const BYTE_ORDER_MARK = 0xfeff;
const utf16le = new TextDecoder('utf-16le');

/** UTF-32 (TextDecoder has none): code points → UTF-16LE bytes → one native decode. A leading BOM is dropped. */
export function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const units = Math.floor(bytes.length / UTF32_UNIT);
  const hasTail = bytes.length % UTF32_UNIT !== 0;
  // Worst case every code point needs a surrogate pair (4 bytes of UTF-16), plus a U+FFFD for a ragged tail.
  const out = new Uint8Array(units * UTF32_UNIT + (hasTail ? 2 : 0));
  let o = 0;
  const put = (unit: number): void => {
    out[o++] = unit & 0xff;
    out[o++] = unit >>> 8;
  };
  for (let u = 0; u < units; u++) {
    const i = u * UTF32_UNIT;
    const cp = littleEndian
      ? (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0
      : ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    if (u === 0 && cp === BYTE_ORDER_MARK) continue;
    if (cp > MAX_CODE_POINT || (cp >= SURROGATE_MIN && cp <= SURROGATE_MAX)) {
      put(REPLACEMENT);
    } else if (cp >= FIRST_SUPPLEMENTARY) {
      const v = cp - FIRST_SUPPLEMENTARY;
      put(SURROGATE_MIN + (v >>> 10));
      put(0xdc00 + (v & 0x3ff));
    } else {
      put(cp);
    }
  }
  if (hasTail) put(REPLACEMENT);
  return utf16le.decode(out.subarray(0, o));
}
