/**
 * The Swallow Corpus v1 NG-word statistics: swallow-llm/swallow-corpus @ 2d0350739b977703cedace6efe01eb4cbaa2ea1f,
 * `ngword.py` (MIT, © 2023–2024 Naoaki Okazaki). Its `__main__` builds `ng.dic` (a darts-clone double array)
 * from four MosasoM/inappropriate-words-ja lists; `LongestMatch.stat` counts the characters of the NG words
 * it finds, and `apply_v1` drops a document when they are ≥ 5 % of its Japanese letters.
 *
 * The double array is replaced by a code-point trie: darts-clone matches the UTF-8 bytes of the keys, but a
 * valid UTF-8 key that is a byte prefix of valid UTF-8 text ends on a character boundary, so byte prefixes
 * and code-point prefixes are the same matches.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** MosasoM/inappropriate-words-ja @ e24de6e185135f92c3491ef61931c26905bd3b1f, shipped in `packages/filters/data/ngwords/mosasom/` (SOURCES.md). */
export const SWALLOW_NG_LIST_PATHS: readonly string[] = [
  fileURLToPath(new URL('../../../data/ngwords/mosasom/Offensive.txt', import.meta.url)),
  fileURLToPath(new URL('../../../data/ngwords/mosasom/Sexual.txt', import.meta.url)),
  fileURLToPath(new URL('../../../data/ngwords/mosasom/Sexual_with_bopo.txt', import.meta.url)),
  fileURLToPath(new URL('../../../data/ngwords/mosasom/Sexual_with_mask.txt', import.meta.url)),
];

/** Transition keys are `node * CODE_POINT_SPAN + code point`: exact in a double for up to 2^32 nodes. */
const CODE_POINT_SPAN = 0x110000;

/** The words of `ng.dic` as a trie over code points. */
export class SwallowNgDictionary {
  /** Number of distinct words (= keys of the reference's `ng.dic`). */
  readonly size: number;
  private readonly words: ReadonlySet<string>;
  private readonly next = new Map<number, number>();
  /** Per node: 1 when a word ends there. */
  private readonly terminal: number[] = [0];
  /** BMP code units that start some word: most characters of a text fail here without a map lookup. */
  private readonly startsWord = new Uint8Array(0x10000);

  constructor(words: ReadonlySet<string>) {
    this.words = words;
    this.size = words.size;
    for (const word of words) this.insert(word);
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  private insert(word: string): void {
    let node = 0;
    for (const ch of word) {
      const key = node * CODE_POINT_SPAN + ch.codePointAt(0)!;
      let child = this.next.get(key);
      if (child === undefined) {
        child = this.terminal.length;
        this.terminal.push(0);
        this.next.set(key, child);
      }
      node = child;
    }
    this.terminal[node] = 1;
    // A word starting with an astral character sets its high surrogate, which the scan then looks up.
    this.startsWord[word.charCodeAt(0)] = 1;
  }

  /**
   * `sum(len(w) for w in LongestMatch.finditer(text))`: at each code point, the longest word starting there
   * (`max` of darts-clone's common-prefix values, which `ngword.py` sets to `len(word)`); after a match the
   * scan resumes after the word, otherwise at the next code point. No word boundaries.
   */
  countNgLetters(text: string): number {
    const units = text.length;
    const next = this.next;
    const terminal = this.terminal;
    const startsWord = this.startsWord;
    let letters = 0;
    let i = 0;
    while (i < units) {
      const unit = text.charCodeAt(i);
      let width = 1;
      if (unit >= 0xd800 && unit <= 0xdfff) {
        const low = unit <= 0xdbff && i + 1 < units ? text.charCodeAt(i + 1) : 0;
        if (low < 0xdc00 || low > 0xdfff) {
          throw new Error(
            `swallowNgStats: lone surrogate U+${unit.toString(16).toUpperCase()} at UTF-16 offset ${i}; ` +
              "Swallow ngword.py raises UnicodeEncodeError on it (s[i:].encode('utf-8'))",
          );
        }
        width = 2;
      }
      if (startsWord[unit] === 0) {
        i += width;
        continue;
      }
      let node = 0;
      let j = i;
      let depth = 0;
      let bestLength = 0;
      let bestEnd = i;
      while (j < units) {
        let cp = text.charCodeAt(j);
        let w = 1;
        if (cp >= 0xd800 && cp <= 0xdbff && j + 1 < units) {
          const low = text.charCodeAt(j + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
            w = 2;
          }
        }
        const child = next.get(node * CODE_POINT_SPAN + cp);
        if (child === undefined) break;
        node = child;
        depth++;
        j += w;
        if (terminal[node] === 1) {
          bestLength = depth;
          bestEnd = j;
        }
      }
      if (bestLength > 0) {
        letters += bestLength;
        i = bestEnd;
      } else {
        i += width;
      }
    }
    return letters;
  }
}

/**
 * Reads the word lists as `ngword.py` `register_words` does, into one set (`ng.dic` holds each word once):
 * a word is a line without its line break (`line.strip('\n')` after Python's universal-newline reading, so
 * \r\n and \r end lines too); every other character stays, including trailing spaces (`素股 ` is a word) and
 * a BOM. Strict UTF-8, as Python's `open()` in a UTF-8 locale. `add_variations` (kana and width variants)
 * is commented out in the reference, so no variants are added.
 *
 * Throws, naming the file and line, where the reference could not build a usable `ng.dic`: an unreadable
 * file, invalid UTF-8, an empty line (an empty key would match with length 0 and never advance
 * `LongestMatch.finditer`), or a NUL (darts-clone keys are C strings).
 */
export function buildSwallowNgDictionary(listPaths: readonly string[]): SwallowNgDictionary {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const words = new Set<string>();
  for (const path of listPaths) {
    let content: string;
    try {
      content = decoder.decode(readFileSync(path));
    } catch (error) {
      throw new Error(`swallow ng-words: cannot read word list ${path}: ${(error as Error).message}`);
    }
    const lines = content.split(/\r\n|\r|\n/);
    // Python's line iteration yields no empty line after a final line break.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    lines.forEach((word, index) => {
      if (word === '') throw new Error(`swallow ng-words: ${path}:${index + 1}: empty line (would be an empty NG key)`);
      if (word.includes('\0')) throw new Error(`swallow ng-words: ${path}:${index + 1}: NUL in word`);
      words.add(word);
    });
  }
  if (words.size === 0) throw new Error(`swallow ng-words: no words in ${listPaths.join(', ') || '(no list paths)'}`);
  return new SwallowNgDictionary(words);
}

export interface SwallowNgStats {
  num_ng_letters: number;
  ng_fraction: number;
}

/**
 * `ngword.py` `LongestMatch.stat(text, num_japanese_letters)`. `ng_fraction` is over the Japanese letters
 * of `quality.main`, not over all characters, so it can exceed 1 (ASCII NG words such as `SEX` count in the
 * numerator only); it is 0 when the text has no Japanese letter (`if length > 0 else 0.`), whatever matched.
 *
 * Throws on a lone surrogate, where the reference's UTF-8 encoding of the text raises.
 */
export function swallowNgStats(dict: SwallowNgDictionary, text: string, numJapaneseLetters: number): SwallowNgStats {
  const letters = dict.countNgLetters(text);
  return { num_ng_letters: letters, ng_fraction: numJapaneseLetters > 0 ? letters / numJapaneseLetters : 0 };
}
