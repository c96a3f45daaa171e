/**
 * The toxicity model file: one JSON object, readable header fields plus the non-zero weights as two
 * base64 little-endian arrays (bucket indices delta-encoded as uint32, weights as float32). Float32
 * round-trips exactly, so a loaded model predicts bit-for-bit what the saved one did.
 *
 * {
 *   "format": "jcp-toxicity", "version": 1,
 *   "features": { "kind": "hashed-char-ngrams", "minN": 1, "maxN": 3, "bucketBits": 18, ... },
 *   "model": { "algorithm", "values", "bias", "nonZero", "indices": "<base64>", "weights": "<base64>" },
 *   "threshold": 0.xx,
 *   "trainedOn": { "file", "sha256", "rows", "positives", "labelRule" },
 *   "training": { ...TrainOptions without features },
 *   "metrics": { "cv": {...}, "inSample": {...} }
 * }
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ToxicityTrainingConfig } from './config.ts';
import type { TargetRule } from './dataset.ts';
import type { FeatureSpec, FeatureValues, LinearModel, TrainOptions } from './linear-model.ts';

export const TOXICITY_MODEL_FORMAT = 'jcp-toxicity';
export const TOXICITY_MODEL_VERSION = 1;

export interface TrainedOn {
  /** File name of the training CSV (no directory: the file lives outside the repo). */
  file: string;
  sha256: string;
  rows: number;
  positives: number;
  labelRule: string;
}

/** Everything in the file except the weights. */
export interface ToxicityModelHeader {
  format: typeof TOXICITY_MODEL_FORMAT;
  version: typeof TOXICITY_MODEL_VERSION;
  features: FeatureSpec;
  threshold: number;
  trainedOn: TrainedOn;
  training: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

interface ModelSection {
  algorithm: LinearModel['algorithm'];
  values: FeatureValues;
  bias: number;
  nonZero: number;
  indices: string;
  weights: string;
}

export interface LoadedToxicityModel {
  model: LinearModel;
  header: ToxicityModelHeader;
}

export type ToxicityModelMetadata = Omit<ToxicityModelHeader, 'format' | 'version' | 'features'>;

/** Serialises the model; weights whose magnitude is below `pruneBelow` are dropped (0 keeps every non-zero weight). */
export function encodeToxicityModel(model: LinearModel, metadata: ToxicityModelMetadata, pruneBelow = 0): string {
  const kept: number[] = [];
  for (let f = 0; f < model.weights.length; f++) {
    const w = model.weights[f]!;
    if (w !== 0 && Math.abs(w) >= pruneBelow) kept.push(f);
  }
  const indices = new DataView(new ArrayBuffer(kept.length * 4));
  const weights = new DataView(new ArrayBuffer(kept.length * 4));
  let previous = 0;
  kept.forEach((f, k) => {
    indices.setUint32(k * 4, f - previous, true);
    weights.setFloat32(k * 4, model.weights[f]!, true);
    previous = f;
  });
  const modelSection: ModelSection = {
    algorithm: model.algorithm,
    values: model.values,
    bias: model.bias,
    nonZero: kept.length,
    indices: Buffer.from(indices.buffer).toString('base64'),
    weights: Buffer.from(weights.buffer).toString('base64'),
  };
  const file = {
    format: TOXICITY_MODEL_FORMAT,
    version: TOXICITY_MODEL_VERSION,
    features: model.features,
    threshold: metadata.threshold,
    trainedOn: metadata.trainedOn,
    training: metadata.training,
    metrics: metadata.metrics,
    model: modelSection,
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

function fail(source: string, what: string): never {
  throw new Error(`toxicity model ${source}: ${what}`);
}

/** Parses and validates a model file's text; every error names `source` and the offending field. */
export function decodeToxicityModel(text: string, source: string): LoadedToxicityModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    fail(source, `not JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object') fail(source, 'expected a JSON object');
  const file = parsed as Record<string, unknown>;
  if (file.format !== TOXICITY_MODEL_FORMAT) fail(source, `format is ${JSON.stringify(file.format)}, expected "${TOXICITY_MODEL_FORMAT}"`);
  if (file.version !== TOXICITY_MODEL_VERSION) fail(source, `version ${JSON.stringify(file.version)} is not supported (this code reads ${TOXICITY_MODEL_VERSION})`);
  const features = file.features as FeatureSpec | undefined;
  if (!features || features.kind !== 'hashed-char-ngrams') fail(source, 'features.kind should be "hashed-char-ngrams"');
  for (const key of ['minN', 'maxN', 'bucketBits', 'hashSeed'] as const) {
    if (!Number.isInteger(features[key])) fail(source, `features.${key} should be an integer`);
  }
  if (typeof file.threshold !== 'number' || !(file.threshold >= 0 && file.threshold <= 1)) fail(source, 'threshold should be a number in [0, 1]');
  const section = file.model as ModelSection | undefined;
  if (!section || typeof section !== 'object') fail(source, 'missing "model"');
  if (section.algorithm !== 'logistic-regression' && section.algorithm !== 'naive-bayes') fail(source, `model.algorithm ${JSON.stringify(section.algorithm)} unknown`);
  if (section.values !== 'occurrence-over-sqrt-total' && section.values !== 'counts') fail(source, `model.values ${JSON.stringify(section.values)} unknown`);
  if (typeof section.bias !== 'number' || !Number.isFinite(section.bias)) fail(source, 'model.bias should be a finite number');
  const indexBytes = Buffer.from(String(section.indices ?? ''), 'base64');
  const weightBytes = Buffer.from(String(section.weights ?? ''), 'base64');
  if (indexBytes.length !== section.nonZero * 4 || weightBytes.length !== section.nonZero * 4) {
    fail(source, `model.indices/weights hold ${indexBytes.length / 4}/${weightBytes.length / 4} entries, model.nonZero says ${section.nonZero}`);
  }
  const size = 2 ** features.bucketBits;
  const weights = new Float32Array(size);
  const indexView = new DataView(indexBytes.buffer, indexBytes.byteOffset, indexBytes.length);
  const weightView = new DataView(weightBytes.buffer, weightBytes.byteOffset, weightBytes.length);
  let f = 0;
  for (let k = 0; k < section.nonZero; k++) {
    f += indexView.getUint32(k * 4, true);
    if (f >= size) fail(source, `model.indices entry ${k} points at bucket ${f}, beyond 2^${features.bucketBits}`);
    const w = weightView.getFloat32(k * 4, true);
    if (!Number.isFinite(w)) fail(source, `model.weights entry ${k} is not finite`);
    weights[f] = w;
  }
  const header: ToxicityModelHeader = {
    format: TOXICITY_MODEL_FORMAT,
    version: TOXICITY_MODEL_VERSION,
    features,
    threshold: file.threshold,
    trainedOn: file.trainedOn as TrainedOn,
    training: (file.training ?? {}) as Record<string, unknown>,
    metrics: (file.metrics ?? {}) as Record<string, unknown>,
  };
  return { model: { algorithm: section.algorithm, features, values: section.values, bias: section.bias, weights }, header };
}

/** Writes the model file (creating its folder); returns its size in bytes. */
export function saveToxicityModel(path: string, model: LinearModel, metadata: ToxicityModelMetadata, pruneBelow = 0): number {
  const text = encodeToxicityModel(model, metadata, pruneBelow);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

export function loadToxicityModel(path: string): LoadedToxicityModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`toxicity model ${path}: cannot read (${(error as Error).message}); train one with \`pnpm train toxicity --data <csv>\``);
  }
  return decodeToxicityModel(text, path);
}

/** How the recipe is stored in `training`: the train options without features (stored as `features`), plus the CV settings. */
export function trainingSection(recipe: ToxicityTrainingConfig): Record<string, unknown> {
  const { features: _features, ...options } = recipe.options;
  const { options: _options, ...rest } = recipe;
  return { ...options, ...rest };
}

/** The recipe a model file was trained with (to rerun its cross-validation); errors name the file and field. */
export function trainingRecipeOf(header: ToxicityModelHeader, source: string): ToxicityTrainingConfig {
  const t = header.training;
  const number = (key: string): number => {
    const value = t[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(source, `training.${key} should be a number`);
    return value;
  };
  const algorithm = t.algorithm;
  if (algorithm !== 'logistic-regression' && algorithm !== 'naive-bayes') fail(source, `training.algorithm ${JSON.stringify(algorithm)} unknown`);
  const target = t.target;
  if (target !== 'majority' && target !== 'vote-share') fail(source, `training.target ${JSON.stringify(target)} unknown`);
  const options: TrainOptions = {
    algorithm,
    features: header.features,
    seed: number('seed'),
    epochs: number('epochs'),
    learningRate: number('learningRate'),
    l2: number('l2'),
    positiveWeight: number('positiveWeight'),
    alpha: number('alpha'),
  };
  return {
    options,
    target: target as TargetRule,
    folds: number('folds'),
    innerFolds: number('innerFolds'),
    innerRepeats: number('innerRepeats'),
    repeats: number('repeats'),
    cvSeed: number('cvSeed'),
    pruneBelow: number('pruneBelow'),
  };
}
