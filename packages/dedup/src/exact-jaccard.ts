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
