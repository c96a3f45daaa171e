/**
 * Character classes shared by the NG-word share and the classifier's chunking, per UTF-16 code unit
 * (no per-character allocation; a supplementary-plane character counts once, by its high surrogate).
 */

/**
 * A letter: kana, kanji, Hangul, Latin/Greek/Cyrillic letters (ASCII, Latin-1 and full-width forms).
 * Not: digits, spaces, punctuation, symbols, emoji. The denominator of `ng_char_share`, so that a page
 * padded with numbers, markup residue or emoji cannot dilute its NG words.
 */
export function isLetterUnit(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (c < 0x3000) {
    // Latin-1 letters (not × ÷), Latin Extended, IPA, Greek, Cyrillic.
    return (c >= 0xc0 && c <= 0x52f && c !== 0xd7 && c !== 0xf7) || (c >= 0x1e00 && c <= 0x1fff);
  }
  if (c <= 0x30ff) {
    // 々〆〇, hiragana (ぁ–ゖ, ゝゞ), katakana (ァ–ヺ, ー, ヽヾ); not 、。「」 nor ・ (30FB).
    return (c >= 0x3005 && c <= 0x3007) || (c >= 0x3041 && c <= 0x3096) || c === 0x309d || c === 0x309e ||
      (c >= 0x30a1 && c <= 0x30fa) || (c >= 0x30fc && c <= 0x30fe);
  }
  if (c <= 0x31ff) return c >= 0x31f0; // katakana phonetic extensions
  if (c <= 0x4dbf) return c >= 0x3400; // CJK extension A
  if (c <= 0x9fff) return c >= 0x4e00; // CJK unified ideographs
  if (c >= 0xac00 && c <= 0xd7a3) return true; // Hangul syllables
  if (c >= 0xd840 && c <= 0xd87f) return true; // high surrogates of CJK extensions B–F (plane 2)
  if (c >= 0xf900 && c <= 0xfaff) return true; // CJK compatibility ideographs
  if (c >= 0xff21 && c <= 0xff3a) return true; // full-width A–Z
  if (c >= 0xff41 && c <= 0xff5a) return true; // full-width a–z
  return c >= 0xff66 && c <= 0xff9d; // half-width katakana
}

/** Letters in `text[from, to)`. */
export function countLetters(text: string, from = 0, to = text.length): number {
  let letters = 0;
  for (let i = from; i < to; i++) if (isLetterUnit(text.charCodeAt(i))) letters++;
  return letters;
}
