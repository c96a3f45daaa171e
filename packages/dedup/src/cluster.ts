import { isDuplicateEstimate, type DedupConfig } from './config.ts';
import { refFile } from './doc-ref.ts';
import { estimatedJaccard } from './minhash.ts';
import { RefClusters } from './ref-clusters.ts';
import { RemovalList } from './removal-list.ts';
import { FLAG_NO_BANDS, type DocMeta, type SignatureRecord, type SignatureStore } from './signature-file.ts';

/**
 * A doc an earlier run published that a doc of this run, from a subcorpus earlier in
 * `subcorpusPriority`, duplicates: it stays where it was published and is left out of the corpus-wide view.
 */
export interface Supersession {
  ref: number;
  id: string;
  /** The published doc's subcorpus. */
  subcorpus: string | null;
  survivorRef: number;
  duplicateOf: string;
  similarity: number;
}

export interface ClusterResult {
  removals: RemovalList;
  superseded: Supersession[];
  clusters: number;
  /** Docs that appeared in at least one verified pair. */
  clusteredDocs: number;
}

/**
 * The survivor rule, one cluster at a time:
 *   1. the subcorpus earliest in `subcorpusPriority` (a Wikipedia article over its copy on a web page);
 *   2. then a doc an earlier run already published (in the persistent index), so if the cluster has
 *      one, it is the survivor and every doc of this run goes;
 *   3. otherwise the earliest fetch (WARC-Date: the first time the web showed this text),
 *   4. then the longest text (the fullest copy of an article, boilerplate aside),
 *   5. then the smallest doc id, so ties break the same way on every machine.
 */
export function compareSurvivors(a: SurvivorCandidate, b: SurvivorCandidate): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.indexed !== b.indexed) return a.indexed ? -1 : 1;
  const ta = Number.isNaN(a.meta.fetchedAtMs) ? Infinity : a.meta.fetchedAtMs;
  const tb = Number.isNaN(b.meta.fetchedAtMs) ? Infinity : b.meta.fetchedAtMs;
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.meta.chars !== b.meta.chars) return b.meta.chars - a.meta.chars;
  return a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0;
}

export interface SurvivorCandidate {
  meta: DocMeta;
  indexed: boolean;
  /** Position of the doc's subcorpus in `subcorpusPriority` (unlisted: after all listed). */
  rank: number;
}

/**
 * Rounds of survivor picking per cluster. Each round keeps the best remaining doc and drops what is
 * similar to it; the rest of a chained cluster (A~B~C with A and C far apart) gets further rounds.
 * Docs left after the cap are kept: a template cluster of thousands costs bounded time, and keeping is
 * the safe side.
 */
const MAX_ROUNDS = 100;

/**
 * Members whose records one sorted pass reads: 65,536 × 552 bytes (128 values) ≈ 36 MB of records at
 * most in memory, beyond a cluster larger than that (held whole, as it always was).
 */
const CLUSTER_BATCH_REFS = 1 << 16;

/**
 * Clusters the verified pairs of every band, then splits each cluster into groups around survivors:
 * the survivor rule picks the best doc, every doc whose signature makes it a duplicate of that one
 * (`isDuplicateEstimate`) is dropped, and the docs left (joined to the cluster only
 * through a chain) go another round. So every drop names a survivor it really resembles, never a doc
 * it only reaches through others.
 */
export async function clusterDuplicates(
  pairFiles: string[],
  store: SignatureStore,
  isIndexed: (file: number) => boolean,
  config: DedupConfig,
  subcorpusOf: (file: number) => string | null = () => null,
): Promise<ClusterResult> {
  // Clusters come in order of their smallest ref, members ascending: the same order on every machine.
  const components = await RefClusters.fromPairFiles(pairFiles);
  const rankOf = (subcorpus: string | null): number => {
    const at = subcorpus === null ? -1 : config.subcorpusPriority.indexOf(subcorpus);
    return at < 0 ? config.subcorpusPriority.length : at;
  };
  const removals = new RemovalList();
  const superseded: Supersession[] = [];
  let clusters = 0;
  let clusteredDocs = 0;
  const split = (refs: number[], records: Map<number, SignatureRecord>): void => {
    clusters++;
    clusteredDocs += refs.length;
    let remaining: Array<SurvivorCandidate & { ref: number; subcorpus: string | null; sig: Uint32Array }> = refs.map((ref) => {
      const file = refFile(ref);
      const subcorpus = subcorpusOf(file);
      const { meta, sig } = records.get(ref)!;
      return { ref, indexed: isIndexed(file), subcorpus, rank: rankOf(subcorpus), meta, sig };
    });
    for (let round = 0; round < MAX_ROUNDS && remaining.length > 1; round++) {
      const survivor = [...remaining].sort(compareSurvivors)[0]!;
      const rest: typeof remaining = [];
      for (const d of remaining) {
        if (d === survivor) continue;
        const exact = d.meta.exactKey === survivor.meta.exactKey;
        // A text shorter than one shingle has no real signature: only its exact copies are duplicates.
        const comparable = ((d.meta.flags | survivor.meta.flags) & FLAG_NO_BANDS) === 0;
        const similarity = exact ? 1 : comparable ? estimatedJaccard(d.sig, survivor.sig) : 0;
        if (!(exact || isDuplicateEstimate(similarity, config))) {
          rest.push(d);
          continue;
        }
        if (d.indexed) {
          // Published docs are never dropped from their run; one of a later subcorpus is superseded
          // by this run's doc of an earlier one, and otherwise survives in the next rounds.
          if (d.rank > survivor.rank && !survivor.indexed) {
            superseded.push({ ref: d.ref, id: d.meta.id, subcorpus: d.subcorpus, survivorRef: survivor.ref, duplicateOf: survivor.meta.id, similarity });
          } else rest.push(d);
          continue;
        }
        const earlier: '' | `-of-earlier-${string}` = !survivor.indexed ? '' : survivor.subcorpus !== null && survivor.subcorpus !== d.subcorpus ? `-of-earlier-${survivor.subcorpus}` : '-of-earlier-run';
        removals.push({
          ref: d.ref,
          id: d.meta.id,
          survivorRef: survivor.ref,
          duplicateOf: survivor.meta.id,
          reason: `${exact ? 'exact' : 'near'}-duplicate${earlier}`,
          similarity,
        });
      }
      remaining = rest;
    }
  };
  // Clusters in batches of about CLUSTER_BATCH_REFS members, whose records are read in one sorted pass
  // (file by file, neighbours together) instead of two reads per member (docs/decisions.md: the sorted pass).
  let batch: number[][] = [];
  let batchRefs = 0;
  const flush = async (): Promise<void> => {
    const records = await store.records(batch.flat());
    for (const refs of batch) split(refs, records);
    batch = [];
    batchRefs = 0;
  };
  for (const refs of components.clusters()) {
    batch.push(refs);
    batchRefs += refs.length;
    if (batchRefs >= CLUSTER_BATCH_REFS) await flush();
  }
  await flush();
  return { removals, superseded, clusters, clusteredDocs };
}
