/**
 * Sentence rules. Sentences are split as the Swallow corpus does (`[^。．！？!?]+[。．！？!?]?` on each
 * line): a line without an ender is one sentence, a run of enders ends one sentence. The kuten rate is
 * HojiChar's DiscardRareKuten turned into a score: enders per character.
 */
import type { Scorer } from '../profiles/scorer.ts';
import { analyzeText, ratio } from './text-stats.ts';

export const SENTENCE_SCORES = ['sentence_count', 'kuten_rate', 'mean_sentence_length', 'max_sentence_length'] as const;

export function createSentenceScorer(): Scorer {
  return {
    name: 'sentences',
    scoreNames: SENTENCE_SCORES,
    score({ text }) {
      const s = analyzeText(text);
      return {
        sentence_count: s.sentences,
        kuten_rate: ratio(s.kuten, s.chars),
        mean_sentence_length: ratio(s.sentenceChars, s.sentences),
        max_sentence_length: s.maxSentenceLength,
      };
    },
  };
}
