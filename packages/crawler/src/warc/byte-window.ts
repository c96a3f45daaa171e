import { open, type FileHandle } from 'node:fs/promises';

/**
 * Where a ByteWindow gets its bytes: a local file, or a stream such as an HTTP download. The window
 * only ever reads forward, each read starting at the byte after the previous one, so a source may be
 * a one-pass stream.
 */
export interface ByteSource {
  /** Reads up to `length` bytes into `buf` at `offset`, from source byte `position`; 0 means the end. */
  read(buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A source that could not deliver its bytes (a download that failed for good). The reader turns it into
 * one InputError under `reason` at `offset` and ends, instead of throwing.
 */
export class ByteSourceError extends Error {
  constructor(
    readonly reason: string,
    /** Bytes delivered before the failure: where the source stopped. */
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${reason} @${offset}: ${detail}`);
    this.name = 'ByteSourceError';
  }
}

/** A local file read with positioned reads. */
export class FileByteSource implements ByteSource {
  private constructor(private readonly fh: FileHandle) {}

  static async open(path: string): Promise<FileByteSource> {
    return new FileByteSource(await open(path, 'r'));
  }

  async read(buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    return (await this.fh.read(buf, offset, length, position)).bytesRead;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/**
 * A sliding window over a file or stream: the reader asks for "at least n bytes from here" and the window reads
 * more (growing only when one item is larger than the window), so memory is bounded by the largest
 * record, never by the file.
 */
export class ByteWindow {
  private buf: Buffer;
  /** File offset of buf[0]. */
  private base = 0;
  /** Valid bytes in buf. */
  private len = 0;
  private eof = false;

  constructor(
    private readonly source: ByteSource,
    initialSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  static async open(path: string, initialSize: number): Promise<ByteWindow> {
    return new ByteWindow(await FileByteSource.open(path), initialSize);
  }

  async close(): Promise<void> {
    await this.source.close();
  }

  /** True when the file has been read to its end. */
  get atEof(): boolean {
    return this.eof;
  }

  /**
   * Returns a view of at least `n` bytes starting at file offset `pos` (fewer only at end of file).
   * The view is valid until the next call.
   */
  async view(pos: number, n: number): Promise<Buffer> {
    if (pos < this.base) throw new Error(`ByteWindow cannot seek backwards (${pos} < ${this.base})`);
    if (pos + n > this.base + this.len && !this.eof) await this.fill(pos, n);
    const from = pos - this.base;
    return this.buf.subarray(from, this.len);
  }

  /** Bytes available from `pos` without reading (for "read more and retry" loops). */
  available(pos: number): number {
    return Math.max(0, this.base + this.len - pos);
  }

  private async fill(pos: number, n: number): Promise<void> {
    // Drop everything before pos, then grow if one item needs more than the buffer holds.
    const keepFrom = Math.min(pos - this.base, this.len);
    const kept = this.len - keepFrom;
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, keepFrom, this.len);
      this.buf = bigger;
    } else if (keepFrom > 0) {
      this.buf.copy(this.buf, 0, keepFrom, this.len);
    }
    this.base += keepFrom;
    this.len = kept;
    while (this.len < this.buf.length) {
      const bytesRead = await this.source.read(this.buf, this.len, this.buf.length - this.len, this.base + this.len);
      if (bytesRead === 0) {
        this.eof = true;
        break;
      }
      this.len += bytesRead;
      if (this.len >= pos - this.base + n) break;
    }
  }
}
