/**
 * The quality chain: every rule family in a fixed order, and a runner that applies all of them (it does
 * not stop at the first drop, so every document carries every score) and reports the first drop reason
 * in chain order.
 *
 * Order: the specific reasons before the generic ones, so the reason a document is counted under names
 * what is wrong with it. Length first (a precondition for the others), then the keyword and density rules
 * that name a kind of junk (ads, spam, link lists, tables), then repetition (templated text repeats
 * character n-grams whatever else it is), line shapes, the character shares (is this Japanese prose), and
 * the sentence rules last (almost every kind of junk also fails them).
 */
import type { FilterOutcome, TextFilter } from '@jcp/core';
import { createCharShareFilter } from './char-share.ts';
import { DEFAULT_QUALITY_CONFIG, type QualityConfig } from './config.ts';
import { createDensityFilter } from './density.ts';
import { createKeywordFilter } from './keywords.ts';
import { createLengthFilter } from './length.ts';
import { createLineShapeFilter } from './line-shapes.ts';
import { createRepetitionFilter } from './repetition.ts';
import { createSentenceFilter } from './sentences.ts';

/** All quality filters for `config`, in chain order. Reads the keyword lists (synchronously) once. */
export function createQualityFilters(config: QualityConfig = DEFAULT_QUALITY_CONFIG): TextFilter[] {
  return [
    createLengthFilter(config.length),
    createKeywordFilter(config.keywords),
    createDensityFilter(config.density),
    createRepetitionFilter(config.repetition),
    createLineShapeFilter(config.lineShapes),
    createCharShareFilter(config.charShare),
    createSentenceFilter(config.sentences),
  ];
}

/** The verdict of a whole chain on one text. */
export interface ChainOutcome extends FilterOutcome {
  /** Name of the first filter that dropped the text (set when `keep` is false). */
  filter?: string;
}

/**
 * Runs every filter on `text` and merges their scores. `keep` is false when any filter drops; `reason`
 * and `filter` are those of the first one, in the order of `filters`.
 */
export function runFilters(filters: readonly TextFilter[], text: string): ChainOutcome {
  const scores: Record<string, number> = {};
  let reason: string | undefined;
  let filter: string | undefined;
  for (const f of filters) {
    const outcome = f.apply(text);
    Object.assign(scores, outcome.scores);
    if (!outcome.keep && reason === undefined) {
      reason = outcome.reason ?? f.name;
      filter = f.name;
    }
  }
  return reason === undefined ? { keep: true, scores } : { keep: false, reason, filter, scores };
}

/** Every score name the chain writes, in chain order (one Parquet DOUBLE column each). */
export function qualityScoreNames(filters: readonly TextFilter[]): string[] {
  return filters.flatMap((f) => f.scoreNames);
}
