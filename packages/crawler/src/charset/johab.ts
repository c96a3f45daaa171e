/**
 * Johab (KS X 1001 annex 3), the Korean DOS-era charset TextDecoder lacks. Its Hangul is a bit field
 * (5 bits each for initial, medial, final jamo) and converts arithmetically; its symbols and Hanja are the
 * KS X 1001 rows rearranged, which are read through the EUC-KR decoder.
 */

const HANGUL_LEAD_MIN = 0x84;
const HANGUL_LEAD_MAX = 0xd3;
const SYMBOL_LEAD_MIN = 0xd9; // 0xD8 is user-defined
const SYMBOL_LEAD_MAX = 0xde;
const HANJA_LEAD_MIN = 0xe0;
const HANJA_LEAD_MAX = 0xf9;
const ROW_SIZE = 94; // KS X 1001 cells per row
const FIRST_CELL = 0x21;
const REPLACEMENT = 0xfffd;
const FIRST_NON_ASCII = 0x80;
const JAMO_BITS = 0x1f;
const SYLLABLE_BASE = 0xac00;
const MEDIALS = 21;
const FINALS = 28;

// Johab 5-bit jamo codes → index among the modern jamo (-1 invalid, -2 fill: "no jamo here").
const INITIAL_INDEX = jamoTable([[1, -2], ...range(2, 20, 0)]);
const MEDIAL_INDEX = jamoTable([[2, -2], ...range(3, 7, 0), ...range(10, 15, 5), ...range(18, 23, 11), ...range(26, 29, 17)]);
const FINAL_INDEX = jamoTable([[1, 0], ...range(2, 17, 1), ...range(19, 29, 17)]);

// Hangul compatibility jamo, for a code that carries a single jamo (the others are fill).
const INITIAL_JAMO = [0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145, 0x3146, 0x3147, 0x3148, 0x3149, 0x314a, 0x314b, 0x314c, 0x314d, 0x314e];
const FIRST_VOWEL_JAMO = 0x314f;
const FINAL_JAMO = [0, 0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3139, 0x313a, 0x313b, 0x313c, 0x313d, 0x313e, 0x313f, 0x3140, 0x3141, 0x3142, 0x3144, 0x3145, 0x3146, 0x3147, 0x3148, 0x314a, 0x314b, 0x314c, 0x314d, 0x314e];

function range(from: number, to: number, firstIndex: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let code = from; code <= to; code++) pairs.push([code, firstIndex + code - from]);
  return pairs;
}

function jamoTable(pairs: [number, number][]): Int8Array {
  const table = new Int8Array(JAMO_BITS + 1).fill(-1);
  for (const [code, index] of pairs) table[code] = index;
  return table;
}

const utf16le = new TextDecoder('utf-16le');
let ksx1001: Uint16Array | null = null;

/** KS X 1001 row/cell → code unit, read once from the EUC-KR decoder (EUC-KR is KS X 1001 with the high bit set). */
function ksx1001Table(): Uint16Array {
  if (ksx1001) return ksx1001;
  const table = new Uint16Array(ROW_SIZE * ROW_SIZE).fill(REPLACEMENT);
  const eucKr = new TextDecoder('euc-kr');
  const pair = new Uint8Array(2);
  for (let row = 0; row < ROW_SIZE; row++) {
    for (let cell = 0; cell < ROW_SIZE; cell++) {
      pair[0] = (FIRST_CELL + row) | FIRST_NON_ASCII;
      pair[1] = (FIRST_CELL + cell) | FIRST_NON_ASCII;
      const text = eucKr.decode(pair);
      if (text.length === 1) table[row * ROW_SIZE + cell] = text.charCodeAt(0);
    }
  }
  ksx1001 = table;
  return table;
}

function hangul(code: number): number {
  const l = INITIAL_INDEX[(code >> 10) & JAMO_BITS]!;
  const v = MEDIAL_INDEX[(code >> 5) & JAMO_BITS]!;
  const t = FINAL_INDEX[code & JAMO_BITS]!;
  if (l === -1 || v === -1 || t === -1) return REPLACEMENT;
  if (l >= 0 && v >= 0) return SYLLABLE_BASE + (l * MEDIALS + v) * FINALS + t;
  if (l >= 0 && v === -2 && t === 0) return INITIAL_JAMO[l]!;
  if (l === -2 && v >= 0 && t === 0) return FIRST_VOWEL_JAMO + v;
  if (l === -2 && v === -2 && t > 0) return FINAL_JAMO[t]!;
  return REPLACEMENT;
}

/** Symbols and Hanja: each lead byte holds two KS X 1001 rows of 94 cells, over trail bytes 0x31–0x7E and 0x91–0xFE. */
function symbolOrHanja(lead: number, trail: number): number {
  // Lead 0xD9 holds KS X 1001 rows 1–2 (symbols); lead 0xE0 holds rows 42–43, where Hanja start
  // (2 × 0xE0 − 0x197 = 41, counting rows from 0).
  const rowPair = lead < HANJA_LEAD_MIN ? 2 * (lead - SYMBOL_LEAD_MIN) : 2 * lead - 0x197;
  const offset = trail < 0x91 ? trail - 0x31 : trail - 0x43;
  const row = rowPair + (offset < ROW_SIZE ? 0 : 1);
  const cell = offset < ROW_SIZE ? offset : offset - ROW_SIZE;
  return ksx1001Table()[row * ROW_SIZE + cell]!;
}

function isHangulTrail(b: number): boolean {
  return (b >= 0x41 && b <= 0x7e) || (b >= 0x81 && b <= 0xfe);
}

function isSymbolTrail(b: number): boolean {
  return (b >= 0x31 && b <= 0x7e) || (b >= 0x91 && b <= 0xfe);
}

export function decodeJohab(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(n * 2); // never more characters than bytes
  let o = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    let unit = b;
    if (b >= FIRST_NON_ASCII) {
      const trail = bytes[i + 1] ?? 0;
      const isHangulLead = b >= HANGUL_LEAD_MIN && b <= HANGUL_LEAD_MAX;
      const isSymbolLead = (b >= SYMBOL_LEAD_MIN && b <= SYMBOL_LEAD_MAX) || (b >= HANJA_LEAD_MIN && b <= HANJA_LEAD_MAX);
      if (isHangulLead && isHangulTrail(trail)) {
        unit = hangul((b << 8) | trail);
        i++;
      } else if (isSymbolLead && isSymbolTrail(trail)) {
        unit = symbolOrHanja(b, trail);
        i++;
      } else {
        // A bad pair: drop the lead only, so an ASCII byte after it survives (as WHATWG decoders do).
        unit = REPLACEMENT;
        if ((isHangulLead || isSymbolLead) && trail >= FIRST_NON_ASCII) i++;
      }
    }
    out[o++] = unit & 0xff;
    out[o++] = unit >>> 8;
  }
  return utf16le.decode(out.subarray(0, o));
}
