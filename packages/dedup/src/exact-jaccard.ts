/**
 * Exact Jaccard similarity of two texts' sets of `n`-character shingles, by string: the brute-force
 * truth that MinHash estimates are checked against (tests, `pnpm bench minhash`). Not for the hot path.
 */
export function exactShingleJaccard(x: string, y: string, n: number): number {
  const a = shingleSet(x, n);
  const b = shingleSet(y, n);
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

function shingleSet(text: string, n: number): Set<string> {
  const set = new Set<string>();
  if (text.length > 0 && text.length < n) set.add(text);
  for (let i = 0; i + n <= text.length; i++) set.add(text.slice(i, i + n));
  return set;
}

/**
 * Numbers every distinct shingle string it is shown, so texts become sorted arrays of shingle ids and
 * exact Jaccard is a linear merge: the brute-force truth over many pairs (`pnpm eval dedup`) without
 * hash collisions.
 */
export class ShingleDictionary {
  private readonly ids = new Map<string, number>();

  constructor(readonly n: number) {}

  /** Sorted, distinct shingle ids of `text`. */
  shingleIds(text: string): Uint32Array {
    const out = new Set<number>();
    const add = (s: string): void => {
      let id = this.ids.get(s);
      if (id === undefined) this.ids.set(s, (id = this.ids.size));
      out.add(id);
    };
    if (text.length > 0 && text.length < this.n) add(text);
    for (let i = 0; i + this.n <= text.length; i++) add(text.slice(i, i + this.n));
    return Uint32Array.from(out).sort();
  }
}

/** Exact Jaccard of two sorted, distinct id arrays. */
export function sortedJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = a.length + b.length - shared;
  return union === 0 ? 1 : shared / union;
}
