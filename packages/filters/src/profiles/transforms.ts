import { extractJapaneseText } from './llm-jp/extract-japanese-text.ts';

/** Text maps a profile step can apply before its rules; the mapped text is what the run writes out. */
export const TEXT_TRANSFORMS = {
  /** llm-jp-corpus v2 `extract_japanese_text`: the lines with kana, URLs and long ASCII runs cut, joined without newlines. */
  'llm-jp-extract-japanese-text': extractJapaneseText,
} satisfies Record<string, (text: string) => string>;

export type TextTransformName = keyof typeof TEXT_TRANSFORMS;
