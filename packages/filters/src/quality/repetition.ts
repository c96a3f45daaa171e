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
 * N-grams run over UTF-16 code units (the same as code points except for astral characters) of the
 * first `ngramScanChars` units, hashed with a 32-bit rolling hash into open-addressing typed-array tables
 * that are reused across documents. A collision merges two n-grams (expected pairs ≈ m²/2^33 for m
 * n-grams: ~0.003 in a 5,000-character page, ~1 in 100,000 characters), which moves a fraction by one count.
 */
import type { Scorer } from '../profiles/scorer.ts';
import type { RepetitionConfig } from './config.ts';
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

/** Rolling-hash base (odd, so multiplication is invertible mod 2^32). */
const BASE = 0x5bd1e995 | 0;

/**
 * Open-addressing table, [key, value] per slot so a probe touches one cache line. Key 0 marks an empty
 * slot (a hash of 0 is stored as 1). Value: -(c + 1) while the n-gram has been seen once, at candidate c;
 * its count once seen twice or more. Reused across passes and documents; each pass clears only the
 * prefix it uses.
 */
let table = new Int32Array(2 * 1024);
/** Start positions still able to begin a repeated n-gram (ascending), and whether each one's n-gram repeated. */
let candidates = new Int32Array(1024);
let repeats = new Uint8Array(1024);
/** Each candidate's polynomial hash of its (n-1)-gram, extended by one code unit per pass. */
let hashes = new Int32Array(1024);

let cachedText: string | undefined;
let cachedScan = -1;
/** Index n (2..10) → top fraction (n ≤ 4) or duplicate fraction (n ≥ 5). */
let cachedFractions = new Float64Array(11);

/**
 * Counts the character n-grams (n = 2..10) of the first `len` code units. An n-gram can occur twice only
 * if its (n-1)-gram prefix does, so each pass inserts only the start positions whose prefix repeated in the
 * previous pass; every other position starts an n-gram known to occur once. Natural text drops most
 * positions after n = 4, which makes the nine passes cost about three.
 */
function countNgrams(text: string, len: number, out: Float64Array): void {
  if (candidates.length < len) {
    candidates = new Int32Array(len);
    repeats = new Uint8Array(len);
    hashes = new Int32Array(len);
  }
  // Locals, so the hot loop does not reload module bindings.
  const cand = candidates;
  const rep = repeats;
  const hash = hashes;
  let count = 0;
  // The hash of a 1-gram is its code unit (0 · BASE + c), so pass n extends the (n-1)-gram's hash by
  // one unit instead of rehashing n units: the same keys as hashing each n-gram from scratch.
  for (let i = 0; i + 2 <= len; i++) {
    hash[count] = text.charCodeAt(i);
    cand[count++] = i;
  }
  for (let n = 2; n <= 10; n++) {
    const total = len - n + 1;
    if (total <= 0) {
      out[n] = 0;
      continue;
    }
    let usable = count;
    while (usable > 0 && cand[usable - 1]! > len - n) usable--;
    let size = 64;
    while (size < usable * 2) size *= 2; // load factor ≤ 0.5
    if (table.length < 2 * size) table = new Int32Array(2 * size);
    else table.fill(0, 0, 2 * size);
    const t = table;
    const mask = size - 1;
    let distinct = total - usable; // positions whose prefix occurred once: their n-gram does too
    let repeated = 0;
    let top = 1;
    rep.fill(0, 0, usable);
    for (let c = 0; c < usable; c++) {
      const h = (Math.imul(hash[c]!, BASE) + text.charCodeAt(cand[c]! + n - 1)) | 0;
      hash[c] = h;
      // murmur3 finaliser: spreads the polynomial hash over the slot bits.
      let key = h ^ (h >>> 16);
      key = Math.imul(key, 0x85ebca6b);
      key ^= key >>> 13;
      key = Math.imul(key, 0xc2b2ae35);
      key ^= key >>> 16;
      if (key === 0) key = 1;
      let slot = (key & mask) << 1;
      for (;;) {
        const k = t[slot]!;
        if (k === 0) {
          t[slot] = key;
          t[slot + 1] = -(c + 1);
          distinct++;
          break;
        }
        if (k === key) {
          const value = t[slot + 1]!;
          rep[c] = 1;
          if (value < 0) {
            rep[-value - 1] = 1;
            t[slot + 1] = 2;
            repeated++;
            if (top < 2) top = 2;
          } else {
            t[slot + 1] = value + 1;
            if (value + 1 > top) top = value + 1;
          }
          break;
        }
        slot = (slot + 2) & ((mask << 1) | 1);
      }
    }
    out[n] = n <= 4 ? top / total : ratio(repeated, distinct);
    let kept = 0;
    for (let c = 0; c < usable; c++) {
      if (rep[c] === 1) {
        hash[kept] = hash[c]!;
        cand[kept++] = cand[c]!;
      }
    }
    count = kept;
  }
}

/** Top/duplicate n-gram fractions of `text` (cached for the last text, as `analyzeText`). */
export function ngramFractions(text: string, scanChars: number): Float64Array {
  if (text === cachedText && scanChars === cachedScan) return cachedFractions;
  const out = new Float64Array(11);
  countNgrams(text, Math.min(text.length, scanChars), out);
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
