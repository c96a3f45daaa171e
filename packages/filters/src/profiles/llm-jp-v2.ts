/**
 * llm-jp-v2: the `ja_cc` filter chain of llm-jp-corpus v2.0.0 (llm-jp/llm-jp-corpus tag v2.0.0 = 6e7746d,
 * `scripts/filter_data.py` `reformat_and_filter_dataset(..., "ja_cc", strict=False)` and
 * `scripts/filters.py`, on HojiChar v0.9.0), in its order, with its non-strict parameters (the CLI and
 * Makefile default) and its dictionaries. Rule names are the reference's function names, so the ledger
 * counts drops as llm-jp does. All filters run before the `extract_japanese_text` map (as the reference
 * executes them, although the source appends the map first); the map's output is the kept text, joined
 * without newlines, as llm-jp writes it — a quirk reproduced on purpose (docs/filters.md).
 * Checked by `pnpm eval reference --data ../shared/data/filters-reference/llm-jp-v2.dev.jsonl`.
 */
import type { FilterProfile } from './profile.ts';

const SRC = 'llm-jp-corpus v2.0.0 scripts/filters.py';

export const LLM_JP_V2: FilterProfile = {
  name: 'llm-jp-v2',
  description: 'llm-jp-corpus v2.0.0 ja_cc chain, exact (HojiChar 0.9.0 filters, its dictionaries, extract_japanese_text output)',
  steps: {
    filter: {
      rules: {
        has_valid_domain: { score: 'llmjp_valid_domain', min: 1, source: `${SRC} has_valid_domain: the URL's last host label in dict/ja_valid_domains.txt (13 TLDs); not applied without a URL.` },
        is_not_empty: { score: 'llmjp_not_empty', min: 1, source: `${SRC} is_not_empty: text.strip() != "".` },
        is_japanese: { score: 'llmjp_japanese', min: 1, source: 'HojiChar AcceptJapanese: [ぁ-んァ-ン] within the first 50 characters.' },
        is_not_ad_content: { score: 'llmjp_ad_hits', max: 10, source: 'HojiChar DiscardAds(max_allowed_num=10) over HojiChar’s advertisement_keywords_ja.txt.' },
        is_not_adult_content: { score: 'llmjp_adult_hits', max: 3, source: `${SRC}: NgWordsFilterJa(dict/ja_adult_keywords.txt, ignore_confused=True), > 3 hits rejects.` },
        is_not_discrimination_content: { score: 'llmjp_discrimination_hits', max: 3, source: `${SRC}: NgWordsFilterJa(dict/ja_discrimination_keywords.txt, ignore_confused=True), > 3 hits rejects.` },
        is_not_violence_content: { score: 'llmjp_violence_hits', max: 3, source: `${SRC}: NgWordsFilterJa(dict/ja_violence_keywords.txt, ignore_confused=True), > 3 hits rejects.` },
        has_good_average_sentence_length: {
          score: 'llmjp_avg_sentence_length',
          max: 250,
          source: 'HojiChar DiscardRareKuten(max_average_sentence_length=250): fewer 。 than len/250 rejects (strict mode: 80).',
        },
        has_good_compression_ratio: { score: 'compression_ratio', min: 0.3, max: 0.7, source: `${SRC} has_good_compression_ratio(min_score=0.3, max_score=0.7, length_factor=0): zlib level 9 bytes / UTF-8 bytes.` },
      },
    },
    'extract-japanese-text': {
      transform: 'llm-jp-extract-japanese-text',
      rules: {
        is_not_empty_after_extract_japanese_text: { score: 'llmjp_output_not_empty', min: 1, source: `${SRC} is_not_empty, run again on the extracted text.` },
      },
    },
  },
  referenceScores: {
    is_not_ad_content: 'llmjp_ad_hits',
    is_not_adult_content: 'llmjp_adult_hits',
    is_not_discrimination_content: 'llmjp_discrimination_hits',
    is_not_violence_content: 'llmjp_violence_hits',
    'has_good_average_sentence_length.num_kuten': 'llmjp_num_kuten',
    has_good_compression_ratio: 'compression_ratio',
    'has_good_compression_ratio.ratio': 'compression_ratio',
    'has_good_compression_ratio.encoded_length': 'utf8_bytes',
    'has_good_compression_ratio.compressed_length': 'deflate_bytes',
    'extract_japanese_text.output_chars': 'llmjp_output_chars',
  },
};
