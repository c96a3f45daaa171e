/**
 * Japanese quality rules: one module per rule family, each a `TextFilter` factory over its slice of
 * `QualityConfig`; `createQualityFilters` builds the chain and `runFilters` applies it.
 */
export {
  DEFAULT_QUALITY_CONFIG,
  type CharShareConfig,
  type DensityConfig,
  type KeywordConfig,
  type LengthConfig,
  type LineShapeConfig,
  type QualityConfig,
  type RepetitionConfig,
  type SentenceConfig,
} from './config.ts';
export { createQualityFilters, qualityScoreNames, runFilters, type ChainOutcome } from './chain.ts';
export {
  CHAR_CLASS_COUNT,
  CHAR_CLASS_NAMES,
  CHAR_CLASS_TABLE,
  CharClass,
  classifyAstral,
  countCharClasses,
  newCharClassHistogram,
  type CharClassId,
} from './char-classes.ts';
export { analyzeText, type TextStats } from './text-stats.ts';
export { createLengthFilter, LENGTH_SCORES } from './length.ts';
export { createCharShareFilter, CHAR_SHARE_SCORES } from './char-share.ts';
export { createSentenceFilter, SENTENCE_SCORES } from './sentences.ts';
export { createRepetitionFilter, ngramFractions, REPETITION_SCORES } from './repetition.ts';
export { createLineShapeFilter, LINE_SHAPE_SCORES } from './line-shapes.ts';
export { createDensityFilter, DENSITY_SCORES } from './density.ts';
export { createKeywordFilter, KeywordMatcher, loadKeywordList, KEYWORD_SCORES } from './keywords.ts';
