import { pairsFileCount, readPairsFile } from './pairs-file.ts';

/**
 * The connected components of the verified pairs, in typed arrays: the refs that occur in any pair,
 * sorted and numbered, then union-find over those numbers, all of it outside the JS heap. Memory: 16
 * bytes a pair while the refs are collected (both ends, sized from the files), then 20 bytes a distinct
 * ref (8 for the ref, 4 each for parent, cluster size then slot, member order) and at most 2 for the
 * cluster starts. A `Map`-based union-find took ≈ 100 bytes a ref on the heap and as much again for its
 * member lists. The pair files are read twice (refs, then unions) instead of held.
 */
export class RefClusters {
  private constructor(
    /** Every ref in some pair, ascending. */
    private readonly refs: Float64Array,
    /** Per cluster (in order of its smallest ref), its first position in `members`; one extra entry at the end. */
    private readonly starts: Int32Array,
    /** Positions into `refs`, grouped by cluster, ascending within each. */
    private readonly members: Int32Array,
  ) {}

  static async fromPairFiles(pairFiles: string[]): Promise<RefClusters> {
    const refs = await distinctRefs(pairFiles);
    const parent = new Int32Array(refs.length);
    for (let i = 0; i < parent.length; i++) parent[i] = i;
    const find = (x: number): number => {
      while (parent[x] !== x) {
        const grand = parent[parent[x]!]!;
        parent[x] = grand; // path halving
        x = grand;
      }
      return x;
    };
    for (const path of pairFiles) {
      for await (const p of readPairsFile(path)) {
        const ra = find(positionOf(refs, p.a, path));
        const rb = find(positionOf(refs, p.b, path));
        // The smaller position (= the smaller ref) becomes the root: the same pairs give the same roots in any order.
        if (ra < rb) parent[rb] = ra;
        else if (rb < ra) parent[ra] = rb;
      }
    }
    // Counting sort of positions by root: clusters in order of their smallest ref, members ascending.
    // `slot` holds each root's cluster size, then (in place) the next free slot of its cluster.
    const slot = new Int32Array(refs.length);
    for (let i = 0; i < refs.length; i++) slot[(parent[i] = find(i))]!++;
    let clusters = 0;
    for (let i = 0; i < refs.length; i++) if (slot[i]! > 0) clusters++;
    const starts = new Int32Array(clusters + 1);
    let c = 0;
    let pos = 0;
    for (let i = 0; i < refs.length; i++) {
      const size = slot[i]!;
      if (size === 0) continue;
      starts[c++] = pos;
      slot[i] = pos;
      pos += size;
    }
    starts[clusters] = pos;
    const members = new Int32Array(refs.length);
    for (let i = 0; i < refs.length; i++) members[slot[parent[i]!]!++] = i;
    return new RefClusters(refs, starts, members);
  }

  get clusterCount(): number {
    return this.starts.length - 1;
  }

  /** Refs of every cluster, in order of each cluster's smallest ref, members ascending. */
  *clusters(): Generator<number[]> {
    for (let c = 0; c + 1 < this.starts.length; c++) {
      const out: number[] = [];
      for (let k = this.starts[c]!; k < this.starts[c + 1]!; k++) out.push(this.refs[this.members[k]!]!);
      yield out;
    }
  }
}

/** The refs of every pair, sorted and without repeats. */
async function distinctRefs(pairFiles: string[]): Promise<Float64Array> {
  let pairs = 0;
  for (const path of pairFiles) pairs += await pairsFileCount(path);
  const refs = new Float64Array(2 * pairs);
  let n = 0;
  for (const path of pairFiles) {
    for await (const p of readPairsFile(path)) {
      if (n + 2 > refs.length) throw new Error(`${path}: grew while the clustering read it`);
      refs[n++] = p.a;
      refs[n++] = p.b;
    }
  }
  const sorted = refs.subarray(0, n).sort();
  let unique = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[unique++] = sorted[i]!;
  return sorted.slice(0, unique);
}

function positionOf(refs: Float64Array, ref: number, path: string): number {
  let lo = 0;
  let hi = refs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = refs[mid]!;
    if (v === ref) return mid;
    if (v < ref) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new Error(`${path}: changed while the clustering read it (ref ${ref} was not there on the first pass)`);
}
