import { open } from 'node:fs/promises';
import { AtomicFileHandle } from '@jcp/core';

/**
 * A band's verified duplicate pairs: records of (ref a, ref b, estimated Jaccard) as three f64, written
 * to a temp file and renamed when the band is complete.
 */
const RECORD_WORDS = 3;
const FLUSH_RECORDS = 8192;

export interface DuplicatePair {
  a: number;
  b: number;
  similarity: number;
}

export class PairsFileWriter {
  private buf = new Float64Array(RECORD_WORDS * FLUSH_RECORDS);
  private n = 0;
  private pos = 0;
  count = 0;

  private constructor(private readonly file: AtomicFileHandle) {}

  static async create(path: string): Promise<PairsFileWriter> {
    return new PairsFileWriter(await AtomicFileHandle.open(path));
  }

  async add(a: number, b: number, similarity: number): Promise<void> {
    this.buf.set([a, b, similarity], this.n * RECORD_WORDS);
    this.n++;
    this.count++;
    if (this.n === FLUSH_RECORDS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.n === 0) return;
    const bytes = Buffer.from(this.buf.buffer, 0, this.n * RECORD_WORDS * 8);
    await this.file.handle.write(bytes, 0, bytes.length, this.pos);
    this.pos += bytes.length;
    this.n = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.commit();
  }

  async abort(): Promise<void> {
    await this.file.abort();
  }
}

/** Streams a pairs file in chunks of at most `chunkRecords` pairs. */
export async function* readPairsFile(path: string, chunkRecords = 65536): AsyncGenerator<DuplicatePair> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size % (RECORD_WORDS * 8) !== 0) throw new Error(`${path}: ${size} bytes is not a whole number of pair records`);
    const buf = Buffer.alloc(chunkRecords * RECORD_WORDS * 8);
    for (let pos = 0; pos < size; ) {
      // Whole records only: a read may return less than asked (network file systems), so fill the chunk.
      const want = Math.min(buf.length, size - pos);
      let filled = 0;
      while (filled < want) {
        const { bytesRead } = await handle.read(buf, filled, want - filled, pos + filled);
        if (bytesRead === 0) throw new Error(`${path}: ends early at byte ${pos + filled}`);
        filled += bytesRead;
      }
      const bytesRead = filled;
      const words = new Float64Array(buf.buffer, buf.byteOffset, bytesRead / 8);
      for (let i = 0; i < words.length; i += RECORD_WORDS) yield { a: words[i]!, b: words[i + 1]!, similarity: words[i + 2]! };
      pos += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
