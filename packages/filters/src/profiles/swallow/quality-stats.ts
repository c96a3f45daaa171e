/**
 * The 30 document statistics of the Swallow Corpus v1 quality filter, value for value: swallow-llm/swallow-corpus
 * @ 2d0350739b977703cedace6efe01eb4cbaa2ea1f, `quality.py` `main` (MIT, © 2023–2024 Naoaki Okazaki). Its
 * `apply_v1` thresholds read these values; `annotate.py` feeds it the text unchanged.
 *
 * Everything is counted in code points, as Python's `len()` and `str` indexing are: a surrogate pair is one
 * character (and never kanji, see `isSwallowKanji`), a lone surrogate is one character too. Every fraction is
 * one integer divided by another, which IEEE division rounds exactly as Python's `int / int` does, so the
 * values are bit-identical to the reference's, not merely close.
 *
 * Cost: one pass over the UTF-16 units (classes, lines, sentences, code points into a typed array), then
 * the exact n-gram counter jcp-v1 shares (`quality/char-ngrams.ts`: no substring per n-gram). Scratch
 * buffers are module-level and reused, so a call allocates only the sentence and paragraph strings it must
 * compare and its result. They grow to the longest text seen and stay allocated.
 */

import { charNgramFractions, NGRAM_MAX, TOP_NGRAM_MAX } from '../../quality/char-ngrams.ts';

/** `quality.main`'s keys in its own order: `duplicate_fraction`'s, then `document_statistics`'s. */
export const SWALLOW_QUALITY_KEYS = [
  'duplicate_paragraph_fraction',
  'duplicate_paragraph_fraction_in_character',
  'duplicate_sentence_fraction',
  'duplicate_sentence_fraction_in_character',
  'top_2gram_character_fraction',
  'top_3gram_character_fraction',
  'top_4gram_character_fraction',
  'duplicate_5gram_character_fraction',
  'duplicate_6gram_character_fraction',
  'duplicate_7gram_character_fraction',
  'duplicate_8gram_character_fraction',
  'duplicate_9gram_character_fraction',
  'duplicate_10gram_character_fraction',
  'num_letters',
  'num_hiragana_letters',
  'num_katakana_letters',
  'num_kanji_letters',
  'num_kuten',
  'num_toten',
  'num_japanese_letters',
  'hiragana_fraction',
  'katakana_fraction',
  'kanji_fraction',
  'kuten_fraction',
  'toten_fraction',
  'japanese_fraction',
  'avg_sentence_length',
  'max_sentence_length',
  'num_sentences_ending_with_ellipsis',
  'ellipsis_fraction',
] as const;

export type SwallowQualityKey = (typeof SWALLOW_QUALITY_KEYS)[number];
export type SwallowQualityStats = Record<SwallowQualityKey, number>;

/** The end characters of `quality.py` `re_sentence` (`[^。．！？!?]+[。．！？!?]?`): full-width 。．！？ and ASCII !?. */
function isSentenceEnd(cp: number): boolean {
  return cp === 0x3002 || cp === 0xff0e || cp === 0xff01 || cp === 0xff1f || cp === 0x21 || cp === 0x3f;
}

/**
 * `quality.py` `re_kanji`. Its second alternative, a UTF-16 surrogate pair, never matches a Python 3 `str`
 * (which holds the astral code point itself), so CJK Extension B and later are not kanji.
 */
function isSwallowKanji(cp: number): boolean {
  return (
    (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) || cp === 0x3005 || cp === 0x3007 || cp === 0x303b
  );
}

/**
 * Python 3.11 `str.isspace()` (bidi class WS/B/S or category Zs), which `s.strip()` removes in
 * `num_sentences_ending_with_ellipsis`. Not JS `trim()`: that also strips U+FEFF, but not U+001C–U+001F or U+0085.
 */
function isPythonSpace(cp: number): boolean {
  if (cp <= 0x20) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f);
  if (cp < 0x85) return false;
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

// ---- Scratch, reused across calls (grown on demand; a call never re-enters another) ----

let codePoints = new Int32Array(1024);
function ensureScratch(units: number): void {
  if (codePoints.length < units) codePoints = new Int32Array(Math.max(units, codePoints.length * 2));
}

/** Sentences and paragraphs seen so far in the current call; cleared before returning. */
const seenSentences = new Set<string>();
const seenParagraphs = new Set<string>();

/**
 * The paragraph `quality.py` `main` builds for a line, `''.join(re_sentence.findall(line))`, when the line
 * has end characters that belong to no sentence: one at the start of the line or right after another end
 * character (`[。．！？!?]?` takes at most one). All end characters are BMP, so units are compared directly.
 */
function joinedSentences(text: string, start: number, end: number): string {
  let out = '';
  let runStart = start;
  for (let i = start; i < end; i++) {
    if (isSentenceEnd(text.charCodeAt(i)) && (i === start || isSentenceEnd(text.charCodeAt(i - 1)))) {
      out += text.slice(runStart, i);
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart, end);
}

const ngramOut = new Float64Array(NGRAM_MAX + 1);

/** quality.py's `x / y if 0 < y else 0.` */
function fractionOrZero(count: number, total: number): number {
  return total > 0 ? count / total : 0;
}

/**
 * Swallow v1 `quality.main({'text': text})`, key for key.
 *
 * Throws where the reference raises, because no value would be the reference's: a text of fewer than 4
 * code points (`Counter(ngram(text, n)).most_common(1)[0]` on no n-gram, n = 2..4: IndexError), and a text
 * without any sentence, i.e. only newlines and 。．！？!? (`max()` of no sentence length: ValueError).
 */
export function swallowQualityStats(text: string): SwallowQualityStats {
  const units = text.length;
  ensureScratch(units);
  const cps = codePoints;

  let length = 0;
  let hiragana = 0;
  let katakana = 0;
  let kanji = 0;
  let kuten = 0;
  let toten = 0;

  let paragraphs = 0;
  let duplicateParagraphs = 0;
  let duplicateParagraphLetters = 0;
  let sentences = 0;
  let duplicateSentences = 0;
  let duplicateSentenceLetters = 0;
  // Every sentence letter is in exactly one paragraph and vice versa, so one total serves both
  // `sum(len(p) for p in P)` and `sum(len(s) for s in S)`.
  let sentenceLetters = 0;
  let maxSentenceLength = 0;
  let ellipsisSentences = 0;

  let lineStart = 0;
  let lineLetters = 0;
  let lineHasStrayEnd = false;
  let sentenceStart = -1;
  let sentenceLength = 0;
  let lastNonSpace = -1;

  // i === units is the end of the last line: `text.split('\n')` always yields it, even when empty.
  for (let i = 0; i <= units; i++) {
    const start = i;
    let cp = 0x0a;
    if (i < units) {
      cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < units) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      cps[length++] = cp;
    }

    if (cp === 0x0a) {
      // A sentence left open at the end of a line has no end character.
      if (sentenceStart >= 0) {
        const sentence = text.slice(sentenceStart, start);
        sentences++;
        lineLetters += sentenceLength;
        if (sentenceLength > maxSentenceLength) maxSentenceLength = sentenceLength;
        if (seenSentences.has(sentence)) {
          duplicateSentences++;
          duplicateSentenceLetters += sentenceLength;
        } else {
          seenSentences.add(sentence);
        }
        // `s.strip().endswith(('・', '…'))`; a sentence closed by an end character never qualifies.
        if (lastNonSpace === 0x30fb || lastNonSpace === 0x2026) ellipsisSentences++;
        sentenceStart = -1;
      }
      // Blank lines are paragraphs too (`text_to_doc` splits on every '\n'), so they repeat as ''.
      const paragraph = lineHasStrayEnd ? joinedSentences(text, lineStart, start) : text.slice(lineStart, start);
      paragraphs++;
      sentenceLetters += lineLetters;
      if (seenParagraphs.has(paragraph)) {
        duplicateParagraphs++;
        duplicateParagraphLetters += lineLetters;
      } else {
        seenParagraphs.add(paragraph);
      }
      lineStart = i + 1;
      lineLetters = 0;
      lineHasStrayEnd = false;
      continue;
    }

    // `quality.py` `count_japanese_letters`: the kana ranges leave out ー U+30FC and ・ U+30FB; kuten are the
    // full-width 。．！？ only, although ASCII !? end sentences too.
    if (cp >= 0x3041 && cp <= 0x3096) hiragana++;
    else if (cp >= 0x30a1 && cp <= 0x30fa) katakana++;
    else if (cp === 0x3001 || cp === 0xff0c) toten++;
    else if (cp === 0x3002 || cp === 0xff0e || cp === 0xff01 || cp === 0xff1f) kuten++;
    else if (isSwallowKanji(cp)) kanji++;

    if (isSentenceEnd(cp)) {
      if (sentenceStart < 0) {
        lineHasStrayEnd = true;
        continue;
      }
      sentenceLength++;
      const sentence = text.slice(sentenceStart, i + 1);
      sentences++;
      lineLetters += sentenceLength;
      if (sentenceLength > maxSentenceLength) maxSentenceLength = sentenceLength;
      if (seenSentences.has(sentence)) {
        duplicateSentences++;
        duplicateSentenceLetters += sentenceLength;
      } else {
        seenSentences.add(sentence);
      }
      sentenceStart = -1;
    } else {
      if (sentenceStart < 0) {
        sentenceStart = start;
        sentenceLength = 0;
        lastNonSpace = -1;
      }
      sentenceLength++;
      if (!isPythonSpace(cp)) lastNonSpace = cp;
    }
  }
  seenSentences.clear();
  seenParagraphs.clear();

  if (length < TOP_NGRAM_MAX) {
    throw new Error(
      `swallowQualityStats: text of ${length} code point(s); Swallow quality.main needs at least ${TOP_NGRAM_MAX} ` +
        `(it raises IndexError on a text with no ${TOP_NGRAM_MAX}-gram)`,
    );
  }
  if (sentences === 0) {
    throw new Error(
      `swallowQualityStats: text of ${length} code points has no sentence (only newlines and 。．！？!?); ` +
        'Swallow quality.main raises ValueError on max() of no sentence length',
    );
  }

  const f = ngramOut;
  charNgramFractions(codePoints, length, f);
  const japanese = hiragana + katakana + kanji + kuten + toten;
  // quality.py guards each division with `if 0 < y else 0.`; only the Japanese-letter count can be 0 here
  // (the text has ≥ 4 code points, ≥ 1 line and ≥ 1 sentence, and every sentence has ≥ 1 letter).
  const sentenceTotal = sentenceLetters;
  return {
    duplicate_paragraph_fraction: duplicateParagraphs / paragraphs,
    duplicate_paragraph_fraction_in_character: duplicateParagraphLetters / sentenceTotal,
    duplicate_sentence_fraction: duplicateSentences / sentences,
    duplicate_sentence_fraction_in_character: duplicateSentenceLetters / sentenceTotal,
    top_2gram_character_fraction: f[2]!,
    top_3gram_character_fraction: f[3]!,
    top_4gram_character_fraction: f[4]!,
    duplicate_5gram_character_fraction: f[5]!,
    duplicate_6gram_character_fraction: f[6]!,
    duplicate_7gram_character_fraction: f[7]!,
    duplicate_8gram_character_fraction: f[8]!,
    duplicate_9gram_character_fraction: f[9]!,
    duplicate_10gram_character_fraction: f[10]!,
    num_letters: length,
    num_hiragana_letters: hiragana,
    num_katakana_letters: katakana,
    num_kanji_letters: kanji,
    num_kuten: kuten,
    num_toten: toten,
    num_japanese_letters: japanese,
    hiragana_fraction: fractionOrZero(hiragana, japanese),
    katakana_fraction: fractionOrZero(katakana, japanese),
    kanji_fraction: fractionOrZero(kanji, japanese),
    kuten_fraction: fractionOrZero(kuten, japanese),
    toten_fraction: fractionOrZero(toten, japanese),
    japanese_fraction: japanese / length,
    avg_sentence_length: sentenceTotal / sentences,
    max_sentence_length: maxSentenceLength,
    num_sentences_ending_with_ellipsis: ellipsisSentences,
    ellipsis_fraction: ellipsisSentences / sentences,
  };
}
