import { BucketSectionReader } from './bucket-file.ts';
import { docRef } from './doc-ref.ts';

/** One input of a band merge: a bucket file and the offset that maps its local file numbers to global ones. */
export interface BucketSource {
  path: string;
  fileBase: number;
}

/**
 * K-way merge of one section (band) of many bucket files, each sorted by key: calls `onEntry` for every
 * entry in (key, file, ordinal) order. Memory: one read chunk per file, never the band.
 */
export async function mergeSectionEntries(
  sources: BucketSource[],
  section: number,
  chunkEntries: number,
  onEntry: (hi: number, lo: number, file: number, ord: number) => Promise<void> | void,
): Promise<number> {
  const readers: BucketSectionReader[] = [];
  try {
    for (const s of sources) readers.push(await BucketSectionReader.open(s.path, section, chunkEntries, s.fileBase));
    return await mergeSectionReaders(readers, onEntry);
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}

/**
 * The k-way merge itself over readers positioned before their first entry. A promise is awaited only
 * when a reader reads its next chunk or `onEntry` returns one: per entry it is a heap step, not a
 * microtask (the group merge of 900 files × 18 sections spent its time in those).
 */
export async function mergeSectionReaders(readers: BucketSectionReader[], onEntry: (hi: number, lo: number, file: number, ord: number) => Promise<void> | void): Promise<number> {
  const heap: BucketSectionReader[] = [];
  for (const r of readers) if (await r.next()) heapPush(heap, r);
  let entries = 0;
  while (heap.length > 0) {
    const top = heap[0]!;
    const w = top.words;
    const i = top.index;
    entries++;
    const pending = onEntry(w[i]!, w[i + 1]!, w[i + 2]! + top.fileBase, w[i + 3]!);
    if (pending) await pending;
    const more = top.advance();
    if (more === true || (more !== false && (await more))) heapReplaceTop(heap);
    else heapPopTop(heap);
  }
  return entries;
}

/** The merge of `mergeSectionEntries`, grouped: calls `onGroup` with the refs of every key shared by two or more docs. */
export async function mergeBandSection(
  sources: BucketSource[],
  section: number,
  chunkEntries: number,
  onGroup: (refs: number[]) => Promise<void> | void,
  onEntry?: (entriesSoFar: number) => void,
): Promise<{ entries: number; groups: number }> {
  let groups = 0;
  let seen = 0;
  let hi = -1;
  let lo = -1;
  let group: number[] = [];
  const flush = async (): Promise<void> => {
    if (group.length > 1) {
      groups++;
      await onGroup(group);
    }
    group = [];
  };
  /** Ends the current group, then starts the next with `first`. */
  const flushThen = async (first: number): Promise<void> => {
    await flush();
    group = [first];
  };
  // Synchronous but when a group of two or more ends: its check may read signatures.
  const entries = await mergeSectionEntries(sources, section, chunkEntries, (h, l, file, ord) => {
    onEntry?.(++seen);
    const ref = docRef(file, ord);
    if (h === hi && l === lo) {
      group.push(ref);
      return;
    }
    hi = h;
    lo = l;
    if (group.length > 1) return flushThen(ref);
    group = [ref];
  });
  await flush();
  return { entries, groups };
}

function less(a: BucketSectionReader, b: BucketSectionReader): boolean {
  const x = a.words;
  const y = b.words;
  const i = a.index;
  const j = b.index;
  if (x[i] !== y[j]) return x[i]! < y[j]!;
  if (x[i + 1] !== y[j + 1]) return x[i + 1]! < y[j + 1]!;
  const fx = x[i + 2]! + a.fileBase;
  const fy = y[j + 2]! + b.fileBase;
  if (fx !== fy) return fx < fy;
  return x[i + 3]! < y[j + 3]!;
}

function heapPush(h: BucketSectionReader[], r: BucketSectionReader): void {
  h.push(r);
  let k = h.length - 1;
  while (k > 0) {
    const p = (k - 1) >> 1;
    if (!less(h[k]!, h[p]!)) break;
    [h[k], h[p]] = [h[p]!, h[k]!];
    k = p;
  }
}

function heapReplaceTop(h: BucketSectionReader[]): void {
  let k = 0;
  for (;;) {
    const l = 2 * k + 1;
    const r = l + 1;
    let m = k;
    if (l < h.length && less(h[l]!, h[m]!)) m = l;
    if (r < h.length && less(h[r]!, h[m]!)) m = r;
    if (m === k) return;
    [h[k], h[m]] = [h[m]!, h[k]!];
    k = m;
  }
}

function heapPopTop(h: BucketSectionReader[]): void {
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    heapReplaceTop(h);
  }
}
