/**
 * What the server and the page *say* the charset is. Nothing here trusts it: decode.ts checks the
 * declaration against the bytes.
 */
import { normalizeCharsetLabel } from './labels.ts';

/**
 * How far into the body to look for `<meta>` and the XML prolog. WHATWG's prescan stops at 1024 bytes,
 * but real Japanese pages often put the meta after long scripts and comments; 4 KB finds those and stays cheap.
 */
export const DECLARATION_SCAN_BYTES = 4096;

const CHARSET_PARAMETER = /charset\s*=\s*["']?\s*([^\s"';,>]+)/i;
const XML_PROLOG_ENCODING = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']\s*([^"'\s]+)/i;
// One regex for both forms: <meta charset="x"> and <meta http-equiv=… content="text/html; charset=x">,
// whatever the attribute order.
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.\-]+)/gi;

/** The charset parameter of an HTTP `Content-Type` value, normalised; null when absent or unknown. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = CHARSET_PARAMETER.exec(contentType);
  return match?.[1] ? normalizeCharsetLabel(match[1]) : null;
}

/**
 * The charset the document declares in its first bytes: an XML prolog `encoding=` at the very start, else
 * the first `<meta>` carrying a known charset. Normalised; null when none.
 */
export function charsetFromDocumentHead(bytes: Uint8Array): string | null {
  const head = asciiView(bytes.subarray(0, DECLARATION_SCAN_BYTES));
  const prolog = XML_PROLOG_ENCODING.exec(head);
  if (prolog?.[1]) {
    const name = normalizeCharsetLabel(prolog[1]);
    if (name) return name;
  }
  META_CHARSET.lastIndex = 0;
  for (let match = META_CHARSET.exec(head); match; match = META_CHARSET.exec(head)) {
    const name = match[1] ? normalizeCharsetLabel(match[1]) : null;
    if (name) return name;
  }
  return null;
}

/** Bytes as a string of the same length (one char per byte), enough for ASCII-only regexes. */
function asciiView(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
