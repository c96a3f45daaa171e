/**
 * Keyword hit counts of HojiChar v0.9.0 `DiscardAds` and `NgWordsFilterJa(ignore_confused=True)`, the latter
 * as llm-jp-corpus v2.0.0 monkey-patches its `apply` to `len(self.keyword_pat.findall(text)) > 3`.
 *
 * Both compile the list into one Python `re` alternation, `w1|w2|…` in file order, and count
 * `findall` hits. That is leftmost-FIRST, not leftmost-longest: at each position the earliest word of the
 * file that matches there wins, even when a longer word also matches, and the scan resumes after it, so a
 * list's order changes the counts. With `ignore_confused=True` the katakana-only words (`[ァ-ヴー]+`) move
 * into one trailing group, `…|(?<![ァ-ヴー])(k1|k2|…)(?![ァ-ヴー])`: every other word outranks every
 * katakana word, and a katakana word counts only when no katakana or ー touches it (`[ァ-ヴー]` is
 * U+30A1–U+30F4 plus U+30FC: ヵ, ヶ, ・ and half-width kana do not shield).
 *
 * We walk a trie per position and pick the word the alternation would pick, which is exact for literal
 * words and avoids backtracking through ~1,500 alternatives at every character. Empty alternatives are
 * reproduced too (a whitespace-only line strips to "", and an empty katakana or non-katakana half leaves
 * `|` or `()` in the pattern): they match everywhere, counted with Python 3.7+ `findall` rules.
 */
import { readFileSync } from 'node:fs';
import { pythonStrip } from './python-str.ts';

/** `plain`: `DiscardAds` (one alternation). `isolate-katakana`: `NgWordsFilterJa(ignore_confused=True)`. */
export type KeywordMode = 'plain' | 'isolate-katakana';

const NO_NODE = -1;
const NO_RANK = 0x7fffffff;

/** `[ァ-ヴー]`, HojiChar's katakana class for both the word test and the look-around. */
function isHojicharKatakana(unit: number): boolean {
  return (unit >= 0x30a1 && unit <= 0x30f4) || unit === 0x30fc;
}

/** `re.fullmatch(r"[ァ-ヴー]+", w)`. */
export function isKatakanaWord(word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) if (!isHojicharKatakana(word.charCodeAt(i))) return false;
  return true;
}

/**
 * HojiChar's list parsing: `open(path, encoding="utf-8").read().split("\n")`, zero-length lines dropped,
 * then each line `strip()`ped. Text mode turns `\r\n` and a lone `\r` into `\n` first; a whitespace-only
 * line survives as "" (it was not zero-length before the strip); a UTF-8 BOM stays on the first word.
 * Throws naming the file when it cannot be read.
 */
export function readHojicharWordList(path: string): string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`llm-jp keyword list ${path}: cannot read (${(error as Error).message})`);
  }
  return parseHojicharWordList(content);
}

export function parseHojicharWordList(content: string): string[] {
  const words: string[] = [];
  for (const line of content.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.length !== 0) words.push(pythonStrip(line));
  }
  return words;
}

/** Counts non-overlapping hits of one list, as `len(keyword_pat.findall(text))`. Build once, call per document. */
export class KeywordHitCounter {
  /** Child of the root per first UTF-16 unit: almost every position is rejected with this one lookup. */
  private readonly rootNext = new Int32Array(0x10000).fill(NO_NODE);
  private readonly children: (Map<number, number> | undefined)[] = [undefined];
  /** Rank in the alternation of the word ending at a node: smaller wins; NO_RANK if none ends there. */
  private readonly plainRanks: Int32Array;
  private readonly kataRanks: Int32Array;
  private readonly hasEmpty: boolean;

  constructor(words: readonly string[], mode: KeywordMode) {
    const plain: string[] = [];
    const kata: string[] = [];
    for (const word of words) (mode === 'isolate-katakana' && isKatakanaWord(word) ? kata : plain).push(word);
    if (mode === 'isolate-katakana') {
      // `"|".join([])` is "": an empty half becomes an empty alternative (`|…` or `()`) that matches everywhere.
      if (plain.length === 0) plain.push('');
      if (kata.length === 0) kata.push('');
    } else if (plain.length === 0) {
      plain.push('');
    }
    const plainRanks = [NO_RANK];
    const kataRanks = [NO_RANK];
    plain.forEach((word, rank) => this.insert(word, rank, false, plainRanks, kataRanks));
    kata.forEach((word, rank) => this.insert(word, rank, true, plainRanks, kataRanks));
    this.plainRanks = Int32Array.from(plainRanks);
    this.kataRanks = Int32Array.from(kataRanks);
    this.hasEmpty = this.plainRanks[0] !== NO_RANK || this.kataRanks[0] !== NO_RANK;
  }

  /** Adds `word` at `rank` of its half; both rank arrays grow with the nodes. */
  private insert(word: string, rank: number, katakana: boolean, plainRanks: number[], kataRanks: number[]): void {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const unit = word.charCodeAt(i);
      let next: number | undefined;
      if (node === 0) {
        next = this.rootNext[unit] === NO_NODE ? undefined : this.rootNext[unit];
      } else {
        next = this.children[node]?.get(unit);
      }
      if (next === undefined) {
        next = this.children.length;
        this.children.push(undefined);
        plainRanks.push(NO_RANK);
        kataRanks.push(NO_RANK);
        if (node === 0) {
          this.rootNext[unit] = next;
        } else {
          let map = this.children[node];
          if (map === undefined) {
            map = new Map();
            this.children[node] = map;
          }
          map.set(unit, next);
        }
      }
      node = next;
    }
    const ranks = katakana ? kataRanks : plainRanks;
    if (rank < ranks[node]!) ranks[node] = rank; // a repeated word keeps its first position
  }

  /** Length of the hit the alternation takes at `pos`, or -1. `mustAdvance`: an empty hit is not allowed here. */
  private matchAt(text: string, pos: number, mustAdvance: boolean): number {
    const n = text.length;
    let bestPlain = NO_RANK;
    let plainLength = -1;
    let bestKata = NO_RANK;
    let kataLength = -1;
    if (!mustAdvance) {
      if (this.plainRanks[0]! !== NO_RANK) {
        bestPlain = this.plainRanks[0]!;
        plainLength = 0;
      }
      if (this.kataRanks[0]! !== NO_RANK && (pos >= n || !isHojicharKatakana(text.charCodeAt(pos)))) {
        bestKata = this.kataRanks[0]!;
        kataLength = 0;
      }
    }
    let node = pos < n ? this.rootNext[text.charCodeAt(pos)]! : NO_NODE;
    let end = pos + 1;
    while (node !== NO_NODE) {
      const plainRank = this.plainRanks[node]!;
      if (plainRank < bestPlain) {
        bestPlain = plainRank;
        plainLength = end - pos;
      }
      const kataRank = this.kataRanks[node]!;
      if (kataRank < bestKata && (end >= n || !isHojicharKatakana(text.charCodeAt(end)))) {
        bestKata = kataRank;
        kataLength = end - pos;
      }
      if (end >= n) break;
      const next = this.children[node]?.get(text.charCodeAt(end));
      if (next === undefined) break;
      node = next;
      end++;
    }
    if (plainLength >= 0) return plainLength;
    if (kataLength >= 0 && (pos === 0 || !isHojicharKatakana(text.charCodeAt(pos - 1)))) return kataLength;
    return -1;
  }

  count(text: string): number {
    const n = text.length;
    const rootNext = this.rootNext;
    let hits = 0;
    let pos = 0;
    if (!this.hasEmpty) {
      while (pos < n) {
        if (rootNext[text.charCodeAt(pos)] === NO_NODE) {
          pos++;
          continue;
        }
        const length = this.matchAt(text, pos, false);
        if (length > 0) {
          hits++;
          pos += length;
        } else {
          pos++;
        }
      }
      return hits;
    }
    // Python 3.7+ `findall`: an empty hit may follow a non-empty one at the same position, and after an
    // empty hit the scan retries that position for a non-empty hit only. Positions are code points.
    let mustAdvance = false;
    while (pos <= n) {
      const length = this.matchAt(text, pos, mustAdvance);
      if (length >= 0) {
        hits++;
        mustAdvance = length === 0;
        pos += length;
        continue;
      }
      mustAdvance = false;
      const unit = text.charCodeAt(pos);
      const next = text.charCodeAt(pos + 1);
      pos += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    }
    return hits;
  }
}

/** `DiscardAds(dict_path)`'s pattern as a counter. */
export function loadAdKeywordCounter(path: string): KeywordHitCounter {
  return new KeywordHitCounter(readHojicharWordList(path), 'plain');
}

/** `NgWordsFilterJa(dict_path, ignore_confused=True)`'s pattern as a counter. */
export function loadNgWordCounter(path: string): KeywordHitCounter {
  return new KeywordHitCounter(readHojicharWordList(path), 'isolate-katakana');
}
