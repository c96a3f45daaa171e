/**
 * The parameters of the quality scorers: what they count, not where a document is dropped. The bounds
 * live in the filter profiles' rule tables (`../profiles/`), so a threshold can change, or a run be
 * re-filtered, without touching a scorer.
 */
import { fileURLToPath } from 'node:url';

/** Keyword lists shipped with the package (see `packages/filters/data/quality/SOURCES.md`). */
const QUALITY_DATA_DIR = fileURLToPath(new URL('../../data/quality/', import.meta.url));

export interface RepetitionConfig {
  /**
   * The n-gram scores are computed on the first this-many code points. Bounds time and memory on a
   * multi-megabyte line (scratch of ~40 bytes per code point); a document that long is `too-long` anyway.
   */
  ngramScanChars: number;
}

export interface LineShapeConfig {
  /** A non-empty line of at most this many characters is short (`short_line_frac`). */
  shortLineMaxChars: number;
}

export interface KeywordConfig {
  /** Advertising / shop / job-ad phrases, one per line (`#` comments). */
  adKeywordsPath: string;
  /** Header/footer/navigation boilerplate phrases. */
  boilerplateKeywordsPath: string;
  /** Spam markers: dating, adult-ad, get-rich-quick and loan spam phrases. */
  spamKeywordsPath: string;
}

export interface QualityScoringConfig {
  repetition: RepetitionConfig;
  lineShapes: LineShapeConfig;
  keywords: KeywordConfig;
}

export const DEFAULT_QUALITY_SCORING: QualityScoringConfig = {
  repetition: {
    // Project bound: 2× the jcp-v1 too-long bound (50,000), so every document it keeps is scanned whole.
    ngramScanChars: 100_000,
  },
  lineShapes: {
    // HojiChar DiscardTooShortLines: a line of ≤ 10 characters is short.
    shortLineMaxChars: 10,
  },
  keywords: {
    adKeywordsPath: `${QUALITY_DATA_DIR}ad_keywords_ja.txt`,
    boilerplateKeywordsPath: `${QUALITY_DATA_DIR}boilerplate_keywords_ja.txt`,
    spamKeywordsPath: `${QUALITY_DATA_DIR}spam_keywords_ja.txt`,
  },
};
