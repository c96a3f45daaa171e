import { createNgWordsFilter, createToxicityFilter } from '@jcp/filters';
import type { Step, StepEnv } from '../step.ts';
import { filterGroup } from './filter-group.ts';
import type { PageText } from './items.ts';

/** `toxicity`: NG-word lists (Aho–Corasick), then the linear classifier over hashed character n-grams. */
export function toxicityRules({ config }: StepEnv): Step<PageText, PageText> {
  return filterGroup('toxicity', [createNgWordsFilter(config.filters.toxicity.ngWords), createToxicityFilter(config.filters.toxicity.classifier)]);
}
