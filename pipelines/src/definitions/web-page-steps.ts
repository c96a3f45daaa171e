import { steps } from '../steps/step.ts';
import { decodeCharset } from '../steps/web-page/decode-charset.ts';
import { detectLanguage } from '../steps/web-page/detect-language.ts';
import { exactDedup } from '../steps/web-page/exact-dedup.ts';
import { extractMainText } from '../steps/web-page/extract-main-text.ts';
import { httpHtml } from '../steps/web-page/http-html.ts';
import { japaneseBytes } from '../steps/web-page/japanese-bytes.ts';
import { normalizeText } from '../steps/web-page/normalize-text.ts';
import { profileFilters } from '../steps/web-page/profile-filters.ts';

/**
 * A web page from its WARC response record to a kept Japanese document, cheapest step first: a page that
 * is not Japanese costs its gunzip, two header parses and one byte scan. Each name is the step's ledger
 * stage in stats.json.
 */
export const WEB_PAGE_STEPS = steps(httpHtml) //   html       HTTP 2xx, HTML, sane size, not binary
  .then(japaneseBytes) //                              precheck   kana bytes in any Japanese charset
  .then(decodeCharset) //                              decode     BOM, header, meta, byte evidence
  .then(extractMainText) //                            extract    main text, id, URL
  .then(detectLanguage) //                             langid     cld3-asm
  .then(normalizeText) //                              normalize  NFKC with exceptions, PII masking, tokens
  .thenEach(profileFilters) //                         quality, toxicity  the filter profile's steps (jcp-v1; --filters)
  .then(exactDedup); //                                exact-dedup  same text earlier in the same WARC
