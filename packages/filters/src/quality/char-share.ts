/**
 * Character-class shares (Swallow's Japanese-letter fractions, HojiChar's special-character share) from
 * the one-pass histogram. Kana and kanji shares are over Swallow's "Japanese letters" (hiragana + katakana
 * + kanji + 。．！？ + 、，), the Japanese share and the others over all characters.
 */
import type { Scorer } from '../profiles/scorer.ts';
import { CharClass } from './char-classes.ts';
import { analyzeText, ratio } from './text-stats.ts';

export const CHAR_SHARE_SCORES = [
  'hiragana_share',
  'katakana_share',
  'kanji_share',
  'japanese_share',
  'japanese_char_count',
  'latin_share',
  'symbol_share',
  'invalid_char_share',
] as const;

export function createCharShareScorer(): Scorer {
  return {
    name: 'char-share',
    scoreNames: CHAR_SHARE_SCORES,
    score({ text }) {
      const s = analyzeText(text);
      const h = s.classes;
      const ja = s.japaneseLetters;
      const scores = {
        hiragana_share: ratio(h[CharClass.HIRAGANA]!, ja),
        katakana_share: ratio(h[CharClass.KATAKANA]!, ja),
        kanji_share: ratio(h[CharClass.KANJI]!, ja),
        japanese_share: ratio(ja, s.chars),
        japanese_char_count: ja,
        latin_share: ratio(h[CharClass.LATIN]!, s.chars),
        // HojiChar/BigScience special characters: punctuation, white space, symbols and emoji (not digits).
        symbol_share: ratio(
          h[CharClass.SPACE]! + h[CharClass.NEWLINE]! + h[CharClass.JA_PUNCT]! + h[CharClass.ASCII_PUNCT]! + h[CharClass.SYMBOL]!,
          s.chars,
        ),
        invalid_char_share: ratio(h[CharClass.INVALID]! + h[CharClass.LONE_SURROGATE]!, s.chars),
      };
      return scores;
    },
  };
}
