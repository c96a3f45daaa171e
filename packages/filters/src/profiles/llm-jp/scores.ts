/**
 * The llm-jp-corpus v2.0.0 `ja_cc` chain's per-document values as one scorer family (`llm-jp`), scores
 * only: the llm-jp-v2 profile's table (`../llm-jp-v2.ts`) holds its bounds. Every value is computed on
 * the input text, as in the reference, where every filter runs before the `extract_japanese_text` map.
 * Its compression ratio is the `compression` family's (`compression_ratio`): the same zlib call.
 */
import type { Scorer } from '../scorer.ts';
import { DEFAULT_LLM_JP_CONFIG, type LlmJpConfig } from './config.ts';
import { hasValidDomain, loadValidDomains } from './domain.ts';
import { extractJapaneseText } from './extract-japanese-text.ts';
import { isJapanese, isNotEmpty } from './japanese.ts';
import { loadAdKeywordCounter, loadNgWordCounter } from './keyword-hits.ts';
import { countKuten } from './kuten.ts';
import { codePointLength } from './python-str.ts';

export const LLM_JP_SCORES = [
  'llmjp_valid_domain',
  'llmjp_not_empty',
  'llmjp_japanese',
  'llmjp_ad_hits',
  'llmjp_adult_hits',
  'llmjp_discrimination_hits',
  'llmjp_violence_hits',
  'llmjp_num_kuten',
  'llmjp_avg_sentence_length',
  'llmjp_output_chars',
  'llmjp_output_not_empty',
] as const;

const flag = (b: boolean): number => (b ? 1 : 0);

/**
 * Loads the five lists once (throwing, naming the file, if one is unreadable). Predicates score 1/0;
 * `llmjp_valid_domain` is NaN without a URL (the reference cannot apply it, and NaN fails no bound).
 * `llmjp_avg_sentence_length` = code points per `。` (∞ without one): DiscardRareKuten's "fewer `。` than
 * len/250" is exactly "more than 250 characters per `。`", and an empty text (0/0) passes as it does there.
 */
export function createLlmJpScorer(config: LlmJpConfig = DEFAULT_LLM_JP_CONFIG): Scorer {
  const ad = loadAdKeywordCounter(config.lists.ad);
  const adult = loadNgWordCounter(config.lists.adult);
  const discrimination = loadNgWordCounter(config.lists.discrimination);
  const violence = loadNgWordCounter(config.lists.violence);
  const validDomains = loadValidDomains(config.lists.validDomains);
  return {
    name: 'llm-jp',
    scoreNames: LLM_JP_SCORES,
    score({ text, url }) {
      const output = extractJapaneseText(text);
      const numKuten = countKuten(text);
      const chars = codePointLength(text);
      return {
        llmjp_valid_domain: url === null ? Number.NaN : flag(hasValidDomain(url, validDomains)),
        llmjp_not_empty: flag(isNotEmpty(text)),
        llmjp_japanese: flag(isJapanese(text, config.japaneseLookupChars)),
        llmjp_ad_hits: ad.count(text),
        llmjp_adult_hits: adult.count(text),
        llmjp_discrimination_hits: discrimination.count(text),
        llmjp_violence_hits: violence.count(text),
        llmjp_num_kuten: numKuten,
        llmjp_avg_sentence_length: chars / numKuten,
        llmjp_output_chars: codePointLength(output),
        llmjp_output_not_empty: flag(isNotEmpty(output)),
      };
    },
  };
}
