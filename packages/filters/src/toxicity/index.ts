/** Toxicity: an NG-word filter (word lists, Aho–Corasick) and a learned classifier (hashed char n-grams, linear model). */
export {
  DEFAULT_NG_WORDS_CONFIG,
  DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
  DEFAULT_TOXICITY_CONFIG,
  DEFAULT_TOXICITY_MODEL_PATH,
  DEFAULT_TOXICITY_TRAINING,
  type ToxicityTrainingConfig,
  type NgWordsConfig,
  type ToxicityClassifierConfig,
  type ToxicityConfig,
} from './config.ts';
export { AhoCorasick, parseWordList, type AhoCorasickOptions, type MatchSummary } from './aho-corasick.ts';
export {
  NG_WORDS_FILTER_NAME,
  NG_WORDS_SCORE_NAMES,
  buildNgWordMatcher,
  createNgWordsScorer,
  loadNgWordLists,
  scoreNgWords,
  type NgWordScores,
} from './ng-words.ts';
export {
  TOXICITY_DROP_REASON,
  TOXICITY_FILTER_NAME,
  TOXICITY_SCORE_NAMES,
  ToxicityScorer,
  createToxicityScorer,
  loadToxicityScorer,
  type LoadedToxicityScorer,
  type ToxicityScore,
} from './classifier.ts';
export {
  DEFAULT_FEATURE_SPEC,
  seededRandom,
  seededShuffle,
  NgramFeaturizer,
  predictProbability,
  trainLinearModel,
  type FeatureSpec,
  type LinearModel,
  type TrainOptions,
  type TrainingExample,
} from './linear-model.ts';
export {
  TOXICITY_MODEL_FORMAT,
  TOXICITY_MODEL_VERSION,
  decodeToxicityModel,
  encodeToxicityModel,
  loadToxicityModel,
  saveToxicityModel,
  trainingRecipeOf,
  trainingSection,
  type LoadedToxicityModel,
  type ToxicityModelHeader,
  type ToxicityModelMetadata,
  type TrainedOn,
} from './model-file.ts';
export {
  LABEL_RULE,
  ToxicityDataError,
  countByReason,
  isToxicByMajority,
  parseCsv,
  parseToxicityCsv,
  readToxicityCsv,
  trainingTarget,
  type TargetRule,
  type ToxicityDataFormat,
  type ToxicityDataSkipReason,
  type ToxicityDataset,
  type ToxicityRow,
  type ToxicityVotes,
} from './dataset.ts';
export { LLM_JP_LABELS, LLM_JP_LABEL_RULE, parseLlmJpToxicityJsonl, type LlmJpLabel, type ParsedToxicityLines } from './llm-jp-jsonl.ts';
export { detectToxicityFormat, readToxicityData } from './read-data.ts';
export {
  binaryScores,
  chooseThreshold,
  chooseThresholdByCv,
  committedThreshold,
  crossValidate,
  crossValidateRecipe,
  labelledExamples,
  outOfFoldProbabilities,
  scoresFromCounts,
  stratifiedFolds,
  type BinaryScores,
  type CrossValidationResult,
  type LabelledExample,
} from './evaluate.ts';
export {
  PIPELINE_CLASSIFIER_CONFIG,
  TOXICITY_STEP,
  crossValidateHarm,
  doesNoHarm,
  harmCounts,
  harmOfCrossValidation,
  toxicityStepWithoutClassifier,
  type HarmCounts,
  type HarmReport,
} from './harm.ts';
