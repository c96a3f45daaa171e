import { createQualityFilters } from '@jcp/filters';
import type { Step, StepEnv } from '../step.ts';
import { filterGroup } from './filter-group.ts';
import type { PageText } from './items.ts';

/** `quality`: length, character classes, sentences, repetition, line shapes, densities, keywords (packages/filters/src/quality). */
export function qualityRules({ config }: StepEnv): Step<PageText, PageText> {
  return filterGroup('quality', createQualityFilters(config.filters.quality));
}
