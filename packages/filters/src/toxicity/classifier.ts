/**
 * The learned toxicity filter: the committed linear model (see `linear-model.ts`, `model-file.ts`)
 * scoring a document chunk by chunk.
 *
 * Why chunks: the model was trained on short sentences (dev rows: 1–34 characters). Scored as one bag
 * of n-grams, a long page is unlike anything it saw, and its probability says more about length than
 * about toxicity. A text that fits in `maxChunkChars` on one line is scored whole, as at training; a
 * longer one per line, and a long line per sentence (hard-cut at `maxChunkChars`). The document score is
 * the chunk probability at the upper `toxicChunkShare` (see `ToxicityClassifierConfig.toxicChunkShare`
 * for why not the max or a mean).
 */
import { isLetterUnit } from './chars.ts';
import { DEFAULT_TOXICITY_CLASSIFIER_CONFIG, type ToxicityClassifierConfig } from './config.ts';
import { NgramFeaturizer, predictProbability, type LinearModel } from './linear-model.ts';
import { loadToxicityModel, type ToxicityModelHeader } from './model-file.ts';
import type { Scorer } from '../profiles/scorer.ts';

export const TOXICITY_FILTER_NAME = 'toxicity';
export const TOXICITY_DROP_REASON = 'toxic';
/**
 * `toxicity_prob`: the document score (k-th highest chunk probability, k = ⌈toxicChunkShare × chunks⌉);
 * `toxicity_max_prob`: its most toxic chunk; `toxicity_chunks`: chunks scored (0: nothing to judge).
 */
export const TOXICITY_SCORE_NAMES = ['toxicity_prob', 'toxicity_max_prob', 'toxicity_chunks'] as const;

export interface ToxicityScore {
  /** The k-th highest chunk probability, k = ⌈toxicChunkShare × chunks⌉; 0 when no chunk had a letter to score. */
  prob: number;
  /** Probability of the most toxic chunk; 0 when none was scored. */
  maxProb: number;
  /** Chunks scored. */
  chunks: number;
}

/** What `String.prototype.trim` removes, per code unit: chunk edges are trimmed as training rows are. */
function isTrimUnit(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** 。．！？!? and the half-width 。 (FF61): a long line is cut after a run of these. */
function isSentenceEnd(c: number): boolean {
  return c === 0x3002 || c === 0xff0e || c === 0xff01 || c === 0xff1f || c === 0x21 || c === 0x3f || c === 0xff61;
}

/** Scores texts with one model; holds reusable buffers, so one scorer per thread. */
export class ToxicityScorer {
  readonly model: LinearModel;
  private readonly featurizer: NgramFeaturizer;
  private readonly maxChunkChars: number;
  private readonly minChunkLetters: number;
  private readonly toxicChunkShare: number;
  /** Chunk probabilities of the current text (grown, never shrunk: reused across texts). */
  private probabilities = new Float64Array(256);
  private chunks = 0;
  private maxProb = 0;

  constructor(model: LinearModel, config: ToxicityClassifierConfig = DEFAULT_TOXICITY_CLASSIFIER_CONFIG) {
    if (!(config.maxChunkChars >= 1)) throw new Error(`toxicity: maxChunkChars should be ≥ 1, got ${config.maxChunkChars}`);
    if (!(config.toxicChunkShare > 0 && config.toxicChunkShare <= 1)) {
      throw new Error(`toxicity: toxicChunkShare should be in (0, 1], got ${config.toxicChunkShare}`);
    }
    this.model = model;
    this.featurizer = new NgramFeaturizer(model.features);
    this.maxChunkChars = Math.floor(config.maxChunkChars);
    this.minChunkLetters = Math.max(1, config.minChunkLetters);
    this.toxicChunkShare = config.toxicChunkShare;
  }

  score(text: string): ToxicityScore {
    this.chunks = 0;
    this.maxProb = 0;
    const n = text.length;
    let lineStart = 0;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 0x0a;
      if (c === 0x0a || c === 0x0d) {
        if (i > lineStart) this.scoreLine(text, lineStart, i);
        lineStart = i + 1;
      }
    }
    const chunks = this.chunks;
    if (chunks === 0) return { prob: 0, maxProb: 0, chunks: 0 };
    const k = Math.max(1, Math.ceil(this.toxicChunkShare * chunks - 1e-9));
    const prob = k === 1 ? this.maxProb : kthLargest(this.probabilities, chunks, k);
    return { prob, maxProb: this.maxProb, chunks };
  }

  private scoreLine(text: string, start: number, end: number): void {
    while (start < end && isTrimUnit(text.charCodeAt(start))) start++;
    while (end > start && isTrimUnit(text.charCodeAt(end - 1))) end--;
    if (end - start <= this.maxChunkChars) {
      this.scoreChunk(text, start, end);
      return;
    }
    let chunkStart = start;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (isSentenceEnd(c) && (i + 1 === end || !isSentenceEnd(text.charCodeAt(i + 1)))) {
        this.scoreChunk(text, chunkStart, i + 1);
        chunkStart = i + 1;
      } else if (i + 1 - chunkStart >= this.maxChunkChars) {
        let cut = i + 1;
        // Do not split a surrogate pair across chunks.
        const low = cut < end ? text.charCodeAt(cut) : 0;
        if (low >= 0xdc00 && low <= 0xdfff && c >= 0xd800 && c <= 0xdbff && cut - 1 > chunkStart) cut--;
        this.scoreChunk(text, chunkStart, cut);
        chunkStart = cut;
        i = cut - 1;
      }
    }
    if (chunkStart < end) this.scoreChunk(text, chunkStart, end);
  }

  private scoreChunk(text: string, start: number, end: number): void {
    while (start < end && isTrimUnit(text.charCodeAt(start))) start++;
    while (end > start && isTrimUnit(text.charCodeAt(end - 1))) end--;
    let letters = 0;
    for (let i = start; i < end && letters < this.minChunkLetters; i++) if (isLetterUnit(text.charCodeAt(i))) letters++;
    if (letters < this.minChunkLetters) return;
    const p = predictProbability(this.model, this.featurizer, text, start, end);
    if (this.chunks === this.probabilities.length) {
      const grown = new Float64Array(this.probabilities.length * 2);
      grown.set(this.probabilities);
      this.probabilities = grown;
    }
    this.probabilities[this.chunks++] = p;
    if (p > this.maxProb) this.maxProb = p;
  }
}

/** The k-th largest (1-based) of `values[0, n)`, by in-place quickselect (reorders that range). */
function kthLargest(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const target = k - 1; // index in descending order
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target]!;
  }
  return values[target]!;
}

export interface LoadedToxicityScorer {
  scorer: ToxicityScorer;
  /** The drop threshold in force: the config's, or the model file's when the config says `null`. */
  threshold: number;
  header: ToxicityModelHeader;
}

/** Loads the model named by the config (default: the committed one); errors name the file. */
export function loadToxicityScorer(overrides: Partial<ToxicityClassifierConfig> = {}): LoadedToxicityScorer {
  const config: ToxicityClassifierConfig = { ...DEFAULT_TOXICITY_CLASSIFIER_CONFIG, ...overrides };
  const { model, header } = loadToxicityModel(config.modelPath);
  const threshold = config.threshold ?? header.threshold;
  if (!(threshold >= 0 && threshold <= 1)) throw new Error(`toxicity: threshold should be in [0, 1], got ${threshold}`);
  return { scorer: new ToxicityScorer(model, config), threshold, header };
}

/** The classifier's scores; the rule on `toxicity_prob` (a profile's, or the model file's threshold via `--toxicity-model`) decides. */
export function createToxicityScorer(config: Omit<ToxicityClassifierConfig, 'threshold'>): Scorer {
  const { model } = loadToxicityModel(config.modelPath);
  const scorer = new ToxicityScorer(model, { ...config, threshold: null });
  return {
    name: TOXICITY_FILTER_NAME,
    scoreNames: TOXICITY_SCORE_NAMES,
    score({ text }) {
      const { prob, maxProb, chunks } = scorer.score(text);
      return { toxicity_prob: prob, toxicity_max_prob: maxProb, toxicity_chunks: chunks };
    },
  };
}
