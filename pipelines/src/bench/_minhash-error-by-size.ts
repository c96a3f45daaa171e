import { DEFAULT_MINHASH_CONFIG, MinHasher, estimatedJaccard, exactShingleJaccard, shingleHashes } from '@jcp/dedup';
import { fmix32 } from '@jcp/core';

/**
 * The estimator `MinHasher` replaced (signature format JCPSIG01): numPerm independent permutations
 * (a_k·x + b_k) mod 2^32, each over every shingle. Kept here only as the reference the new estimator's
 * error is measured against.
 */
export function perPermutationSignature(text: string): Uint32Array {
  const { numPerm, seed, shingleChars } = DEFAULT_MINHASH_CONFIG;
  const a = new Uint32Array(numPerm);
  const b = new Uint32Array(numPerm);
  let state = seed >>> 0;
  for (let k = 0; k < numPerm; k++) {
    a[k] = ((state = fmix32((state + 0x9e3779b9) >>> 0)) | 1) >>> 0;
    b[k] = state = fmix32((state + 0x9e3779b9) >>> 0);
  }
  const out = new Uint32Array(numPerm).fill(0xffffffff);
  const { hashes, count } = shingleHashes(text, shingleChars, new Uint32Array(text.length + 1));
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < numPerm; k++) {
      const v = (Math.imul(a[k]!, hashes[i]!) + b[k]!) >>> 0;
      if (v < out[k]!) out[k] = v;
    }
  }
  return out;
}

export interface SizeError {
  chars: number;
  pairs: number;
  mean_true_jaccard: number;
  /** Mean |estimate − exact Jaccard|, and mean (estimate − exact): the bias. */
  mae_ours: number;
  bias_ours: number;
  mae_per_permutation: number;
  bias_per_permutation: number;
}

/**
 * Jaccard-estimate error by document length: near-duplicate pairs (a text and the same with its last
 * `replaced` share swapped for another document's text) at each length, ours against the
 * per-permutation estimator. One-permutation hashing leaves bins empty when a text has fewer shingles
 * than bins; densification fills them, at a variance that differs most for short texts.
 */
export function errorBySize(docs: string[], lengths: number[], pairsPerLength: number, replaced = 0.15): SizeError[] {
  const hasher = new MinHasher();
  const k = DEFAULT_MINHASH_CONFIG.shingleChars;
  const round = (x: number): number => Math.round(x * 10000) / 10000;
  return lengths.map((chars) => {
    let truthSum = 0;
    let errOurs = 0;
    let biasOurs = 0;
    let errRef = 0;
    let biasRef = 0;
    for (let i = 0; i < pairsPerLength; i++) {
      const src = docs[i % docs.length]!;
      const other = docs[(i + 7) % docs.length]!;
      const start = (i * 131) % Math.max(1, src.length - chars);
      const a = src.slice(start, start + chars);
      const keep = Math.floor(a.length * (1 - replaced));
      const b = a.slice(0, keep) + other.slice(0, a.length - keep);
      const truth = exactShingleJaccard(a, b, k);
      const ours = estimatedJaccard(hasher.signature(a).signature, new MinHasher().signature(b).signature) - truth;
      const ref = estimatedJaccard(perPermutationSignature(a), perPermutationSignature(b)) - truth;
      truthSum += truth;
      errOurs += Math.abs(ours);
      biasOurs += ours;
      errRef += Math.abs(ref);
      biasRef += ref;
    }
    const n = pairsPerLength;
    return {
      chars,
      pairs: n,
      mean_true_jaccard: round(truthSum / n),
      mae_ours: round(errOurs / n),
      bias_ours: round(biasOurs / n),
      mae_per_permutation: round(errRef / n),
      bias_per_permutation: round(biasRef / n),
    };
  });
}
