import type { TextFilter } from '@jcp/core';
import { runFilters } from '@jcp/filters';
import type { Drop, Step } from '../step.ts';
import type { PageText } from './items.ts';

/**
 * A group of text filters as one step (one ledger stage): every filter runs, so every score is known
 * and becomes a Parquet column; the first filter that fails gives the reason.
 */
export function filterGroup(name: string, filters: TextFilter[]): Step<PageText, PageText> {
  return {
    name,
    scoreNames: filters.flatMap((f) => [...f.scoreNames]),
    apply(doc): PageText | Drop {
      const outcome = runFilters(filters, doc.text);
      Object.assign(doc.scores, outcome.scores);
      if (!outcome.keep) return { drop: outcome.reason ?? name, sample: { scores: outcome.scores, text: doc.text } };
      return doc;
    },
  };
}
