import { open } from 'node:fs/promises';
import { BufferedFileWriter } from '@jcp/core';

/**
 * A band's verified duplicate pairs: records of (ref a, ref b, estimated Jaccard) as three f64, written
 * to a temp file and renamed when the band is complete.
 */
const RECORD_WORDS = 3;
const FLUSH_RECORDS = 8192;
const RECORD_BYTES = RECORD_WORDS * 8;

export interface DuplicatePair {
  a: number;
  b: number;
  similarity: number;
}

export class PairsFileWriter {
  count = 0;

  private constructor(private readonly out: BufferedFileWriter) {}

  static async create(path: string): Promise<PairsFileWriter> {
    return new PairsFileWriter(await BufferedFileWriter.open(path, RECORD_BYTES * FLUSH_RECORDS));
  }

  async add(a: number, b: number, similarity: number): Promise<void> {
    const record = await this.out.next(RECORD_BYTES);
    // Little-endian f64, as readPairsFile's Float64Array reads them on every platform Node runs on.
    record.writeDoubleLE(a, 0);
    record.writeDoubleLE(b, 8);
    record.writeDoubleLE(similarity, 16);
    this.count++;
  }

  async close(): Promise<void> {
    await this.out.close();
  }

  async abort(): Promise<void> {
    await this.out.abort();
  }
}

/** How many pairs a pairs file holds, from its size. */
export async function pairsFileCount(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size % RECORD_BYTES !== 0) throw new Error(`${path}: ${size} bytes is not a whole number of pair records`);
    return size / RECORD_BYTES;
  } finally {
    await handle.close();
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
