/**
 * Gopher's repetition rules (Rae et al. 2021, Table A1) for Japanese.
 *
 * Lines and paragraphs: as datatrove's GopherRepetitionFilter, except that empty lines are not lines
 * (datatrove counts every repeated empty line as a duplicate). Characters of duplicates are over all
 * characters of the text.
 *
 * N-grams: CHARACTER n-grams, as the Swallow corpus does for Japanese (swallow-corpus `quality.py`).
 * Japanese has no spaces, so Gopher's word n-grams need a morphological analyser (MeCab/kuromoji: a
 * dictionary, ~10× the cost of everything else here, and a segmentation that shifts with the dictionary).
 * Script-run tokens (kanji run, kana run, ...) are a cheap stand-in, but they are not words either
 * (行きました → 行 | きました) and nothing calibrates Gopher's thresholds on them. Character n-grams are what
 * the one Japanese corpus that applies Gopher's thresholds at scale counted, so its definitions come along:
 * - top_{n}gram_frac (n = 2, 3, 4): occurrences of the most frequent n-gram / all n-gram occurrences;
 * - dup_{n}gram_frac (n = 5..10): distinct n-grams occurring more than once / distinct n-grams.
 * (Gopher's own definitions weight by characters; on fixed-length character n-grams that is the same up to
 * a factor of n for the top n-gram, so Swallow's form is the one the 0.20/0.18/0.16 numbers fit.)
 *
 * N-grams run over the first `ngramScanChars` code points, counted exactly by
 * `charNgramFractions` (the counter the Swallow v1 reference profile uses), so on a text within the scan
 * limit these nine scores are Swallow's values, bit for bit.
 */
import type { Scorer } from '../profiles/scorer.ts';
import type { RepetitionConfig } from './config.ts';
import { charNgramFractions, NGRAM_MAX } from './char-ngrams.ts';
import { analyzeText, ratio } from './text-stats.ts';

export const REPETITION_SCORES = [
  'dup_line_frac',
  'dup_line_char_frac',
  'dup_para_frac',
  'dup_para_char_frac',
  'top_2gram_frac',
  'top_3gram_frac',
  'top_4gram_frac',
  'dup_5gram_frac',
  'dup_6gram_frac',
  'dup_7gram_frac',
  'dup_8gram_frac',
  'dup_9gram_frac',
  'dup_10gram_frac',
] as const;

/** The first `scanChars` code points of the last text (grown on demand, reused across documents). */
let codePoints = new Int32Array(1024);
let cachedText: string | undefined;
let cachedScan = -1;
/** Index n (2..10) → top fraction (n ≤ 4) or duplicate fraction (n ≥ 5). */
let cachedFractions = new Float64Array(NGRAM_MAX + 1);

/** Copies the first `limit` code points of `text` into `codePoints`; returns how many. */
function readCodePoints(text: string, limit: number): number {
  const units = text.length;
  if (codePoints.length < Math.min(units, limit)) codePoints = new Int32Array(Math.min(units, limit));
  const out = codePoints;
  let length = 0;
  for (let i = 0; i < units && length < limit; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < units) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
      }
    }
    out[length++] = c;
  }
  return length;
}

/** Top/duplicate n-gram fractions of `text`'s first `scanChars` code points (cached for the last text, as `analyzeText`). */
export function ngramFractions(text: string, scanChars: number): Float64Array {
  if (text === cachedText && scanChars === cachedScan) return cachedFractions;
  const out = new Float64Array(NGRAM_MAX + 1);
  const length = readCodePoints(text, scanChars); // first: it may replace `codePoints` with a larger buffer
  charNgramFractions(codePoints, length, out);
  cachedText = text;
  cachedScan = scanChars;
  cachedFractions = out;
  return out;
}

export function createRepetitionScorer(config: RepetitionConfig): Scorer {
  if (!Number.isInteger(config.ngramScanChars) || config.ngramScanChars < 1) {
    throw new Error(`quality config repetition.ngramScanChars: expected a positive integer, got ${config.ngramScanChars}`);
  }
  return {
    name: 'repetition',
    scoreNames: REPETITION_SCORES,
    score({ text }) {
      const s = analyzeText(text);
      const f = ngramFractions(text, config.ngramScanChars);
      return {
        dup_line_frac: ratio(s.dupLines, s.lines),
        dup_line_char_frac: ratio(s.dupLineChars, s.chars),
        dup_para_frac: ratio(s.dupParagraphs, s.paragraphs),
        dup_para_char_frac: ratio(s.dupParagraphChars, s.chars),
        top_2gram_frac: f[2]!,
        top_3gram_frac: f[3]!,
        top_4gram_frac: f[4]!,
        dup_5gram_frac: f[5]!,
        dup_6gram_frac: f[6]!,
        dup_7gram_frac: f[7]!,
        dup_8gram_frac: f[8]!,
        dup_9gram_frac: f[9]!,
        dup_10gram_frac: f[10]!,
      };
    },
  };
}
