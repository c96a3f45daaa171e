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
  count(text: string): number {
    let n = text.length;
    const last = text.length - 1;
    for (let i = 0; i < last; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          n--;
          i++;
        }
      }
    }
    return n;
  },
};

/** UTF-8 bytes; a lone surrogate counts as the 3 bytes of U+FFFD, as `TextEncoder` writes it. */
export const bytesCounter: TokenCounter = {
  name: 'bytes',
  count(text: string): number {
    return Buffer.byteLength(text, 'utf8');
  },
};
