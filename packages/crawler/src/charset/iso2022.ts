/**
 * ISO-2022 charsets are 7-bit: they switch character sets with escape sequences. In 7-bit data an
 * ISO-2022-JP designation is decisive (no other charset produces it), the same for ISO-2022-KR.
 */
import type { ByteProfile } from './byte-profile.ts';

const ESC = 0x1b;
const DOLLAR = 0x24; // $
const OPEN_PAREN = 0x28; // (
const CLOSE_PAREN = 0x29; // )
const AT = 0x40; // @
const LETTER_B = 0x42;
const LETTER_C = 0x43;
const LETTER_D = 0x44;
const LETTER_I = 0x49;
const LETTER_J = 0x4a;
const SHIFT_OUT = 0x0e;
const SHIFT_IN = 0x0f;
const LINE_FEED = 0x0a;
const GL_MIN = 0x21;
const GL_MAX = 0x7e;
const GR_BIT = 0x80;
const KR_DESIGNATION_LENGTH = 4; // ESC $ ) C

export type Iso2022Charset = 'iso-2022-jp' | 'iso-2022-kr';

/** The ISO-2022 charset whose designation appears in 7-bit data, or null. */
export function detectIso2022(bytes: Uint8Array, profile: ByteProfile): Iso2022Charset | null {
  if (!profile.isAscii) return null;
  for (let i = bytes.indexOf(ESC); i >= 0; i = bytes.indexOf(ESC, i + 1)) {
    const a = bytes[i + 1];
    const b = bytes[i + 2];
    if (a === DOLLAR && (b === AT || b === LETTER_B)) return 'iso-2022-jp'; // JIS X 0208
    if (a === DOLLAR && b === OPEN_PAREN && bytes[i + 3] === LETTER_D) return 'iso-2022-jp'; // JIS X 0212
    if (a === OPEN_PAREN && (b === LETTER_J || b === LETTER_I)) return 'iso-2022-jp'; // JIS Roman, half-width kana
    if (a === DOLLAR && b === CLOSE_PAREN && bytes[i + 3] === LETTER_C) return 'iso-2022-kr'; // KS X 1001 into G1
  }
  return null;
}

/**
 * ISO-2022-KR → EUC-KR bytes, which TextDecoder reads: between SO and SI each byte is KS X 1001 in GL,
 * and EUC-KR is the same code with the high bit set. A line feed also ends SO, since RFC 1557 lines
 * start in ASCII and a missing SI should not turn the rest of the document into Hangul.
 */
export function iso2022KrToEucKr(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let o = 0;
  let shifted = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESC && bytes[i + 1] === DOLLAR && bytes[i + 2] === CLOSE_PAREN && bytes[i + 3] === LETTER_C) {
      i += KR_DESIGNATION_LENGTH - 1;
    } else if (b === SHIFT_OUT) {
      shifted = true;
    } else if (b === SHIFT_IN) {
      shifted = false;
    } else {
      if (b === LINE_FEED) shifted = false;
      out[o++] = shifted && b >= GL_MIN && b <= GL_MAX ? b | GR_BIT : b;
    }
  }
  return out.subarray(0, o);
}
