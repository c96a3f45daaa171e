import { steps } from '../steps/step.ts';
import { detectLanguage } from '../steps/web-page/detect-language.ts';
import { exactDedup } from '../steps/web-page/exact-dedup.ts';
import { normalizeText } from '../steps/web-page/normalize-text.ts';
import { profileFilters } from '../steps/web-page/profile-filters.ts';
import type { PageText } from '../steps/web-page/items.ts';

/**
 * A text collection's record, already a document (stages/text-task.ts), through the web pipelines'
 * steps after extraction: the same language check, normalisation, filter profile and exact dedup, so
 * that a text-ja document is judged exactly as a cc-ja page with the same text.
 */
export const TEXT_STEPS = steps<PageText, PageText>(detectLanguage) // langid     cld3-asm
  .then(normalizeText) //                                             normalize  NFKC with exceptions, PII masking, tokens
  .thenEach(profileFilters) //                                        quality, toxicity  the filter profile's steps
  .then(exactDedup); //                                               exact-dedup  same text earlier in the same file
