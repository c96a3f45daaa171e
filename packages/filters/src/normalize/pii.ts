/**
 * PII masking, after normalisation (so full-width digits are ASCII), in the style of HojiChar's
 * `MaskPersonalInformation`: the shape stays, the identifying part goes.
 *
 * - E-mail: `taro.yamada@example.co.jp` → `xxxx@yyy.jp` (HojiChar keeps the top-level domain).
 * - Japanese phone numbers: the last four digits become `XXXX` (HojiChar: `06-1234-5678` → `06-1234-XXXX`).
 *   Accepted: 0 + 9 digits (landlines 0X-XXXX-XXXX … 0XXXX-X-XXXX, 0120/0570 numbers), 0 + 10 digits only
 *   for 050/070/080/090/0800 (IP phones, mobiles, toll-free), +81 + 9 or 10 digits; separators `-`, space,
 *   parentheses, ‐ − ー; not inside a longer run of digits or letters. HojiChar has no such bounds and
 *   masks inside any long number.
 * - IPv4 addresses (each octet ≤ 255): the whole address becomes `xxx.xxx.xxx.xxx`.
 *
 * E-mail addresses are found without a regex: from each `@`, a bounded scan left over the local part and
 * right over the domain. A regex like `[\w.+-]+@` is quadratic on a long run of letters without `@`.
 */

export interface PiiConfig {
  maskEmails: boolean;
  maskPhones: boolean;
  maskIpv4: boolean;
  /** Replacement of an address's local part and domain; HojiChar's `xxxx@yyy` (the TLD is kept). */
  emailPlaceholder: string;
  /** Character that replaces each of the last four digits of a phone number (HojiChar: X). */
  phoneMaskChar: string;
  ipv4Placeholder: string;
}

export const DEFAULT_PII_CONFIG: PiiConfig = {
  maskEmails: true,
  maskPhones: true,
  maskIpv4: true,
  emailPlaceholder: 'xxxx@yyy',
  phoneMaskChar: 'X',
  ipv4Placeholder: 'xxx.xxx.xxx.xxx',
};

export interface PiiCounts {
  email: number;
  phone: number;
  ipv4: number;
}

export interface MaskResult {
  text: string;
  counts: PiiCounts;
}

// ---- e-mail addresses ----

/** RFC 5322 atext plus '.', for the local part. */
const LOCAL_CHAR = new Uint8Array(128);
/** Letters, digits, '-', '.' for the domain. */
const DOMAIN_CHAR = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~.") LOCAL_CHAR[ch.charCodeAt(0)] = 1;
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.') DOMAIN_CHAR[ch.charCodeAt(0)] = 1;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/**
 * Finds the next e-mail address in `text` starting at or after `from`. On success writes
 * [start, end, tldStart] into `span` and returns true. Linear over the text: each `@` costs at most
 * 64 + 253 steps.
 */
export function findEmail(text: string, from: number, span: Int32Array): boolean {
  const n = text.length;
  let at = text.indexOf('@', from);
  while (at >= 0) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL) {
      const c = text.charCodeAt(start - 1);
      if (c >= 128 || LOCAL_CHAR[c] === 0) break;
      start--;
    }
    while (start < at && text.charCodeAt(start) === 0x2e) start++; // a local part does not start with '.'
    let end = at + 1;
    while (end < n && end - at - 1 < MAX_DOMAIN) {
      const c = text.charCodeAt(end);
      if (c >= 128 || DOMAIN_CHAR[c] === 0) break;
      end++;
    }
    while (end > at + 1 && (text.charCodeAt(end - 1) === 0x2e || text.charCodeAt(end - 1) === 0x2d)) end--;
    // The last dot of the domain: a bounded scan back (lastIndexOf would run past '@' to the text start).
    let dot = end - 1;
    while (dot > at && text.charCodeAt(dot) !== 0x2e) dot--;
    // Valid: a local part, a domain label before the last dot, a TLD of 2+ characters starting with a letter.
    if (start < at && dot > at + 1 && end - dot - 1 >= 2 && isLetter(text.charCodeAt(dot + 1))) {
      span[0] = start;
      span[1] = end;
      span[2] = dot;
      return true;
    }
    at = text.indexOf('@', at + 1);
  }
  return false;
}

// ---- phone numbers and IPv4 ----

const PHONE_SEP = '[- ()\\u2010\\u2212\\u30fc]{0,2}';
/**
 * Candidate Japanese phone numbers; the digit counts are checked in `maskPhone`. Bounded quantifiers
 * only, so each start position costs a constant: linear in the text.
 */
const PHONE = new RegExp(
  `(?<![0-9A-Za-z+])(?:\\+81[- ]?(?:\\(0\\))?|\\(?0)(\\d{1,4})${PHONE_SEP}(\\d{1,4})${PHONE_SEP}(\\d{3,4})(?![0-9A-Za-z]|-\\d)`,
  'g',
);
const IPV4 = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\d|\.\d)/g;

// Replacement callbacks are module functions (not closures per text); these carry their state.
let phoneCount = 0;
let ipv4Count = 0;
let phoneMaskChar = 'X';
let ipv4Placeholder = 'xxx.xxx.xxx.xxx';

function maskPhone(match: string, area: string, local: string, last: string): string {
  const digits = area.length + local.length + last.length;
  if (match.startsWith('+')) {
    if (digits < 9 || digits > 10) return match;
  } else {
    const total = digits + 1;
    const elevenDigitPrefix = area.length >= 2 && '5789'.includes(area[0]!) && area[1] === '0';
    if (!(total === 10 || (total === 11 && elevenDigitPrefix))) return match;
  }
  // Replace the last four digits, keeping separators.
  let out = '';
  let toMask = 4;
  let i = match.length - 1;
  for (; i >= 0 && toMask > 0; i--) {
    const c = match.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      out = phoneMaskChar + out;
      toMask--;
    } else out = match[i]! + out;
  }
  phoneCount++;
  return match.slice(0, i + 1) + out;
}

function maskIpv4(match: string, a: string, b: string, c: string, d: string): string {
  if (Number(a) > 255 || Number(b) > 255 || Number(c) > 255 || Number(d) > 255) return match;
  ipv4Count++;
  return ipv4Placeholder;
}

function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
  }
  return false;
}

export type PiiMasker = (text: string) => MaskResult;

export function createPiiMasker(config: PiiConfig = DEFAULT_PII_CONFIG): PiiMasker {
  if (config.phoneMaskChar.length !== 1) {
    throw new Error(`pii config phoneMaskChar: expected one character, got ${JSON.stringify(config.phoneMaskChar)}`);
  }
  const span = new Int32Array(3);
  return (text: string): MaskResult => {
    const counts: PiiCounts = { email: 0, phone: 0, ipv4: 0 };
    let out = text;
    if (config.maskEmails && out.indexOf('@') >= 0) {
      const parts: string[] = [];
      let pos = 0;
      while (findEmail(out, pos, span)) {
        parts.push(out.slice(pos, span[0]), config.emailPlaceholder, out.slice(span[2], span[1]));
        pos = span[1]!;
        counts.email++;
      }
      if (counts.email > 0) {
        parts.push(out.slice(pos));
        out = parts.join('');
      }
    }
    if ((config.maskPhones || config.maskIpv4) && hasDigit(out)) {
      if (config.maskPhones) {
        phoneCount = 0;
        phoneMaskChar = config.phoneMaskChar;
        out = out.replace(PHONE, maskPhone);
        counts.phone = phoneCount;
      }
      if (config.maskIpv4) {
        ipv4Count = 0;
        ipv4Placeholder = config.ipv4Placeholder;
        out = out.replace(IPV4, maskIpv4);
        counts.ipv4 = ipv4Count;
      }
    }
    return { text: out, counts };
  };
}

const defaultMasker = createPiiMasker();

/** Masks e-mail addresses, Japanese phone numbers and IPv4 addresses with `DEFAULT_PII_CONFIG`. */
export function maskPii(text: string): MaskResult {
  return defaultMasker(text);
}
