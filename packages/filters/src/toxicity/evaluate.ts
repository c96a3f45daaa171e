/**
 * Honest figures for a model trained on 275 rows: binary scores for the drop decision, stratified
 * k-fold cross-validation with a threshold chosen inside each training part (nested), repeated over
 * seeds because with 21 toxic rows one split's F1 differs from the next by up to 0.1.
 */
import { DEFAULT_TOXICITY_CLASSIFIER_CONFIG, type ToxicityClassifierConfig, type ToxicityTrainingConfig } from './config.ts';
import { trainingTarget, type ToxicityRow } from './dataset.ts';
import { ToxicityScorer } from './classifier.ts';
import { seededRandom, seededShuffle, trainLinearModel, type TrainOptions, type TrainingExample } from './linear-model.ts';

export interface BinaryScores {
  items: number;
  positives: number;
  predicted_positives: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

/** Scores of a drop decision; positive = toxic. Precision is 0 when nothing is predicted positive. */
export function binaryScores(predicted: readonly boolean[], gold: readonly boolean[]): BinaryScores {
  if (predicted.length !== gold.length) throw new Error(`binaryScores: ${predicted.length} predictions for ${gold.length} labels`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < gold.length; i++) {
    if (predicted[i]) {
      if (gold[i]) tp++;
      else fp++;
    } else if (gold[i]) fn++;
    else tn++;
  }
  return scoresFromCounts(tp, fp, fn, tn);
}

export function scoresFromCounts(tp: number, fp: number, fn: number, tn: number): BinaryScores {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const items = tp + fp + fn + tn;
  return {
    items,
    positives: tp + fn,
    predicted_positives: tp + fp,
    tp,
    fp,
    fn,
    tn,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    accuracy: items === 0 ? 0 : (tp + tn) / items,
  };
}

/** Fold number (0..k-1) per row; each fold gets its share of positives and of negatives (seeded). */
export function stratifiedFolds(labels: readonly boolean[], k: number, seed: number): Int32Array {
  const folds = new Int32Array(labels.length);
  const random = seededRandom(seed);
  let offset = 0;
  for (const wanted of [true, false]) {
    const members = seededShuffle(
      labels.flatMap((label, i) => (label === wanted ? [i] : [])),
      random,
    );
    members.forEach((row, j) => {
      folds[row] = (offset + j) % k;
    });
    offset += members.length; // negatives continue the round-robin where positives stopped
  }
  return folds;
}

/**
 * The threshold maximising F1 of `p ≥ threshold` on these probabilities, placed halfway to the next
 * lower probability so that a new row scoring like the weakest caught positive is still caught.
 * Without positives there is nothing to tune: 0.5.
 */
export function chooseThreshold(probabilities: readonly number[], labels: readonly boolean[]): number {
  const positives = labels.filter(Boolean).length;
  if (positives === 0 || probabilities.length === 0) return 0.5;
  const order = probabilities.map((p, i) => i).sort((a, b) => probabilities[b]! - probabilities[a]!);
  let tp = 0;
  let fp = 0;
  let bestF1 = -1;
  let bestAt = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    if (labels[i]) tp++;
    else fp++;
    // Only cut between distinct probabilities.
    const next = order[r + 1];
    if (next !== undefined && probabilities[next] === probabilities[i]) continue;
    const precision = tp / (tp + fp);
    const recall = tp / positives;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    if (f1 > bestF1) {
      bestF1 = f1;
      bestAt = r;
    }
  }
  const at = probabilities[order[bestAt]!]!;
  const below = order[bestAt + 1] === undefined ? 0 : probabilities[order[bestAt + 1]!]!;
  return (at + below) / 2;
}

export interface LabelledExample extends TrainingExample {
  /** The gold label (strict majority), which every score is computed against. */
  toxic: boolean;
}

export interface CrossValidationResult {
  folds: number;
  repeats: number;
  seed: number;
  /** Decisions pooled over all repeats (each row is scored once per repeat). */
  pooled: BinaryScores;
  /** F1 of each repeat, to show the spread. */
  f1PerRepeat: number[];
  /** The thresholds chosen inside the training parts. */
  thresholds: { min: number; median: number; max: number };
  /** Out-of-fold decision of each row, per repeat (for combining with other filters). */
  predictedPerRepeat: boolean[][];
  /** Out-of-fold probability of each row, per repeat. */
  probabilitiesPerRepeat: number[][];
}

/**
 * Out-of-fold probabilities for every row: train on k−1 folds, score the held-out fold, with the same
 * scorer (chunking, aggregation) as the filter.
 */
export function outOfFoldProbabilities(
  examples: readonly LabelledExample[],
  options: TrainOptions,
  folds: Int32Array,
  k: number,
  scorerConfig: ToxicityClassifierConfig = DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
): number[] {
  const probabilities = new Array<number>(examples.length).fill(0);
  for (let fold = 0; fold < k; fold++) {
    const train = examples.filter((_, i) => folds[i] !== fold);
    const scorer = new ToxicityScorer(trainLinearModel(train, options), scorerConfig);
    examples.forEach((example, i) => {
      if (folds[i] === fold) probabilities[i] = scorer.score(example.text).prob;
    });
  }
  return probabilities;
}

/**
 * The threshold the recipe commits to for `examples`: F1-best over the out-of-fold probabilities of
 * `repeats` differently seeded k-fold splits, pooled (one split's ~4 toxic rows per fold make a noisy
 * F1 curve; pooling several splits smooths it).
 */
export function chooseThresholdByCv(
  examples: readonly LabelledExample[],
  options: TrainOptions,
  { folds: wanted, repeats, seed }: { folds: number; repeats: number; seed: number },
  scorerConfig: ToxicityClassifierConfig = DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
): number {
  const labels = examples.map((e) => e.toxic);
  const k = innerFoldCount(wanted, labels);
  const probabilities: number[] = [];
  const pooledLabels: boolean[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const folds = stratifiedFolds(labels, k, seed + 104729 * repeat);
    probabilities.push(...outOfFoldProbabilities(examples, options, folds, k, scorerConfig));
    pooledLabels.push(...labels);
  }
  return chooseThreshold(probabilities, pooledLabels);
}

/**
 * Nested, repeated, stratified k-fold cross-validation of training with `options` and choosing the
 * threshold by `chooseThresholdByCv` on each training part — exactly what `pnpm train toxicity`
 * does with all rows, so the figures estimate the committed model on unseen rows.
 */
export function crossValidate(
  examples: readonly LabelledExample[],
  options: TrainOptions,
  {
    folds: k = 5,
    innerFolds = 5,
    innerRepeats = 3,
    repeats = 5,
    seed = 1,
  }: { folds?: number; innerFolds?: number; innerRepeats?: number; repeats?: number; seed?: number } = {},
  scorerConfig: ToxicityClassifierConfig = DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
): CrossValidationResult {
  const labels = examples.map((e) => e.toxic);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const f1PerRepeat: number[] = [];
  const thresholds: number[] = [];
  const predictedPerRepeat: boolean[][] = [];
  const probabilitiesPerRepeat: number[][] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const repeatSeed = seed + 7919 * repeat;
    const folds = stratifiedFolds(labels, k, repeatSeed);
    const probabilities = new Array<number>(examples.length).fill(0);
    const predicted = new Array<boolean>(examples.length).fill(false);
    for (let fold = 0; fold < k; fold++) {
      const train = examples.filter((_, i) => folds[i] !== fold);
      const threshold = chooseThresholdByCv(train, options, { folds: innerFolds, repeats: innerRepeats, seed: repeatSeed + 1 + fold }, scorerConfig);
      thresholds.push(threshold);
      const scorer = new ToxicityScorer(trainLinearModel(train, options), scorerConfig);
      examples.forEach((example, i) => {
        if (folds[i] !== fold) return;
        probabilities[i] = scorer.score(example.text).prob;
        predicted[i] = probabilities[i]! >= threshold;
      });
    }
    const scores = binaryScores(predicted, labels);
    tp += scores.tp;
    fp += scores.fp;
    fn += scores.fn;
    tn += scores.tn;
    f1PerRepeat.push(scores.f1);
    predictedPerRepeat.push(predicted);
    probabilitiesPerRepeat.push(probabilities);
  }
  thresholds.sort((a, b) => a - b);
  return {
    folds: k,
    repeats,
    seed,
    pooled: scoresFromCounts(tp, fp, fn, tn),
    f1PerRepeat,
    thresholds: { min: thresholds[0] ?? 0, median: thresholds[thresholds.length >> 1] ?? 0, max: thresholds[thresholds.length - 1] ?? 0 },
    predictedPerRepeat,
    probabilitiesPerRepeat,
  };
}

/** Inner folds cannot outnumber the positives of a training part (each fold needs one to tune on). */
function innerFoldCount(wanted: number, labels: readonly boolean[]): number {
  const positives = labels.filter(Boolean).length;
  return Math.max(2, Math.min(wanted, positives));
}

/** Rows as training examples under the recipe's target rule (texts trimmed, as the scorer trims chunks). */
export function labelledExamples(rows: readonly ToxicityRow[], recipe: Pick<ToxicityTrainingConfig, 'target'>): LabelledExample[] {
  return rows.map((row) => ({ text: row.text.trim(), target: trainingTarget(row, recipe.target), toxic: row.toxic }));
}

/** `crossValidate` with the recipe's folds, repeats and seed: the figures `pnpm train` stores as `metrics.cv`. */
export function crossValidateRecipe(
  examples: readonly LabelledExample[],
  recipe: ToxicityTrainingConfig,
  scorerConfig: ToxicityClassifierConfig = DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
): CrossValidationResult {
  return crossValidate(
    examples,
    recipe.options,
    { folds: recipe.folds, innerFolds: recipe.innerFolds, innerRepeats: recipe.innerRepeats, repeats: recipe.repeats, seed: recipe.cvSeed },
    scorerConfig,
  );
}

/** The threshold the recipe commits to for a model trained on all of `examples`. */
export function committedThreshold(
  examples: readonly LabelledExample[],
  recipe: ToxicityTrainingConfig,
  scorerConfig: ToxicityClassifierConfig = DEFAULT_TOXICITY_CLASSIFIER_CONFIG,
): number {
  return chooseThresholdByCv(examples, recipe.options, { folds: recipe.innerFolds, repeats: recipe.innerRepeats, seed: recipe.cvSeed }, scorerConfig);
}
