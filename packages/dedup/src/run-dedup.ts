import { join } from 'node:path';
import { findBandPairs, type BandPairsResult } from './band-pairs.ts';
import { clusterDuplicates, type ClusterResult } from './cluster.ts';
import type { DedupConfig } from './config.ts';
import type { DedupPlan } from './dedup-plan.ts';
import { SignatureStore } from './signature-file.ts';

/** Path of band `section`'s pairs file under `workDir`. */
export function bandPairsPath(workDir: string, section: number): string {
  return join(workDir, `band-${String(section).padStart(3, '0')}.pairs`);
}

/** One band of a plan (the unit of parallel work). */
export async function runBand(plan: DedupPlan, config: DedupConfig, section: number, out: string, onEntry?: (entriesSoFar: number) => void): Promise<BandPairsResult> {
  const store = new SignatureStore(plan.pathOf, config.minhash.numPerm);
  try {
    return await findBandPairs({
      sources: plan.sources(),
      section,
      exact: section === config.bands,
      config,
      store,
      isIndexed: plan.isIndexed,
      out,
      ...(onEntry ? { onEntry } : {}),
    });
  } finally {
    await store.close();
  }
}

export async function runClustering(plan: DedupPlan, config: DedupConfig, pairFiles: string[]): Promise<ClusterResult> {
  const store = new SignatureStore(plan.pathOf, config.minhash.numPerm);
  try {
    return await clusterDuplicates(pairFiles, store, plan.isIndexed, config, plan.subcorpusOf);
  } finally {
    await store.close();
  }
}

/** Every band, then the clustering, in this process: for evaluation, benchmarks and tests. */
export async function dedupInProcess(plan: DedupPlan, config: DedupConfig, workDir: string): Promise<ClusterResult & { bands: BandPairsResult[] }> {
  const bands: BandPairsResult[] = [];
  const files: string[] = [];
  for (let s = 0; s <= config.bands; s++) {
    const out = bandPairsPath(workDir, s);
    bands.push(await runBand(plan, config, s, out));
    files.push(out);
  }
  return { ...(await runClustering(plan, config, files)), bands };
}
