/**
 * Sentence scores. Sentences are split as the Swallow corpus does (`[^。．！？!?]+[。．！？!?]?` on each
 * line): a line without an ender is one sentence, a run of enders ends one sentence. `kuten_rate` is
 * enders per character; `chars_per_maru` is HojiChar's DiscardRareKuten as llm-jp v2 applies it:
 * characters per `。` (U+3002 only; ∞ without one, NaN for an empty text, which it lets pass).
 */
import type { Scorer } from '../profiles/scorer.ts';
import { analyzeText, ratio } from './text-stats.ts';

export const SENTENCE_SCORES = ['sentence_count', 'kuten_rate', 'chars_per_maru', 'mean_sentence_length', 'max_sentence_length'] as const;

export function createSentenceScorer(): Scorer {
  return {
    name: 'sentences',
    scoreNames: SENTENCE_SCORES,
    score({ text }) {
      const s = analyzeText(text);
      return {
        sentence_count: s.sentences,
        kuten_rate: ratio(s.kuten, s.chars),
        chars_per_maru: s.chars / s.maru,
        mean_sentence_length: ratio(s.sentenceChars, s.sentences),
        max_sentence_length: s.maxSentenceLength,
      };
    },
  };
}
