/**
 * The harm rule of the toxicity stage: the default profile's toxicity stage must not drop more clean
 * documents than toxic ones, measured by nested cross-validation of the committed recipe on the labelled
 * file (the threshold chosen on inner folds only, so no held-out row tunes its own threshold).
 *
 * Three decisions are counted on the same held-out rows: the learned classifier alone (`toxicity_prob ≥
 * threshold`, the rule `--toxicity-model` adds), the default profile's toxicity step without the
 * classifier (today: its NG-word rules), and both, which is the stage a run with `--toxicity-model` applies.
 */
import { compileProfile, DEFAULT_FILTER_PROFILE, DEFAULT_SCORER_SETTINGS, filterProfileNamed, type FilterStepTable } from '../profiles/index.ts';
import { TOXICITY_SCORE_NAMES } from './classifier.ts';
import { DEFAULT_TOXICITY_TRAINING, type ToxicityClassifierConfig, type ToxicityTrainingConfig } from './config.ts';
import { crossValidateRecipe, type CrossValidationResult, type LabelledExample } from './evaluate.ts';

/** The profile step the toxicity rules live in (a ledger stage of the run). */
export const TOXICITY_STEP = 'toxicity';

/** The classifier's document scoring as a run applies it: the default scorer settings (chunking, upper-share aggregate). */
export const PIPELINE_CLASSIFIER_CONFIG: ToxicityClassifierConfig = { ...DEFAULT_SCORER_SETTINGS.toxicityClassifier, threshold: null };

/**
 * What a drop decision did over the held-out folds of every repeat: each row is counted once per repeat,
 * so the totals are (rows of that label) × repeats.
 */
export interface HarmCounts {
  toxicCaught: number;
  toxicTotal: number;
  cleanDropped: number;
  cleanTotal: number;
}

/** The rule itself. A decision that drops nothing passes: it does no harm (and no good). */
export function doesNoHarm(counts: HarmCounts): boolean {
  return counts.cleanDropped <= counts.toxicCaught;
}

/** Pools one decision vector per repeat (true = dropped) against the same gold labels (true = toxic). */
export function harmCounts(decisionsPerRepeat: ReadonlyArray<readonly boolean[]>, gold: readonly boolean[]): HarmCounts {
  const counts: HarmCounts = { toxicCaught: 0, toxicTotal: 0, cleanDropped: 0, cleanTotal: 0 };
  for (const decisions of decisionsPerRepeat) {
    if (decisions.length !== gold.length) throw new Error(`harmCounts: ${decisions.length} decisions for ${gold.length} labels`);
    for (let i = 0; i < gold.length; i++) {
      if (gold[i]) {
        counts.toxicTotal++;
        if (decisions[i]) counts.toxicCaught++;
      } else {
        counts.cleanTotal++;
        if (decisions[i]) counts.cleanDropped++;
      }
    }
  }
  return counts;
}

export interface HarmReport {
  folds: number;
  repeats: number;
  /** The classifier alone: out-of-fold decisions at a threshold chosen on the inner folds. */
  classifier: HarmCounts;
  /** The default toxicity step without the classifier; not trained, so every repeat makes the same decisions. */
  ngWords: HarmCounts;
  /** Dropped by either: the stage with the classifier switched on. */
  both: HarmCounts;
  classifierDoesNoHarm: boolean;
  /** The default profile's toxicity stage (NG words; the classifier is opt-in) does no harm. */
  defaultStageDoesNoHarm: boolean;
  /** The stage with `--toxicity-model` (NG words and the classifier) does no harm. */
  stageWithClassifierDoesNoHarm: boolean;
}

/**
 * The drop decision of `profileName`'s toxicity step with every rule on a classifier score removed (the
 * classifier is measured out of fold instead; the committed model has seen the dev rows). Scored as a run
 * scores it: the step compiled from the profile's rule table with the default scorer settings.
 */
export function toxicityStepWithoutClassifier(profileName: string = DEFAULT_FILTER_PROFILE): (text: string) => boolean {
  const profile = filterProfileNamed(profileName);
  const table = profile.steps[TOXICITY_STEP];
  if (!table) throw new Error(`filter profile ${profileName} has no '${TOXICITY_STEP}' step (steps: ${Object.keys(profile.steps).join(', ')})`);
  const classifierScores: readonly string[] = TOXICITY_SCORE_NAMES;
  const rules = Object.fromEntries(Object.entries(table.rules).filter(([, rule]) => !classifierScores.includes(rule.score)));
  const step: FilterStepTable = { ...table, rules };
  const [compiled] = compileProfile({ name: profile.name, description: profile.description, steps: { [TOXICITY_STEP]: step } }, DEFAULT_SCORER_SETTINGS);
  if (!compiled) throw new Error(`filter profile ${profileName}: the '${TOXICITY_STEP}' step did not compile`);
  return (text) => compiled.judge({ text, url: null }, {}).failed.length > 0;
}

/**
 * The harm counts of a finished cross-validation, given the classifier-free step's decision per row
 * (`stageDrop[i]`: it drops row i). Lets an evaluation that already ran `crossValidateRecipe` reuse it.
 */
export function harmOfCrossValidation(cv: CrossValidationResult, gold: readonly boolean[], stageDrop: readonly boolean[]): HarmReport {
  if (stageDrop.length !== gold.length) throw new Error(`harmOfCrossValidation: ${stageDrop.length} step decisions for ${gold.length} labels`);
  const classifier = harmCounts(cv.predictedPerRepeat, gold);
  const ngWords = harmCounts(
    cv.predictedPerRepeat.map(() => stageDrop),
    gold,
  );
  const both = harmCounts(
    cv.predictedPerRepeat.map((predicted) => predicted.map((p, i) => p || stageDrop[i]!)),
    gold,
  );
  return { folds: cv.folds, repeats: cv.repeats, classifier, ngWords, both, classifierDoesNoHarm: doesNoHarm(classifier), defaultStageDoesNoHarm: doesNoHarm(ngWords), stageWithClassifierDoesNoHarm: doesNoHarm(both) };
}

/**
 * The harm rule measured as it is written: nested cross-validation of `recipe` (default: the committed
 * `DEFAULT_TOXICITY_TRAINING`) on `examples`, every held-out row scored with the pipeline's document
 * scoring, and the default profile's toxicity step on the same texts.
 */
export function crossValidateHarm(
  examples: readonly LabelledExample[],
  {
    recipe = DEFAULT_TOXICITY_TRAINING,
    stageDrops = toxicityStepWithoutClassifier(),
    scorerConfig = PIPELINE_CLASSIFIER_CONFIG,
  }: { recipe?: ToxicityTrainingConfig; stageDrops?: (text: string) => boolean; scorerConfig?: ToxicityClassifierConfig } = {},
): HarmReport {
  const cv = crossValidateRecipe(examples, recipe, scorerConfig);
  return harmOfCrossValidation(
    cv,
    examples.map((e) => e.toxic),
    examples.map((e) => stageDrops(e.text)),
  );
}
