/**
 * Lines that end a sentence: the share of non-empty lines whose last visible character is terminal
 * punctuation. FineWeb's `line_punct_ratio` (datatrove FineWebQualityFilter, line_punct_thr 0.12) and
 * C4's "keep lines ending in terminal punctuation" on Japanese text: prose lines end in 。！？ or a closing
 * quote after one; menus, tag lists and tables of contents do not.
 */
import type { Scorer } from '../profiles/scorer.ts';
import { ratio } from './text-stats.ts';

export const LINE_ENDING_SCORES = ['punct_end_line_frac'] as const;

/** 。．！？｡ . ! ? … and the closing brackets and quotes Japanese puts after them (」』）】"'). */
const TERMINAL = new Set([...'。．！？｡.!?…‥」』）)】〉》"\'”’']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\u3000' || c === '\u00a0';
}

export function createLineEndingScorer(): Scorer {
  return {
    name: 'line-endings',
    scoreNames: LINE_ENDING_SCORES,
    score({ text }) {
      let lines = 0;
      let ended = 0;
      let start = 0;
      while (start <= text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        let last = end - 1;
        while (last >= start && isSpace(text[last]!)) last--;
        if (last >= start) {
          lines++;
          if (TERMINAL.has(text[last]!)) ended++;
        }
        start = end + 1;
      }
      return { punct_end_line_frac: ratio(ended, lines) };
    },
  };
}
