import { open, type FileHandle } from 'node:fs/promises';
import { AtomicFileHandle } from '@jcp/core';

/**
 * A bucket file: for each band, the band entries of a set of docs sorted by (key, file, ordinal), so a
 * band is deduplicated by a k-way merge of the files' sections with one read buffer per file.
 *
 *   header   8 bytes magic "JCPBKT01", u32 sections, u32 reserved,
 *            then per section: f64 byte offset, f64 entry count
 *   entry    u32 key hi, u32 key lo, u32 file (local to this bucket file's owner), u32 ordinal
 *
 * Section `bands` (the last) is the exact band: keyed by the exact-text key.
 */
const MAGIC = Buffer.from('JCPBKT01', 'latin1');
export const ENTRY_WORDS = 4;
export const ENTRY_BYTES = 16;

function headerBytes(sections: number): number {
  return 16 + 16 * sections;
}

/** Collects entries per section in memory (a task's docs: thousands, not millions) and writes them sorted. */
export class BucketBuilder {
  private readonly entries: Uint32Array[];
  private readonly counts: number[];

  constructor(readonly sections: number) {
    this.entries = Array.from({ length: sections }, () => new Uint32Array(ENTRY_WORDS * 1024));
    this.counts = new Array<number>(sections).fill(0);
  }

  add(section: number, hi: number, lo: number, file: number, ord: number): void {
    let arr = this.entries[section]!;
    const n = this.counts[section]!;
    if ((n + 1) * ENTRY_WORDS > arr.length) {
      const grown = new Uint32Array(arr.length * 2);
      grown.set(arr);
      this.entries[section] = arr = grown;
    }
    arr.set([hi, lo, file, ord], n * ENTRY_WORDS);
    this.counts[section] = n + 1;
  }

  /** Writes the sorted sections to `path` atomically. */
  async write(path: string): Promise<void> {
    const writer = await BucketFileWriter.create(path, this.sections);
    for (let s = 0; s < this.sections; s++) {
      const sorted = sortEntries(this.entries[s]!.subarray(0, this.counts[s]! * ENTRY_WORDS));
      await writer.beginSection(s);
      await writer.append(sorted);
    }
    await writer.close();
  }
}

/** Streams sections in order (each already sorted) into a temp file; the header is filled in on close, then renamed. */
export class BucketFileWriter {
  private pos: number;
  private readonly table: Array<{ offset: number; count: number }>;
  private current = -1;

  private constructor(
    private readonly file: AtomicFileHandle,
    private readonly sections: number,
  ) {
    this.pos = headerBytes(sections);
    this.table = Array.from({ length: sections }, () => ({ offset: this.pos, count: 0 }));
  }

  static async create(path: string, sections: number): Promise<BucketFileWriter> {
    return new BucketFileWriter(await AtomicFileHandle.open(path), sections);
  }

  async beginSection(section: number): Promise<void> {
    if (section <= this.current || section >= this.sections) throw new Error(`bucket sections must be written in order (${section} after ${this.current})`);
    for (let s = this.current + 1; s <= section; s++) this.table[s] = { offset: this.pos, count: 0 };
    this.current = section;
  }

  /** Appends entries (whole entries, in sorted order) to the current section. */
  async append(words: Uint32Array): Promise<void> {
    if (words.length === 0) return;
    const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
    await this.file.writeAt(bytes, this.pos);
    this.pos += bytes.length;
    this.table[this.current]!.count += words.length / ENTRY_WORDS;
  }

  async close(): Promise<void> {
    for (let s = this.current + 1; s < this.sections; s++) this.table[s] = { offset: this.pos, count: 0 };
    const header = Buffer.alloc(headerBytes(this.sections));
    MAGIC.copy(header, 0);
    header.writeUInt32LE(this.sections, 8);
    this.table.forEach((t, s) => {
      header.writeDoubleLE(t.offset, 16 + 16 * s);
      header.writeDoubleLE(t.count, 24 + 16 * s);
    });
    await this.file.writeAt(header, 0);
    await this.file.commit();
  }

  async abort(): Promise<void> {
    await this.file.abort();
  }
}

/** Sorts entries by (hi, lo, file, ord); returns a new array. */
export function sortEntries(words: Uint32Array): Uint32Array {
  const n = words.length / ENTRY_WORDS;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => compareAt(words, x * ENTRY_WORDS, words, y * ENTRY_WORDS));
  const out = new Uint32Array(words.length);
  for (let i = 0; i < n; i++) out.set(words.subarray(order[i]! * ENTRY_WORDS, order[i]! * ENTRY_WORDS + ENTRY_WORDS), i * ENTRY_WORDS);
  return out;
}

export function compareAt(a: Uint32Array, i: number, b: Uint32Array, j: number): number {
  for (let k = 0; k < ENTRY_WORDS; k++) {
    const d = a[i + k]! - b[j + k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Reads one section of a bucket file a chunk at a time: memory is `chunkEntries` × 16 bytes however
 * large the section is.
 */
/**
 * A bucket file opened once: its header and section table read, its handle shared by the readers of its
 * sections (a group merge reads all 18 sections of 900 files: one open each, not 18).
 */
export class BucketFileReader {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    /** Per section: byte offset and entry count. */
    private readonly table: Float64Array,
    /** Added to each entry's file number: maps the file's local numbering into the merge's. */
    readonly fileBase: number,
  ) {}

  static async open(path: string, fileBase: number): Promise<BucketFileReader> {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(16);
      await handle.read(head, 0, 16, 0);
      if (!head.subarray(0, 8).equals(MAGIC)) throw new Error(`${path}: not a bucket file`);
      const sections = head.readUInt32LE(8);
      const raw = Buffer.alloc(16 * sections);
      const { bytesRead } = await handle.read(raw, 0, raw.length, 16);
      if (bytesRead !== raw.length) throw new Error(`${path}: the section table ends early at byte ${16 + bytesRead}`);
      const table = new Float64Array(2 * sections);
      for (let k = 0; k < 2 * sections; k++) table[k] = raw.readDoubleLE(8 * k);
      return new BucketFileReader(path, handle, table, fileBase);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  get sections(): number {
    return this.table.length / 2;
  }

  /**
   * A reader of one section, positioned before its first entry, reading through this file's handle;
   * `closesFile`: closing the reader closes the file (a reader opened alone).
   */
  section(section: number, chunkEntries: number, closesFile = false): BucketSectionReader {
    if (section >= this.sections) throw new Error(`${this.path}: has ${this.sections} sections, no section ${section}`);
    const onClose = closesFile ? (): Promise<void> => this.close() : async (): Promise<void> => undefined;
    return new BucketSectionReader(this.path, this.handle, chunkEntries, this.fileBase, this.table[2 * section]!, this.table[2 * section + 1]!, onClose);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export class BucketSectionReader {
  private buf: Uint32Array = new Uint32Array(0);
  private at = 0;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly chunkEntries: number,
    /** Added to each entry's file number: maps the file's local numbering into the merge's. */
    readonly fileBase: number,
    private nextOffset: number,
    private remaining: number,
    /** Closes the file when the reader was opened alone; nothing when its `BucketFileReader` owns the handle. */
    private readonly onClose: () => Promise<void>,
  ) {}

  /** A reader of one section of the file at `path`, with a handle of its own. */
  static async open(path: string, section: number, chunkEntries: number, fileBase: number): Promise<BucketSectionReader> {
    const file = await BucketFileReader.open(path, fileBase);
    try {
      return file.section(section, chunkEntries, true);
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  /** The current entry's words at `this.words[this.index .. +4]`, or false at the end. */
  async next(): Promise<boolean> {
    return this.advance();
  }

  /**
   * `next` without a promise while the read chunk lasts: true or false at once, a promise only when the
   * next chunk must be read. The merge loop awaits once a chunk, not once an entry.
   */
  advance(): boolean | Promise<boolean> {
    this.at += ENTRY_WORDS;
    if (this.at < this.buf.length) return true;
    if (this.remaining === 0) return false;
    return this.refill();
  }

  private async refill(): Promise<boolean> {
    const n = Math.min(this.remaining, this.chunkEntries);
    const bytes = Buffer.alloc(n * ENTRY_BYTES);
    const { bytesRead } = await this.handle.read(bytes, 0, bytes.length, this.nextOffset);
    if (bytesRead !== bytes.length) throw new Error(`${this.path}: section ends early at byte ${this.nextOffset + bytesRead}`);
    this.buf = new Uint32Array(bytes.buffer, bytes.byteOffset, n * ENTRY_WORDS);
    this.nextOffset += bytes.length;
    this.remaining -= n;
    this.at = 0;
    return true;
  }

  get words(): Uint32Array {
    return this.buf;
  }

  get index(): number {
    return this.at;
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}

/** The number of sections a bucket file was written with (from its header). */
export async function bucketFileSections(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    await handle.read(head, 0, 16, 0);
    if (!head.subarray(0, 8).equals(MAGIC)) throw new Error(`${path}: not a bucket file`);
    return head.readUInt32LE(8);
  } finally {
    await handle.close();
  }
}
