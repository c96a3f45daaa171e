import { fmix32 } from '@jcp/core';

/** Multiplier of the rolling polynomial hash (an odd 32-bit constant, FNV's prime). */
const BASE = 0x01000193;


/**
 * 32-bit hashes of every `n`-character shingle of `text` (UTF-16 code units), in one rolling pass with
 * no string allocation. A text shorter than `n` is one shingle; an empty text has none.
 * Writes into `out` (grown when too small) and returns it with the count.
 */
export function shingleHashes(text: string, n: number, out: Uint32Array): { hashes: Uint32Array; count: number } {
  if (text.length === 0) return { hashes: out, count: 0 };
  const count = Math.max(1, text.length - n + 1);
  const hashes = out.length >= count ? out : new Uint32Array(Math.max(count, out.length * 2));
  const width = Math.min(n, text.length);
  // BASE^(width-1): the weight of the character leaving the window.
  let outWeight = 1;
  for (let i = 1; i < width; i++) outWeight = Math.imul(outWeight, BASE);
  let h = 0;
  for (let i = 0; i < width; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  hashes[0] = fmix32(h);
  for (let i = width, k = 1; i < text.length; i++, k++) {
    h = (Math.imul(h - Math.imul(text.charCodeAt(i - width), outWeight), BASE) + text.charCodeAt(i)) | 0;
    hashes[k] = fmix32(h);
  }
  return { hashes, count };
}
