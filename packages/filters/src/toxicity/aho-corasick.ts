/**
 * Aho–Corasick over UTF-16 code units, for word lists (NG words, ad keywords, ...).
 *
 * The automaton is built once into typed arrays: transitions in CSR form (per state a sorted run of
 * `edgeChar`/`edgeTarget`, found by binary search) plus a 65,536-entry table for the root, where a
 * scan of ordinary text spends most of its time. Matching is one pass over the text with no allocation
 * per character.
 *
 * Counting is leftmost-longest and non-overlapping, as the Japanese NG-word rules count:
 * Swallow corpus's `LongestMatch.finditer` takes, from left to right, the longest word starting at each
 * position and jumps over it; HojiChar/llm-jp-corpus count `re.findall` over an alternation of the
 * words (leftmost, non-overlapping). Aho–Corasick reports matches by their end; a ring buffer as long
 * as the longest word holds, per start position, the longest valid match seen so far, and a start
 * position is settled once the scan is far enough past it that no longer match can still end.
 */

/** Options of `AhoCorasick.build`. */
export interface AhoCorasickOptions {
  /**
   * Fold full-width ASCII (Ｆ → F) and ASCII case (F → f) in words and text alike, so `AV`, `ａｖ` and
   * `Av` are one word. HojiChar normalises documents with NFKC before its NG-word filters; this is the
   * part of NFKC that matters for ASCII words in Japanese lists, done per code unit.
   */
  foldWidthAndCase?: boolean;
  /**
   * A word made only of katakana (ァ-ヴ, ー) matches only when no katakana touches it on either side:
   * HojiChar's `NgWordsFilterJa(ignore_confused=True)`, used by llm-jp-corpus, so that `アス` does not
   * fire inside `アスパラガス`, nor `スケ` inside `スケジュール`.
   */
  isolateKatakanaWords?: boolean;
  /**
   * A word made only of ASCII letters and digits matches only when no ASCII letter or digit touches it,
   * as HojiChar's English NG filter asks for word boundaries: `893` must not fire inside `18930円`,
   * nor `av` inside `available`. Compared after folding when `foldWidthAndCase` is on.
   */
  isolateAsciiWords?: boolean;
}

/** The leftmost-longest non-overlapping matches of a scan. */
export interface MatchSummary {
  /** Number of matches. */
  count: number;
  /** Sum of the matches' lengths, in UTF-16 code units. */
  chars: number;
}

const TERMINAL = 1;
const KATAKANA_ISOLATED = 2;
const ASCII_ISOLATED = 4;
const NO_LINK = -1;

function foldUnit(code: number): number {
  // Full-width ASCII block FF01–FF5E maps onto 0021–007E.
  if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
  if (code >= 0x41 && code <= 0x5a) code += 0x20;
  return code;
}

/** ァ (30A1) to ヴ (30F4) and the long-vowel mark ー (30FC): HojiChar's `[ァ-ヴー]`. */
function isKatakanaUnit(code: number): boolean {
  return (code >= 0x30a1 && code <= 0x30f4) || code === 0x30fc;
}

/** ASCII letter or digit, after full-width folding when `fold` is set. */
function isAsciiAlnumUnit(code: number, fold: boolean): boolean {
  if (fold) code = foldUnit(code);
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isAsciiAlnumWord(word: string, fold: boolean): boolean {
  for (let i = 0; i < word.length; i++) if (!isAsciiAlnumUnit(word.charCodeAt(i), fold)) return false;
  return word.length > 0;
}

function isKatakanaWord(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (!isKatakanaUnit(word.charCodeAt(i))) return false;
  return word.length > 0;
}

export class AhoCorasick {
  /** Distinct non-empty words in the automaton (after folding). */
  readonly wordCount: number;
  /** Length of the longest word, in code units. */
  readonly maxWordLength: number;

  private readonly fold: boolean;
  private readonly rootNext: Int32Array;
  private readonly edgeStart: Int32Array;
  private readonly edgeChar: Uint16Array;
  private readonly edgeTarget: Int32Array;
  private readonly fail: Int32Array;
  private readonly depth: Int32Array;
  private readonly flags: Uint8Array;
  /** Nearest state on the fail chain (excluding the state itself) that ends a word, or -1. */
  private readonly outputLink: Int32Array;
  /** Per start position (mod ring size), the longest valid match starting there; reused by every scan. */
  private readonly ring: Int32Array;
  private readonly ringMask: number;
  private scanCount = 0;
  private scanChars = 0;

  private constructor(fields: {
    wordCount: number;
    maxWordLength: number;
    fold: boolean;
    rootNext: Int32Array;
    edgeStart: Int32Array;
    edgeChar: Uint16Array;
    edgeTarget: Int32Array;
    fail: Int32Array;
    depth: Int32Array;
    flags: Uint8Array;
    outputLink: Int32Array;
  }) {
    this.wordCount = fields.wordCount;
    this.maxWordLength = fields.maxWordLength;
    this.fold = fields.fold;
    this.rootNext = fields.rootNext;
    this.edgeStart = fields.edgeStart;
    this.edgeChar = fields.edgeChar;
    this.edgeTarget = fields.edgeTarget;
    this.fail = fields.fail;
    this.depth = fields.depth;
    this.flags = fields.flags;
    this.outputLink = fields.outputLink;
    let ringSize = 1;
    while (ringSize < Math.max(1, fields.maxWordLength)) ringSize <<= 1;
    this.ring = new Int32Array(ringSize);
    this.ringMask = ringSize - 1;
  }

  /** Builds the automaton; empty words are ignored, duplicates (after folding) count once. */
  static build(words: Iterable<string>, options: AhoCorasickOptions = {}): AhoCorasick {
    const fold = options.foldWidthAndCase ?? false;
    const isolateKatakana = options.isolateKatakanaWords ?? false;
    const isolateAscii = options.isolateAsciiWords ?? false;

    // Build-time trie with Maps; flattened into typed arrays below.
    const children: Array<Map<number, number>> = [new Map()];
    const trieFlags: number[] = [0];
    const trieDepth: number[] = [0];
    let wordCount = 0;
    let maxWordLength = 0;
    for (const raw of words) {
      if (raw.length === 0) continue;
      let state = 0;
      for (let i = 0; i < raw.length; i++) {
        const code = fold ? foldUnit(raw.charCodeAt(i)) : raw.charCodeAt(i);
        const node = children[state]!;
        let next = node.get(code);
        if (next === undefined) {
          next = children.length;
          node.set(code, next);
          children.push(new Map());
          trieFlags.push(0);
          trieDepth.push(trieDepth[state]! + 1);
        }
        state = next;
      }
      if ((trieFlags[state]! & TERMINAL) === 0) {
        wordCount++;
        maxWordLength = Math.max(maxWordLength, raw.length);
        trieFlags[state] =
          TERMINAL |
          (isolateKatakana && isKatakanaWord(raw) ? KATAKANA_ISOLATED : 0) |
          (isolateAscii && isAsciiAlnumWord(raw, fold) ? ASCII_ISOLATED : 0);
      }
    }

    const stateCount = children.length;
    let edgeCount = 0;
    for (const node of children) edgeCount += node.size;
    const edgeStart = new Int32Array(stateCount + 1);
    const edgeChar = new Uint16Array(edgeCount);
    const edgeTarget = new Int32Array(edgeCount);
    let at = 0;
    for (let s = 0; s < stateCount; s++) {
      edgeStart[s] = at;
      const sorted = [...children[s]!.entries()].sort((a, b) => a[0] - b[0]);
      for (const [code, target] of sorted) {
        edgeChar[at] = code;
        edgeTarget[at] = target;
        at++;
      }
    }
    edgeStart[stateCount] = at;

    const rootNext = new Int32Array(65536);
    for (const [code, target] of children[0]!) rootNext[code] = target;

    const fail = new Int32Array(stateCount);
    const outputLink = new Int32Array(stateCount).fill(NO_LINK);
    const flags = Uint8Array.from(trieFlags);
    const depth = Int32Array.from(trieDepth);

    // Breadth-first: a state's fail target is shallower, so it is final when the state is reached.
    const queue = new Int32Array(stateCount);
    let head = 0;
    let tail = 0;
    for (const target of children[0]!.values()) queue[tail++] = target; // fail = root (0)
    while (head < tail) {
      const s = queue[head++]!;
      const f = fail[s]!;
      outputLink[s] = (flags[f]! & TERMINAL) !== 0 ? f : outputLink[f]!;
      for (let e = edgeStart[s]!; e < edgeStart[s + 1]!; e++) {
        const code = edgeChar[e]!;
        const child = edgeTarget[e]!;
        let g = f;
        let next = 0;
        for (;;) {
          const t = g === 0 ? rootNext[code]! : findEdge(edgeStart, edgeChar, edgeTarget, g, code);
          if (t > 0) {
            next = t;
            break;
          }
          if (g === 0) break;
          g = fail[g]!;
        }
        fail[child] = next;
        queue[tail++] = child;
      }
    }

    return new AhoCorasick({
      wordCount,
      maxWordLength,
      fold,
      rootNext,
      edgeStart,
      edgeChar,
      edgeTarget,
      fail,
      depth,
      flags,
      outputLink,
    });
  }

  /** Counts leftmost-longest non-overlapping matches in `text[start, end)`. */
  match(text: string, start = 0, end = text.length): MatchSummary {
    this.scan(text, start, end, null);
    return { count: this.scanCount, chars: this.scanChars };
  }

  /** The matches themselves as `[start, end)` pairs, for tests and debugging (allocates per match). */
  findAll(text: string, start = 0, end = text.length): Array<[number, number]> {
    const flat: number[] = [];
    this.scan(text, start, end, flat);
    const out: Array<[number, number]> = [];
    for (let k = 0; k < flat.length; k += 2) out.push([flat[k]!, flat[k + 1]!]);
    return out;
  }

  /**
   * The single pass. Leaves the totals in `scanCount`/`scanChars`; when `positions` is given, also
   * appends each accepted match's start and end to it.
   */
  private scan(text: string, start: number, end: number, positions: number[] | null): void {
    this.scanCount = 0;
    this.scanChars = 0;
    const from = Math.max(0, start);
    const to = Math.min(text.length, end);
    if (this.wordCount === 0 || to <= from) return;
    let count = 0;
    let chars = 0;
    const { rootNext, edgeStart, edgeChar, edgeTarget, fail, depth, flags, outputLink, ring, ringMask, fold } = this;
    const delay = ringMask; // a start position is settled once the scan is this far past it
    ring.fill(0);
    let cursor = from; // matches may not start before the end of the last accepted one
    let state = 0;
    // The last `delay` steps only settle the start positions still pending at the end of the text.
    for (let i = from; i < to + delay; i++) {
      if (i < to) {
        let code = text.charCodeAt(i);
        if (fold) {
          if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
          if (code >= 0x41 && code <= 0x5a) code += 0x20;
        }
        // Follow fail links until a transition exists (or we are back at the root).
        for (;;) {
          if (state === 0) {
            state = rootNext[code]!;
            break;
          }
          const t = findEdge(edgeStart, edgeChar, edgeTarget, state, code);
          if (t > 0) {
            state = t;
            break;
          }
          state = fail[state]!;
        }
        // Every word ending at i: remember, per start, the longest one that is valid.
        let out = (flags[state]! & TERMINAL) !== 0 ? state : outputLink[state]!;
        while (out > 0) {
          const len = depth[out]!;
          const s = i - len + 1;
          if (s >= cursor && s >= from) {
            let valid = true;
            const f = flags[out]!;
            if ((f & KATAKANA_ISOLATED) !== 0) {
              valid =
                (s === from || !isKatakanaUnit(text.charCodeAt(s - 1))) &&
                (i + 1 >= to || !isKatakanaUnit(text.charCodeAt(i + 1)));
            } else if ((f & ASCII_ISOLATED) !== 0) {
              valid =
                (s === from || !isAsciiAlnumUnit(text.charCodeAt(s - 1), fold)) &&
                (i + 1 >= to || !isAsciiAlnumUnit(text.charCodeAt(i + 1), fold));
            }
            if (valid && len > ring[s & ringMask]!) ring[s & ringMask] = len;
          }
          out = outputLink[out]!;
        }
      }
      // Settle the start position no word still being scanned can begin at.
      const p = i - delay;
      if (p >= from) {
        const len = ring[p & ringMask]!;
        if (len > 0) {
          ring[p & ringMask] = 0;
          if (p >= cursor) {
            count++;
            chars += len;
            cursor = p + len;
            if (positions !== null) positions.push(p, cursor);
          }
        }
      }
    }
    this.scanCount = count;
    this.scanChars = chars;
  }
}

/** Binary search of `code` in the sorted edges of `state`; 0 (the root, never a target) when absent. */
function findEdge(edgeStart: Int32Array, edgeChar: Uint16Array, edgeTarget: Int32Array, state: number, code: number): number {
  let lo = edgeStart[state]!;
  let hi = edgeStart[state + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = edgeChar[mid]!;
    if (c === code) return edgeTarget[mid]!;
    if (c < code) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** Reads a word list: one word per line, UTF-8; blank lines and surrounding whitespace are ignored (as HojiChar's `w.strip()`). */
export function parseWordList(content: string): string[] {
  const words: string[] = [];
  for (const line of content.split(/\r?\n/)) {
    const word = line.trim();
    if (word.length > 0) words.push(word);
  }
  return words;
}
