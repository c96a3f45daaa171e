/**
 * What a candidate decode *looks like*: every non-ASCII character of the decoded sample falls into one
 * class, and a language model (script-models.ts) weighs the class counts. ASCII is skipped: it reads the
 * same under every candidate, so it says nothing about which one is right.
 */
import { ALPHABETS, LETTER_KINDS, alphabetOf, letterKind, type LetterKind } from './alphabets.ts';
import { isCommonHangul, isCommonHanzi } from './common-chars.ts';

export const CharClass = {
  /** U+FFFD: the decoder met bytes the charset does not allow. */
  Replacement: 0,
  /** Hiragana and full-width katakana: only Japanese text has them in quantity. */
  Kana: 1,
  /** Half-width katakana: legitimate but rare; a wrong Shift_JIS decode of EUC-JP produces mostly these. */
  HalfWidthKana: 2,
  CommonHan: 3,
  Han: 4,
  /** CJK extension A, compatibility ideographs, supplementary-plane characters: rare in real text. */
  RareHan: 5,
  CommonHangul: 6,
  Hangul: 7,
  /** Stand-alone jamo (ㅋㅋ in chat); rare elsewhere. */
  Jamo: 8,
  /** CJK punctuation, full-width forms, enclosed and compatibility symbols, arrows, shapes, box drawing. */
  CjkSymbol: 9,
  /** Typographic punctuation and Latin-1 symbols (quotes, dashes, NBSP, £, ©, °) next to an ASCII character. */
  PunctNearAscii: 10,
  /** The same punctuation surrounded by other non-ASCII characters: typical of mojibake in Latin text. */
  PunctAmongNonAscii: 11,
  /** Accented Latin letter with an ASCII letter beside it: "café", "Größe". */
  LatinInWord: 12,
  /** Accented Latin letter standing alone: French "à", Portuguese "é". */
  LatinAlone: 13,
  /** Accented Latin letter among other non-ASCII characters only: typical of a wrong single-byte decode. */
  LatinAmongNonAscii: 14,
  /** C1 controls, private use, noncharacters. */
  Control: 15,
  Other: 16,
  /**
   * A lone CJK character with an ASCII letter beside it ("m中 "): what an accented Latin letter becomes when a
   * double-byte decoder swallows the next ASCII letter as its trail byte. Real text has runs ("iPhone手机").
   */
  CjkGluedToLatin: 17,
  /**
   * A symbol between two ASCII letters ("ma³o", "gê¶"): a Latin-2 letter read as Latin-1. Apostrophes,
   * hyphens and the middle dot do sit inside words, so they are not counted here.
   */
  SymbolInsideWord: 18,
} as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

/** Letters of the small alphabets (alphabets.ts) take LETTER_KINDS classes each, from here on. */
const ALPHABET_CLASS_BASE = CharClass.SymbolInsideWord + 1;
export const CHAR_CLASS_COUNT = ALPHABET_CLASS_BASE + ALPHABETS.length * LETTER_KINDS;

/** The class of a letter of ALPHABETS[alphabet] that sits as `kind`. */
export function alphabetClass(alphabet: number, kind: LetterKind): number {
  return ALPHABET_CLASS_BASE + alphabet * LETTER_KINDS + kind;
}

/** Counts per CharClass plus the number of non-ASCII characters counted. */
export interface TextEvidence {
  counts: Uint32Array;
  nonAscii: number;
}

const FIRST_NON_ASCII = 0x80;

export function gatherEvidence(text: string): TextEvidence {
  const counts = new Uint32Array(CHAR_CLASS_COUNT);
  let nonAscii = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < FIRST_NON_ASCII) continue;
    // The second half of a surrogate pair was counted with the first.
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    nonAscii++;
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    counts[classify(c, prev, next)]!++;
  }
  return { counts, nonAscii };
}

function isAsciiLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

function isAscii(c: number): boolean {
  return c > 0 && c < FIRST_NON_ASCII;
}

function isLatinLetter(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1eff)
  );
}

/** Punctuation that real words contain: apostrophes (’ ‘ ´), hyphens, soft hyphen, Catalan middle dot. */
const INSIDE_WORD_PUNCTUATION = new Set([0x2019, 0x2018, 0xb4, 0x2010, 0x2011, 0x2013, 0xad, 0xb7]);

/** Latin-1 symbols and general punctuation that ordinary Western and Cyrillic text uses. */
function isTextPunctuation(c: number): boolean {
  switch (c) {
    case 0xa0: // NBSP
    case 0xa1: // ¡
    case 0xa2: // ¢
    case 0xa3: // £
    case 0xa5: // ¥
    case 0xa7: // §
    case 0xa9: // ©
    case 0xab: // «
    case 0xad: // soft hyphen
    case 0xae: // ®
    case 0xb0: // °
    case 0xb1: // ±
    case 0xb2: // ²
    case 0xb3: // ³
    case 0xb4: // ´
    case 0xb5: // µ
    case 0xb7: // ·
    case 0xbb: // »
    case 0xbc: // ¼
    case 0xbd: // ½
    case 0xbe: // ¾
    case 0xbf: // ¿
    case 0xd7: // ×
    case 0x20ac: // €
    case 0x2116: // №
    case 0x2122: // ™
      return true;
    default:
      return c >= 0x2010 && c <= 0x2027; // dashes, quotes, bullets, ellipsis
  }
}

/** Ideographs, kana, Hangul and CJK punctuation: what a CJK character normally has next to it. */
function isCjk(c: number): boolean {
  return (c >= 0x3000 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xff00 && c <= 0xffef);
}

function isLoneBesideLatin(prev: number, next: number): boolean {
  return !isCjk(prev) && !isCjk(next) && (isAsciiLetter(prev) || isAsciiLetter(next));
}

function classify(c: number, prev: number, next: number): number {
  if (c === 0xfffd) return CharClass.Replacement;
  if (c >= 0x4e00 && c <= 0x9fff) {
    if (isLoneBesideLatin(prev, next)) return CharClass.CjkGluedToLatin;
    return isCommonHanzi(c) ? CharClass.CommonHan : CharClass.Han;
  }
  if (c >= 0x3041 && c <= 0x30ff) {
    if (isLoneBesideLatin(prev, next)) return CharClass.CjkGluedToLatin;
    return c >= 0x3099 ? CharClass.Kana : c <= 0x3096 ? CharClass.Kana : CharClass.CjkSymbol;
  }
  if (c >= 0xac00 && c <= 0xd7a3) {
    if (isLoneBesideLatin(prev, next)) return CharClass.CjkGluedToLatin;
    return isCommonHangul(c) ? CharClass.CommonHangul : CharClass.Hangul;
  }
  if (c >= 0xff61 && c <= 0xff9f) return isLoneBesideLatin(prev, next) ? CharClass.CjkGluedToLatin : CharClass.HalfWidthKana;
  if (c <= 0x9f) return CharClass.Control; // C1
  if (isLatinLetter(c)) {
    if (isAsciiLetter(prev) || isAsciiLetter(next)) return CharClass.LatinInWord;
    if (isLatinLetter(prev) || isLatinLetter(next) || prev >= FIRST_NON_ASCII || next >= FIRST_NON_ASCII) {
      return CharClass.LatinAmongNonAscii;
    }
    return CharClass.LatinAlone;
  }
  const alphabet = alphabetOf(c);
  if (alphabet >= 0) return alphabetClass(alphabet, letterKind(alphabet, c, prev, next));
  if (isTextPunctuation(c)) {
    if (isAsciiLetter(prev) && isAsciiLetter(next) && !INSIDE_WORD_PUNCTUATION.has(c)) return CharClass.SymbolInsideWord;
    return isAscii(prev) || isAscii(next) || prev === 0 || next === 0
      ? CharClass.PunctNearAscii
      : CharClass.PunctAmongNonAscii;
  }
  if (
    (c >= 0x3000 && c <= 0x303f) || // CJK punctuation
    (c >= 0xff01 && c <= 0xff60) || // full-width ASCII
    (c >= 0xffe0 && c <= 0xffee) || // full-width signs
    (c >= 0x3200 && c <= 0x33ff) || // enclosed CJK, compatibility (㈱ ㎡)
    (c >= 0x2100 && c <= 0x27bf) || // letterlike, numerals, arrows, math, box drawing, shapes, dingbats
    (c >= 0x2030 && c <= 0x206f) || // ‰ ′ ″ ※ ‼
    c === 0xa8 || // ¨
    c === 0xb6 || // ¶
    c === 0xf7 // ÷
  ) {
    return CharClass.CjkSymbol;
  }
  if ((c >= 0x3130 && c <= 0x318f) || (c >= 0x1100 && c <= 0x11ff)) return CharClass.Jamo;
  if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd800 && c <= 0xdbff)) {
    return CharClass.RareHan;
  }
  if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xfff0) return CharClass.Control;
  return CharClass.Other;
}
