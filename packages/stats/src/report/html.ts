/**
 * HTML text helpers for the report. Everything that reaches the page goes through `esc`: URLs, file
 * names, drop reasons and Japanese sample text are data, never markup.
 */

// CR as a character reference: the HTML parser turns a literal CR LF into LF, and a sample of raw HTTP
// bytes (an audit sample of the html step) must show what its file holds.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\r': '&#13;' };

/**
 * Escapes text for an element body or a quoted attribute (HTML and inline SVG alike). C0 controls other
 * than tab, newline and carriage return are not allowed in HTML text, so they become U+FFFD; lone
 * surrogates would be written as U+FFFD by the UTF-8 encoder anyway.
 */
export function esc(text: string): string {
  return text.replace(/[&<>"'\r]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => ESCAPES[c] ?? '\ufffd');
}

/** An integer with thousands separators, independent of the machine's locale: 1234567 → "1,234,567". */
export function formatInt(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return sign + out;
}

/** A score or bin edge: integers as integers, others with 3 significant digits. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return formatInt(n);
  if (n !== 0 && Math.abs(n) < 0.001) return n.toExponential(2);
  return String(Number(n.toPrecision(3)));
}

/** Share as a percentage with one decimal: 0.1234 → "12.3%". */
export function formatPercent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

/**
 * A number a test or a script can read back: the element's text is the exact integer (grouped with
 * commas); `data-metric` names what it is.
 */
export function metric(name: string, value: number, tag = 'span'): string {
  return `<${tag} data-metric="${esc(name)}">${formatInt(value)}</${tag}>`;
}

/** A text value (tokenizer, run id) with a stable name. */
export function textMetric(name: string, value: string, tag = 'span'): string {
  return `<${tag} data-metric="${esc(name)}">${esc(value)}</${tag}>`;
}

/**
 * A table. `align` has one letter per column, `l` or `r` (numbers); header texts are escaped here, cells
 * are HTML already (escape text with `esc` or build it with `metric`).
 */
export function table(head: string[], rows: string[][], align: string, rowClass: (i: number) => string = () => ''): string {
  if (align.length !== head.length) throw new Error(`table: ${head.length} columns, alignment '${align}'`);
  const cls = (i: number): string => (align[i] === 'r' ? ' class="num"' : '');
  const th = head.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('');
  const body = rows
    .map((r, ri) => {
      const rc = rowClass(ri);
      return `<tr${rc ? ` class="${esc(rc)}"` : ''}>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
