import { bandKeys, exactBandKey } from './band-keys.ts';
import { BucketBuilder } from './bucket-file.ts';
import { checkDedupConfig, type DedupConfig } from './config.ts';
import { MinHasher } from './minhash.ts';
import { FLAG_NO_BANDS, SignatureFileWriter, type DocMeta } from './signature-file.ts';

export interface SignedDoc {
  id: string;
  text: string;
  /** ISO-8601; unparsable or empty counts as unknown (ranked last by the survivor rule). */
  fetchedAt: string;
  /** Exact-text key (hex), from `exactTextKey`. */
  exactKey: string;
}

/**
 * What one task contributes to the dedup: a signature file (one record per doc, in write order) and a
 * bucket file (each band's keys, sorted). Both appear under their final names only when closed.
 */
export class TaskSignatureWriter {
  private readonly hasher: MinHasher;
  private readonly sig: Uint32Array;
  private readonly keys: Uint32Array;
  private readonly buckets: BucketBuilder;
  /** Docs too short for shingles: they are in the exact band only. */
  tooShort = 0;

  private constructor(
    private readonly signatures: SignatureFileWriter,
    private readonly bucketPath: string,
    private readonly config: DedupConfig,
  ) {
    this.hasher = new MinHasher(config.minhash);
    this.sig = new Uint32Array(config.minhash.numPerm);
    this.keys = new Uint32Array(2 * config.bands);
    this.buckets = new BucketBuilder(config.bands + 1);
  }

  static async create(signaturePath: string, bucketPath: string, config: DedupConfig): Promise<TaskSignatureWriter> {
    checkDedupConfig(config);
    return new TaskSignatureWriter(await SignatureFileWriter.create(signaturePath, config.minhash.numPerm), bucketPath, config);
  }

  /** Adds a doc (non-empty text); returns its ordinal. */
  async add(doc: SignedDoc): Promise<number> {
    if (doc.text.length === 0) throw new Error(`doc ${doc.id}: empty text cannot be deduplicated`);
    const short = doc.text.length < this.config.minChars;
    if (short) {
      this.tooShort++;
      this.sig.fill(0xffffffff);
    } else {
      this.hasher.signature(doc.text, this.sig);
    }
    const meta = { id: doc.id, exactKey: doc.exactKey, fetchedAtMs: Date.parse(doc.fetchedAt), chars: doc.text.length, flags: short ? FLAG_NO_BANDS : 0 };
    return this.addSignature(meta, this.sig);
  }

  /** Adds a doc whose signature is already made (benchmarks feed synthetic signatures here). */
  async addSignature(meta: DocMeta, signature: Uint32Array): Promise<number> {
    const ord = await this.signatures.append(meta, signature);
    if ((meta.flags & FLAG_NO_BANDS) === 0) {
      bandKeys(signature, this.config.bands, this.config.rows, this.keys);
      for (let b = 0; b < this.config.bands; b++) this.buckets.add(b, this.keys[2 * b]!, this.keys[2 * b + 1]!, 0, ord);
    }
    const [hi, lo] = exactBandKey(meta.exactKey);
    this.buckets.add(this.config.bands, hi, lo, 0, ord);
    return ord;
  }

  get docs(): number {
    return this.signatures.docs;
  }

  /** The signature file is renamed into place before the bucket file: a bucket file never points at a missing record. */
  async close(): Promise<void> {
    await this.signatures.close();
    await this.buckets.write(this.bucketPath);
  }

  async abort(): Promise<void> {
    await this.signatures.abort();
  }
}
