/** Document length in characters (code points, as HojiChar's `len`). */
import type { TextFilter } from '@jcp/core';
import type { LengthConfig } from './config.ts';
import { above, below, dropped, kept } from './rule.ts';
import { analyzeText } from './text-stats.ts';

export const LENGTH_SCORES = ['char_count'] as const;

export function createLengthFilter(config: LengthConfig): TextFilter {
  return {
    name: 'length',
    scoreNames: LENGTH_SCORES,
    apply(text) {
      const chars = analyzeText(text).chars;
      const scores = { char_count: chars };
      if (below(chars, config.minChars)) return dropped('too-short', scores);
      if (above(chars, config.maxChars)) return dropped('too-long', scores);
      return kept(scores);
    },
  };
}
