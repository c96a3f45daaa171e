import { open, type FileHandle } from 'node:fs/promises';

/**
 * A sliding window over a file: the reader asks for "at least n bytes from here" and the window reads
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

  private constructor(
    private readonly fh: FileHandle,
    initialSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  static async open(path: string, initialSize: number): Promise<ByteWindow> {
    return new ByteWindow(await open(path, 'r'), initialSize);
  }

  async close(): Promise<void> {
    await this.fh.close();
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
      const { bytesRead } = await this.fh.read(this.buf, this.len, this.buf.length - this.len, this.base + this.len);
      if (bytesRead === 0) {
        this.eof = true;
        break;
      }
      this.len += bytesRead;
      if (this.len >= pos - this.base + n) break;
    }
  }
}
