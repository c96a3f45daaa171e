import { DEFAULT_MINHASH_CONFIG, type MinHashConfig } from './config.ts';
import { fmix32 } from '@jcp/core';
import { shingleHashes } from './shingles.ts';

/**
 * Which estimator made a signature. Signatures of different schemes never agree position by position,
 * so the signature file and the persistent index record it and refuse a mismatch
 * (signature-file.ts, persistent-index.ts). Earlier files (format JCPSIG01) held 128 independent
 * permutations, (a_k·x + b_k) mod 2^32 each.
 */
export const SIGNATURE_SCHEME = 'oph-optimal-densification';

/** Bins are picked from a hash's top 16 bits. */
const MAX_BINS = 65536;
/** Odd, so multiplying by it mod 2^32 is a bijection; murmur3's fmix32 constant. */
const SHINGLE_MULTIPLIER = 0x85ebca6b;

/**
 * One-permutation MinHash with optimal densification (Shrivastava, "Optimal Densification for Fast and
 * Accurate Minwise Hashing", ICML 2017). Each shingle is hashed once, with a seeded bijection of its
 * 32-bit hash (xor, then an odd multiplier); the hash picks one of `numPerm` bins and the bin keeps its minimum. Bins no shingle fell
 * into borrow the value of a non-empty bin chosen by a hash of (bin, attempt) that is the same for
 * every document, so two documents borrow from the same bin and the share of equal positions stays an
 * unbiased estimate of the Jaccard similarity. One hash per shingle instead of `numPerm`: the
 * per-permutation loop was 0.029 of shingle hashing alone (docs/decisions.md has the figures).
 */
export class MinHasher {
  /** Seed of the per-shingle bijection. */
  private readonly shingleSeed: number;
  /** Seed of the densification's (bin, attempt) → bin hash. */
  private readonly borrowSeed: number;
  private scratch: Uint32Array = new Uint32Array(4096);
  /** 1 where a shingle fell into the bin (the bins densification may borrow from). */
  private readonly filled: Uint8Array;

  constructor(readonly config: MinHashConfig = DEFAULT_MINHASH_CONFIG) {
    this.shingleSeed = fmix32((config.seed >>> 0) + 0x9e3779b9);
    this.borrowSeed = fmix32(this.shingleSeed + 0x9e3779b9);
    if (!(Number.isInteger(config.numPerm) && config.numPerm >= 1 && config.numPerm <= MAX_BINS)) {
      throw new Error(`minhash config: numPerm ${config.numPerm} is not an integer in [1, ${MAX_BINS}]`);
    }
    this.filled = new Uint8Array(config.numPerm);
  }

  /**
   * The signature of `text` into `out` (length numPerm). Returns the number of shingles; 0 means the
   * text was empty and the signature is all 0xFFFFFFFF (callers drop such docs before dedup).
   */
  signature(text: string, out: Uint32Array = new Uint32Array(this.config.numPerm)): { signature: Uint32Array; shingles: number } {
    out.fill(0xffffffff);
    const { hashes, count } = shingleHashes(text, this.config.shingleChars, this.scratch);
    this.scratch = hashes;
    if (count === 0) return { signature: out, shingles: 0 };
    const bins = this.config.numPerm;
    const seed = this.shingleSeed;
    for (let i = 0; i < count; i++) {
      // A seeded bijection of the (already fmix32-mixed) shingle hash: one multiply per shingle.
      const v = Math.imul(hashes[i]! ^ seed, SHINGLE_MULTIPLIER) >>> 0;
      // The bin is v's top 16 bits scaled to [0, bins), integer arithmetic only: bins ≤ 2^16 (checked
      // in the constructor). Monotone in v, so within a bin a smaller v is a smaller rank and the bin's
      // minimum is the minimum under one random permutation.
      const bin = Math.imul(v >>> 16, bins) >>> 16;
      if (v < out[bin]!) out[bin] = v;
    }
    // A bin still at 0xFFFFFFFF is empty (a shingle hashing to exactly 0xFFFFFFFF counts as absent,
    // the same way in every document, so the estimate stays consistent).
    const filled = this.filled;
    let nonEmpty = 0;
    for (let j = 0; j < bins; j++) nonEmpty += filled[j] = out[j] === 0xffffffff ? 0 : 1;
    // nonEmpty 0 (every shingle at 0xFFFFFFFF) leaves nothing to borrow: the all-empty signature.
    if (nonEmpty > 0 && nonEmpty < bins) this.densify(out);
    return { signature: out, shingles: count };
  }

  /**
   * Optimal densification: each empty bin j tries bins h(j, 1), h(j, 2), … until one that a shingle
   * filled, and copies its value. Expected attempts per empty bin: bins / non-empty bins.
   */
  private densify(out: Uint32Array): void {
    const bins = this.config.numPerm;
    const filled = this.filled;
    for (let j = 0; j < bins; j++) {
      if (filled[j] === 1) continue;
      const binSeed = fmix32((j ^ this.borrowSeed) >>> 0);
      for (let attempt = 1; ; attempt++) {
        const from = Math.imul(fmix32((binSeed + Math.imul(attempt, SHINGLE_MULTIPLIER)) >>> 0) >>> 16, bins) >>> 16;
        if (filled[from] === 1) {
          out[j] = out[from]!;
          break;
        }
      }
    }
  }
}

/** Share of equal positions: the MinHash estimate of the Jaccard similarity of the two shingle sets. */
export function estimatedJaccard(x: Uint32Array, y: Uint32Array): number {
  if (x.length !== y.length) throw new Error(`signatures differ in length: ${x.length} vs ${y.length}`);
  let same = 0;
  for (let k = 0; k < x.length; k++) if (x[k] === y[k]) same++;
  return same / x.length;
}
