/**
 * The NG-word scorer: word lists (files) in one Aho–Corasick automaton, matched leftmost-longest over the
 * whole document. Scores the number of NG words and the share of letters they cover; the jcp-v1 profile's
 * `ng-words` rules bound them.
 */
import { readFileSync } from 'node:fs';
import type { Scorer } from '../profiles/scorer.ts';
import { AhoCorasick, parseWordList } from './aho-corasick.ts';
import { countLetters } from './chars.ts';
import { DEFAULT_NG_WORDS_CONFIG, type NgWordsConfig } from './config.ts';

export const NG_WORDS_FILTER_NAME = 'ng-words';
export const NG_WORDS_SCORE_NAMES = ['ng_word_count', 'ng_char_share'] as const;

/** Reads and merges word-list files; an unreadable file fails here, naming it, never in `apply`. */
export function loadNgWordLists(paths: readonly string[]): string[] {
  const words: string[] = [];
  for (const path of paths) {
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`ng-words: cannot read word list ${path}: ${(error as Error).message}`);
    }
    words.push(...parseWordList(content));
  }
  if (words.length === 0) throw new Error(`ng-words: no words in ${paths.join(', ') || '(no list paths)'}`);
  return words;
}

/** The automaton the filter uses for `config` (exported so evaluations and tests score exactly the same way). */
export function buildNgWordMatcher(config: NgWordsConfig): AhoCorasick {
  return AhoCorasick.build(loadNgWordLists(config.listPaths), {
    foldWidthAndCase: config.foldWidthAndCase,
    isolateKatakanaWords: config.isolateKatakanaWords,
    isolateAsciiWords: config.isolateAsciiWords,
  });
}

export interface NgWordScores {
  ng_word_count: number;
  ng_char_share: number;
}

/**
 * `ng_char_share` = matched NG code units / max(letters, `minLetters`), capped at 1. The matched units
 * are in the denominator too when they are not letters (`4ね`, `893`).
 */
export function scoreNgWords(matcher: AhoCorasick, text: string, minLetters = DEFAULT_NG_WORDS_CONFIG.minLetters): NgWordScores {
  const { count, chars } = matcher.match(text);
  if (count === 0) return { ng_word_count: 0, ng_char_share: 0 };
  const letters = countLetters(text);
  return { ng_word_count: count, ng_char_share: Math.min(1, chars / Math.max(letters, chars, minLetters)) };
}

export function createNgWordsScorer(config: NgWordsConfig = DEFAULT_NG_WORDS_CONFIG): Scorer {
  const matcher = buildNgWordMatcher(config);
  return {
    name: NG_WORDS_FILTER_NAME,
    scoreNames: NG_WORDS_SCORE_NAMES,
    score: ({ text }) => ({ ...scoreNgWords(matcher, text, config.minLetters) }),
  };
}
