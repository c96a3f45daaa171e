/**
 * Sentence rules. Sentences are split as the Swallow corpus does (`[^。．！？!?]+[。．！？!?]?` on each
 * line): a line without an ender is one sentence, a run of enders ends one sentence. The kuten rate is
 * HojiChar's DiscardRareKuten turned into a score: enders per character.
 */
import type { TextFilter } from '@jcp/core';
import type { SentenceConfig } from './config.ts';
import { above, below, dropped, kept } from './rule.ts';
import { analyzeText, ratio } from './text-stats.ts';

export const SENTENCE_SCORES = ['sentence_count', 'kuten_rate', 'mean_sentence_length', 'max_sentence_length'] as const;

export function createSentenceFilter(config: SentenceConfig): TextFilter {
  return {
    name: 'sentences',
    scoreNames: SENTENCE_SCORES,
    apply(text) {
      const s = analyzeText(text);
      const scores = {
        sentence_count: s.sentences,
        kuten_rate: ratio(s.kuten, s.chars),
        mean_sentence_length: ratio(s.sentenceChars, s.sentences),
        max_sentence_length: s.maxSentenceLength,
      };
      if (below(scores.kuten_rate, config.minKutenRate)) return dropped('rare-kuten', scores);
      if (below(scores.mean_sentence_length, config.minMeanSentenceLength)) return dropped('short-sentences', scores);
      if (above(scores.mean_sentence_length, config.maxMeanSentenceLength)) return dropped('long-sentences', scores);
      if (above(scores.max_sentence_length, config.maxSentenceLength)) return dropped('sentence-too-long', scores);
      return kept(scores);
    },
  };
}
