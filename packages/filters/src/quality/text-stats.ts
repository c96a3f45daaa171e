/**
 * One pass over a document's UTF-16 code units computes everything the share, sentence, line-shape and
 * line/paragraph-duplicate rules need: the character-class histogram, sentence lengths (Swallow's
 * split), line shapes and 32-bit hashes of every line and paragraph. The rules of one chain call
 * `analyzeText` on the same string one after another; the last result is kept, so the pass runs once
 * per document, and every rule stays a pure function of the text.
 */
import { CHAR_CLASS_COUNT, CHAR_CLASS_TABLE, CharClass, HIGH_SURROGATE, classifyAstral } from './char-classes.ts';

/** Line lengths are histogrammed up to this (longer lines share the last bucket). */
export const LINE_LENGTH_CAP = 255;

export interface TextStats {
  /** UTF-16 length. */
  units: number;
  /** Code points. */
  chars: number;
  /** Code points per `CharClass`. */
  classes: Uint32Array;
  /** Sentence-ending punctuation: 。．！？｡ and ASCII ! ? (NFKC turns ！？ into ASCII). */
  kuten: number;
  /** 。 alone (U+3002): llm-jp's DiscardRareKuten counts only it. */
  maru: number;
  /** Commas: 、，､ */
  toten: number;
  /** Swallow's Japanese letters: hiragana + katakana + kanji + kuten + toten. */
  japaneseLetters: number;
  /** Lines with at least one visible character. */
  lines: number;
  /** Non-empty lines by length in code points (index `min(length, LINE_LENGTH_CAP)`). */
  lineLengths: Uint32Array;
  /** Non-empty lines ending in … ‥ ... ・・・ (trailing white space ignored). */
  ellipsisLines: number;
  /** Non-empty lines whose last visible character ends a sentence (`isTerminal`). */
  punctEndLines: number;
  /** Non-empty lines whose first visible character is a bullet. */
  bulletLines: number;
  /** Non-empty lines equal to an earlier line (Gopher counts every occurrence after the first). */
  dupLines: number;
  /** Code points in those duplicate lines. */
  dupLineChars: number;
  /** Blocks of non-empty lines separated by blank lines. */
  paragraphs: number;
  dupParagraphs: number;
  dupParagraphChars: number;
  /** Swallow's sentences: per line, runs ending at 。．！？!? (a run of enders ends one sentence). */
  sentences: number;
  /** Code points in all sentences. */
  sentenceChars: number;
  maxSentenceLength: number;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Mixes a line hash into its paragraph's hash (any odd constant). */
const PARAGRAPH_PRIME = 0x9e3779b1 | 0;

// Scratch buffers, grown on demand and reused across documents (never returned to callers).
let lineHashes: Int32Array = new Int32Array(1024);
let lineLens: Int32Array = new Int32Array(1024);
let paraHashes: Int32Array = new Int32Array(256);
let paraLens: Int32Array = new Int32Array(256);
let tableKeys = new Int32Array(2048);
let tableLens = new Int32Array(2048);
let tableStamps = new Uint32Array(2048);
let stamp = 0;

let cachedText: string | undefined;
let cachedStats: TextStats | undefined;

function grow(a: Int32Array, min: number): Int32Array {
  let size = a.length * 2;
  while (size < min) size *= 2;
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** Sentence enders of Swallow's `re_sentence` ([。．！？!?]) plus the half-width ｡. */
function isKuten(c: number): boolean {
  return c === 0x3002 || c === 0xff0e || c === 0xff01 || c === 0xff1f || c === 0xff61 || c === 0x21 || c === 0x3f;
}

function isToten(c: number): boolean {
  return c === 0x3001 || c === 0xff0c || c === 0xff64;
}

/** Bullets a line may start with: Gopher's • plus the marks Japanese pages use for lists. */
function isBullet(c: number): boolean {
  switch (c) {
    case 0x2022: // •
    case 0x2023: // ‣
    case 0x2043: // ⁃
    case 0x25e6: // ◦
    case 0x25cf: // ●
    case 0x25cb: // ○
    case 0x25ce: // ◎
    case 0x25a0: // ■
    case 0x25a1: // □
    case 0x25aa: // ▪
    case 0x25ab: // ▫
    case 0x25c6: // ◆
    case 0x25c7: // ◇
    case 0x25b6: // ▶
    case 0x25b8: // ▸
    case 0x25ba: // ►
    case 0x2605: // ★
    case 0x2606: // ☆
    case 0x27a4: // ➤
    case 0x2713: // ✓
    case 0x2714: // ✔
    case 0x30fb: // ・
    case 0xff65: // ･
      return true;
    default:
      return false;
  }
}

/** ASCII list markers count only when a space follows ("- item", "* item"), not "-5℃" or "*注". */
function isAsciiBullet(c: number): boolean {
  return c === 0x2d || c === 0x2a || c === 0x2b;
}

/** 。．！？｡ . ! ? … ‥ and the closing brackets and quotes Japanese puts after them (」』）)】〉》" ' ” ’). */
function isTerminal(c: number): boolean {
  switch (c) {
    case 0x3002: case 0xff0e: case 0xff01: case 0xff1f: case 0xff61: case 0x2e: case 0x21: case 0x3f: case 0x2026: case 0x2025:
    case 0x300d: case 0x300f: case 0xff09: case 0x29: case 0x3011: case 0x3009: case 0x300b: case 0x22: case 0x27: case 0x201d: case 0x2019:
      return true;
    default:
      return false;
  }
}

function isEllipsisEnd(last1: number, last2: number, last3: number): boolean {
  if (last1 === 0x2026 || last1 === 0x2025) return true; // … ‥
  if (last1 === 0x2e && last2 === 0x2e && last3 === 0x2e) return true; // ...
  if (last1 === 0x30fb && last2 === 0x30fb && last3 === 0x30fb) return true; // ・・・
  return last1 === 0xff65 && last2 === 0xff65 && last3 === 0xff65; // ･･･
}

/**
 * Counts items equal to an earlier item (same 32-bit hash and same length), and their characters.
 * Writes [duplicates, duplicateChars] into `out`.
 */
function countDuplicates(hashes: Int32Array, lens: Int32Array, count: number, out: Float64Array): void {
  out[0] = 0;
  out[1] = 0;
  if (count < 2) return;
  let size = 16;
  while (size < count * 2) size *= 2;
  if (tableKeys.length < size) {
    tableKeys = new Int32Array(size);
    tableLens = new Int32Array(size);
    tableStamps = new Uint32Array(size);
    stamp = 0;
  }
  stamp = (stamp + 1) >>> 0;
  if (stamp === 0) {
    tableStamps.fill(0);
    stamp = 1;
  }
  const mask = size - 1;
  let dups = 0;
  let dupChars = 0;
  for (let i = 0; i < count; i++) {
    const h = hashes[i]!;
    const len = lens[i]!;
    let slot = Math.imul(h, 0x9e3779b1) & mask;
    for (;;) {
      if (tableStamps[slot] !== stamp) {
        tableStamps[slot] = stamp;
        tableKeys[slot] = h;
        tableLens[slot] = len;
        break;
      }
      if (tableKeys[slot] === h && tableLens[slot] === len) {
        dups++;
        dupChars += len;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  out[0] = dups;
  out[1] = dupChars;
}

const dupOut = new Float64Array(2);

/** The statistics of `text` (computed once per distinct consecutive text; see the module comment). */
export function analyzeText(text: string): TextStats {
  if (text === cachedText && cachedStats !== undefined) return cachedStats;
  const stats = computeStats(text);
  cachedText = text;
  cachedStats = stats;
  return stats;
}

function computeStats(text: string): TextStats {
  const table = CHAR_CLASS_TABLE;
  const classes = new Uint32Array(CHAR_CLASS_COUNT);
  const lineLengths = new Uint32Array(LINE_LENGTH_CAP + 1);
  const n = text.length;

  let chars = 0;
  let kuten = 0;
  let maru = 0;
  let toten = 0;

  let lines = 0;
  let ellipsisLines = 0;
  let punctEndLines = 0;
  let bulletLines = 0;
  let lineLen = 0;
  let lineVisible = 0;
  let lineHash = FNV_OFFSET;
  let first = -1;
  let afterFirst = -1;
  let last1 = -1;
  let last2 = -1;
  let last3 = -1;

  let paragraphs = 0;
  let paraLines = 0;
  let paraHash = 0;
  let paraLen = 0;

  let sentences = 0;
  let sentenceChars = 0;
  let maxSentence = 0;
  let sentLen = 0;
  let sentVisible = 0;

  for (let i = 0; i <= n; i++) {
    // i === n is a virtual line break that closes the last line and paragraph.
    const c = i < n ? text.charCodeAt(i) : 0x0a;
    let k = i < n ? table[c]! : CharClass.NEWLINE;

    if (k === CharClass.NEWLINE) {
      if (i < n) {
        classes[k]!++;
        chars++;
        if (c === 0x0d && i + 1 < n && text.charCodeAt(i + 1) === 0x0a) continue; // CRLF: the LF ends the line
      }
      if (sentVisible > 0) {
        sentences++;
        sentenceChars += sentLen;
        if (sentLen > maxSentence) maxSentence = sentLen;
      }
      sentLen = 0;
      sentVisible = 0;
      if (lineVisible > 0) {
        if (lines >= lineHashes.length) {
          lineHashes = grow(lineHashes, lines + 1);
          lineLens = grow(lineLens, lines + 1);
        }
        lineHashes[lines] = lineHash;
        lineLens[lines] = lineLen;
        lines++;
        lineLengths[lineLen < LINE_LENGTH_CAP ? lineLen : LINE_LENGTH_CAP]!++;
        if (isEllipsisEnd(last1, last2, last3)) ellipsisLines++;
        if (isTerminal(last1)) punctEndLines++;
        if (isBullet(first) || (isAsciiBullet(first) && (afterFirst === 0x20 || afterFirst === 0x09))) bulletLines++;
        if (paraLines === 0) {
          paraHash = lineHash;
          paraLen = lineLen;
        } else {
          paraHash = Math.imul(paraHash ^ lineHash, PARAGRAPH_PRIME);
          paraLen += 1 + lineLen;
        }
        paraLines++;
      }
      // A blank (or white-space-only) line closes the paragraph, and so does the end of the text.
      if (paraLines > 0 && (lineVisible === 0 || i === n)) {
        if (paragraphs >= paraHashes.length) {
          paraHashes = grow(paraHashes, paragraphs + 1);
          paraLens = grow(paraLens, paragraphs + 1);
        }
        paraHashes[paragraphs] = paraHash;
        paraLens[paragraphs] = paraLen;
        paragraphs++;
        paraLines = 0;
      }
      lineLen = 0;
      lineVisible = 0;
      lineHash = FNV_OFFSET;
      first = -1;
      afterFirst = -1;
      last1 = last2 = last3 = -1;
      continue;
    }

    lineHash = Math.imul(lineHash ^ c, FNV_PRIME);
    if (k >= HIGH_SURROGATE) {
      k = CharClass.LONE_SURROGATE;
      if (c <= 0xdbff && i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          k = classifyAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
          lineHash = Math.imul(lineHash ^ d, FNV_PRIME);
          i++;
        }
      }
    }
    classes[k]!++;
    chars++;
    lineLen++;

    if (k !== CharClass.SPACE && k !== CharClass.FORMAT) {
      if (lineVisible === 0) first = c;
      else if (lineVisible === 1 && afterFirst === -1) afterFirst = c;
      lineVisible++;
      last3 = last2;
      last2 = last1;
      last1 = c;
    } else if (lineVisible === 1 && afterFirst === -1) {
      afterFirst = c;
    }

    if (k === CharClass.JA_PUNCT || k === CharClass.ASCII_PUNCT) {
      if (isKuten(c)) {
        kuten++;
        if (c === 0x3002) maru++;
        // Swallow's [^。．！？!?]+[。．！？!?]?: an ender closes the sentence; enders with nothing before are dropped.
        if (sentLen > 0) {
          sentLen++;
          if (sentVisible > 0) {
            sentences++;
            sentenceChars += sentLen;
            if (sentLen > maxSentence) maxSentence = sentLen;
          }
          sentLen = 0;
          sentVisible = 0;
        }
        continue;
      }
      if (isToten(c)) toten++;
    }
    sentLen++;
    if (k !== CharClass.SPACE && k !== CharClass.FORMAT) sentVisible++;
  }

  countDuplicates(lineHashes, lineLens, lines, dupOut);
  const dupLines = dupOut[0]!;
  const dupLineChars = dupOut[1]!;
  countDuplicates(paraHashes, paraLens, paragraphs, dupOut);
  const dupParagraphs = dupOut[0]!;
  const dupParagraphChars = dupOut[1]!;

  return {
    units: n,
    chars,
    classes,
    kuten,
    maru,
    toten,
    japaneseLetters: classes[CharClass.HIRAGANA]! + classes[CharClass.KATAKANA]! + classes[CharClass.KANJI]! + kuten + toten,
    lines,
    lineLengths,
    ellipsisLines,
    punctEndLines,
    bulletLines,
    dupLines,
    dupLineChars,
    paragraphs,
    dupParagraphs,
    dupParagraphChars,
    sentences,
    sentenceChars,
    maxSentenceLength: maxSentence,
  };
}

/** `part / whole`, 0 when `whole` is 0: scores are Parquet DOUBLEs and JSON numbers, never NaN. */
export function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}
