/**
 * The few Python `str` semantics the reference relies on, which JavaScript strings do not share: Python
 * counts and slices code points (JS: UTF-16 units), and `str.strip()` / `str.isspace()` /
 * `str.splitlines()` use Python's own whitespace and line-break sets (JS `trim()` also strips U+FEFF but
 * not U+001C–U+001F or U+0085).
 */

/** `chr(c).isspace()` in CPython 3.11 (bidi class WS/B/S or category Zs); all are BMP code units. */
export function isPythonSpace(unit: number): boolean {
  if (unit <= 0x20) return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d) || (unit >= 0x1c && unit <= 0x1f);
  if (unit < 0x85) return false;
  return (
    unit === 0x85 ||
    unit === 0xa0 ||
    unit === 0x1680 ||
    (unit >= 0x2000 && unit <= 0x200a) ||
    unit === 0x2028 ||
    unit === 0x2029 ||
    unit === 0x202f ||
    unit === 0x205f ||
    unit === 0x3000
  );
}

/** Python `s.strip()` (no argument). */
export function pythonStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPythonSpace(s.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python `s.strip() == ""`, without building the stripped string. */
export function isPythonBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isPythonSpace(s.charCodeAt(i))) return false;
  return true;
}

/** Python `len(s)`: a surrogate pair is one code point, a lone surrogate one too, as the ledger counts. */
export { codePointLength } from '@jcp/core';

/** Python `s.splitlines()`: breaks on \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029; no trailing empty line. */
export function pythonSplitLines(s: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const unit = s.charCodeAt(i);
    const isBreak =
      unit === 0x0a ||
      unit === 0x0d ||
      unit === 0x0b ||
      unit === 0x0c ||
      unit === 0x1c ||
      unit === 0x1d ||
      unit === 0x1e ||
      unit === 0x85 ||
      unit === 0x2028 ||
      unit === 0x2029;
    if (!isBreak) {
      i++;
      continue;
    }
    lines.push(s.slice(start, i));
    i += unit === 0x0d && s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    start = i;
  }
  if (start < s.length) lines.push(s.slice(start));
  return lines;
}
