/**
 * Why a doc was dropped: a duplicate of a doc of this run, of one an earlier run of the same subcorpus
 * published (through the persistent index), or of one another subcorpus published (`…-of-earlier-ja_wiki`):
 * the ledger keeps them apart, since only the first shrinks what this run adds, and the last is the
 * cross-subcorpus matrix.
 */
export type DuplicateReason = `${'exact' | 'near'}-duplicate${'' | '-of-earlier-run' | `-of-earlier-${string}`}`;

/** A doc the dedup drops, and the doc of its cluster that is kept in its place. */
export interface Removal {
  ref: number;
  id: string;
  survivorRef: number;
  duplicateOf: string;
  reason: DuplicateReason;
  /** Estimated Jaccard between this doc and the survivor (1 for exact duplicates). */
  similarity: number;
}

/**
 * The removals of a clustering, in typed arrays: 57 bytes a removal (two refs and the similarity as
 * f64, a reason number, the two 16-byte doc ids), 60 measured with the growth slack, where an array of
 * `Removal` objects with two 32-character id strings measured 433 (1 M removals, heap plus array
 * buffers after a GC). A snapshot of 60 M documents with a third of them near-duplicates is 20 M
 * removals: 1.2 GB this way, 8.7 GB as objects, past Node's default heap. Objects are made one at a time
 * when read, and `byRef()` gives the order in which the per-WARC removal files are written.
 */
export class RemovalList implements Iterable<Removal> {
  private count = 0;
  private refs = new Float64Array(INITIAL);
  private survivorRefs = new Float64Array(INITIAL);
  private similarities = new Float64Array(INITIAL);
  private reasonCodes = new Uint8Array(INITIAL);
  /** id then duplicateOf, 16 bytes each, per removal. */
  private ids = new Uint8Array(INITIAL * ID_PAIR_BYTES);
  private readonly reasons: DuplicateReason[] = [];

  get length(): number {
    return this.count;
  }

  push(r: Removal): void {
    if (this.count === this.refs.length) this.grow();
    const i = this.count++;
    this.refs[i] = r.ref;
    this.survivorRefs[i] = r.survivorRef;
    this.similarities[i] = r.similarity;
    let code = this.reasons.indexOf(r.reason);
    if (code < 0) {
      if (this.reasons.length === 255) throw new Error('more than 255 duplicate reasons in one clustering');
      code = this.reasons.push(r.reason) - 1;
    }
    this.reasonCodes[i] = code;
    writeHexId(this.ids, i * ID_PAIR_BYTES, r.id);
    writeHexId(this.ids, i * ID_PAIR_BYTES + ID_BYTES, r.duplicateOf);
  }

  get(i: number): Removal {
    if (i < 0 || i >= this.count) throw new RangeError(`removal ${i} of ${this.count}`);
    return {
      ref: this.refs[i]!,
      id: readHexId(this.ids, i * ID_PAIR_BYTES),
      survivorRef: this.survivorRefs[i]!,
      duplicateOf: readHexId(this.ids, i * ID_PAIR_BYTES + ID_BYTES),
      reason: this.reasons[this.reasonCodes[i]!]!,
      similarity: this.similarities[i]!,
    };
  }

  *[Symbol.iterator](): Iterator<Removal> {
    for (let i = 0; i < this.count; i++) yield this.get(i);
  }

  /** Positions in ascending ref order: (signature file, ordinal), i.e. per WARC task, rows in order. */
  byRef(): Uint32Array {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    const refs = this.refs;
    return order.sort((a, b) => refs[a]! - refs[b]!);
  }

  map<T>(fn: (r: Removal) => T): T[] {
    const out: T[] = [];
    for (const r of this) out.push(fn(r));
    return out;
  }

  filter(fn: (r: Removal) => boolean): Removal[] {
    const out: Removal[] = [];
    for (const r of this) if (fn(r)) out.push(r);
    return out;
  }

  toArray(): Removal[] {
    return [...this];
  }

  private grow(): void {
    const size = this.refs.length * 2;
    const grown = <A extends Float64Array | Uint8Array>(a: A, n: number): A => {
      const b = new (a.constructor as new (n: number) => A)(n);
      b.set(a);
      return b;
    };
    this.refs = grown(this.refs, size);
    this.survivorRefs = grown(this.survivorRefs, size);
    this.similarities = grown(this.similarities, size);
    this.reasonCodes = grown(this.reasonCodes, size);
    this.ids = grown(this.ids, size * ID_PAIR_BYTES);
  }
}

const INITIAL = 1024;
const ID_BYTES = 16;
const ID_PAIR_BYTES = 2 * ID_BYTES;
const HEX = '0123456789abcdef';

/** Doc ids are 32 lower-case hex digits (signature-file.ts checks it when the signature is written). */
function writeHexId(out: Uint8Array, at: number, id: string): void {
  if (id.length !== 32) throw new Error(`doc id ${JSON.stringify(id)} is not 32 hex characters`);
  for (let k = 0; k < ID_BYTES; k++) out[at + k] = (nibble(id, 2 * k) << 4) | nibble(id, 2 * k + 1);
}

function nibble(id: string, at: number): number {
  const c = id.charCodeAt(at);
  const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
  if (v < 0) throw new Error(`doc id ${JSON.stringify(id)} is not 32 hex characters`);
  return v;
}

function readHexId(from: Uint8Array, at: number): string {
  let s = '';
  for (let k = 0; k < ID_BYTES; k++) {
    const b = from[at + k]!;
    s += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return s;
}
