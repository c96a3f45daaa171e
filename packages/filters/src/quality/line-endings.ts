/**
 * Lines that end a sentence: the share of non-empty lines whose last visible character is terminal
 * punctuation (counted in the shared analysis pass, `text-stats.ts` `isTerminal`). FineWeb's
 * `line_punct_ratio` (datatrove FineWebQualityFilter, line_punct_thr 0.12) and C4's "keep lines ending
 * in terminal punctuation" on Japanese text: prose lines end in 。！？ or a closing quote after one;
 * menus, tag lists and tables of contents do not.
 */
import type { Scorer } from '../profiles/scorer.ts';
import { analyzeText, ratio } from './text-stats.ts';

export const LINE_ENDING_SCORES = ['punct_end_line_frac'] as const;

export function createLineEndingScorer(): Scorer {
  return {
    name: 'line-endings',
    scoreNames: LINE_ENDING_SCORES,
    score({ text }) {
      const s = analyzeText(text);
      return { punct_end_line_frac: ratio(s.punctEndLines, s.lines) };
    },
  };
}
