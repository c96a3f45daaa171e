import { DEFAULT_MINHASH_CONFIG, type MinHashConfig } from './config.ts';
import { fmix32 } from '@jcp/core';
import { shingleHashes } from './shingles.ts';

/**
 * MinHash over typed arrays. Each of the `numPerm` hash functions is h_k(x) = (a_k·x + b_k) mod 2^32
 * with odd a_k, applied to an already well-mixed 32-bit shingle hash: two Math.imul-class operations per
 * shingle and function, exact in 32-bit arithmetic (the `minhash` package's (a·x+b) mod p exceeds 2^53
 * and loses precision). docs/decisions.md has the speed and accuracy against that package.
 */
export class MinHasher {
  private readonly a: Uint32Array;
  private readonly b: Uint32Array;
  private scratch: Uint32Array = new Uint32Array(4096);

  constructor(readonly config: MinHashConfig = DEFAULT_MINHASH_CONFIG) {
    this.a = new Uint32Array(config.numPerm);
    this.b = new Uint32Array(config.numPerm);
    let state = config.seed >>> 0;
    const next = (): number => (state = fmix32((state + 0x9e3779b9) >>> 0));
    for (let k = 0; k < config.numPerm; k++) {
      this.a[k] = (next() | 1) >>> 0;
      this.b[k] = next();
    }
  }

  /**
   * The signature of `text` into `out` (length numPerm). Returns the number of shingles; 0 means the
   * text was empty and the signature is all 0xFFFFFFFF (callers drop such docs before dedup).
   */
  signature(text: string, out: Uint32Array = new Uint32Array(this.config.numPerm)): { signature: Uint32Array; shingles: number } {
    out.fill(0xffffffff);
    const { hashes, count } = shingleHashes(text, this.config.shingleChars, this.scratch);
    this.scratch = hashes;
    const { a, b } = this;
    const perms = this.config.numPerm;
    for (let i = 0; i < count; i++) {
      const x = hashes[i]!;
      for (let k = 0; k < perms; k++) {
        const v = (Math.imul(a[k]!, x) + b[k]!) >>> 0;
        if (v < out[k]!) out[k] = v;
      }
    }
    return { signature: out, shingles: count };
  }
}

/** Share of equal positions: the MinHash estimate of the Jaccard similarity of the two shingle sets. */
export function estimatedJaccard(x: Uint32Array, y: Uint32Array): number {
  if (x.length !== y.length) throw new Error(`signatures differ in length: ${x.length} vs ${y.length}`);
  let same = 0;
  for (let k = 0; k < x.length; k++) if (x[k] === y[k]) same++;
  return same / x.length;
}
