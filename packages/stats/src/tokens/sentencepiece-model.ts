/**
 * Reads a SentencePiece `.model` file (a serialized `ModelProto`, sentencepiece_model.proto) into the
 * few fields encoding needs. Field numbers and defaults are the proto's; a hand-written reader keeps
 * protobuf out of the dependencies (the file has three message types we read and ~100k small pieces).
 */

/** `ModelProto.SentencePiece.Type`. */
export const PieceType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

/** `TrainerSpec.ModelType`. */
export const ModelType = { UNIGRAM: 1, BPE: 2, WORD: 3, CHAR: 4 } as const;

export interface SentencePieceModel {
  /** The file's bytes; piece `id` is the UTF-8 `data[pieceStart[id]..pieceEnd[id])`. */
  data: Uint8Array;
  pieceStart: Uint32Array;
  pieceEnd: Uint32Array;
  /** Piece scores by id, as float32 like the C++ model stores them (ties depend on it). */
  scores: Float32Array;
  /** `PieceType` by id. */
  types: Uint8Array;
  /** `TrainerSpec.model_type`; default UNIGRAM. */
  modelType: number;
  /** `TrainerSpec.byte_fallback`: unknown characters become `<0xXX>` byte pieces. */
  byteFallback: boolean;
  /** `TrainerSpec.treat_whitespace_as_suffix`. */
  treatWhitespaceAsSuffix: boolean;
  /** `NormalizerSpec.name` (e.g. `identity`, `nmt_nfkc`). */
  normalizerName: string;
  /** Bytes of `NormalizerSpec.precompiled_charsmap`; 0 means no character rewriting. */
  charsmapBytes: number;
  /** `NormalizerSpec.add_dummy_prefix`; proto default true. */
  addDummyPrefix: boolean;
  /** `NormalizerSpec.remove_extra_whitespaces`; proto default true. */
  removeExtraWhitespaces: boolean;
  /** `NormalizerSpec.escape_whitespaces`; proto default true. */
  escapeWhitespaces: boolean;
}

/** A `.model` file that is not a readable `ModelProto`, or one that asks for what we do not implement. */
export class SentencePieceModelError extends Error {
  constructor(
    readonly path: string,
    detail: string,
    headline = 'not a SentencePiece model',
  ) {
    super(`${headline}: ${path}: ${detail}`);
    this.name = 'SentencePieceModelError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// ignoreBOM: a piece may be U+FEFF itself (LLM-jp ver3.1 id 31764), which the default decoder would strip.
const pieceDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Piece `id` as text, for messages and lookups (encoding works on the bytes). */
export function pieceText(model: SentencePieceModel, id: number): string {
  return pieceDecoder.decode(model.data.subarray(model.pieceStart[id], model.pieceEnd[id]));
}

/**
 * Protobuf wire reader over one message's bytes. `next()` returns the field number (0 at the end) and
 * leaves the value for one of the typed getters; the wire type is checked against what the getter reads.
 */
class Wire {
  pos: number;
  end: number;
  wireType = 0;

  constructor(
    private readonly buf: Uint8Array,
    private readonly view: DataView,
    private readonly path: string,
    start: number,
    end: number,
  ) {
    this.pos = start;
    this.end = end;
  }

  /** The same reader over another range of the buffer (one reader serves ~100k pieces). */
  reset(start: number, end: number): this {
    this.pos = start;
    this.end = end;
    return this;
  }

  fail(detail: string): never {
    throw new SentencePieceModelError(this.path, `${detail} at byte ${this.pos}`);
  }

  /** Reads a varint as a JS number (exact below 2^53; larger values only matter as "non-zero"). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    return this.fail('varint longer than 10 bytes');
  }

  next(): number {
    if (this.pos >= this.end) return 0;
    const key = this.varint();
    const field = Math.floor(key / 8);
    this.wireType = key & 7;
    if (field === 0) this.fail('field number 0');
    if (this.wireType !== 0 && this.wireType !== 1 && this.wireType !== 2 && this.wireType !== 5)
      this.fail(`wire type ${this.wireType} (field ${field})`);
    return field;
  }

  private expect(wireType: number, what: string): void {
    if (this.wireType !== wireType) this.fail(`${what} with wire type ${this.wireType}, expected ${wireType}`);
  }

  /** Start and end of a length-delimited value (sub-message, string, bytes). */
  span(what: string): [number, number] {
    this.expect(2, what);
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) this.fail(`${what} of ${len} bytes runs past its message`);
    this.pos = start + len;
    return [start, start + len];
  }

  string(what: string): string {
    const [s, e] = this.span(what);
    try {
      return utf8.decode(this.buf.subarray(s, e));
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }

  bool(what: string): boolean {
    this.expect(0, what);
    return this.varint() !== 0;
  }

  enumValue(what: string): number {
    this.expect(0, what);
    return this.varint();
  }

  float(what: string): number {
    this.expect(5, what);
    if (this.pos + 4 > this.end) this.fail(`truncated ${what}`);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  skip(): void {
    switch (this.wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.pos + 8 > this.end) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case 2:
        this.span('field');
        return;
      case 5:
        if (this.pos + 4 > this.end) this.fail('truncated fixed32');
        this.pos += 4;
        return;
    }
  }
}

/**
 * Parses `ModelProto` bytes. `path` only names the file in errors. A sub-message that occurs twice is
 * merged field by field, as protobuf parsers do.
 */
export function parseSentencePieceModel(bytes: Uint8Array, path: string): SentencePieceModel {
  const model: SentencePieceModel = {
    data: bytes,
    pieceStart: new Uint32Array(0),
    pieceEnd: new Uint32Array(0),
    scores: new Float32Array(0),
    types: new Uint8Array(0),
    modelType: ModelType.UNIGRAM,
    byteFallback: false,
    treatWhitespaceAsSuffix: false,
    normalizerName: '',
    charsmapBytes: 0,
    addDummyPrefix: true,
    removeExtraWhitespaces: true,
    escapeWhitespaces: true,
  };
  const starts: number[] = [];
  const ends: number[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top = new Wire(bytes, view, path, 0, bytes.length);
  const w: Wire = new Wire(bytes, view, path, 0, 0);
  for (let f = top.next(); f !== 0; f = top.next()) {
    if (f === 1) {
      // ModelProto.pieces: { piece = 1; score = 2; type = 3 [default NORMAL] }
      const [s, e] = top.span('piece');
      w.reset(s, e);
      let pieceStart = -1;
      let pieceEnd = -1;
      let score = 0;
      let type: number = PieceType.NORMAL;
      for (let g = w.next(); g !== 0; g = w.next()) {
        if (g === 1) [pieceStart, pieceEnd] = w.span('piece string');
        else if (g === 2) score = w.float('piece score');
        else if (g === 3) type = w.enumValue('piece type');
        else w.skip();
      }
      // Not checked for valid UTF-8, as the library does not check: such a piece is matched as bytes.
      if (pieceStart === pieceEnd) w.fail(`piece ${starts.length} has no string`);
      if (type < PieceType.NORMAL || type > PieceType.BYTE) w.fail(`piece ${starts.length} has unknown type ${type}`);
      starts.push(pieceStart);
      ends.push(pieceEnd);
      scores.push(score);
      types.push(type);
    } else if (f === 2) {
      // TrainerSpec: model_type = 3, treat_whitespace_as_suffix = 24, byte_fallback = 35.
      const [s, e] = top.span('trainer_spec');
      w.reset(s, e);
      for (let g = w.next(); g !== 0; g = w.next()) {
        if (g === 3) model.modelType = w.enumValue('model_type');
        else if (g === 24) model.treatWhitespaceAsSuffix = w.bool('treat_whitespace_as_suffix');
        else if (g === 35) model.byteFallback = w.bool('byte_fallback');
        else w.skip();
      }
    } else if (f === 3) {
      // NormalizerSpec: name = 1, precompiled_charsmap = 2, add_dummy_prefix = 3,
      // remove_extra_whitespaces = 4, escape_whitespaces = 5.
      const [s, e] = top.span('normalizer_spec');
      w.reset(s, e);
      for (let g = w.next(); g !== 0; g = w.next()) {
        if (g === 1) model.normalizerName = w.string('normalizer name');
        else if (g === 2) {
          const [cs, ce] = w.span('precompiled_charsmap');
          model.charsmapBytes = ce - cs;
        } else if (g === 3) model.addDummyPrefix = w.bool('add_dummy_prefix');
        else if (g === 4) model.removeExtraWhitespaces = w.bool('remove_extra_whitespaces');
        else if (g === 5) model.escapeWhitespaces = w.bool('escape_whitespaces');
        else w.skip();
      }
    } else top.skip();
  }
  if (starts.length === 0) throw new SentencePieceModelError(path, 'no pieces');
  model.pieceStart = Uint32Array.from(starts);
  model.pieceEnd = Uint32Array.from(ends);
  model.scores = Float32Array.from(scores);
  model.types = Uint8Array.from(types);
  return model;
}
