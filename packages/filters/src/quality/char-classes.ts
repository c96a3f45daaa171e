/**
 * Character classes for the Japanese quality rules: one lookup table for the BMP (built once at module
 * load), one small function for astral code points, and one plain pass that fills a typed-array
 * histogram. No regex per class: a regex per class would walk the text once per class.
 *
 * Counts are per code point (as Python's `len`, which HojiChar and the Swallow corpus scripts use): a
 * surrogate pair is one character of its astral class, an unpaired surrogate one `LONE_SURROGATE`.
 */

/** Class ids, dense from 0 so they index a `Uint32Array` histogram. */
export const CharClass = {
  HIRAGANA: 0,
  /** Katakana incl. half-width ｱ-ﾝ, the prolonged sound mark ー and the phonetic extensions ㇰ-ㇿ. */
  KATAKANA: 1,
  /** CJK unified ideographs (+ ext A, ext B and later via surrogate pairs), compatibility ideographs, 々〆〇〻. */
  KANJI: 2,
  /** A-Z a-z and their full-width forms. */
  LATIN: 3,
  /** 0-9 and their full-width forms. */
  DIGIT: 4,
  /** Horizontal white space: tab, space, NBSP, U+2000-U+200A, U+3000, ... */
  SPACE: 5,
  /** Line breaks: LF, CR, VT, FF, NEL, U+2028, U+2029. */
  NEWLINE: 6,
  /** Japanese punctuation: 、。「」『』【】・ and the full-width/half-width punctuation forms. */
  JA_PUNCT: 7,
  /** ASCII punctuation and symbols: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ */
  ASCII_PUNCT: 8,
  /** Every other symbol: general punctuation (… — “”), arrows, math, box drawing, ①, ㈱, ㌔, emoji. */
  SYMBOL: 9,
  /** Letters of other scripts (é, Greek, Cyrillic, Hangul, ...), combining marks, unassigned code points. */
  OTHER: 10,
  /** Invisible format characters: zero-width space/joiners, bidi controls, BOM, variation selectors, soft hyphen. */
  FORMAT: 11,
  /** C0/C1 control characters (other than white space), U+FFFD, noncharacters U+FFFE/U+FFFF. */
  INVALID: 12,
  /** A surrogate code unit without its partner (not valid UTF-16; cannot be written as UTF-8). */
  LONE_SURROGATE: 13,
} as const;
export type CharClassId = (typeof CharClass)[keyof typeof CharClass];

/** Number of real classes (the histogram length). */
export const CHAR_CLASS_COUNT = 14;

/** snake_case names by class id, for reports. */
export const CHAR_CLASS_NAMES: readonly string[] = [
  'hiragana',
  'katakana',
  'kanji',
  'latin',
  'digit',
  'space',
  'newline',
  'ja_punct',
  'ascii_punct',
  'symbol',
  'other',
  'format',
  'invalid',
  'lone_surrogate',
];

/** Table-only markers for surrogate code units; the pass resolves them and never counts them. */
export const HIGH_SURROGATE = 14;
export const LOW_SURROGATE = 15;

function fill(table: Uint8Array, from: number, to: number, cls: number): void {
  table.fill(cls, from, to + 1);
}

/** Class of every BMP code unit. Later `fill`s override earlier ones, so blocks come first, exceptions after. */
function buildTable(): Uint8Array {
  const t = new Uint8Array(0x10000).fill(CharClass.OTHER);
  const C = CharClass;

  // ---- ASCII and Latin-1 ----
  fill(t, 0x00, 0x1f, C.INVALID);
  t[0x09] = C.SPACE;
  t[0x0a] = C.NEWLINE;
  t[0x0b] = C.NEWLINE;
  t[0x0c] = C.NEWLINE;
  t[0x0d] = C.NEWLINE;
  fill(t, 0x20, 0x7e, C.ASCII_PUNCT);
  t[0x20] = C.SPACE;
  fill(t, 0x30, 0x39, C.DIGIT);
  fill(t, 0x41, 0x5a, C.LATIN);
  fill(t, 0x61, 0x7a, C.LATIN);
  t[0x7f] = C.INVALID;
  fill(t, 0x80, 0x9f, C.INVALID);
  t[0x85] = C.NEWLINE;
  t[0xa0] = C.SPACE;
  fill(t, 0xa1, 0xbf, C.SYMBOL); // ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ (ª º µ are letters, rare enough)
  t[0xad] = C.FORMAT; // soft hyphen: invisible
  t[0xd7] = C.SYMBOL; // ×
  t[0xf7] = C.SYMBOL; // ÷

  // ---- General punctuation, symbols ----
  t[0x1680] = C.SPACE;
  fill(t, 0x2000, 0x200a, C.SPACE);
  fill(t, 0x200b, 0x200f, C.FORMAT); // ZWSP, ZWNJ, ZWJ, LRM, RLM
  fill(t, 0x2010, 0x2027, C.SYMBOL); // ‐ – — ‖ ‘ ’ “ ” † ‡ • ‥ … ‧
  t[0x2028] = C.NEWLINE;
  t[0x2029] = C.NEWLINE;
  fill(t, 0x202a, 0x202e, C.FORMAT); // bidi embedding controls
  t[0x202f] = C.SPACE;
  fill(t, 0x2030, 0x205e, C.SYMBOL); // ‰ ′ ″ ※ ‼ ⁇ ...
  t[0x205f] = C.SPACE;
  fill(t, 0x2060, 0x206f, C.FORMAT); // word joiner, invisible operators, bidi isolates
  fill(t, 0x2070, 0x2bff, C.SYMBOL); // super/subscripts, currency, letterlike, number forms, arrows, math,
  //                                    technical, enclosed alphanumerics ①, box drawing, geometric ■●,
  //                                    misc symbols ★♪, dingbats, braille, misc symbols and arrows
  fill(t, 0x2e00, 0x2e7f, C.SYMBOL); // supplemental punctuation
  fill(t, 0x2e80, 0x2fdf, C.KANJI); // CJK radicals supplement, Kangxi radicals (NFKC maps them to ideographs)
  fill(t, 0x2ff0, 0x2fff, C.SYMBOL); // ideographic description characters

  // ---- CJK symbols and punctuation (U+3000 block) ----
  t[0x3000] = C.SPACE; // ideographic space
  fill(t, 0x3001, 0x3004, C.JA_PUNCT); // 、。〃〄
  fill(t, 0x3005, 0x3007, C.KANJI); // 々〆〇 (Swallow counts 々〇 as kanji)
  fill(t, 0x3008, 0x3011, C.JA_PUNCT); // 〈〉《》「」『』【】
  fill(t, 0x3012, 0x3013, C.SYMBOL); // 〒〓
  fill(t, 0x3014, 0x301f, C.JA_PUNCT); // 〔〕〖〗〘〙〚〛〜〝〞〟
  t[0x3020] = C.SYMBOL;
  t[0x3030] = C.JA_PUNCT; // 〰
  fill(t, 0x3031, 0x3035, C.HIRAGANA); // 〱〲〳〴〵 kana repeat marks
  fill(t, 0x3036, 0x3037, C.SYMBOL);
  t[0x303b] = C.KANJI; // 〻 (Swallow counts it as kanji)
  t[0x303c] = C.SYMBOL; // 〼
  fill(t, 0x303d, 0x303f, C.JA_PUNCT);

  // ---- Kana ----
  fill(t, 0x3041, 0x3096, C.HIRAGANA); // ぁ-ゖ (Swallow's range)
  fill(t, 0x3099, 0x309a, C.OTHER); // combining (semi-)voiced marks
  fill(t, 0x309b, 0x309c, C.JA_PUNCT); // ゛゜
  fill(t, 0x309d, 0x309f, C.HIRAGANA); // ゝゞゟ
  t[0x30a0] = C.JA_PUNCT; // ゠
  fill(t, 0x30a1, 0x30fa, C.KATAKANA); // ァ-ヺ (Swallow's range)
  t[0x30fb] = C.JA_PUNCT; // ・
  fill(t, 0x30fc, 0x30ff, C.KATAKANA); // ー ヽ ヾ ヿ
  fill(t, 0x31c0, 0x31ef, C.SYMBOL); // CJK strokes
  fill(t, 0x31f0, 0x31ff, C.KATAKANA); // ㇰ-ㇿ
  fill(t, 0x3200, 0x33ff, C.SYMBOL); // enclosed CJK ㈱ ㊤, CJK compatibility ㌔ ㍻

  // ---- Ideographs ----
  fill(t, 0x3400, 0x4dbf, C.KANJI); // ext A
  fill(t, 0x4dc0, 0x4dff, C.SYMBOL); // hexagrams
  fill(t, 0x4e00, 0x9fff, C.KANJI); // unified ideographs
  fill(t, 0xf900, 0xfaff, C.KANJI); // compatibility ideographs

  // ---- Surrogates, private use, specials ----
  fill(t, 0xd800, 0xdbff, HIGH_SURROGATE);
  fill(t, 0xdc00, 0xdfff, LOW_SURROGATE);
  fill(t, 0xe000, 0xf8ff, C.SYMBOL); // private use: vendor emoji and icons
  fill(t, 0xfe00, 0xfe0f, C.FORMAT); // variation selectors
  fill(t, 0xfe10, 0xfe1f, C.JA_PUNCT); // vertical forms
  fill(t, 0xfe30, 0xfe4f, C.JA_PUNCT); // CJK compatibility forms (vertical punctuation)
  fill(t, 0xfe50, 0xfe6f, C.SYMBOL); // small form variants
  t[0xfeff] = C.FORMAT; // BOM / zero-width no-break space

  // ---- Half-width and full-width forms ----
  fill(t, 0xff01, 0xff0f, C.JA_PUNCT); // ！＂＃＄％＆＇（）＊＋，－．／
  fill(t, 0xff10, 0xff19, C.DIGIT);
  fill(t, 0xff1a, 0xff20, C.JA_PUNCT); // ：；＜＝＞？＠
  fill(t, 0xff21, 0xff3a, C.LATIN);
  fill(t, 0xff3b, 0xff40, C.JA_PUNCT);
  fill(t, 0xff41, 0xff5a, C.LATIN);
  fill(t, 0xff5b, 0xff65, C.JA_PUNCT); // ｛｜｝～｟｠ and half-width ｡｢｣､･
  fill(t, 0xff66, 0xff9f, C.KATAKANA); // half-width katakana ｦ-ﾟ
  fill(t, 0xffe0, 0xffee, C.SYMBOL); // ￠￡￢￣￤￥￦ and half-width symbols
  fill(t, 0xfff9, 0xfffb, C.FORMAT); // interlinear annotation
  t[0xfffc] = C.SYMBOL;
  t[0xfffd] = C.INVALID; // replacement character: a decoding error upstream
  t[0xfffe] = C.INVALID;
  t[0xffff] = C.INVALID;
  return t;
}

/** Class of each BMP code unit (surrogates map to `HIGH_SURROGATE` / `LOW_SURROGATE`). */
export const CHAR_CLASS_TABLE: Uint8Array = buildTable();

/** Class of a supplementary-plane code point (U+10000 and up). */
export function classifyAstral(codePoint: number): number {
  if (codePoint >= 0x20000 && codePoint <= 0x3ffff) return CharClass.KANJI; // ext B-H, compatibility supplement
  if (codePoint >= 0x1f000 && codePoint <= 0x1faff) return CharClass.SYMBOL; // emoji, mahjong, cards, ...
  if (codePoint >= 0x1b000 && codePoint <= 0x1b16f) return CharClass.HIRAGANA; // kana supplement, hentaigana
  if (codePoint >= 0x1d000 && codePoint <= 0x1d7ff) return CharClass.SYMBOL; // musical, math alphanumerics
  if (codePoint >= 0xe0000 && codePoint <= 0xe0fff) return CharClass.FORMAT; // tags, variation selectors supplement
  if (codePoint >= 0xf0000) return CharClass.SYMBOL; // supplementary private use
  return CharClass.OTHER;
}

/**
 * The floor pass: counts the classes of `text` into `out` (zeroed first) and returns the number of code
 * points. This is the loop every other rule is measured against in `pnpm bench filters`.
 */
export function countCharClasses(text: string, out: Uint32Array): number {
  out.fill(0);
  const table = CHAR_CLASS_TABLE;
  const n = text.length;
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let k = table[c]!;
    if (k >= HIGH_SURROGATE) {
      if (k === HIGH_SURROGATE && i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          k = classifyAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
          i++;
        } else k = CharClass.LONE_SURROGATE;
      } else k = CharClass.LONE_SURROGATE;
    }
    out[k]!++;
    chars++;
  }
  return chars;
}

/** A fresh histogram for `countCharClasses`. */
export function newCharClassHistogram(): Uint32Array {
  return new Uint32Array(CHAR_CLASS_COUNT);
}
