import { InflateRaw, constants } from 'node:zlib';
import { openWholeMemberGunzip, type WholeMemberGunzip } from './libdeflate.ts';

/**
 * The native zlib handle behind a `zlib.InflateRaw` stream, driven synchronously. Node has no public
 * synchronous API that keeps one inflate state across calls: `inflateRawSync` and the stream's
 * `_processChunk` both close the handle after one input, so each gzip member of a WARC paid for a new
 * zlib state (~30-40 µs) and a fresh list of 16 KiB output chunks (docs/decisions.md, "Process stage per
 * core"). These members of the handle are what Node's own `processChunkSync` (lib/zlib.js) uses; they are
 * not a documented API, so `openNativeInflate` checks their shape and fails loudly if a Node release
 * changes them (`member-inflater.test.ts` runs that check on every Node the project is tested on).
 */
interface NativeInflate {
  /** Inflates `inLen` bytes of `input` from `inOff` into `out` from `outOff`; results land in `writeState`. */
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  /** inflateReset: the state is ready for a new deflate stream, its window reused. */
  reset(): void;
  close(): void;
  /** Called synchronously from `writeSync` when zlib reports an error (replaces Node's stream handler). */
  onerror: (message: string, errno: number, code: string) => void;
}

interface InflateRawInternals {
  _handle?: unknown;
  _writeState?: unknown;
}

interface NativeError {
  message: string;
  code: string;
}

export class ZlibInternalsChanged extends Error {
  constructor(what: string) {
    super(`this Node release (${process.version}) changed zlib's internals the WARC reader drives: ${what} (see packages/crawler/src/warc/member-inflater.ts)`);
    this.name = 'ZlibInternalsChanged';
  }
}

function openNativeInflate(): { handle: NativeInflate; state: Uint32Array } {
  const engine = new InflateRaw() as unknown as InflateRawInternals;
  const handle = engine._handle as Partial<NativeInflate> | null | undefined;
  const state = engine._writeState;
  if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || typeof handle.close !== 'function') {
    throw new ZlibInternalsChanged('InflateRaw#_handle has no writeSync/reset/close');
  }
  if (!(state instanceof Uint32Array) || state.length < 2) throw new ZlibInternalsChanged('InflateRaw#_writeState is not a Uint32Array [availOut, availIn]');
  return { handle: handle as NativeInflate, state };
}

export type RawInflateOutcome =
  /** The deflate stream ended: `output` holds all of it, `consumed` compressed bytes were used. */
  | { kind: 'done'; output: Buffer; consumed: number }
  /** The input ran out before the deflate stream ended. */
  | { kind: 'need-more' }
  | { kind: 'too-large' }
  | { kind: 'error'; message: string };

/** Output buffer to start with: most WARC records inflate to less (Common Crawl pages ~10-100 KB). */
const INITIAL_OUTPUT_BYTES = 256 * 1024;

/**
 * What a member's output is: `copied` out at its size (valid for good), or `reused`, a view of the
 * inflater's own buffer valid only until the next call to `inflate` (no allocation or copy per member).
 */
export type InflateOutput = 'copied' | 'reused';

/**
 * One raw-deflate inflater reused for every member of a file: a zlib state reset between members (its
 * 32 KiB window is kept), and one output buffer that only grows (to the largest member, at most the
 * reader's record limit). Where libdeflate is installed, `gunzipWhole` decodes a whole member first and
 * zlib takes only what it leaves (libdeflate.ts).
 */
export class MemberInflater {
  private native: { handle: NativeInflate; state: Uint32Array } | null = null;
  /** undefined: not opened yet; null: libdeflate not loaded (or turned off), zlib alone. */
  private whole: WholeMemberGunzip | null | undefined;
  private out: Buffer = Buffer.allocUnsafe(INITIAL_OUTPUT_BYTES);
  private failure: NativeError | null = null;

  constructor(private readonly output: InflateOutput = 'copied') {}

  /** The library that decodes whole members: `libdeflate (...)`, or `zlib`. */
  get engine(): string {
    return this.openWhole()?.name ?? 'zlib';
  }

  /**
   * The gzip member at the start of `input`, header to trailer, decoded by libdeflate in one call (its
   * CRC-32 and size checked), producing at most `maxOutputBytes`; `consumed` includes the trailer. Null
   * when libdeflate is not loaded or leaves the member to `inflate` (cut short, corrupt, too large), so
   * that zlib's path gives the outcome and its message.
   */
  gunzipWhole(input: Uint8Array, maxOutputBytes: number): { output: Buffer; consumed: number } | null {
    const whole = this.openWhole();
    if (!whole) return null;
    for (;;) {
      const room = Math.min(this.out.length, maxOutputBytes);
      const outcome = whole.gunzip(input, this.out, room);
      if (outcome.kind === 'done') {
        const inflated = this.out.subarray(0, outcome.produced);
        return { output: this.output === 'copied' ? Buffer.from(inflated) : inflated, consumed: outcome.consumed };
      }
      if (outcome.kind === 'unknown' || room >= maxOutputBytes) return null;
      // libdeflate cannot resume: the member is decoded again into a buffer twice the size (the buffer
      // only grows, so this happens a few times per file at most).
      this.out = Buffer.allocUnsafe(Math.min(this.out.length * 2, maxOutputBytes));
    }
  }

  /**
   * Inflates the raw deflate stream at `input[from..]`, producing at most `maxOutputBytes`. The stream's
   * end is where zlib stops with input left over (a gzip member always has its 8-byte trailer after it).
   */
  inflate(input: Uint8Array, from: number, maxOutputBytes: number): RawInflateOutcome {
    const native = this.open();
    const { handle, state } = native;
    handle.reset();
    let inOff = from;
    let availIn = input.length - from;
    let produced = 0;
    for (;;) {
      const room = Math.min(this.out.length, maxOutputBytes + 1) - produced;
      handle.writeSync(constants.Z_NO_FLUSH, input, inOff, availIn, this.out, produced, room);
      const failure = this.takeFailure();
      if (failure) return { kind: 'error', message: failure.message };
      const availOut = state[0]!;
      const availInAfter = state[1]!;
      inOff += availIn - availInAfter;
      availIn = availInAfter;
      produced += room - availOut;
      if (produced > maxOutputBytes) return { kind: 'too-large' };
      if (availOut === 0) {
        // Output full: grow and go on (zlib answers at once, with nothing more, if the stream had just ended).
        if (produced === this.out.length) this.grow(Math.min(this.out.length * 2, maxOutputBytes + 1));
        continue;
      }
      // zlib stops with output room left only at the stream's end or when the input is used up.
      if (availIn === 0) return { kind: 'need-more' };
      const inflated = this.out.subarray(0, produced);
      return { kind: 'done', output: this.output === 'copied' ? Buffer.from(inflated) : inflated, consumed: inOff - from };
    }
  }

  close(): void {
    this.native?.handle.close();
    this.native = null;
    this.whole?.close();
    this.whole = null;
  }

  private openWhole(): WholeMemberGunzip | null {
    if (this.whole === undefined) this.whole = openWholeMemberGunzip();
    return this.whole;
  }

  private open(): { handle: NativeInflate; state: Uint32Array } {
    if (this.native) return this.native;
    const native = openNativeInflate();
    // Our own handler: the stream's would destroy the engine (closing the handle) and emit 'error' later.
    native.handle.onerror = (message, _errno, code) => {
      this.failure = { message, code };
    };
    this.native = native;
    return native;
  }

  /** The error zlib reported during the last `writeSync` (through `onerror`), cleared for the next. */
  private takeFailure(): NativeError | null {
    const failure = this.failure;
    this.failure = null;
    return failure;
  }

  private grow(size: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(size, this.out.length + 1));
    this.out.copy(bigger, 0, 0, this.out.length);
    this.out = bigger;
  }
}
