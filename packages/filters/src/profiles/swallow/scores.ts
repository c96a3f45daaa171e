/**
 * The Swallow corpus v1 filter's values as one scorer family (`swallow`): the 30 values of `quality.main`
 * and the two of `NGW.stat`, prefixed `swallow_`. Scores only: the swallow-v1 profile's table
 * (`../swallow-v1.ts`) holds `apply_v1`'s bounds.
 */
import { codePointLength } from '@jcp/core';
import type { Scorer } from '../scorer.ts';
import { buildSwallowNgDictionary, SWALLOW_NG_LIST_PATHS, swallowNgStats } from './ng-dictionary.ts';
import { SWALLOW_QUALITY_KEYS, swallowQualityStats } from './quality-stats.ts';

export interface SwallowConfig {
  /** The word lists `ngword.py` builds `ng.dic` from (default: MosasoM/inappropriate-words-ja's four, shipped). */
  ngListPaths: string[];
}

export const DEFAULT_SWALLOW_CONFIG: SwallowConfig = { ngListPaths: [...SWALLOW_NG_LIST_PATHS] };

export const SWALLOW_SCORES = [...SWALLOW_QUALITY_KEYS.map((k) => `swallow_${k}` as const), 'swallow_num_ng_letters', 'swallow_ng_fraction'] as const;

/**
 * A text the reference cannot score (under 4 characters, or no sentence: `quality.main` raises; a lone
 * surrogate: `ngword.py` raises) gets NaN for what could not be computed, except `swallow_num_letters`,
 * which is always its length, so the length rule still drops it.
 */
export function createSwallowScorer(config: SwallowConfig = DEFAULT_SWALLOW_CONFIG): Scorer {
  const dictionary = buildSwallowNgDictionary(config.ngListPaths);
  return {
    name: 'swallow',
    scoreNames: SWALLOW_SCORES,
    score({ text }) {
      const out: Record<string, number> = {};
      let japaneseLetters = Number.NaN;
      try {
        const stats = swallowQualityStats(text);
        for (const key of SWALLOW_QUALITY_KEYS) out[`swallow_${key}`] = stats[key];
        japaneseLetters = stats.num_japanese_letters;
      } catch {
        for (const key of SWALLOW_QUALITY_KEYS) out[`swallow_${key}`] = Number.NaN;
        out.swallow_num_letters = codePointLength(text);
      }
      try {
        const ng = swallowNgStats(dictionary, text, Number.isNaN(japaneseLetters) ? 0 : japaneseLetters);
        out.swallow_num_ng_letters = ng.num_ng_letters;
        out.swallow_ng_fraction = ng.ng_fraction;
      } catch {
        out.swallow_num_ng_letters = Number.NaN;
        out.swallow_ng_fraction = Number.NaN;
      }
      return out;
    },
  };
}
