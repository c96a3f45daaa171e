/**
 * Line-shape rules (Gopher's bullet and ellipsis lines, HojiChar's short lines) over non-empty lines.
 * Empty lines are left out of every denominator: HojiChar and datatrove count them, which makes a text
 * with a blank line between paragraphs half "short lines".
 */
import type { Scorer } from '../profiles/scorer.ts';
import type { LineShapeConfig } from './config.ts';
import { LINE_LENGTH_CAP, analyzeText, ratio } from './text-stats.ts';

export const LINE_SHAPE_SCORES = ['line_count', 'ellipsis_line_frac', 'bullet_line_frac', 'short_line_frac'] as const;

export function createLineShapeScorer(config: LineShapeConfig): Scorer {
  if (!Number.isInteger(config.shortLineMaxChars) || config.shortLineMaxChars < 0 || config.shortLineMaxChars >= LINE_LENGTH_CAP) {
    throw new Error(`quality config lineShapes.shortLineMaxChars: expected an integer in 0..${LINE_LENGTH_CAP - 1}, got ${config.shortLineMaxChars}`);
  }
  const maxShort = config.shortLineMaxChars;
  return {
    name: 'line-shapes',
    scoreNames: LINE_SHAPE_SCORES,
    score({ text }) {
      const s = analyzeText(text);
      let short = 0;
      for (let len = 0; len <= maxShort; len++) short += s.lineLengths[len]!;
      return {
        line_count: s.lines,
        ellipsis_line_frac: ratio(s.ellipsisLines, s.lines),
        bullet_line_frac: ratio(s.bulletLines, s.lines),
        short_line_frac: ratio(short, s.lines),
      };
    },
  };
}
