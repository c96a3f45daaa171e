/** MinHash settings: how a text becomes a signature. */
export interface MinHashConfig {
  /**
   * Characters per shingle. Japanese has no spaces, so shingles are character n-grams, not word
   * n-grams; 5 follows datatrove's 5-gram default and the Swallow corpus's character 5-grams for
   * Japanese near-duplicate detection.
   */
  shingleChars: number;
  /** Hash functions per signature (must equal bands × rows of the LSH that reads it). */
  numPerm: number;
  /** Seed of the hash family: signatures are comparable only between runs with the same seed. */
  seed: number;
}

export const DEFAULT_MINHASH_CONFIG: MinHashConfig = {
  shingleChars: 5,
  // 128 = 16 bands × 8 rows (see DEFAULT_DEDUP_CONFIG).
  numPerm: 128,
  seed: 0x6a6370, // "jcp"
};

/** The whole dedup stage: signatures, LSH banding, verification of candidates and the survivor rule. */
export interface DedupConfig {
  minhash: MinHashConfig;
  /**
   * LSH bands × rows (= numPerm). A pair with Jaccard s becomes a candidate with probability
   * 1 − (1 − s^rows)^bands. 16 × 8 puts the S-curve's midpoint, (1/bands)^(1/rows), at Jaccard 0.707:
   * a pair at 0.8 is a candidate with p = 0.94, at 0.9 with p = 0.9999, at 0.5 with p = 0.06. It sits
   * below `threshold` on purpose, so recall is decided by the verification, not by the banding.
   */
  bands: number;
  rows: number;
  /**
   * Candidates are kept as duplicates only when their signatures agree on at least this share of
   * positions (estimated Jaccard). 0.8 is HojiChar's (2025) default; Swallow (doubri: 40 bands × 20
   * rows) and llm-jp-corpus v4 (20 × 10) use banding alone, with no threshold check, and datatrove's
   * 14 × 8 banding targets about 0.75, also without one.
   */
  threshold: number;
  /**
   * A pair counts as a duplicate when its estimate minus `confidenceZ` standard errors
   * (sqrt(j(1−j)/numPerm)) still reaches `threshold`. With 128 values the standard error near 0.8 is
   * 0.035, so a pair at a true 0.75 would pass a bare `j ≥ 0.8` test one time in ten; a margin
   * favours precision, because a wrong drop loses text for good while a missed near-threshold pair costs
   * a little repetition. 0.75 (an estimate of 0.826): with the one-permutation estimator, `pnpm eval
   * dedup --confidence-z` over seeds 7, 1, 2 gave precision 0.963 and recall 0.825 on average, against
   * 0.969 / 0.787 at 1 and 0.946 / 0.859 at 0.5; the 128-permutation estimator at 1 gave 0.959 / 0.810
   * (docs/decisions.md). 0 gives the bare test.
   */
  confidenceZ: number;
  /**
   * Texts with fewer characters than one shingle cannot be compared by shingles: they take part in
   * exact dedup only (counted as `dedup-too-short` events). Quality filters drop far shorter texts anyway.
   */
  minChars: number;
  /** Band entries a merge reads from each bucket file at a time: bounds the merge's memory per input file. */
  mergeReadEntries: number;
  /**
   * Bucket files one merge opens at most. A run with more tasks first merges them in groups of this
   * many (the `dedup-groups` stage), so the band tasks and the index commit open ⌈tasks / mergeFanIn⌉
   * files, not one per WARC.
   */
  mergeFanIn: number;
  /**
   * Size-tiered compaction of the persistent index: when this many segments fall in one size tier
   * (tiers grow by this factor from 1 MiB of band entries), they are merged into one segment after a
   * commit. A band task then reads at most (indexFanIn − 1) segments per tier, a number that grows with
   * the log of the index, not with the number of runs (one segment a night was 365 files a year).
   */
  indexFanIn: number;
  /**
   * Which subcorpus keeps a document found in two (a Wikipedia article copied onto a web page): the
   * earlier in this list wins, whatever the fetch dates; subcorpora not listed come after all listed
   * ones. Curated text first: the encyclopedia, then research summaries, then the WARP crawl of public
   * institutions' sites, then Common Crawl. A published document of a later subcorpus that a new run of
   * an earlier one duplicates is superseded (listed in the new run, left out of the corpus-wide view).
   */
  subcorpusPriority: string[];
}

export const DEFAULT_DEDUP_CONFIG: DedupConfig = {
  minhash: DEFAULT_MINHASH_CONFIG,
  bands: 16,
  rows: 8,
  threshold: 0.8,
  confidenceZ: 0.75,
  minChars: DEFAULT_MINHASH_CONFIG.shingleChars,
  // 4,096 entries × 16 bytes = 64 KiB per open bucket file; 1,000 task files merge in 64 MiB.
  mergeReadEntries: 4096,
  // Under the usual `ulimit -n` of 1,024: a merge of 1,000 files failed there with EMFILE (Node holds
  // ~30 descriptors of its own: 228 open at the peak of a 200-file merge); 900 leaves room, and is
  // 56 MiB of read buffers (pnpm bench dedup-fanin).
  mergeFanIn: 900,
  // 4: each entry is rewritten about log4(index / 1 MiB) times over the index's life (≈ 8 times at
  // 60 GB) and a band task opens ≤ 3 segments per tier (≤ 27 at 60 GB), as LSM stores' size-tiered
  // compaction does with its default of 4 (Cassandra's min_threshold).
  indexFanIn: 4,
  subcorpusPriority: ['ja_wiki', 'ja_kaken', 'ja_warp', 'ja_cc'],
};

/** Probability that a pair with Jaccard `s` shares at least one band: the LSH S-curve. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

/** Whether an estimated Jaccard `j` (share of equal signature values) is a duplicate under `c`. */
export function isDuplicateEstimate(j: number, c: DedupConfig): boolean {
  return j - c.confidenceZ * Math.sqrt((j * (1 - j)) / c.minhash.numPerm) >= c.threshold;
}

export function checkDedupConfig(c: DedupConfig): void {
  if (c.bands * c.rows !== c.minhash.numPerm) {
    throw new Error(`dedup config: bands × rows (${c.bands} × ${c.rows}) must equal minhash.numPerm (${c.minhash.numPerm})`);
  }
  if (!(c.threshold > 0 && c.threshold <= 1)) throw new Error(`dedup config: threshold ${c.threshold} is not in (0, 1]`);
  if (!Number.isInteger(c.indexFanIn) || c.indexFanIn < 2) throw new Error(`dedup config: indexFanIn must be an integer ≥ 2, got ${c.indexFanIn}`);
}
