/**
 * `pnpm train toxicity --data <csv|jsonl> [--out <model path>] [--compare]`: trains the toxicity classifier
 * on a CSV in the inspection-ai format (`../shared/data/toxicity/inspection-ai.dev.csv`) or on LLM-jp
 * Toxicity JSONL (`.jsonl`, `.jsonl.gz`, or content starting with `{`; label mapping in
 * `llm-jp-jsonl.ts`) and writes the model file (default: the committed `packages/filters/models/toxicity-v1.json`).
 * Bad JSONL lines are reported with file:line, skipped and counted per reason in the summary.
 *
 * 1. Nested, repeated, stratified k-fold cross-validation of the whole recipe (train on k−1 folds, pick
 *    the threshold by an inner CV of those folds, score the held-out fold): the honest estimate, stored
 *    in the file as `metrics.cv`.
 * 2. The committed threshold: best F1 on the out-of-fold probabilities of all rows, pooled over
 *    differently seeded splits (`chooseThresholdByCv`).
 * 3. The committed weights: trained on all rows.
 * `--compare` first prints the same cross-validation for a few alternative recipes (how the learner and
 * its settings were chosen). Deterministic: same CSV → byte-identical model file.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
// Relative import: @jcp/filters exposes only its root index, which does not re-export toxicity yet.
import {
  DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
  DEFAULT_TOXICITY_MODEL_PATH,
  DEFAULT_TOXICITY_TRAINING,
  ToxicityScorer,
  binaryScores,
  committedThreshold,
  crossValidateRecipe,
  labelledExamples,
  readToxicityData,
  saveToxicityModel,
  trainLinearModel,
  trainingSection,
  type CrossValidationResult,
  type ToxicityTrainingConfig,
} from '../../../packages/filters/src/toxicity/index.ts';
import { printScores, round } from '../eval/_common.ts';
import { reportSkipped } from '../eval/toxicity.ts';

const USAGE = `usage: pnpm train toxicity --data <csv|jsonl> [--out <model path>] [--compare]
  --data      CSV with text and vote columns (Not Toxic, Hard to Say, Toxic, Very Toxic), e.g. ../shared/data/toxicity/inspection-ai.dev.csv,
              or LLM-jp Toxicity JSONL ({"text", "label": "toxic"|"nontoxic"|"has_toxic_expression"} a line; .jsonl or .jsonl.gz)
  --out       model file to write (default ${DEFAULT_TOXICITY_MODEL_PATH})
  --compare   first print the cross-validated scores of alternative recipes
The summary is printed as one JSON object on the last line.`;

/** Alternatives to the committed recipe, for `--compare`. */
function alternatives(base: ToxicityTrainingConfig): Array<[string, ToxicityTrainingConfig]> {
  const withOptions = (patch: Partial<ToxicityTrainingConfig['options']>): ToxicityTrainingConfig => ({
    ...base,
    options: { ...base.options, ...patch },
  });
  const features = base.options.features;
  return [
    ['committed recipe', base],
    ['katakana folded onto hiragana', withOptions({ features: { ...features, foldKatakana: true } })],
    ['weak L2 (1e-4)', withOptions({ l2: 1e-4 })],
    ['L2 1e-2', withOptions({ l2: 1e-2 })],
    ['L2 1e-1', withOptions({ l2: 1e-1 })],
    ['positiveWeight 1', withOptions({ positiveWeight: 1 })],
    [base.target === 'majority' ? 'vote-share target' : 'majority target', { ...base, target: base.target === 'majority' ? 'vote-share' : 'majority' }],
    ['1–2-grams', withOptions({ features: { ...features, maxN: 2 } })],
    ['naive Bayes, alpha 0.3', withOptions({ algorithm: 'naive-bayes', alpha: 0.3 })],
    ['naive Bayes, alpha 1', withOptions({ algorithm: 'naive-bayes', alpha: 1 })],
  ];
}

function describeCv(cv: CrossValidationResult): string {
  const p = cv.pooled;
  const f1s = cv.f1PerRepeat.map((f) => f.toFixed(2)).join(' ');
  return `P ${p.precision.toFixed(3)} R ${p.recall.toFixed(3)} F1 ${p.f1.toFixed(3)} acc ${p.accuracy.toFixed(3)}  (F1 per repeat ${f1s}; thresholds ${cv.thresholds.min.toFixed(2)}–${cv.thresholds.max.toFixed(2)})`;
}

export function cvMetrics(cv: CrossValidationResult): Record<string, unknown> {
  const p = cv.pooled;
  return {
    method: `nested stratified ${cv.folds}-fold CV × ${cv.repeats} repeats (threshold chosen inside each training part), decisions pooled`,
    precision: round(p.precision),
    recall: round(p.recall),
    f1: round(p.f1),
    accuracy: round(p.accuracy),
    tp: p.tp,
    fp: p.fp,
    fn: p.fn,
    tn: p.tn,
    f1_per_repeat: cv.f1PerRepeat.map((f) => round(f)),
    thresholds: { min: round(cv.thresholds.min), median: round(cv.thresholds.median), max: round(cv.thresholds.max) },
  };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, out: { type: 'string' }, compare: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: false,
  });
  if (values.help || typeof values.data !== 'string') {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const out = values.out ?? DEFAULT_TOXICITY_MODEL_PATH;
  const recipe = DEFAULT_TOXICITY_TRAINING;
  const started = performance.now();
  const dataset = readToxicityData(values.data);
  const skipped = reportSkipped(dataset);
  const positives = dataset.rows.filter((r) => r.toxic).length;
  console.log(
    `${dataset.path}: ${dataset.rows.length} rows, ${positives} toxic (${dataset.labelRule})${skipped.skipped > 0 ? `; ${skipped.skipped} lines skipped` : ''}`,
  );
  // Every outer fold's training part needs both labels for the inner folds to choose a threshold.
  if (dataset.rows.length < recipe.folds * 2 || positives < 2 || dataset.rows.length - positives < 2) {
    throw new Error(`${dataset.path}: ${dataset.rows.length} rows with ${positives} toxic are too few to train and cross-validate`);
  }

  if (values.compare) {
    console.log('cross-validated alternatives:');
    for (const [name, alternative] of alternatives(recipe)) {
      console.log(`  ${name.padEnd(42)} ${describeCv(crossValidateRecipe(labelledExamples(dataset.rows, alternative), alternative))}`);
    }
  }

  const examples = labelledExamples(dataset.rows, recipe);
  const cv = crossValidateRecipe(examples, recipe);
  console.log(`cross-validated (${cv.folds}-fold × ${cv.repeats}): ${describeCv(cv)}`);
  const threshold = committedThreshold(examples, recipe);
  const model = trainLinearModel(examples, recipe.options);
  const scorer = new ToxicityScorer(model, DEFAULT_TOXICITY_CLASSIFIER_CONFIG);
  const inSample = binaryScores(
    examples.map((e) => scorer.score(e.text).prob >= threshold),
    examples.map((e) => e.toxic),
  );
  console.log(`threshold ${threshold.toFixed(4)}; in-sample (optimistic, the model has seen these rows): F1 ${inSample.f1.toFixed(3)}`);

  const bytes = saveToxicityModel(
    out,
    model,
    {
      threshold,
      trainedOn: { file: basename(dataset.path), sha256: dataset.sha256, rows: dataset.rows.length, positives, labelRule: dataset.labelRule },
      training: trainingSection(recipe),
      metrics: {
        cv: cvMetrics(cv),
        inSample: { precision: round(inSample.precision), recall: round(inSample.recall), f1: round(inSample.f1), accuracy: round(inSample.accuracy) },
      },
    },
    recipe.pruneBelow,
  );
  console.log(`wrote ${out} (${bytes} bytes) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  printScores({
    train: 'toxicity',
    data: values.data,
    format: dataset.format,
    rows: dataset.rows.length,
    ...skipped,
    positives,
    model: out,
    model_bytes: bytes,
    threshold: round(threshold),
    cv: cvMetrics(cv),
    in_sample_f1: round(inSample.f1),
  });
}
