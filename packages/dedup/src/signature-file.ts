import { open, type FileHandle } from 'node:fs/promises';
import { BufferedFileWriter } from '@jcp/core';
import { refFile, refOrd } from './doc-ref.ts';
import { SIGNATURE_SCHEME } from './minhash.ts';

/**
 * A task's signature file: one fixed-size record per document, in the order the task wrote the docs
 * (a doc's ordinal is its row number across the task's shards). Fixed size, so the clustering reads any
 * doc's record with one positioned read instead of holding the corpus in memory.
 *
 *   header   8 bytes magic "JCPSIG02", u32 numPerm, u32 reserved
 *   record   16 bytes doc id (the doc's 32-hex-digit id), 8 bytes exact-text key, f64 fetch time (ms, NaN if unknown),
 *            u32 characters, u32 flags, numPerm × u32 MinHash signature
 */
const MAGIC = Buffer.from('JCPSIG02', 'latin1');
/**
 * Format 01 held per-permutation MinHash signatures; format 02 holds one-permutation hashing with
 * optimal densification (minhash.ts). Same layout, but the values of one never match the other's.
 */
const MAGIC_V1 = Buffer.from('JCPSIG01', 'latin1');
export const SIGNATURE_HEADER_BYTES = 16;
const META_BYTES = 40;
/** Flag: text shorter than one shingle, in the exact band only. */
export const FLAG_NO_BANDS = 1;

/** Why a format-01 file is refused, and what to do. */
export const STALE_SIGNATURES =
  `signatures made by the earlier per-permutation MinHash (format JCPSIG01); this version makes ${SIGNATURE_SCHEME} signatures (JCPSIG02), ` +
  'which never match them: start a fresh dedup index (--dedup-index <new folder>, or remove the old one) and redo runs made before this version in a new --out folder';

export interface DocMeta {
  /** 32 hex characters (128 bits, as `Doc.id`). */
  id: string;
  /** 16 hex characters: the first 8 bytes of the exact-text key. */
  exactKey: string;
  fetchedAtMs: number;
  chars: number;
  flags: number;
}

export function signatureRecordBytes(numPerm: number): number {
  return META_BYTES + 4 * numPerm;
}

/** Streams records into a temp file and renames it on `close()`, so a killed task leaves no half file under the real name. */
export class SignatureFileWriter {
  private count = 0;
  private readonly recordBytes: number;

  private constructor(
    private readonly out: BufferedFileWriter,
    private readonly numPerm: number,
  ) {
    this.recordBytes = signatureRecordBytes(numPerm);
  }

  static async create(path: string, numPerm: number): Promise<SignatureFileWriter> {
    const out = await BufferedFileWriter.open(path, Math.max(SIGNATURE_HEADER_BYTES, signatureRecordBytes(numPerm) * 256));
    const header = await out.next(SIGNATURE_HEADER_BYTES);
    header.fill(0);
    MAGIC.copy(header, 0);
    header.writeUInt32LE(numPerm, 8);
    return new SignatureFileWriter(out, numPerm);
  }

  /** Appends one doc's record; returns its ordinal. */
  async append(meta: DocMeta, signature: Uint32Array): Promise<number> {
    if (signature.length !== this.numPerm) throw new Error(`signature has ${signature.length} values, file holds ${this.numPerm}`);
    encodeRecord(await this.out.next(this.recordBytes), meta, signature);
    return this.count++;
  }

  get docs(): number {
    return this.count;
  }

  async close(): Promise<void> {
    await this.out.close();
  }

  /** Closes and removes the temp file (the task failed). */
  async abort(): Promise<void> {
    await this.out.abort();
  }
}

function encodeRecord(out: Buffer, meta: DocMeta, signature: Uint32Array): void {
  if (!/^[0-9a-f]{32}$/.test(meta.id)) throw new Error(`doc id ${JSON.stringify(meta.id)} is not 32 hex characters`);
  out.write(meta.id, 0, 16, 'hex');
  out.write(meta.exactKey.slice(0, 16), 16, 8, 'hex');
  out.writeDoubleLE(meta.fetchedAtMs, 24);
  out.writeUInt32LE(meta.chars, 32);
  out.writeUInt32LE(meta.flags, 36);
  for (let k = 0; k < signature.length; k++) out.writeUInt32LE(signature[k]!, META_BYTES + 4 * k);
}

function decodeMeta(b: Buffer): DocMeta {
  return {
    id: b.toString('hex', 0, 16),
    exactKey: b.toString('hex', 16, 24),
    fetchedAtMs: b.readDoubleLE(24),
    chars: b.readUInt32LE(32),
    flags: b.readUInt32LE(36),
  };
}

/** One doc's record: its meta and its signature. */
export interface SignatureRecord {
  meta: DocMeta;
  sig: Uint32Array;
}

/**
 * Records this close in a file are read together with the ones between (in `records`): 16 records of
 * 552 bytes (128 values) is 8.8 KB, less than the cost of a second read.
 */
const COALESCE_GAP_RECORDS = 16;
/** The largest single read of a sorted pass: bounds the buffer, not the batch. */
const MAX_SPAN_BYTES = 1 << 20;

/**
 * Positioned reads of records from many signature files, with a bounded number of open handles (a run
 * has one file per WARC; the persistent index one per WARC of every earlier run).
 */
export class SignatureStore {
  /** Open handles in least-recently-used order (Map order), each with the reads using it right now. */
  private readonly handles = new Map<number, { fh: Promise<FileHandle>; inUse: number }>();

  constructor(
    /** File number → path. */
    private readonly pathOf: (file: number) => string,
    private readonly numPerm: number,
    private readonly maxOpen = 256,
  ) {}

  /** A handle for `file`, pinned until `release(file)`: a handle in use is never closed under a read. */
  private async acquire(file: number): Promise<FileHandle> {
    let entry = this.handles.get(file);
    if (entry) {
      // Re-insert: Map order is the LRU order.
      this.handles.delete(file);
    } else {
      await this.evictIdle();
      const path = this.pathOf(file);
      const fh = open(path, 'r').then(async (h) => {
        const header = Buffer.alloc(SIGNATURE_HEADER_BYTES);
        await h.read(header, 0, header.length, 0);
        const numPerm = header.readUInt32LE(8);
        const problem = header.subarray(0, 8).equals(MAGIC_V1)
          ? STALE_SIGNATURES
          : !header.subarray(0, 8).equals(MAGIC)
          ? 'not a signature file'
          : numPerm !== this.numPerm
            ? `signatures of ${numPerm} values, this dedup uses ${this.numPerm}`
            : null;
        if (problem) {
          await h.close();
          throw new Error(`${path}: ${problem}`);
        }
        return h;
      });
      entry = { fh, inUse: 0 };
    }
    entry.inUse++;
    this.handles.set(file, entry);
    try {
      return await entry.fh;
    } catch (e) {
      // A file that failed to open is not kept: the next read tries again and reports again.
      this.handles.delete(file);
      throw e;
    }
  }

  private release(file: number): void {
    const entry = this.handles.get(file);
    if (entry) entry.inUse--;
  }

  /** Closes least recently used idle handles down to `maxOpen - 1`; handles in use stay open (the bound is exceeded only while they are). */
  private async evictIdle(): Promise<void> {
    for (const [file, entry] of this.handles) {
      if (this.handles.size < this.maxOpen) return;
      if (entry.inUse > 0) continue;
      this.handles.delete(file);
      await (await entry.fh.catch(() => null))?.close();
    }
  }

  private async read(file: number, ord: number, bytes: number, what = `record ${ord}`): Promise<Buffer> {
    const fh = await this.acquire(file);
    try {
      const b = Buffer.alloc(bytes);
      const at = SIGNATURE_HEADER_BYTES + ord * signatureRecordBytes(this.numPerm);
      const { bytesRead } = await fh.read(b, 0, bytes, at);
      if (bytesRead !== bytes) throw new Error(`${this.pathOf(file)}: no ${what} (file ends at byte ${at + bytesRead})`);
      return b;
    } finally {
      this.release(file);
    }
  }

  async meta(file: number, ord: number): Promise<DocMeta> {
    return decodeMeta(await this.read(file, ord, META_BYTES));
  }

  async signature(file: number, ord: number): Promise<Uint32Array> {
    return this.decodeSignature(await this.read(file, ord, signatureRecordBytes(this.numPerm)), 0);
  }

  /**
   * The records of many docs, for a sorted pass: read file by file in ascending order, records at most
   * `COALESCE_GAP_RECORDS` apart in one read of the span between them (a read costs a thread-pool round
   * trip, ~50 µs measured, whatever its size up to some KiB). Same values as `meta` and `signature`.
   */
  async records(refs: Iterable<number>): Promise<Map<number, SignatureRecord>> {
    const sorted = Float64Array.from(new Set(refs)).sort();
    const out = new Map<number, SignatureRecord>();
    const recordBytes = signatureRecordBytes(this.numPerm);
    const maxSpan = Math.max(1, Math.floor(MAX_SPAN_BYTES / recordBytes));
    for (let i = 0; i < sorted.length; ) {
      const file = refFile(sorted[i]!);
      const first = refOrd(sorted[i]!);
      let j = i + 1;
      while (j < sorted.length && refFile(sorted[j]!) === file && refOrd(sorted[j]!) - refOrd(sorted[j - 1]!) <= COALESCE_GAP_RECORDS && refOrd(sorted[j]!) - first < maxSpan) j++;
      const span = refOrd(sorted[j - 1]!) - first + 1;
      const b = await this.read(file, first, span * recordBytes, span === 1 ? `record ${first}` : `records ${first}-${first + span - 1}`);
      for (let k = i; k < j; k++) {
        const at = (refOrd(sorted[k]!) - first) * recordBytes;
        out.set(sorted[k]!, { meta: decodeMeta(b.subarray(at, at + META_BYTES)), sig: this.decodeSignature(b, at) });
      }
      i = j;
    }
    return out;
  }

  private decodeSignature(b: Buffer, recordAt: number): Uint32Array {
    const sig = new Uint32Array(this.numPerm);
    for (let k = 0; k < this.numPerm; k++) sig[k] = b.readUInt32LE(recordAt + META_BYTES + 4 * k);
    return sig;
  }

  async close(): Promise<void> {
    const all = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(all.map(async (e) => (await e.fh.catch(() => null))?.close()));
  }
}
