import { mergeBandSection, type BucketSource } from './band-merge.ts';
import { isDuplicateEstimate, type DedupConfig } from './config.ts';
import { refFile, refOrd } from './doc-ref.ts';
import { estimatedJaccard } from './minhash.ts';
import { PairsFileWriter } from './pairs-file.ts';
import type { SignatureStore } from './signature-file.ts';

export interface BandPairsOptions {
  sources: BucketSource[];
  /** Section of the bucket files: 0..bands-1 are MinHash bands, `bands` is the exact band. */
  section: number;
  exact: boolean;
  config: DedupConfig;
  store: SignatureStore;
  /** Docs of earlier runs (the persistent index): pairs between two of them are never needed. */
  isIndexed: (file: number) => boolean;
  out: string;
  /** Called with the count of entries merged so far (progress, and the resume test's injected crash). */
  onEntry?: (entriesSoFar: number) => void;
}

export interface BandPairsResult {
  entries: number;
  groups: number;
  candidates: number;
  pairs: number;
}

/**
 * Groups of at most this many docs are verified pair by pair; larger ones (a template page repeated
 * thousands of times) against their first member only, so a group costs linear, not quadratic, time.
 */
const ALL_PAIRS_MAX_GROUP = 32;

/** Members of small groups whose signatures one sorted pass reads: ≈ 36 MB of records at 128 values. */
const BAND_BATCH_REFS = 1 << 16;

/**
 * One band of the LSH: merges the band's bucket sections, and for every bucket of two or more docs
 * writes the pairs whose signatures make them duplicates (`isDuplicateEstimate`; the exact band's pairs
 * need no check: equal keys are equal texts).
 */
export async function findBandPairs(o: BandPairsOptions): Promise<BandPairsResult> {
  const writer = await PairsFileWriter.create(o.out);
  let candidates = 0;
  const signature = (ref: number): Promise<Uint32Array> => o.store.signature(refFile(ref), refOrd(ref));
  const check = async (a: number, b: number, sig: (r: number) => Promise<Uint32Array> | Uint32Array): Promise<void> => {
    if (o.isIndexed(refFile(a)) && o.isIndexed(refFile(b))) return;
    candidates++;
    const j = estimatedJaccard(await sig(a), await sig(b));
    if (isDuplicateEstimate(j, o.config)) await writer.add(a, b, j);
  };
  // Small groups wait in a batch whose signatures one sorted pass reads (SignatureStore.records), then
  // are checked in the order they came, so the pairs file is what one read per signature wrote.
  let batch: number[][] = [];
  let batchRefs = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const records = await o.store.records(batch.flat());
    const sig = (r: number): Uint32Array => records.get(r)!.sig;
    for (const refs of batch) for (let i = 0; i < refs.length; i++) for (let k = i + 1; k < refs.length; k++) await check(refs[i]!, refs[k]!, sig);
    batch = [];
    batchRefs = 0;
  };
  let merged: { entries: number; groups: number };
  try {
    merged = await mergeBandSection(o.sources, o.section, o.config.mergeReadEntries, async (refs) => {
      const current = refs.filter((r) => !o.isIndexed(refFile(r)));
      if (current.length === 0) return;
      if (o.exact) {
        const first = refs[0]!;
        for (const r of refs) if (r !== first) (candidates++, await writer.add(first, r, 1));
        return;
      }
      if (refs.length <= ALL_PAIRS_MAX_GROUP) {
        batch.push(refs);
        batchRefs += refs.length;
        if (batchRefs >= BAND_BATCH_REFS) await flush();
        return;
      }
      await flush();
      // A huge group against its first member, one signature at a time: the group may not fit in memory.
      const first = await signature(refs[0]!);
      for (let k = 1; k < refs.length; k++) await check(refs[0]!, refs[k]!, (r) => (r === refs[0] ? first : signature(r)));
    }, o.onEntry);
    await flush();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  await writer.close();
  return { ...merged, candidates, pairs: writer.count };
}
