/**
 * `pnpm eval toxicity --data <csv|jsonl> [--model <path>]`: the toxicity stage's drop decisions against the
 * labels of an inspection-ai-format CSV (`../shared/data/toxicity/`; positive = toxic by strict majority
 * of Toxic + Very Toxic votes) or of LLM-jp Toxicity JSONL (`.jsonl`, `.jsonl.gz`; positive = label
 * `toxic`, see `llm-jp-jsonl.ts`). Bad JSONL lines are reported with file:line, skipped and counted.
 *
 * Top-level precision/recall/F1/accuracy: the classifier's drop decision (`toxicity_prob ≥ threshold`),
 * then `ng_words` (the default profile's toxicity step without the classifier: its NG-word rules, default
 * lists) and `combined` (dropped by either).
 *
 * On a file the model has not seen (the held-out part), the committed model is scored as is. On the
 * model's own training file (same sha256 as `trainedOn`), scoring the committed model would only measure
 * how well it memorised these rows, so the classifier and combined figures are the recipe's nested
 * cross-validation instead (`scored_as` says which); the in-sample figures are kept under
 * `committed_model_in_sample` for reference.
 *
 * `harm`: the harm rule (the stage must not drop more clean documents than toxic ones), always measured by
 * nested cross-validation of the committed recipe `DEFAULT_TOXICITY_TRAINING` on this file, whichever
 * model is loaded: counts over the held-out folds of every repeat for the classifier alone, the default
 * profile's toxicity step without it (its NG-word rules) and both (the stage with `--toxicity-model`).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
// Relative import: @jcp/filters exposes only its root index, which does not re-export toxicity yet.
import {
  DEFAULT_NG_WORDS_CONFIG,
  DEFAULT_TOXICITY_MODEL_PATH,
  DEFAULT_TOXICITY_TRAINING,
  PIPELINE_CLASSIFIER_CONFIG,
  binaryScores,
  countByReason,
  crossValidateRecipe,
  harmOfCrossValidation,
  labelledExamples,
  loadToxicityScorer,
  readToxicityData,
  scoresFromCounts,
  toxicityStepWithoutClassifier,
  trainingRecipeOf,
  trainingSection,
  type BinaryScores,
  type CrossValidationResult,
  type HarmReport,
  type ToxicityDataset,
  type ToxicityRow,
} from '../../../packages/filters/src/toxicity/index.ts';
import { parseEvalArgs, printScores, round } from './_common.ts';

const MAX_EXAMPLES_PRINTED = 15;
/** Skipped lines are all counted; only the first ones are printed, so a broken file cannot flood the log. */
const MAX_PROBLEMS_PRINTED = 20;

function summary(s: BinaryScores): Record<string, number> {
  return {
    precision: round(s.precision),
    recall: round(s.recall),
    f1: round(s.f1),
    accuracy: round(s.accuracy),
    tp: s.tp,
    fp: s.fp,
    fn: s.fn,
    tn: s.tn,
  };
}

/** Pools the scores of several decision vectors (one per CV repeat) over the same gold labels. */
function pooled(decisions: readonly boolean[][], gold: readonly boolean[]): BinaryScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const predicted of decisions) {
    const s = binaryScores(predicted, gold);
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
    tn += s.tn;
  }
  return scoresFromCounts(tp, fp, fn, tn);
}

/** Reports skipped records on stderr (file:line: reason: detail) and returns their counts per reason. */
export function reportSkipped(dataset: ToxicityDataset): { skipped: number; skipped_by_reason: Record<string, number> } {
  for (const problem of dataset.problems.slice(0, MAX_PROBLEMS_PRINTED)) console.error(`${problem.message}, skipped`);
  if (dataset.problems.length > MAX_PROBLEMS_PRINTED) console.error(`… and ${dataset.problems.length - MAX_PROBLEMS_PRINTED} more skipped lines`);
  return { skipped: dataset.problems.length, skipped_by_reason: countByReason(dataset.problems) };
}

function harmSummary(harm: HarmReport): Record<string, unknown> {
  return {
    method: `nested stratified ${harm.folds}-fold CV × ${harm.repeats} repeats of DEFAULT_TOXICITY_TRAINING (threshold chosen on inner folds only); each row counted once per repeat`,
    classifier: harm.classifier,
    ng_words: harm.ngWords,
    both: harm.both,
    classifier_does_no_harm: harm.classifierDoesNoHarm,
    default_stage_does_no_harm: harm.defaultStageDoesNoHarm,
    stage_with_classifier_does_no_harm: harm.stageWithClassifierDoesNoHarm,
  };
}

function printExamples(title: string, rows: readonly ToxicityRow[], pick: (i: number) => boolean, describe: (i: number) => string): void {
  const picked = rows.flatMap((row, i) => (pick(i) ? [i] : []));
  console.log(`${title} (${picked.length}):`);
  for (const i of picked.slice(0, MAX_EXAMPLES_PRINTED)) console.log(`  line ${rows[i]!.line}: ${describe(i)} ${rows[i]!.text}`);
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'toxicity', 'CSV with text and vote columns, as ../shared/data/toxicity/inspection-ai.dev.csv, or LLM-jp Toxicity JSONL (.jsonl, .jsonl.gz)', {
    model: { help: 'model file', default: DEFAULT_TOXICITY_MODEL_PATH },
  });
  if (!existsSync(args.data)) {
    console.error(`no such file: ${args.data}`);
    process.exit(2);
  }
  const dataset = readToxicityData(args.data);
  const skipped = reportSkipped(dataset);
  const rows = dataset.rows;
  const gold = rows.map((r) => r.toxic);
  const modelPath = args.model ?? DEFAULT_TOXICITY_MODEL_PATH;
  const { scorer, threshold, header } = loadToxicityScorer({ ...PIPELINE_CLASSIFIER_CONFIG, modelPath });
  // The default profile's toxicity step as a run applies it (its NG-word rules; the classifier is opt-in).
  const ngStepDrops = toxicityStepWithoutClassifier();

  const started = performance.now();
  const probabilities = rows.map((r) => scorer.score(r.text).prob);
  const classifierMs = performance.now() - started;
  const committed = probabilities.map((p) => p >= threshold);
  const ngDrop = rows.map((r) => ngStepDrops(r.text));
  const ngScores = binaryScores(ngDrop, gold);

  const inSample = header.trainedOn?.sha256 === dataset.sha256;
  let classifier: BinaryScores;
  let combined: BinaryScores;
  let scoredAs: string;
  let cvExtra: Record<string, unknown> = {};
  // What the examples below show: the committed model's decisions, or the first CV repeat's out-of-fold ones.
  let shownProbabilities = probabilities;
  let shownDecisions = committed;
  let shownAs = 'committed model';
  // The cross-validation of the committed recipe, when one was run for the in-sample figures (reused by `harm`).
  let committedRecipeCv: CrossValidationResult | null = null;
  const isCommittedRecipe = (recipe: ReturnType<typeof trainingRecipeOf>): boolean =>
    JSON.stringify(trainingSection(recipe)) === JSON.stringify(trainingSection(DEFAULT_TOXICITY_TRAINING)) &&
    JSON.stringify(recipe.options.features) === JSON.stringify(DEFAULT_TOXICITY_TRAINING.options.features);
  if (inSample) {
    const recipe = trainingRecipeOf(header, modelPath);
    const cv = crossValidateRecipe(labelledExamples(rows, recipe), recipe, PIPELINE_CLASSIFIER_CONFIG);
    if (isCommittedRecipe(recipe)) committedRecipeCv = cv;
    classifier = cv.pooled;
    combined = pooled(
      cv.predictedPerRepeat.map((predicted) => predicted.map((p, i) => p || ngDrop[i]!)),
      gold,
    );
    scoredAs = `cross-validated: this file trained the model (sha256 ${dataset.sha256.slice(0, 12)}…); nested stratified ${cv.folds}-fold CV × ${cv.repeats} repeats, decisions pooled`;
    shownProbabilities = cv.probabilitiesPerRepeat[0]!;
    shownDecisions = cv.predictedPerRepeat[0]!;
    shownAs = 'out-of-fold, first CV repeat';
    cvExtra = {
      cv_f1_per_repeat: cv.f1PerRepeat.map((f) => round(f)),
      committed_model_in_sample: summary(binaryScores(committed, gold)),
    };
  } else {
    classifier = binaryScores(committed, gold);
    combined = binaryScores(
      committed.map((p, i) => p || ngDrop[i]!),
      gold,
    );
    scoredAs = 'committed model (this file is not its training file; rows shared with that file would be scored in-sample)';
  }

  const positives = gold.filter(Boolean).length;
  // Nested CV needs a toxic and a clean row in every outer fold's training part to choose a threshold.
  const recipe = DEFAULT_TOXICITY_TRAINING;
  let harm: Record<string, unknown> | null = null;
  if (positives >= 2 && rows.length - positives >= 2 && rows.length >= recipe.folds * 2) {
    const cv = committedRecipeCv ?? crossValidateRecipe(labelledExamples(rows, recipe), recipe, PIPELINE_CLASSIFIER_CONFIG);
    harm = harmSummary(harmOfCrossValidation(cv, gold, ngDrop));
  } else {
    console.error(`${args.data}: ${rows.length} rows with ${positives} toxic are too few for the nested cross-validation of the harm rule; harm is null`);
  }

  console.log(`${args.data}: ${rows.length} rows, ${positives} toxic (${dataset.labelRule})${skipped.skipped > 0 ? `; ${skipped.skipped} lines skipped` : ''}`);
  console.log(`model ${modelPath} (trained on ${header.trainedOn?.file ?? '?'}), threshold ${threshold.toFixed(4)}; classifier figures: ${scoredAs}`);
  const describe = (i: number): string => `[p ${shownProbabilities[i]!.toFixed(3)}${ngDrop[i] ? ', ng' : ''}]`;
  printExamples(`toxic rows the classifier keeps (${shownAs})`, rows, (i) => gold[i]! && !shownDecisions[i]!, describe);
  printExamples(`non-toxic rows the classifier drops (${shownAs})`, rows, (i) => !gold[i]! && shownDecisions[i]!, describe);
  printExamples('rows the NG-word filter drops', rows, (i) => ngDrop[i]!, (i) => `[${gold[i] ? 'toxic' : 'not toxic'}]`);

  printScores({
    eval: 'toxicity',
    data: args.data,
    format: dataset.format,
    rows: rows.length,
    ...skipped,
    positives,
    label_rule: dataset.labelRule,
    model: modelPath,
    threshold: round(threshold),
    scored_as: scoredAs,
    ...summary(classifier),
    ng_words: { ...summary(ngScores), lists: DEFAULT_NG_WORDS_CONFIG.listPaths.map((p) => basename(p)) },
    combined: summary(combined),
    ...cvExtra,
    harm,
    classifier_rows_per_s: Math.round(classifierMs === 0 ? 0 : (rows.length * 1000) / classifierMs),
  });
}
