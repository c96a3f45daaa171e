/**
 * Charset labels → the names this module decodes with: WHATWG encoding names (what `TextDecoder`
 * reports as `.encoding`), plus four this module decodes itself: `utf-32le`, `utf-32be`, `iso-2022-kr`, `johab`.
 *
 * Real pages and servers use labels the WHATWG list lacks (`cp932`, `ujis`, `cp949`, `utf-8-sig`…);
 * `new TextDecoder('cp932')` throws, so those are mapped first.
 */

/** Labels seen in the wild that the WHATWG Encoding Standard does not list, mapped as browsers treat them. */
const EXTRA_ALIASES: ReadonlyMap<string, string> = new Map([
  // Windows-31J: WHATWG's shift_jis *is* CP932 (NEC/IBM extensions included).
  ['cp932', 'shift_jis'],
  ['windows-932', 'shift_jis'],
  ['x-ms-cp932', 'shift_jis'],
  ['shiftjis', 'shift_jis'],
  ['shift-jisx0213', 'shift_jis'],
  ['shift_jisx0213', 'shift_jis'],
  ['sjis-open', 'shift_jis'],
  ['sjis-win', 'shift_jis'],
  ['eucjp', 'euc-jp'],
  ['euc_jp', 'euc-jp'],
  ['ujis', 'euc-jp'],
  ['x-eucjp', 'euc-jp'],
  ['eucjp-win', 'euc-jp'],
  ['euc-jis-2004', 'euc-jp'],
  ['cp51932', 'euc-jp'],
  ['iso2022jp', 'iso-2022-jp'],
  ['jis', 'iso-2022-jp'],
  // WHATWG's gbk decoder is the gb18030 decoder, so every GB label lands on it.
  ['cp936', 'gbk'],
  ['ms936', 'gbk'],
  ['windows-936', 'gbk'],
  ['euc-cn', 'gbk'],
  ['euccn', 'gbk'],
  ['gb-2312', 'gbk'],
  // WHATWG's euc-kr decoder is UHC / CP949.
  ['cp949', 'euc-kr'],
  ['uhc', 'euc-kr'],
  ['ms949', 'euc-kr'],
  ['euckr', 'euc-kr'],
  ['euc_kr', 'euc-kr'],
  ['ks_c_5601', 'euc-kr'],
  // WHATWG's big5 decoder is Big5-HKSCS, a superset of CP950.
  ['cp950', 'big5'],
  ['ms950', 'big5'],
  ['windows-950', 'big5'],
  ['big5hkscs', 'big5'],
  ['big5_hkscs', 'big5'],
  ['utf-8-sig', 'utf-8'],
  ['utf8-sig', 'utf-8'],
  ['utf-16be', 'utf-16be'],
  ['utf16be', 'utf-16be'],
  ['utf16le', 'utf-16le'],
  ['utf16', 'utf-16le'],
  // No BOM and no declared endianness: the byte sniffer decides; little-endian is what Windows writes.
  ['utf-32', 'utf-32le'],
  ['utf32', 'utf-32le'],
  ['utf-32le', 'utf-32le'],
  ['utf-32be', 'utf-32be'],
  ['ucs-4', 'utf-32le'],
  // WHATWG maps ISO-2022-KR to "replacement" (a browser security choice); a corpus can decode it.
  ['iso-2022-kr', 'iso-2022-kr'],
  ['csiso2022kr', 'iso-2022-kr'],
  // Not in WHATWG at all; decoded by johab.ts.
  ['johab', 'johab'],
  ['cp1361', 'johab'],
  ['x-johab', 'johab'],
  ['cp1252', 'windows-1252'],
  ['cp1251', 'windows-1251'],
  ['koi8r', 'koi8-r'],
]);

const resolved = new Map<string, string | null>();

/**
 * The canonical lower-case name for a charset label, or null when nothing here can decode it
 * (an unknown label is no declaration at all: the next source, or the sniffer, decides).
 */
export function normalizeCharsetLabel(label: string): string | null {
  const key = label.trim().replace(/^["']+|["']+$/g, '').trim().toLowerCase();
  if (key === '') return null;
  const cached = resolved.get(key);
  if (cached !== undefined) return cached;
  const name = EXTRA_ALIASES.get(key) ?? whatwgName(key);
  resolved.set(key, name);
  return name;
}

function whatwgName(label: string): string | null {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

/** Charsets whose bytes 0x00–0x7F are ASCII, so pure-ASCII bytes read the same under them as under UTF-8. */
export function isAsciiCompatible(charset: string): boolean {
  return !charset.startsWith('utf-16') && !charset.startsWith('utf-32') && charset !== 'replacement';
}
