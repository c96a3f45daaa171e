/**
 * swallow-v1: the Swallow corpus v1 filter (swallow-llm/swallow-corpus @ 2d03507, MIT): `annotate.py -f`
 * keeps a document iff its URL passes, `ngword.apply_v1` and `quality.apply_v1` do. Swallow's own
 * definitions (character classes, sentence split, blank lines as paragraphs, distinct n-grams: the
 * `swallow` scorer family), `apply_v1`'s thresholds in its order, its rule names (`quality.<key>`) as our
 * reasons. NG words: the `ng.dic` its `ngword.py` builds from MosasoM/inappropriate-words-ja (Swallow v1
 * itself added unpublished words). URL: the UT1 blocklist Swallow used is not shipped; give one with
 * `scorers.url.blocklistPath` in a config file, or the rule does not apply (NaN).
 * Checked by `pnpm eval reference --data ../shared/data/filters-reference/swallow-v1.dev.jsonl`.
 */
import type { FilterProfile } from './profile.ts';

const SRC = 'swallow-corpus quality.py apply_v1';

export const SWALLOW_V1: FilterProfile = {
  name: 'swallow-v1',
  description: 'Swallow corpus v1 quality.py apply_v1 + ngword.py, exact (its definitions, thresholds and rule names)',
  steps: {
    url: {
      rules: {
        url: { score: 'url_blocklisted', lessThan: 1, source: 'swallow-corpus annotate.py: NGU.check(url) over the UT1 blocklist categories (a user-supplied list; not applied without one).' },
      },
    },
    ngword: {
      rules: {
        'ngword.ng_fraction': { score: 'swallow_ng_fraction', lessThan: 0.05, source: 'swallow-corpus ngword.py apply_v1: keeps ng_fraction < 0.05 (longest-match NG characters over Japanese letters).' },
      },
    },
    quality: {
      rules: {
        'quality.num_letters': { score: 'swallow_num_letters', min: 400, source: `${SRC}: drops when Q['num_letters'] < 400.` },
        'quality.duplicate_paragraph_fraction': { score: 'swallow_duplicate_paragraph_fraction', max: 0.3, source: `${SRC}: drops when Q['duplicate_paragraph_fraction'] > 0.3.` },
        'quality.duplicate_sentence_fraction': { score: 'swallow_duplicate_sentence_fraction', max: 0.3, source: `${SRC}: drops when Q['duplicate_sentence_fraction'] > 0.3.` },
        'quality.duplicate_paragraph_fraction_in_character': { score: 'swallow_duplicate_paragraph_fraction_in_character', max: 0.2, source: `${SRC}: drops when Q['duplicate_paragraph_fraction_in_character'] > 0.2.` },
        'quality.duplicate_sentence_fraction_in_character': { score: 'swallow_duplicate_sentence_fraction_in_character', max: 0.2, source: `${SRC}: drops when Q['duplicate_sentence_fraction_in_character'] > 0.2.` },
        'quality.top_2gram_character_fraction': { score: 'swallow_top_2gram_character_fraction', max: 0.2, source: `${SRC}: drops when Q['top_2gram_character_fraction'] > 0.2.` },
        'quality.top_3gram_character_fraction': { score: 'swallow_top_3gram_character_fraction', max: 0.18, source: `${SRC}: drops when Q['top_3gram_character_fraction'] > 0.18.` },
        'quality.top_4gram_character_fraction': { score: 'swallow_top_4gram_character_fraction', max: 0.16, source: `${SRC}: drops when Q['top_4gram_character_fraction'] > 0.16.` },
        'quality.duplicate_5gram_character_fraction': { score: 'swallow_duplicate_5gram_character_fraction', max: 0.15, source: `${SRC}: drops when Q['duplicate_5gram_character_fraction'] > 0.15.` },
        'quality.duplicate_6gram_character_fraction': { score: 'swallow_duplicate_6gram_character_fraction', max: 0.14, source: `${SRC}: drops when Q['duplicate_6gram_character_fraction'] > 0.14.` },
        'quality.duplicate_7gram_character_fraction': { score: 'swallow_duplicate_7gram_character_fraction', max: 0.13, source: `${SRC}: drops when Q['duplicate_7gram_character_fraction'] > 0.13.` },
        'quality.duplicate_8gram_character_fraction': { score: 'swallow_duplicate_8gram_character_fraction', max: 0.12, source: `${SRC}: drops when Q['duplicate_8gram_character_fraction'] > 0.12.` },
        'quality.duplicate_9gram_character_fraction': { score: 'swallow_duplicate_9gram_character_fraction', max: 0.11, source: `${SRC}: drops when Q['duplicate_9gram_character_fraction'] > 0.11.` },
        'quality.duplicate_10gram_character_fraction': { score: 'swallow_duplicate_10gram_character_fraction', max: 0.1, source: `${SRC}: drops when Q['duplicate_10gram_character_fraction'] > 0.1.` },
        'quality.hiragana_fraction': { score: 'swallow_hiragana_fraction', min: 0.2, source: `${SRC}: drops when Q['hiragana_fraction'] < 0.2.` },
        'quality.katakana_fraction': { score: 'swallow_katakana_fraction', max: 0.5, source: `${SRC}: drops when Q['katakana_fraction'] > 0.5.` },
        'quality.japanese_fraction': { score: 'swallow_japanese_fraction', min: 0.5, source: `${SRC}: drops when Q['japanese_fraction'] < 0.5.` },
        'quality.num_japanese_letters': { score: 'swallow_num_japanese_letters', min: 400, source: `${SRC}: drops when Q['num_japanese_letters'] < 400.` },
        'quality.avg_sentence_length': { score: 'swallow_avg_sentence_length', min: 20, max: 90, source: `${SRC}: drops when Q['avg_sentence_length'] < 20 or 90 < Q['avg_sentence_length'].` },
        'quality.max_sentence_length': { score: 'swallow_max_sentence_length', max: 200, source: `${SRC}: drops when Q['max_sentence_length'] 200 < Q['max_sentence_length'].` },
        'quality.ellipsis_fraction': { score: 'swallow_ellipsis_fraction', max: 0.2, source: `${SRC}: drops when Q['ellipsis_fraction'] > 0.2.` },
      },
    },
  },
  referenceScores: {
    'ngword.num_ng_letters': 'swallow_num_ng_letters',
    'ngword.ng_fraction': 'swallow_ng_fraction',
    'quality.duplicate_paragraph_fraction': 'swallow_duplicate_paragraph_fraction',
    'quality.duplicate_paragraph_fraction_in_character': 'swallow_duplicate_paragraph_fraction_in_character',
    'quality.duplicate_sentence_fraction': 'swallow_duplicate_sentence_fraction',
    'quality.duplicate_sentence_fraction_in_character': 'swallow_duplicate_sentence_fraction_in_character',
    'quality.top_2gram_character_fraction': 'swallow_top_2gram_character_fraction',
    'quality.top_3gram_character_fraction': 'swallow_top_3gram_character_fraction',
    'quality.top_4gram_character_fraction': 'swallow_top_4gram_character_fraction',
    'quality.duplicate_5gram_character_fraction': 'swallow_duplicate_5gram_character_fraction',
    'quality.duplicate_6gram_character_fraction': 'swallow_duplicate_6gram_character_fraction',
    'quality.duplicate_7gram_character_fraction': 'swallow_duplicate_7gram_character_fraction',
    'quality.duplicate_8gram_character_fraction': 'swallow_duplicate_8gram_character_fraction',
    'quality.duplicate_9gram_character_fraction': 'swallow_duplicate_9gram_character_fraction',
    'quality.duplicate_10gram_character_fraction': 'swallow_duplicate_10gram_character_fraction',
    'quality.num_letters': 'swallow_num_letters',
    'quality.num_hiragana_letters': 'swallow_num_hiragana_letters',
    'quality.num_katakana_letters': 'swallow_num_katakana_letters',
    'quality.num_kanji_letters': 'swallow_num_kanji_letters',
    'quality.num_kuten': 'swallow_num_kuten',
    'quality.num_toten': 'swallow_num_toten',
    'quality.num_japanese_letters': 'swallow_num_japanese_letters',
    'quality.hiragana_fraction': 'swallow_hiragana_fraction',
    'quality.katakana_fraction': 'swallow_katakana_fraction',
    'quality.kanji_fraction': 'swallow_kanji_fraction',
    'quality.kuten_fraction': 'swallow_kuten_fraction',
    'quality.toten_fraction': 'swallow_toten_fraction',
    'quality.japanese_fraction': 'swallow_japanese_fraction',
    'quality.avg_sentence_length': 'swallow_avg_sentence_length',
    'quality.max_sentence_length': 'swallow_max_sentence_length',
    'quality.num_sentences_ending_with_ellipsis': 'swallow_num_sentences_ending_with_ellipsis',
    'quality.ellipsis_fraction': 'swallow_ellipsis_fraction',
  },
};
