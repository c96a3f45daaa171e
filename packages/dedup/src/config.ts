/** MinHash settings; the LSH banding that consumes the signatures comes with the dedup stage (issue 5). */
export interface MinHashConfig {
  /**
   * Characters per shingle. Japanese has no spaces, so shingles are character n-grams, not word
   * n-grams; 5 follows datatrove's 5-gram default and the Swallow corpus's character 5-grams for
   * Japanese near-duplicate detection.
   */
  shingleChars: number;
  /** Hash functions per signature (= bands × rows of the LSH that will read it). */
  numPerm: number;
  /** Seed of the hash family: signatures are comparable only between runs with the same seed. */
  seed: number;
}

export const DEFAULT_MINHASH_CONFIG: MinHashConfig = {
  shingleChars: 5,
  // 128: 16 bands × 8 rows puts the LSH S-curve's midpoint near Jaccard 0.7 (datatrove uses 14 × 8).
  numPerm: 128,
  seed: 0x6a6370, // "jcp"
};
