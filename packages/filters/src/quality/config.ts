/**
 * Every threshold of the Japanese quality rules, in one place, each with the corpus or paper it comes
 * from. A threshold set to `null` turns its rule off; the scores are computed and kept all the same, so a
 * run can be re-filtered later with other values without recomputing anything.
 *
 * Sources (read at the commits the search index holds):
 * - Gopher: Rae et al. 2021, "Scaling Language Models: Methods, Analysis & Insights from Training Gopher",
 *   Table A1, as implemented in huggingface/datatrove `gopher_quality_filter.py` / `gopher_repetition_filter.py`.
 * - Swallow: Okazaki et al. 2024 (COLM), "Building a Large Japanese Web Corpus for Large Language Models";
 *   thresholds from swallow-llm/swallow-corpus `quality.py` `apply_v1` (MIT).
 * - HojiChar: HojiChar/HojiChar `hojichar/filters/document_filters.py` (Apache-2.0), the filter library
 *   llm-jp-corpus builds on.
 * - llm-jp: llm-jp-corpus v2 filter script built on HojiChar (`has_good_average_sentence_length`,
 *   `is_not_ad_content`, `is_not_adult_content`); hosted on gitlab.llm-jp.nii.ac.jp, read from a copy in the
 *   search index (GitHub llm-jp/llm-jp-corpus holds only the v1 scripts, which have none of these rules).
 * - NeMo Curator: NVIDIA NeMo-Curator `heuristic_filter.py` defaults (`UrlsFilter`, `NumbersFilter`).
 */
import { fileURLToPath } from 'node:url';

/** Keyword lists shipped with the package (see `packages/filters/data/quality/SOURCES.md`). */
const QUALITY_DATA_DIR = fileURLToPath(new URL('../../data/quality/', import.meta.url));

export interface LengthConfig {
  /** Fewer characters (code points) than this: `too-short`. */
  minChars: number | null;
  /** More characters than this: `too-long`. */
  maxChars: number | null;
}

export interface CharShareConfig {
  /** Hiragana / Japanese letters below this: `low-hiragana-share`. Japanese prose is ~50-60 % hiragana; lists of nouns, headlines and Chinese are not. */
  minHiraganaShare: number | null;
  /** Katakana / Japanese letters above this: `high-katakana-share` (product lists, transliterated spam). */
  maxKatakanaShare: number | null;
  /** Kanji / Japanese letters above this: `high-kanji-share`. */
  maxKanjiShare: number | null;
  /** Japanese letters (kana, kanji, 。、) / all characters below this: `low-japanese-share`. */
  minJapaneseShare: number | null;
  /** Fewer Japanese letters than this: `few-japanese-chars`. */
  minJapaneseChars: number | null;
  /** White space, punctuation, symbols and emoji / all characters above this: `high-symbol-share`. */
  maxSymbolShare: number | null;
  /** Control characters, U+FFFD and unpaired surrogates / all characters above this: `invalid-chars`. */
  maxInvalidCharShare: number | null;
}

export interface SentenceConfig {
  /** Sentence-ending punctuation (。．！？!?) per character below this: `rare-kuten`. */
  minKutenRate: number | null;
  /** Mean sentence length (characters) below this: `short-sentences` (menus, tag lists, tables). */
  minMeanSentenceLength: number | null;
  /** Mean sentence length above this: `long-sentences` (text without 。, keyword runs). */
  maxMeanSentenceLength: number | null;
  /** Longest sentence above this: `sentence-too-long`. */
  maxSentenceLength: number | null;
}

export interface RepetitionConfig {
  /** Duplicate non-empty lines / non-empty lines above this: `dup-lines`. */
  maxDupLineFrac: number | null;
  /** Characters in duplicate lines / all characters above this: `dup-line-chars`. */
  maxDupLineCharFrac: number | null;
  /** Duplicate paragraphs (blocks between blank lines) / paragraphs above this: `dup-paragraphs`. */
  maxDupParaFrac: number | null;
  /** Characters in duplicate paragraphs / all characters above this: `dup-paragraph-chars`. */
  maxDupParaCharFrac: number | null;
  /** Occurrences of the most frequent character 2-gram / all 2-grams above this: `top-2gram`. */
  maxTop2gramFrac: number | null;
  maxTop3gramFrac: number | null;
  maxTop4gramFrac: number | null;
  /** Distinct character 5-grams occurring more than once / distinct 5-grams above this: `dup-5gram`. */
  maxDup5gramFrac: number | null;
  maxDup6gramFrac: number | null;
  maxDup7gramFrac: number | null;
  maxDup8gramFrac: number | null;
  maxDup9gramFrac: number | null;
  maxDup10gramFrac: number | null;
  /**
   * The n-gram scores are computed on the first this-many UTF-16 units. Bounds time and memory on a
   * multi-megabyte line (9 hash tables sized to the text); a document that long is `too-long` anyway.
   */
  ngramScanChars: number;
}

export interface LineShapeConfig {
  /** Lines ending in … ‥ ... ・・・ / non-empty lines above this: `ellipsis-lines` (truncated teasers, search results). */
  maxEllipsisLineFrac: number | null;
  /** Lines starting with a bullet (• ・ ● ■ ◆ ▶ ★ -␠ *␠ ...) / non-empty lines above this: `bullet-lines`. */
  maxBulletLineFrac: number | null;
  /** A non-empty line of at most this many characters is short. */
  shortLineMaxChars: number;
  /** Short lines / non-empty lines above this: `short-lines` (menus, breadcrumbs, tag clouds). */
  maxShortLineFrac: number | null;
}

export interface DensityConfig {
  /** Characters inside URLs / all characters above this: `url-density` (link lists, sitemaps). */
  maxUrlCharShare: number | null;
  /** Characters inside e-mail addresses / all characters above this: `email-density` (address lists). */
  maxEmailCharShare: number | null;
  /** Digits / all characters above this: `digit-density` (price tables, scores, timetables). */
  maxDigitShare: number | null;
}

export interface KeywordConfig {
  /** Advertising / shop / job-ad phrases, one per line (`#` comments). */
  adKeywordsPath: string;
  /** Header/footer/navigation boilerplate phrases. */
  boilerplateKeywordsPath: string;
  /** Spam markers: dating, adult-ad, get-rich-quick and loan spam phrases. */
  spamKeywordsPath: string;
  /** More ad-phrase matches than this: `ad-keywords`. */
  maxAdKeywords: number | null;
  /** More boilerplate-phrase matches than this: `boilerplate-keywords`. */
  maxBoilerplateKeywords: number | null;
  /** More spam-phrase matches than this: `spam-keywords`. */
  maxSpamKeywords: number | null;
  /** Characters inside spam phrases / all characters above this: `spam-keywords`. */
  maxSpamKeywordShare: number | null;
}

export interface QualityConfig {
  length: LengthConfig;
  charShare: CharShareConfig;
  sentences: SentenceConfig;
  repetition: RepetitionConfig;
  lineShapes: LineShapeConfig;
  density: DensityConfig;
  keywords: KeywordConfig;
}

export const DEFAULT_QUALITY_CONFIG: QualityConfig = {
  length: {
    // HojiChar DocumentLengthFilter docstring: "200字以上 50000字以内のテキストが受理されます". Swallow's
    // apply_v1 asks 400; that would drop every ~200-character CC document (a third of ABEJA's sample).
    minChars: 200,
    maxChars: 50_000,
  },
  charShare: {
    // Swallow apply_v1: hiragana_fraction < 0.2 → drop (share of hiragana+katakana+kanji+kuten+toten).
    minHiraganaShare: 0.2,
    // Swallow apply_v1: katakana_fraction > 0.5 → drop.
    maxKatakanaShare: 0.5,
    // Swallow computes kanji_fraction but sets no threshold; kept as a score only.
    maxKanjiShare: null,
    // Swallow apply_v1: japanese_fraction < 0.5 → drop (Japanese letters over all characters).
    minJapaneseShare: 0.5,
    // Swallow apply_v1 asks num_japanese_letters ≥ 400; off by default for the same reason as length.minChars.
    minJapaneseChars: null,
    // HojiChar DiscardTooManySpecialToken (from BigScience's OSCAR filtering): special characters > 0.4 → drop.
    maxSymbolShare: 0.4,
    // The web-page chain's maxReplacementShare (0.05): a few stray U+FFFD are fine, a mis-decoded page is not.
    maxInvalidCharShare: 0.05,
  },
  sentences: {
    // HojiChar DiscardRareKuten(max_average_sentence_length=100): fewer than len/100 「。」 → drop.
    // llm-jp-corpus relaxes it to 250 (has_good_average_sentence_length).
    minKutenRate: 1 / 100,
    // Swallow apply_v1: avg_sentence_length < 20 or > 90 → drop (sentences split on 。．！？!? and lines).
    minMeanSentenceLength: 20,
    maxMeanSentenceLength: 90,
    // Swallow apply_v1: max_sentence_length > 200 → drop.
    maxSentenceLength: 200,
  },
  repetition: {
    // Gopher Table A1 (datatrove GopherRepetitionFilter defaults); Swallow apply_v1 uses the same values.
    maxDupLineFrac: 0.3,
    maxDupLineCharFrac: 0.2,
    maxDupParaFrac: 0.3,
    maxDupParaCharFrac: 0.2,
    // Gopher Table A1 top n-gram thresholds, counted on character n-grams as Swallow does for Japanese.
    maxTop2gramFrac: 0.2,
    maxTop3gramFrac: 0.18,
    maxTop4gramFrac: 0.16,
    // Gopher Table A1 duplicate n-gram thresholds, Swallow's character n-gram definition.
    maxDup5gramFrac: 0.15,
    maxDup6gramFrac: 0.14,
    maxDup7gramFrac: 0.13,
    maxDup8gramFrac: 0.12,
    maxDup9gramFrac: 0.11,
    maxDup10gramFrac: 0.1,
    // Project bound: 2× length.maxChars, so every document the length rule keeps is scanned whole.
    ngramScanChars: 100_000,
  },
  lineShapes: {
    // Gopher: > 30 % of lines ending with an ellipsis → drop (datatrove max_ellipsis_lines_ratio 0.3).
    // HojiChar DiscardTooManyEndingEllipsis uses 0.7 (precision-oriented); Swallow 0.2 over sentences.
    maxEllipsisLineFrac: 0.3,
    // Gopher: > 90 % of lines starting with a bullet → drop (datatrove max_bullet_lines_ratio 0.9).
    maxBulletLineFrac: 0.9,
    // HojiChar DiscardTooShortLines: a line of ≤ 10 characters is short; > 50 % short lines → drop.
    shortLineMaxChars: 10,
    maxShortLineFrac: 0.5,
  },
  density: {
    // NeMo Curator UrlsFilter(max_url_to_text_ratio=0.2): URL characters > 20 % of the text → drop.
    maxUrlCharShare: 0.2,
    // No reference threshold found for addresses; an e-mail address is a mailto link, so the URL bound.
    maxEmailCharShare: 0.2,
    // NeMo Curator NumbersFilter(max_number_to_text_ratio=0.15): digits > 15 % of the text → drop.
    maxDigitShare: 0.15,
  },
  keywords: {
    adKeywordsPath: `${QUALITY_DATA_DIR}ad_keywords_ja.txt`,
    boilerplateKeywordsPath: `${QUALITY_DATA_DIR}boilerplate_keywords_ja.txt`,
    spamKeywordsPath: `${QUALITY_DATA_DIR}spam_keywords_ja.txt`,
    // HojiChar DiscardAds(max_allowed_num=14): more than 14 ad-keyword matches → drop (llm-jp uses 10).
    maxAdKeywords: 14,
    // HojiChar uses its header/footer list to trim lines, not to drop documents: score only.
    maxBoilerplateKeywords: null,
    // llm-jp-corpus is_not_adult_content: > 100 matches or matched characters > 5 % of the text → drop.
    maxSpamKeywords: 100,
    maxSpamKeywordShare: 0.05,
  },
};
