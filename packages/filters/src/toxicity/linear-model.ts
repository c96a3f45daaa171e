import { fmix32, seededRandom } from '@jcp/core';

/**
 * A small linear classifier over hashed character n-grams: the toxicity model.
 *
 * Features: character 1–3-grams of the normalised text with start/end markers, hashed (murmur3 finaliser)
 * into 2^18 buckets. Japanese has no spaces and toxic words are short (しね, バカ, 無能, ゴミ), so character
 * n-grams are the natural unit; the hashing trick keeps the feature space fixed and the file small.
 *
 * Two learners, chosen by cross-validation on the dev CSV (`pnpm train toxicity --compare` prints the
 * table): logistic regression (AdaGrad, L2 on the active weights, seeded shuffle) and multinomial naive
 * Bayes (Laplace smoothing). Both predict `sigmoid(bias + Σ weight × value)`, so one file format and one
 * scorer serve both.
 *
 * Hot loops (feature extraction, scoring) are plain: `charCodeAt`, integer hashing into a reused
 * Int32Array, a dense Float32Array of weights; no allocation per character.
 */

export interface FeatureSpec {
  kind: 'hashed-char-ngrams';
  minN: number;
  maxN: number;
  /** log2 of the bucket count. */
  bucketBits: number;
  hashSeed: number;
  /**
   * Katakana folded onto hiragana (シネ = しね). Off by default: it lowered cross-validated F1 on the dev
   * set from 0.30 to 0.24, as it merges insults with everyday words (ハゲ = はげ in はげます).
   */
  foldKatakana: boolean;
  /** Digits folded onto 0: numbers say little about toxicity and would only spread the few rows thinner. */
  foldDigits: boolean;
}

export const DEFAULT_FEATURE_SPEC: FeatureSpec = {
  kind: 'hashed-char-ngrams',
  minN: 1,
  maxN: 3,
  bucketBits: 18,
  hashSeed: 0x6a637074, // 'jcpt'
  foldKatakana: false,
  foldDigits: true,
};

/** How a feature's value is computed from its occurrences in a text. */
export type FeatureValues =
  /** Each occurrence adds 1/sqrt(n-grams in the text): a scale that does not grow with length (logistic regression). */
  | 'occurrence-over-sqrt-total'
  /** Each occurrence adds 1 (multinomial naive Bayes). */
  | 'counts';

export interface LinearModel {
  algorithm: 'logistic-regression' | 'naive-bayes';
  features: FeatureSpec;
  values: FeatureValues;
  bias: number;
  /** Dense, 2^bucketBits entries. */
  weights: Float32Array;
}

const BOUNDARY = 0x0002; // start/end-of-text marker; never produced by normalisation
const NONE = -1;

/** Code-unit normalisation shared by training and scoring. */
function normalizeUnit(c: number, foldKatakana: boolean, foldDigits: boolean): number {
  if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if (foldDigits && c >= 0x30 && c <= 0x39) return 0x30;
  if (foldKatakana && c >= 0x30a1 && c <= 0x30f6) return c - 0x60;
  if (c === 0x3000 || c === 0x09 || c === 0x0a || c === 0x0d) return 0x20; // all spaces look alike
  return c;
}

/**
 * Extracts hashed n-gram bucket indices of `text[from, to)` into a reused buffer. One featurizer per
 * scorer or trainer; not shared across concurrent calls (there are none in a single JS thread).
 */
export class NgramFeaturizer {
  /** Bucket index of each n-gram occurrence of the last `extract`; valid up to the returned count. */
  indices: Int32Array;
  private readonly spec: FeatureSpec;
  private readonly shift: number;

  constructor(spec: FeatureSpec) {
    if (spec.kind !== 'hashed-char-ngrams') throw new Error(`unknown feature kind ${String(spec.kind)}`);
    if (!(spec.minN >= 1 && spec.maxN <= 3 && spec.minN <= spec.maxN)) throw new Error(`n-gram range ${spec.minN}–${spec.maxN} not in 1–3`);
    if (!(spec.bucketBits >= 8 && spec.bucketBits <= 24)) throw new Error(`bucketBits ${spec.bucketBits} not in 8–24`);
    this.spec = spec;
    this.shift = 32 - spec.bucketBits;
    this.indices = new Int32Array(1024);
  }

  /** Number of n-gram occurrences written to `indices`. */
  extract(text: string, from = 0, to = text.length): number {
    const length = Math.max(0, to - from);
    const needed = 3 * (length + 2);
    if (this.indices.length < needed) this.indices = new Int32Array(Math.max(needed, this.indices.length * 2));
    const out = this.indices;
    const { minN, maxN, hashSeed, foldKatakana, foldDigits } = this.spec;
    const shift = this.shift;
    const uni = minN <= 1;
    const bi = minN <= 2 && maxN >= 2;
    const tri = maxN >= 3;
    let n = 0;
    let c2 = NONE;
    let c1 = BOUNDARY;
    for (let j = 0; j <= length; j++) {
      const c0 = j < length ? normalizeUnit(text.charCodeAt(from + j), foldKatakana, foldDigits) : BOUNDARY;
      if (uni && j < length) out[n++] = fmix32(hashSeed ^ Math.imul(c0 + 1, 0xcc9e2d51)) >>> shift;
      if (bi) out[n++] = fmix32((hashSeed + 2) ^ Math.imul(c1 + 1, 0x9e3779b1) ^ Math.imul(c0 + 1, 0x1b873593)) >>> shift;
      if (tri && c2 !== NONE) {
        out[n++] =
          fmix32((hashSeed + 3) ^ Math.imul(c2 + 1, 0x85ebca77) ^ Math.imul(c1 + 1, 0x9e3779b1) ^ Math.imul(c0 + 1, 0x1b873593)) >>> shift;
      }
      c2 = c1;
      c1 = c0;
    }
    return n;
  }
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Probability that `text[from, to)` is toxic. */
export function predictProbability(model: LinearModel, featurizer: NgramFeaturizer, text: string, from = 0, to = text.length): number {
  const n = featurizer.extract(text, from, to);
  const idx = featurizer.indices;
  const w = model.weights;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += w[idx[k]!]!;
  const scale = model.values === 'counts' || n === 0 ? 1 : 1 / Math.sqrt(n);
  return sigmoid(model.bias + scale * sum);
}

export interface TrainOptions {
  algorithm: 'logistic-regression' | 'naive-bayes';
  features: FeatureSpec;
  /** Seeds the shuffle of each epoch (logistic regression); same data + options → same weights. */
  seed: number;
  /** Logistic regression: passes over the data. */
  epochs: number;
  /** Logistic regression: AdaGrad base step. */
  learningRate: number;
  /** Logistic regression: L2 strength, applied to the weights a row touches. */
  l2: number;
  /** Weight of toxic rows in the loss (both learners): toxic rows are ~8 % of the dev set. */
  positiveWeight: number;
  /** Naive Bayes: additive smoothing. */
  alpha: number;
}

/** One training row: the text and its target in [0, 1] (1 = toxic; fractions for vote shares). */
export interface TrainingExample {
  text: string;
  target: number;
}

/** Re-exported: training shuffles with the project's one seeded PRNG, so weights are reproducible. */
export { seededRandom };

export function seededShuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** Features of every row, extracted once (training passes over them many times). */
function extractAll(examples: readonly TrainingExample[], featurizer: NgramFeaturizer): Int32Array[] {
  return examples.map((e) => featurizer.indices.slice(0, featurizer.extract(e.text)));
}

export function trainLinearModel(examples: readonly TrainingExample[], options: TrainOptions): LinearModel {
  const featurizer = new NgramFeaturizer(options.features);
  const rows = extractAll(examples, featurizer);
  return options.algorithm === 'naive-bayes'
    ? trainNaiveBayes(examples, rows, options)
    : trainLogisticRegression(examples, rows, options);
}

function trainLogisticRegression(examples: readonly TrainingExample[], rows: Int32Array[], options: TrainOptions): LinearModel {
  const size = 1 << options.features.bucketBits;
  const weights = new Float32Array(size);
  const squaredGradients = new Float32Array(size);
  let bias = 0;
  let biasSquaredGradient = 0;
  const random = seededRandom(options.seed);
  const order = examples.map((_, i) => i);
  const eps = 1e-8;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    seededShuffle(order, random);
    for (const r of order) {
      const idx = rows[r]!;
      const target = examples[r]!.target;
      const n = idx.length;
      const scale = n === 0 ? 1 : 1 / Math.sqrt(n);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += weights[idx[k]!]!;
      const p = sigmoid(bias + scale * sum);
      // Weighted log loss: toxic mass counts `positiveWeight` times.
      const rowWeight = target * options.positiveWeight + (1 - target);
      const error = (p - target) * rowWeight;
      for (let k = 0; k < n; k++) {
        const f = idx[k]!;
        const g = error * scale + options.l2 * weights[f]!;
        squaredGradients[f] = squaredGradients[f]! + g * g;
        weights[f] = weights[f]! - (options.learningRate * g) / Math.sqrt(squaredGradients[f]! + eps);
      }
      biasSquaredGradient += error * error;
      bias -= (options.learningRate * error) / Math.sqrt(biasSquaredGradient + eps);
    }
  }
  return { algorithm: 'logistic-regression', features: options.features, values: 'occurrence-over-sqrt-total', bias, weights };
}

function trainNaiveBayes(examples: readonly TrainingExample[], rows: Int32Array[], options: TrainOptions): LinearModel {
  const size = 1 << options.features.bucketBits;
  const toxicCounts = new Float64Array(size);
  const benignCounts = new Float64Array(size);
  const seen = new Uint8Array(size);
  let toxicTotal = 0;
  let benignTotal = 0;
  let toxicMass = 0;
  let benignMass = 0;
  examples.forEach((example, r) => {
    const toxic = example.target * options.positiveWeight;
    const benign = 1 - example.target;
    toxicMass += toxic;
    benignMass += benign;
    for (const f of rows[r]!) {
      toxicCounts[f] = toxicCounts[f]! + toxic;
      benignCounts[f] = benignCounts[f]! + benign;
      toxicTotal += toxic;
      benignTotal += benign;
      seen[f] = 1;
    }
  });
  let vocabulary = 0;
  for (let f = 0; f < size; f++) vocabulary += seen[f]!;
  const a = options.alpha;
  const weights = new Float32Array(size);
  const toxicDenominator = Math.log(toxicTotal + a * vocabulary);
  const benignDenominator = Math.log(benignTotal + a * vocabulary);
  for (let f = 0; f < size; f++) {
    if (seen[f] === 0) continue; // unseen features carry (almost) no evidence; 0 keeps the file sparse
    weights[f] = Math.log(toxicCounts[f]! + a) - toxicDenominator - (Math.log(benignCounts[f]! + a) - benignDenominator);
  }
  const bias = Math.log((toxicMass + 1) / (benignMass + 1));
  return { algorithm: 'naive-bayes', features: options.features, values: 'counts', bias, weights };
}
