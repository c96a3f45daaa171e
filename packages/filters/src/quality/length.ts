/** Document length in characters (code points, as HojiChar's `len`). */
import type { Scorer } from '../profiles/scorer.ts';
import { analyzeText } from './text-stats.ts';

export const LENGTH_SCORES = ['char_count'] as const;

export function createLengthScorer(): Scorer {
  return {
    name: 'length',
    scoreNames: LENGTH_SCORES,
    score: ({ text }) => ({ char_count: analyzeText(text).chars }),
  };
}
