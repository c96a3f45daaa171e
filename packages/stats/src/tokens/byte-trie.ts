/**
 * A trie over UTF-8 bytes stored as a double array (base/check), the structure sentencepiece builds
 * (Darts) for the same lookup: walking one byte is two array reads, with no allocation.
 *
 * The child of node `s` by byte `c` is slot `t = base[s] + c`, valid when `check[t] === s`. `value[t]` is
 * the id of the key ending at `t`, or -1. The root is slot 0. Arrays are at least `max(base) + 256`
 * long, so `base[s] + c` never reads past the end.
 */
export class ByteTrie {
  constructor(
    readonly base: Int32Array,
    readonly check: Int32Array,
    readonly value: Int32Array,
  ) {}

  /**
   * Builds from keys given as byte ranges `data[starts[i]..ends[i])` (non-empty); `values[i]` is stored
   * for key i. Throws `DuplicateKeyError` when two keys are equal.
   */
  static build(data: Uint8Array, starts: ArrayLike<number>, ends: ArrayLike<number>, values: ArrayLike<number>): ByteTrie {
    const n = values.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => compareRanges(data, starts[a]!, ends[a]!, starts[b]!, ends[b]!));
    let maxLen = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      maxLen = Math.max(maxLen, ends[i]! - starts[i]!);
      if (k > 0) {
        const j = order[k - 1]!;
        if (compareRanges(data, starts[j]!, ends[j]!, starts[i]!, ends[i]!) === 0) throw new DuplicateKeyError(values[j]!, values[i]!);
      }
    }
    const keyStart = Int32Array.from(order, (i) => starts[i]!);
    const keyLen = Int32Array.from(order, (i) => ends[i]! - starts[i]!);
    const keyValue = Int32Array.from(order, (i) => values[i]!);
    const b = new Builder(Math.max(1024, n * 4), data, keyStart, keyLen, keyValue, maxLen);
    b.place(0, n, 0, 0);
    return b.finish();
  }

  /** The value stored for `key`, or -1 (for tests and diagnostics; the encoder walks the arrays itself). */
  get(key: Uint8Array): number {
    let node = 0;
    for (const c of key) {
      const t = this.base[node]! + c;
      if (this.check[t] !== node) return -1;
      node = t;
    }
    return this.value[node]!;
  }
}

/** Two keys of a `ByteTrie` are the same bytes; carries both values. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly first: number,
    readonly second: number,
  ) {
    super(`duplicate key (values ${first} and ${second})`);
    this.name = 'DuplicateKeyError';
  }
}

function compareRanges(data: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let i = 0; i < n; i++) {
    const d = data[as + i]! - data[bs + i]!;
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

class Builder {
  base: Int32Array;
  check: Int32Array;
  value: Int32Array;
  /** Searches for a free base start here (slots below are taken, or too few are free to search). */
  nextCheckPos = 1;
  /** One past the highest slot taken. */
  used = 1;
  /** Per depth, the child labels of the node being placed and where each child's keys start (no allocation per node). */
  private readonly labels: Int32Array;
  private readonly starts: Int32Array;

  constructor(
    capacity: number,
    private readonly data: Uint8Array,
    private readonly keyStart: Int32Array,
    private readonly keyLen: Int32Array,
    private readonly keyValue: Int32Array,
    maxLen: number,
  ) {
    this.base = new Int32Array(capacity);
    this.check = new Int32Array(capacity).fill(-1);
    this.value = new Int32Array(capacity).fill(-1);
    this.check[0] = -2; // the root: taken, parent of nothing
    this.labels = new Int32Array(256 * (maxLen + 1));
    this.starts = new Int32Array(257 * (maxLen + 1));
  }

  private ensure(size: number): void {
    if (size <= this.check.length) return;
    let cap = this.check.length;
    while (cap < size) cap *= 2;
    const base = new Int32Array(cap);
    base.set(this.base);
    const check = new Int32Array(cap).fill(-1);
    check.set(this.check);
    const value = new Int32Array(cap).fill(-1);
    value.set(this.value);
    this.base = base;
    this.check = check;
    this.value = value;
  }

  /**
   * Places the node `node` whose keys are the sorted keys `[lo, hi)`, all sharing their first `depth`
   * bytes, then its children, depth first.
   */
  place(lo: number, hi: number, depth: number, node: number): void {
    const { data, keyStart, keyLen, labels, starts } = this;
    let i = lo;
    if (keyLen[i] === depth) this.value[node] = this.keyValue[i++]!;
    if (i >= hi) return;
    const lb = depth * 256;
    const sb = depth * 257;
    let count = 0;
    for (let j = i; j < hi; j++) {
      const c = data[keyStart[j]! + depth]!;
      if (count === 0 || labels[lb + count - 1] !== c) {
        labels[lb + count] = c;
        starts[sb + count] = j;
        count++;
      }
    }
    starts[sb + count] = hi;
    const base = this.findBase(lb, count);
    this.base[node] = base;
    for (let k = 0; k < count; k++) this.check[base + labels[lb + k]!] = node;
    for (let k = 0; k < count; k++) this.place(starts[sb + k]!, starts[sb + k + 1]!, depth + 1, base + labels[lb + k]!);
  }

  /**
   * A base >= 1 at which every `base + label` slot is free (labels `this.labels[lb..lb+count)`): the
   * first fit at or after `nextCheckPos`. Darts' heuristic keeps the search short: when the slots
   * scanned were at least 95 % taken, later searches start past them, leaving the few holes unused.
   */
  private findBase(lb: number, count: number): number {
    const labels = this.labels;
    const first = labels[lb]!;
    let taken = 0;
    let firstSeenFree = -1;
    const from = Math.max(this.nextCheckPos, first + 1);
    for (let pos = from; ; pos++) {
      this.ensure(pos + 257);
      const check = this.check;
      if (check[pos] !== -1) {
        taken++;
        continue;
      }
      if (firstSeenFree < 0) firstSeenFree = pos;
      const base = pos - first;
      let fits = true;
      for (let k = 1; k < count; k++) {
        if (check[base + labels[lb + k]!] !== -1) {
          fits = false;
          break;
        }
      }
      if (!fits) continue;
      if (taken / (pos - from + 1) >= 0.95) this.nextCheckPos = pos;
      else if (firstSeenFree > this.nextCheckPos) this.nextCheckPos = firstSeenFree;
      this.used = Math.max(this.used, base + labels[lb + count - 1]! + 1);
      return base;
    }
  }

  finish(): ByteTrie {
    // Leaves keep base 0, so a walk from any node may read up to slot used-1 + 255.
    const size = this.used + 256;
    this.ensure(size);
    return new ByteTrie(this.base.slice(0, size), this.check.slice(0, size), this.value.slice(0, size));
  }
}
