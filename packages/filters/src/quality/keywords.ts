/**
 * Advertising, boilerplate and spam phrases: counts and character shares of matches from three word
 * lists loaded from files (`packages/filters/data/quality/`, see SOURCES.md). One pass matches all three
 * lists: candidate phrases are bucketed by their first UTF-16 unit, tried longest first, and matches do not
 * overlap (leftmost-longest), as HojiChar's `findall` over its alternation, minus its file-order quirk.
 * Phrases are NFKC-normalised when loaded, to match normalised text.
 */
import { readFileSync } from 'node:fs';
import type { Scorer } from '../profiles/scorer.ts';
import type { KeywordConfig } from './config.ts';
import { ratio } from './text-stats.ts';

export const KEYWORD_SCORES = [
  'ad_keyword_count',
  'ad_keyword_share',
  'boilerplate_keyword_count',
  'boilerplate_keyword_share',
  'spam_keyword_count',
  'spam_keyword_share',
] as const;

const AD = 0;
const BOILERPLATE = 1;
const SPAM = 2;

/**
 * Reads a word list: one phrase per line, UTF-8; blank lines and lines starting with `#` are skipped.
 * Throws with the path (and line) when the file cannot be read or a phrase is unusable.
 */
export function loadKeywordList(path: string): string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`keyword list ${path}: cannot read (${(error as Error).message})`);
  }
  const words: string[] = [];
  const seen = new Set<string>();
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const word = raw.normalize('NFKC');
    if (word.length < 2) throw new Error(`keyword list ${path}:${i + 1}: phrase ${JSON.stringify(raw)} is shorter than 2 characters (it would match inside ordinary words)`);
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  return words;
}

/** Phrases of several categories, bucketed by first code unit, longest first within a bucket. */
export class KeywordMatcher {
  private readonly bucketOf = new Int32Array(0x10000).fill(-1);
  private readonly bucketStart: Int32Array;
  private readonly bucketEnd: Int32Array;
  private readonly words: string[];
  private readonly categories: Uint8Array;

  constructor(lists: readonly (readonly string[])[]) {
    const entries: { word: string; category: number }[] = [];
    const seen = new Set<string>();
    lists.forEach((list, category) => {
      for (const word of list) {
        if (seen.has(word)) continue; // a phrase in two lists counts for the first
        seen.add(word);
        entries.push({ word, category });
      }
    });
    entries.sort((a, b) => a.word.charCodeAt(0) - b.word.charCodeAt(0) || b.word.length - a.word.length);
    this.words = entries.map((e) => e.word);
    this.categories = Uint8Array.from(entries.map((e) => e.category));
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < entries.length; i++) {
      const first = this.words[i]!.charCodeAt(0);
      if (this.bucketOf[first] === -1) {
        this.bucketOf[first] = starts.length;
        starts.push(i);
        ends.push(i + 1);
      } else ends[ends.length - 1] = i + 1;
    }
    this.bucketStart = Int32Array.from(starts);
    this.bucketEnd = Int32Array.from(ends);
  }

  /** Adds, per category, match counts into `counts` and matched UTF-16 units into `units`. */
  scan(text: string, counts: Float64Array, units: Float64Array): void {
    const n = text.length;
    const bucketOf = this.bucketOf;
    for (let i = 0; i < n; i++) {
      const b = bucketOf[text.charCodeAt(i)]!;
      if (b < 0) continue;
      const end = this.bucketEnd[b]!;
      for (let j = this.bucketStart[b]!; j < end; j++) {
        const word = this.words[j]!;
        if (text.startsWith(word, i)) {
          const category = this.categories[j]!;
          counts[category]! += 1;
          units[category]! += word.length;
          i += word.length - 1;
          break;
        }
      }
    }
  }
}

export function createKeywordScorer(config: KeywordConfig): Scorer {
  const matcher = new KeywordMatcher([
    loadKeywordList(config.adKeywordsPath),
    loadKeywordList(config.boilerplateKeywordsPath),
    loadKeywordList(config.spamKeywordsPath),
  ]);
  const counts = new Float64Array(3);
  const units = new Float64Array(3);
  return {
    name: 'keywords',
    scoreNames: KEYWORD_SCORES,
    score({ text }) {
      counts.fill(0);
      units.fill(0);
      matcher.scan(text, counts, units);
      return {
        ad_keyword_count: counts[AD]!,
        ad_keyword_share: ratio(units[AD]!, text.length),
        boilerplate_keyword_count: counts[BOILERPLATE]!,
        boilerplate_keyword_share: ratio(units[BOILERPLATE]!, text.length),
        spam_keyword_count: counts[SPAM]!,
        spam_keyword_share: ratio(units[SPAM]!, text.length),
      };
    },
  };
}
