import { fmix32 } from '@jcp/core';

/**
 * The 64-bit bucket key of each band: the band's `rows` signature values hashed twice with different
 * seeds (two 32-bit halves). At 64 bits, unrelated bands collide about once per 10^19 pairs, so a shared
 * key means shared rows for any corpus size we will see.
 * Writes `bands` pairs (hi, lo) into `out`.
 */
export function bandKeys(signature: Uint32Array, bands: number, rows: number, out: Uint32Array = new Uint32Array(2 * bands)): Uint32Array {
  for (let b = 0; b < bands; b++) {
    let hi = 0x9747b28c ^ b;
    let lo = 0x5bd1e995 ^ Math.imul(b + 1, 0x27d4eb2f);
    for (let r = b * rows, end = r + rows; r < end; r++) {
      const v = signature[r]!;
      hi = fmix32((hi ^ v) + 0x9e3779b9);
      lo = fmix32(Math.imul(lo ^ v, 0xcc9e2d51) + 0x85ebca6b);
    }
    out[2 * b] = hi >>> 0;
    out[2 * b + 1] = lo >>> 0;
  }
  return out;
}

/** The exact band's key: the first 8 bytes of the exact-text key (hex). */
export function exactBandKey(exactKeyHex: string): [number, number] {
  return [Number.parseInt(exactKeyHex.slice(0, 8), 16) >>> 0, Number.parseInt(exactKeyHex.slice(8, 16), 16) >>> 0];
}
