/**
 * Every scorer family a profile can use, with the settings that parameterise them. A profile names
 * scores, not families: `scorerFor` finds the family that computes a score, and a family runs once per
 * document however many rules read its scores.
 */
import { createCharShareScorer, CHAR_SHARE_SCORES } from '../quality/char-share.ts';
import { DEFAULT_QUALITY_SCORING, type QualityScoringConfig } from '../quality/config.ts';
import { createDensityScorer, DENSITY_SCORES } from '../quality/density.ts';
import { createKeywordScorer, KEYWORD_SCORES } from '../quality/keywords.ts';
import { createLengthScorer, LENGTH_SCORES } from '../quality/length.ts';
import { createLineShapeScorer, LINE_SHAPE_SCORES } from '../quality/line-shapes.ts';
import { createRepetitionScorer, REPETITION_SCORES } from '../quality/repetition.ts';
import { createSentenceScorer, SENTENCE_SCORES } from '../quality/sentences.ts';
import { createToxicityScorer, TOXICITY_SCORE_NAMES } from '../toxicity/classifier.ts';
import { DEFAULT_NG_WORDS_CONFIG, DEFAULT_TOXICITY_CLASSIFIER_CONFIG, type NgWordsConfig, type ToxicityClassifierConfig } from '../toxicity/config.ts';
import { createNgWordsScorer, NG_WORDS_SCORE_NAMES } from '../toxicity/ng-words.ts';
import { COMPRESSION_SCORES, createCompressionScorer } from '../quality/compression.ts';
import { createLineEndingScorer, LINE_ENDING_SCORES } from '../quality/line-endings.ts';
import { createUrlScorer, DEFAULT_URL_LISTS, URL_SCORES, type UrlListsConfig } from '../quality/url-lists.ts';
import { DEFAULT_LLM_JP_CONFIG, type LlmJpConfig } from './llm-jp/config.ts';
import { createLlmJpScorer, LLM_JP_SCORES } from './llm-jp/scores.ts';
import type { Scorer } from './scorer.ts';
import { createSwallowScorer, DEFAULT_SWALLOW_CONFIG, SWALLOW_SCORES, type SwallowConfig } from './swallow/scores.ts';

/** The parameters of every scorer family: lists, model, scan lengths. What they count, never where they drop. */
export interface ScorerSettings {
  quality: QualityScoringConfig;
  ngWords: NgWordsConfig;
  /** The learned classifier; its scores exist only in a profile with a rule on them (`--toxicity-model`). */
  toxicityClassifier: Omit<ToxicityClassifierConfig, 'threshold'>;
  url: UrlListsConfig;
  llmJp: LlmJpConfig;
  swallow: SwallowConfig;
}

export const DEFAULT_SCORER_SETTINGS: ScorerSettings = {
  quality: DEFAULT_QUALITY_SCORING,
  ngWords: DEFAULT_NG_WORDS_CONFIG,
  toxicityClassifier: {
    modelPath: DEFAULT_TOXICITY_CLASSIFIER_CONFIG.modelPath,
    maxChunkChars: DEFAULT_TOXICITY_CLASSIFIER_CONFIG.maxChunkChars,
    toxicChunkShare: DEFAULT_TOXICITY_CLASSIFIER_CONFIG.toxicChunkShare,
    minChunkLetters: DEFAULT_TOXICITY_CLASSIFIER_CONFIG.minChunkLetters,
  },
  url: DEFAULT_URL_LISTS,
  llmJp: DEFAULT_LLM_JP_CONFIG,
  swallow: DEFAULT_SWALLOW_CONFIG,
};

interface ScorerFamily {
  name: string;
  scoreNames: readonly string[];
  create(settings: ScorerSettings): Scorer;
}

const FAMILIES: readonly ScorerFamily[] = [
  { name: 'length', scoreNames: LENGTH_SCORES, create: () => createLengthScorer() },
  { name: 'keywords', scoreNames: KEYWORD_SCORES, create: (s) => createKeywordScorer(s.quality.keywords) },
  { name: 'density', scoreNames: DENSITY_SCORES, create: () => createDensityScorer() },
  { name: 'repetition', scoreNames: REPETITION_SCORES, create: (s) => createRepetitionScorer(s.quality.repetition) },
  { name: 'line-shapes', scoreNames: LINE_SHAPE_SCORES, create: (s) => createLineShapeScorer(s.quality.lineShapes) },
  { name: 'char-share', scoreNames: CHAR_SHARE_SCORES, create: () => createCharShareScorer() },
  { name: 'sentences', scoreNames: SENTENCE_SCORES, create: () => createSentenceScorer() },
  { name: 'line-endings', scoreNames: LINE_ENDING_SCORES, create: () => createLineEndingScorer() },
  { name: 'compression', scoreNames: COMPRESSION_SCORES, create: () => createCompressionScorer() },
  { name: 'url', scoreNames: URL_SCORES, create: (s) => createUrlScorer(s.url) },
  { name: 'ng-words', scoreNames: NG_WORDS_SCORE_NAMES, create: (s) => createNgWordsScorer(s.ngWords) },
  { name: 'swallow', scoreNames: SWALLOW_SCORES, create: (s) => createSwallowScorer(s.swallow) },
  { name: 'llm-jp', scoreNames: LLM_JP_SCORES, create: (s) => createLlmJpScorer(s.llmJp) },
  { name: 'toxicity-classifier', scoreNames: TOXICITY_SCORE_NAMES, create: (s) => createToxicityScorer(s.toxicityClassifier) },
];

const FAMILY_OF_SCORE = new Map<string, ScorerFamily>();
for (const family of FAMILIES) {
  for (const score of family.scoreNames) {
    const other = FAMILY_OF_SCORE.get(score);
    if (other) throw new Error(`score '${score}' is computed by two scorer families: ${other.name} and ${family.name}`);
    FAMILY_OF_SCORE.set(score, family);
  }
}

/** Every score a rule can bound, by family (for docs and error messages). */
export function scoreCatalogue(): { family: string; scores: readonly string[] }[] {
  return FAMILIES.map((f) => ({ family: f.name, scores: f.scoreNames }));
}

/** The family that computes `score`; the error names the rule that asked and lists the families. */
export function familyOfScore(score: string, askedBy: string): ScorerFamily {
  const family = FAMILY_OF_SCORE.get(score);
  if (!family) {
    throw new Error(`${askedBy}: no scorer computes '${score}' (families: ${FAMILIES.map((f) => `${f.name} [${f.scoreNames.join(', ')}]`).join('; ')})`);
  }
  return family;
}

/** Creates each family at most once for one compiled profile (they load lists and models). */
export class ScorerPool {
  private readonly made = new Map<string, Scorer>();
  constructor(private readonly settings: ScorerSettings) {}

  get(family: ScorerFamily): Scorer {
    let scorer = this.made.get(family.name);
    if (!scorer) {
      scorer = family.create(this.settings);
      this.made.set(family.name, scorer);
    }
    return scorer;
  }
}
