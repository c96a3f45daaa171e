/**
 * Line-shape rules (Gopher's bullet and ellipsis lines, HojiChar's short lines) over non-empty lines.
 * Empty lines are left out of every denominator: HojiChar and datatrove count them, which makes a text
 * with a blank line between paragraphs half "short lines".
 */
import type { TextFilter } from '@jcp/core';
import type { LineShapeConfig } from './config.ts';
import { above, dropped, kept } from './rule.ts';
import { LINE_LENGTH_CAP, analyzeText, ratio } from './text-stats.ts';

export const LINE_SHAPE_SCORES = ['line_count', 'ellipsis_line_frac', 'bullet_line_frac', 'short_line_frac'] as const;

export function createLineShapeFilter(config: LineShapeConfig): TextFilter {
  if (!Number.isInteger(config.shortLineMaxChars) || config.shortLineMaxChars < 0 || config.shortLineMaxChars >= LINE_LENGTH_CAP) {
    throw new Error(`quality config lineShapes.shortLineMaxChars: expected an integer in 0..${LINE_LENGTH_CAP - 1}, got ${config.shortLineMaxChars}`);
  }
  const maxShort = config.shortLineMaxChars;
  return {
    name: 'line-shapes',
    scoreNames: LINE_SHAPE_SCORES,
    apply(text) {
      const s = analyzeText(text);
      let short = 0;
      for (let len = 0; len <= maxShort; len++) short += s.lineLengths[len]!;
      const scores = {
        line_count: s.lines,
        ellipsis_line_frac: ratio(s.ellipsisLines, s.lines),
        bullet_line_frac: ratio(s.bulletLines, s.lines),
        short_line_frac: ratio(short, s.lines),
      };
      if (above(scores.bullet_line_frac, config.maxBulletLineFrac)) return dropped('bullet-lines', scores);
      if (above(scores.ellipsis_line_frac, config.maxEllipsisLineFrac)) return dropped('ellipsis-lines', scores);
      if (above(scores.short_line_frac, config.maxShortLineFrac)) return dropped('short-lines', scores);
      return kept(scores);
    },
  };
}
