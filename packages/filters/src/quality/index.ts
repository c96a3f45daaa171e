/**
 * Japanese quality scores: one module per scorer family; the rules over them are the filter profiles'
 * tables (`../profiles/`).
 */
export { DEFAULT_QUALITY_SCORING, type KeywordConfig, type LineShapeConfig, type QualityScoringConfig, type RepetitionConfig } from './config.ts';
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
export { createLengthScorer, LENGTH_SCORES } from './length.ts';
export { createCharShareScorer, CHAR_SHARE_SCORES } from './char-share.ts';
export { createSentenceScorer, SENTENCE_SCORES } from './sentences.ts';
export { createRepetitionScorer, ngramFractions, REPETITION_SCORES } from './repetition.ts';
export { createLineShapeScorer, LINE_SHAPE_SCORES } from './line-shapes.ts';
export { createDensityScorer, DENSITY_SCORES } from './density.ts';
export { createKeywordScorer, KeywordMatcher, loadKeywordList, KEYWORD_SCORES } from './keywords.ts';
export { createCompressionScorer, deflatedSize, COMPRESSION_SCORES } from './compression.ts';
export { createLineEndingScorer, LINE_ENDING_SCORES } from './line-endings.ts';
export { createUrlScorer, DEFAULT_URL_LISTS, topLevelDomain, URL_SCORES, type UrlListsConfig } from './url-lists.ts';
