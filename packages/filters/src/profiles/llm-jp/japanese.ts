/**
 * `is_not_empty` (llm-jp-corpus `filters.py`) and `is_japanese` (HojiChar v0.9.0 `AcceptJapanese`).
 */
import { isPythonBlank } from './python-str.ts';

/**
 * `text.strip() != ""` with Python's whitespace: a text of U+3000 and U+001C only is empty, one holding a
 * BOM (U+FEFF, which JS `trim()` would strip) is not.
 */
export function isNotEmpty(text: string): boolean {
  return !isPythonBlank(text);
}

/**
 * `AcceptJapanese`: `re.search("[ぁ-んァ-ン]", text[:50])`. The window is 50 code points, not UTF-16
 * units (an astral character before the kana counts once). The classes stop at ん U+3093 and ン U+30F3:
 * ゔ, ゕ, ゖ, ヴ, ヵ, ヶ, the long-vowel mark ー, half-width ｱ and the small-kana extensions are not kana here.
 * HojiChar ignores its `lookup_size` argument and always looks at 50; `lookupChars` defaults to that.
 */
export function isJapanese(text: string, lookupChars = 50): boolean {
  let seen = 0;
  for (let i = 0; i < text.length && seen < lookupChars; i++, seen++) {
    const unit = text.charCodeAt(i);
    if ((unit >= 0x3041 && unit <= 0x3093) || (unit >= 0x30a1 && unit <= 0x30f3)) return true;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return false;
}
