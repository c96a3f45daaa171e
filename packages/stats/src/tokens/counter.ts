import { codePointLength } from '@jcp/core';

/** Counts the units of a text; one counter per worker, reused for every document. */
export interface TokenCounter {
  /** What is counted, for a stats column or a report (`sentencepiece:<model file>`, `kuromoji`, `chars`, `bytes`). */
  readonly name: string;
  count(text: string): number;
}

/** A counter whose units are vocabulary ids. */
export interface TokenEncoder extends TokenCounter {
  /** The ids, as the reference tokenizer returns them; `count(text) === encode(text).length`. */
  encode(text: string): number[];
}

/** Unicode code points: a surrogate pair is one character, a lone surrogate is one too. */
export const charsCounter: TokenCounter = {
  name: 'chars',
  count: codePointLength,
};

/** UTF-8 bytes; a lone surrogate counts as the 3 bytes of U+FFFD, as `TextEncoder` writes it. */
export const bytesCounter: TokenCounter = {
  name: 'bytes',
  count(text: string): number {
    return Buffer.byteLength(text, 'utf8');
  },
};
