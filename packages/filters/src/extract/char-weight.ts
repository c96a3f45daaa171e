/**
 * Character weighting for length thresholds. Japanese and Chinese have no spaces and pack a word into
 * one to three characters, so a 40-character Japanese sentence carries about as much content as a
 * 100-character English one. Counting CJK characters `cjkCharWeight` times lets one set of thresholds
 * serve both scripts.
 */

/** True for Han, kana, Hangul and full-width forms: the scripts that write words without spaces. */
export function isCjkCode(code: number): boolean {
  return (
    (code >= 0x3040 && code <= 0x30ff) || // hiragana, katakana
    (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xac00 && code <= 0xd7af) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xff01 && code <= 0xff5e) || // full-width ASCII variants
    (code >= 0xff66 && code <= 0xff9f) || // half-width katakana
    (code >= 0xd840 && code <= 0xd87f) // high surrogates of the supplementary ideographic plane
  );
}

/** True for the characters HTML rendering collapses (ASCII whitespace, NBSP, ideographic space, ...). */
export function isSpaceCode(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x3000 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0xfeff ||
    code === 0x1680 ||
    code === 0x85
  );
}

/**
 * Weighted length of `text[start, end)`: non-space characters count 1, CJK characters `cjkCharWeight`.
 * A plain loop over char codes so the hot path allocates nothing.
 */
export function weightedLength(text: string, start: number, end: number, cjkCharWeight: number): number {
  let weight = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20) {
      if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) continue;
      weight += 1;
    } else if (code < 0x3000) {
      if (code >= 0x80 && isSpaceCode(code)) continue;
      weight += 1;
    } else if (isCjkCode(code)) {
      weight += cjkCharWeight;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      // low surrogate: its high half was already counted
      continue;
    } else if (!isSpaceCode(code)) {
      weight += 1;
    }
  }
  return weight;
}

/** Collapses every whitespace run to one space and trims: the visible form of one line of HTML text. */
export function collapseWhitespace(line: string): string {
  return line.replace(WHITESPACE_RUN, ' ').trim();
}

// `\s` in JS already covers NBSP, U+3000 and U+FEFF; the C1 NEL is added for legacy-decoded pages.
const WHITESPACE_RUN = /[\s\u0085]+/g;
