/**
 * What the llm-jp scorer family reads: the lists `reformat_and_filter_dataset(..., "ja_cc", strict=False)`
 * (llm-jp/llm-jp-corpus 6e7746d, `scripts/filter_data.py`) uses. Its thresholds are the llm-jp-v2
 * profile's rule table (`../llm-jp-v2.ts`).
 */
import { fileURLToPath } from 'node:url';

const NGWORDS_DIR = '../../../data/ngwords/';

/** Lists shipped byte-identical with the package (`packages/filters/data/ngwords/SOURCES.md`). */
export const LLM_JP_LIST_PATHS = {
  /** HojiChar v0.9.0 `hojichar/dict/advertisement_keywords_ja.txt`: `DiscardAds`' default list. */
  ad: fileURLToPath(new URL(`${NGWORDS_DIR}advertisement_keywords_ja.txt`, import.meta.url)),
  /** llm-jp-corpus `scripts/dict/`: the three `NgWordsFilterJa` lists of `filters.py`. */
  adult: fileURLToPath(new URL(`${NGWORDS_DIR}ja_adult_keywords.txt`, import.meta.url)),
  discrimination: fileURLToPath(new URL(`${NGWORDS_DIR}ja_discrimination_keywords.txt`, import.meta.url)),
  violence: fileURLToPath(new URL(`${NGWORDS_DIR}ja_violence_keywords.txt`, import.meta.url)),
  /** llm-jp-corpus `scripts/dict/ja_valid_domains.txt`: TLDs `has_valid_domain` accepts. */
  validDomains: fileURLToPath(new URL(`${NGWORDS_DIR}ja_valid_domains.txt`, import.meta.url)),
} as const;

export interface LlmJpListPaths {
  ad: string;
  adult: string;
  discrimination: string;
  violence: string;
  validDomains: string;
}

export interface LlmJpConfig {
  lists: LlmJpListPaths;
  /** `AcceptJapanese(lookup_size=50)`; HojiChar ignores the argument and hard-codes 50 anyway. */
  japaneseLookupChars: number;
}

export const DEFAULT_LLM_JP_CONFIG: LlmJpConfig = {
  lists: { ...LLM_JP_LIST_PATHS },
  japaneseLookupChars: 50,
};
