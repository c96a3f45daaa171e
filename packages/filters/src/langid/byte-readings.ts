/**
 * The slow half of the byte pre-check, for bodies that are not valid UTF-8: read the bytes as EUC-JP and
 * Shift_JIS (and UTF-8, to see how broken it is) in one pass, and as UTF-16/32. Pure loops over the bytes
 * into caller-owned records; nothing is allocated.
 */

/** What one pass over raw bytes found; filled by `readLegacyBytes`. */
export interface ByteReadings {
  /** NUL bytes at even / odd offsets: many of them mean UTF-16/32 text, and their parity gives its byte order. */
  nulEven: number;
  nulOdd: number;
  utf8Chars: number;
  utf8Errors: number;
  eucChars: number;
  eucHits: number;
  eucErrors: number;
  sjisChars: number;
  sjisHits: number;
  sjisErrors: number;
}

export function emptyByteReadings(): ByteReadings {
  return {
    nulEven: 0,
    nulOdd: 0,
    utf8Chars: 0,
    utf8Errors: 0,
    eucChars: 0,
    eucHits: 0,
    eucErrors: 0,
    sjisChars: 0,
    sjisHits: 0,
    sjisErrors: 0,
  };
}

/**
 * Reads the bytes three ways at once (UTF-8, EUC-JP, Shift_JIS), each reading keeping its own character
 * alignment, and counts per reading its characters, decoding errors and (EUC-JP, Shift_JIS) kana:
 * EUC-JP hiragana A4 A1–F3 / katakana A5 A1–F6; Shift_JIS hiragana 82 9F–F1 / katakana 83 40–96.
 * Alignment matters: read unaligned, the second byte of a Chinese UTF-8 character followed by the next
 * one looks like Shift_JIS hiragana about once per hundred characters. Errors tell the real reading
 * apart from the misaligned ones. Writes into `out` and returns it.
 */
export function readLegacyBytes(body: Uint8Array, out: ByteReadings): ByteReadings {
  const n = body.length;
  // Next character start of each reading; a byte before it is the tail of an earlier character.
  let utf8Next = 0;
  let eucNext = 0;
  let sjisNext = 0;
  let nulEven = 0;
  let nulOdd = 0;
  let utf8Chars = 0;
  let utf8Errors = 0;
  let eucChars = 0;
  let eucHits = 0;
  let eucErrors = 0;
  let sjisChars = 0;
  let sjisHits = 0;
  let sjisErrors = 0;

  for (let i = 0; i < n; i++) {
    const b = body[i]!;
    if (b < 0x80) {
      // ASCII is a whole character in all three readings (a Shift_JIS trail byte in 40–7E is skipped
      // because sjisNext already points past it).
      if (b === 0) {
        if ((i & 1) === 0) nulEven++;
        else nulOdd++;
      }
      continue;
    }

    if (i >= utf8Next) {
      const len = b >= 0xf0 ? (b <= 0xf4 ? 4 : 0) : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
      let valid = len > 0 && i + len <= n;
      for (let k = 1; valid && k < len; k++) valid = (body[i + k]! & 0xc0) === 0x80;
      if (valid) {
        utf8Chars++;
        utf8Next = i + len;
      } else {
        utf8Errors++;
        utf8Next = i + 1;
      }
    }

    if (i >= eucNext) {
      const t = i + 1 < n ? body[i + 1]! : 0;
      if (b >= 0xa1 && b <= 0xfe && t >= 0xa1 && t <= 0xfe) {
        eucChars++;
        eucNext = i + 2;
        if ((b === 0xa4 && t <= 0xf3) || (b === 0xa5 && t <= 0xf6)) eucHits++;
      } else if (b === 0x8e && t >= 0xa1 && t <= 0xdf) {
        eucChars++; // halfwidth katakana
        eucNext = i + 2;
      } else if (b === 0x8f && t >= 0xa1 && t <= 0xfe && i + 2 < n && body[i + 2]! >= 0xa1 && body[i + 2]! <= 0xfe) {
        eucChars++; // JIS X 0212
        eucNext = i + 3;
      } else {
        eucErrors++;
        eucNext = i + 1;
      }
    }

    if (i >= sjisNext) {
      if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) {
        const t = i + 1 < n ? body[i + 1]! : 0;
        if ((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfc)) {
          sjisChars++;
          sjisNext = i + 2;
          if ((b === 0x82 && t >= 0x9f && t <= 0xf1) || (b === 0x83 && t >= 0x40 && t <= 0x96)) sjisHits++;
        } else {
          sjisErrors++;
          sjisNext = i + 1;
        }
      } else if (b >= 0xa1 && b <= 0xdf) {
        sjisChars++; // halfwidth katakana: every encoding has these bytes, so no evidence
        sjisNext = i + 1;
      } else {
        sjisErrors++;
        sjisNext = i + 1;
      }
    }
  }

  out.nulEven = nulEven;
  out.nulOdd = nulOdd;
  out.utf8Chars = utf8Chars;
  out.utf8Errors = utf8Errors;
  out.eucChars = eucChars;
  out.eucHits = eucHits;
  out.eucErrors = eucErrors;
  out.sjisChars = sjisChars;
  out.sjisHits = sjisHits;
  out.sjisErrors = sjisErrors;
  return out;
}

/**
 * Kana code units (U+3041–U+30FA) at even offsets in one byte order, up to `enough`. Covers UTF-32 too:
 * its kana are such units at offsets 4k (little-endian) or 4k+2 (big-endian).
 */
export function countWideKanaUnits(body: Uint8Array, bigEndian: boolean, enough: number): number {
  const high = bigEndian ? 0 : 1;
  const low = 1 - high;
  let hits = 0;
  for (let i = 0; i + 1 < body.length; i += 2) {
    if (body[i + high] !== 0x30) continue;
    const unitLow = body[i + low]!;
    if (unitLow >= 0x41 && unitLow <= 0xfa && ++hits >= enough) break;
  }
  return hits;
}

/** Share of the 2-byte units at even offsets that are kana, in the byte order where it is higher. */
export function wideKanaShare(body: Uint8Array): number {
  let littleEndian = 0;
  let bigEndian = 0;
  for (let i = 0; i + 1 < body.length; i += 2) {
    const first = body[i]!;
    const second = body[i + 1]!;
    if (second === 0x30 && first >= 0x41 && first <= 0xfa) littleEndian++;
    else if (first === 0x30 && second >= 0x41 && second <= 0xfa) bigEndian++;
  }
  const units = body.length >> 1;
  return units === 0 ? 0 : Math.max(littleEndian, bigEndian) / units;
}
