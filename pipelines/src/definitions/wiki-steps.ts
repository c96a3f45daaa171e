import { steps } from '../steps/step.ts';
import { detectLanguage } from '../steps/web-page/detect-language.ts';
import { exactDedup } from '../steps/web-page/exact-dedup.ts';
import { normalizeText } from '../steps/web-page/normalize-text.ts';
import { profileFilters } from '../steps/web-page/profile-filters.ts';
import { wikitextToPlainText, type WikiArticle } from '../steps/wiki/wikitext-to-text.ts';
import type { PageText } from '../steps/web-page/items.ts';

/**
 * A Wikipedia article from its wikitext to a kept document: the conversion, then the steps every other
 * source's text goes through (a language check, normalisation, the filter profile, exact dedup), so
 * that the ledger and the Parquet of ja_wiki read as ja_cc's.
 */
export const WIKI_STEPS = steps<WikiArticle, PageText>(wikitextToPlainText) // wikitext   templates, tables, refs, files, categories out
  .then(detectLanguage) //                                                     langid     cld3-asm
  .then(normalizeText) //                                                      normalize  NFKC with exceptions, PII masking, tokens
  .thenEach(profileFilters) //                                                 quality, toxicity  the filter profile's steps (wiki-v1: scores only)
  .then(exactDedup); //                                                        exact-dedup  same text earlier in the same part
