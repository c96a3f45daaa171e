import { Buffer } from 'node:buffer';

/**
 * UTF-8 length of a string without encoding it (the ledger counts bytes of every doc). Node's native
 * count: a lone surrogate is 3 bytes (U+FFFD, as an encoder writes it), a pair 4; ~3× a JS loop.
 */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** A surrogate pair; matched left to right, so `\uD800\uD800\uDC00` holds one (its second and third units). */
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * Characters as the ledger counts them: Unicode code points (a surrogate pair is one), as Python's
 * `len()` and DuckDB's `length()` count, so an auditor's recount matches; JS `length` counts UTF-16 units.
 * The pairs are found by the regex engine's native scan (~4× a JS loop over every unit; most texts have none).
 */
export function codePointLength(s: string): number {
  let pairs = 0;
  SURROGATE_PAIR.lastIndex = 0;
  while (SURROGATE_PAIR.exec(s) !== null) pairs++;
  return s.length - pairs;
}
