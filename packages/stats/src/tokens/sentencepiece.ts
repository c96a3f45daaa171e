import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ByteTrie, DuplicateKeyError } from './byte-trie.ts';
import type { TokenEncoder } from './counter.ts';
import { ModelType, PieceType, SentencePieceModelError, parseSentencePieceModel, pieceText, type SentencePieceModel } from './sentencepiece-model.ts';

/**
 * SentencePiece unigram encoding in plain TypeScript, giving the ids of the C++ library's
 * `SentencePieceProcessor::Encode` (python `sp.encode(text)`: no BOS/EOS, no sampling). The steps are
 * the library's (normalizer.cc, unigram_model.cc `EncodeOptimized`, sentencepiece_processor.cc byte
 * fallback), over UTF-8 bytes as there, with its float/double score arithmetic so that ties break the
 * same way. docs/decisions.md says why this is ours and not the `sentencepiece-js` package.
 *
 * Supported: unigram models whose normalizer has no precompiled character map (LLM-jp's are `identity`),
 * with any of the whitespace options. Anything else is refused at load rather than counted wrongly.
 */
export class SentencePieceTokenizer implements TokenEncoder {
  readonly name: string;
  readonly vocabSize: number;
  private readonly trie: ByteTrie;
  private readonly scores: Float32Array;
  private readonly unkId: number;
  /** unigram_model.cc: `min_score() - kUnkPenalty` (10), in float32. */
  private readonly unkScore: number;
  /** Ids of `<0x00>`..`<0xFF>` (the unknown id where a byte piece is missing); null without byte fallback. */
  private readonly byteIds: Int32Array | null;
  private readonly addDummyPrefix: boolean;
  private readonly removeExtraWhitespaces: boolean;
  private readonly escapeWhitespaces: boolean;
  private readonly whitespaceAsSuffix: boolean;
  /** The whitespace mark as UTF-8: `▁` (U+2581) when escaping, else a space. */
  private readonly wsBytes: Uint8Array;

  // Scratch reused across calls (one tokenizer per worker): the normalized bytes and, per byte
  // position, the best path ending there (score, start, piece id). They grow to the longest text seen.
  private norm = new Uint8Array(0);
  private normAfterPrefix = new Uint8Array(0);
  private best = new Float32Array(0);
  private from = new Int32Array(0);
  private ids = new Int32Array(0);

  constructor(model: SentencePieceModel, path: string) {
    const refuse = (what: string): never => {
      throw new SentencePieceModelError(path, what, 'SentencePiece model not supported');
    };
    if (model.modelType !== ModelType.UNIGRAM) refuse(`model_type ${model.modelType} (only UNIGRAM = 1 is implemented)`);
    if (model.charsmapBytes > 0) refuse(`normalizer '${model.normalizerName}' with a precompiled_charsmap (only models without character rewriting are implemented)`);
    this.name = `sentencepiece:${basename(path)}`;
    this.vocabSize = model.types.length;
    this.scores = model.scores;
    this.addDummyPrefix = model.addDummyPrefix;
    this.removeExtraWhitespaces = model.removeExtraWhitespaces;
    this.escapeWhitespaces = model.escapeWhitespaces;
    this.whitespaceAsSuffix = model.treatWhitespaceAsSuffix;
    this.wsBytes = new TextEncoder().encode(model.escapeWhitespaces ? '\u2581' : ' ');

    let unkId = -1;
    let minScore = Infinity;
    const starts: number[] = [];
    const ends: number[] = [];
    const values: number[] = [];
    /** Control, unknown and byte pieces by text: the library looks `<0xXX>` up there first. */
    const reserved = new Map<string, number>();
    for (let id = 0; id < this.vocabSize; id++) {
      const type = model.types[id]!;
      if (type === PieceType.USER_DEFINED) refuse(`user-defined piece '${pieceText(model, id)}' (id ${id})`);
      if (type === PieceType.UNKNOWN) {
        if (unkId >= 0) throw new SentencePieceModelError(path, `two unknown pieces (ids ${unkId} and ${id})`);
        unkId = id;
      }
      // Only normal pieces are matched in text; unused ones are in the library's trie but skipped there.
      if (type === PieceType.NORMAL) {
        starts.push(model.pieceStart[id]!);
        ends.push(model.pieceEnd[id]!);
        values.push(id);
        minScore = Math.min(minScore, model.scores[id]!);
      } else if (type !== PieceType.UNUSED) reserved.set(pieceText(model, id), id);
    }
    if (unkId < 0) throw new SentencePieceModelError(path, 'no unknown (<unk>) piece');
    if (values.length === 0) throw new SentencePieceModelError(path, 'no normal pieces');
    this.unkId = unkId;
    this.unkScore = Math.fround(minScore - 10);
    try {
      this.trie = ByteTrie.build(model.data, starts, ends, values);
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
      throw new SentencePieceModelError(path, `piece '${pieceText(model, e.first)}' is defined twice (ids ${e.first} and ${e.second})`);
    }
    if (model.byteFallback) {
      this.byteIds = new Int32Array(256);
      const enc = new TextEncoder();
      for (let b = 0; b < 256; b++) {
        // sentencepiece_processor.cc ByteToPiece + PieceToId: `<0xXX>`, else the unknown id.
        const piece = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
        const id = reserved.get(piece) ?? this.trie.get(enc.encode(piece));
        this.byteIds[b] = id >= 0 ? id : unkId;
      }
    } else this.byteIds = null;
  }

  count(text: string): number {
    const n = this.segment(text);
    const { from, ids, byteIds, unkId } = this;
    let count = 0;
    for (let end = n; end > 0; ) {
      const start = from[end]!;
      // Byte fallback spells an unknown piece as one byte piece per UTF-8 byte.
      count += byteIds !== null && ids[end] === unkId ? end - start : 1;
      end = start;
    }
    return count;
  }

  encode(text: string): number[] {
    const n = this.segment(text);
    const { from, ids, byteIds, unkId, norm } = this;
    const out: number[] = [];
    for (let end = n; end > 0; ) {
      const start = from[end]!;
      const id = ids[end]!;
      if (byteIds !== null && id === unkId) for (let i = end - 1; i >= start; i--) out.push(byteIds[norm[i]!]!);
      else out.push(id);
      end = start;
    }
    return out.reverse();
  }

  /**
   * Normalizes `text` into `norm` and runs the Viterbi search over it; returns the normalized length
   * `n`. Afterwards the best path is read backwards from `n`: the piece ending at `end` starts at
   * `from[end]` and has id `ids[end]`.
   */
  private segment(text: string): number {
    const n = this.normalize(text);
    const { norm, best, from, ids, scores, unkId, unkScore } = this;
    const { base, check, value } = this.trie;
    from.fill(-1, 0, n + 1);
    best[0] = 0;
    for (let start = 0; start < n; ) {
      const till = best[start]!;
      const lead = norm[start]!;
      // string_util::OneCharLen: the length a UTF-8 lead byte announces (a stray continuation byte is 1).
      const charLen = Math.min(lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4, n - start);
      let hasSingleChar = false;
      let node = 0;
      for (let k = start; k < n; ) {
        const t = base[node]! + norm[k]!;
        if (check[t] !== node) break;
        node = t;
        k++;
        const id = value[node]!;
        if (id < 0) continue;
        // Ties are common (scores are float32), so the library's arithmetic matters: its piece score is
        // widened to double (a conditional with the user-defined bonus, `length * max_score_ - 0.1`, makes
        // it one), the sum is compared in double against the stored float, and the earlier start keeps
        // a tie. Storing into the Float32Array rounds as the library's float field does.
        const score = scores[id]! + till;
        if (from[k] === -1 || score > best[k]!) {
          best[k] = score;
          from[k] = start;
          ids[k] = id;
        }
        if (k - start === charLen) hasSingleChar = true;
      }
      if (!hasSingleChar) {
        const k = start + charLen;
        // Here both operands are float, so the sum is rounded to float before the comparison.
        const score = Math.fround(unkScore + till);
        if (from[k] === -1 || score > best[k]!) {
          best[k] = score;
          from[k] = start;
          ids[k] = unkId;
        }
      }
      start += charLen;
    }
    return n;
  }

  /** normalizer.cc `Normalize` for a model without a character map; returns the byte length. */
  private normalize(text: string): number {
    let s = text;
    if (this.removeExtraWhitespaces) {
      // Leading spaces go, runs of spaces become one (only U+0020: the library compares with " ").
      let i = 0;
      while (i < s.length && s.charCodeAt(i) === 0x20) i++;
      if (i > 0) s = s.slice(i);
      if (s.includes('  ')) s = s.replace(/ {2,}/g, ' ');
    }
    if (s.length === 0) return 0;
    if (this.escapeWhitespaces && s.includes(' ')) s = s.replaceAll(' ', '\u2581');
    // UTF-16 units take at most 3 UTF-8 bytes each (a pair takes 4 for 2 units); plus two marks.
    this.reserve(s.length * 3 + 2 * this.wsBytes.length);
    let n = 0;
    if (this.addDummyPrefix && !this.whitespaceAsSuffix) {
      this.norm.set(this.wsBytes, 0);
      n = this.wsBytes.length + encoder.encodeInto(s, this.normAfterPrefix).written;
    } else n = encoder.encodeInto(s, this.norm).written;
    if (this.removeExtraWhitespaces) {
      // Trailing marks go, the dummy prefix and literal `▁` characters included, as in the library.
      const w = this.wsBytes;
      while (n >= w.length && endsWith(this.norm, n, w)) n -= w.length;
    }
    if (this.addDummyPrefix && this.whitespaceAsSuffix) {
      this.norm.set(this.wsBytes, n);
      n += this.wsBytes.length;
    }
    return n;
  }

  private reserve(bytes: number): void {
    if (this.norm.length >= bytes) return;
    const size = Math.max(bytes, this.norm.length * 2, 4096);
    this.norm = new Uint8Array(size);
    this.normAfterPrefix = this.norm.subarray(this.wsBytes.length);
    this.best = new Float32Array(size + 1);
    this.from = new Int32Array(size + 1);
    this.ids = new Int32Array(size + 1);
  }
}

const encoder = new TextEncoder();

function endsWith(buf: Uint8Array, n: number, suffix: Uint8Array): boolean {
  for (let i = 0; i < suffix.length; i++) if (buf[n - suffix.length + i] !== suffix[i]) return false;
  return true;
}

/** Loads a `.model` file; the error names the path when it is missing or not a SentencePiece model. */
export async function loadSentencePiece(path: string): Promise<SentencePieceTokenizer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`SentencePiece model not found: ${path} (set JCP_TOKENIZER_MODEL or TokenCounterConfig.modelPath)`);
    if (code === 'EISDIR') throw new SentencePieceModelError(path, 'a directory, expected a .model file');
    throw e;
  }
  return new SentencePieceTokenizer(parseSentencePieceModel(bytes, path), path);
}
