/**
 * `extract_japanese_text` of llm-jp-corpus v2.0.0 `filters.py` (Python `regex` module), the map the
 * `ja_cc` chain applies after its filters. Per `\n`-separated line (`str.split("\n")`, not `splitlines()`:
 * \r, U+2028 and the like stay inside lines), a line is kept when it contains a Hiragana- or
 * Katakana-script character or ー; from a kept line, URLs are cut first, then runs of ≥ 100 ASCII
 * characters (a run can form across a removed URL); kept lines are concatenated with NO separator.
 *
 * Quirks kept on purpose:
 * - the kana test runs on the line before the cuts, so a line whose only kana sit inside a URL is kept
 *   (and may come out empty);
 * - the URL pattern's `\w` is Unicode (letters, marks, digits, connector punctuation, ZWJ/ZWNJ): after
 *   `https://…/` it also swallows the Japanese words that follow, up to a space or punctuation such as 、。;
 * - only `http://` and `https://` in lowercase.
 */

/**
 * `[\p{Script=Hiragana}\p{Script=Katakana}ー]` with the Unicode 15 data of the reference's `regex` build,
 * written out so the result does not move with Node's ICU: Script (not Script_Extensions), so ー, ・, ゛,
 * 々 and half-width ｰ are not in the scripts; ー is added by the reference itself.
 */
export const KANA_LINE = /[\u3041-\u3096\u309D-\u309F\u30A1-\u30FA\u30FC-\u30FF\u31F0-\u31FF\u32D0-\u32FE\u3300-\u3357\uFF66-\uFF6F\uFF71-\uFF9D\u{1AFF0}-\u{1AFF3}\u{1AFF5}-\u{1AFFB}\u{1AFFD}\u{1AFFE}\u{1B000}-\u{1B122}\u{1B132}\u{1B150}-\u{1B152}\u{1B155}\u{1B164}-\u{1B167}\u{1F200}]/u;

/** `https?://[\w/:%#\$&\?\(\)~\.=\+\-]+`, `\w` being the `regex` module's Unicode word class. */
const URL_RUN = /https?:\/\/[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}/:%#$&?()~.=+-]+/gu;

/** `[\u0000-\u007F…]{100,}`: the extra ranges are inside U+0000–U+007F, so: 100+ ASCII characters. */
const ASCII_RUN = /[\x00-\x7F]{100,}/g;

export function extractJapaneseText(text: string): string {
  let out = '';
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    if (KANA_LINE.test(line)) out += line.replace(URL_RUN, '').replace(ASCII_RUN, '');
    start = end + 1;
  }
  return out;
}
