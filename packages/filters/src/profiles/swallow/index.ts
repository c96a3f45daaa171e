/** The Swallow Corpus v1 filter statistics (swallow-llm/swallow-corpus `quality.py`, `ngword.py`), reproduced exactly. */
export {
  buildSwallowNgDictionary,
  SWALLOW_NG_LIST_PATHS,
  SwallowNgDictionary,
  swallowNgStats,
  type SwallowNgStats,
} from './ng-dictionary.ts';
export {
  SWALLOW_QUALITY_KEYS,
  swallowQualityStats,
  type SwallowQualityKey,
  type SwallowQualityStats,
} from './quality-stats.ts';
export { createSwallowScorer, DEFAULT_SWALLOW_CONFIG, SWALLOW_SCORES, type SwallowConfig } from './scores.ts';
