import { jsonLines, writeFileAtomic } from '@jcp/core';
import { bandPairsPath, refFile, refOrd, runClustering, type DedupConfig } from '@jcp/dedup';
import { planOf, requiredDedupPlan, type DedupPlanJson, type RemovedDoc, type SupersededDoc } from '../run-folder/dedup-files.ts';
import { pairsDir, removedPath, supersededPath } from '../run-folder/layout.ts';
import { CLUSTER_STAGE } from '../run-folder/names.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { defineStage } from './stage.ts';

/** One task: union-find over every band's pairs, one survivor per cluster, each WARC's removed docs. */
export const dedupClusterStage = defineStage<ClusterTaskInput, ClusterTaskResult>({
  name: CLUSTER_STAGE,
  taskCount: () => 1,
  taskId: () => 'clusters',
  input: async (ctx) => ({ runDir: ctx.runDir, stage: CLUSTER_STAGE, taskId: 'clusters', plan: await requiredDedupPlan(ctx.runDir), dedup: ctx.settings.dedup }),
  run: (input) => runClusterTask(input),
});

export interface ClusterTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  plan: DedupPlanJson;
  dedup: DedupConfig;
}

export interface ClusterTaskResult {
  taskId: string;
  clusters: number;
  clusteredDocs: number;
  removed: Record<string, number>;
  /** Published docs of other subcorpora this run's docs supersede, by their subcorpus ('?' unknown). */
  superseded: Record<string, number>;
}

/** Clusters every band's pairs and writes, for each WARC task, the docs it must drop (an empty file when none). */
export async function runClusterTask(input: ClusterTaskInput): Promise<TaskOutcome<ClusterTaskResult>> {
  const plan = planOf(input.plan);
  const pairFiles = Array.from({ length: input.dedup.bands + 1 }, (_, s) => bandPairsPath(pairsDir(input.runDir), s));
  const r = await runClustering(plan, input.dedup, pairFiles);
  const removed: Record<string, number> = {};
  const outputs = [];
  // In ref order the removals come task by task, rows ascending: each task's file is one slice, so no
  // task's list is held beside another's (a snapshot has tens of millions of removals).
  const order = r.removals.byRef();
  let at = 0;
  for (let task = 0; task < input.plan.tasks.length; task++) {
    const docs: RemovedDoc[] = [];
    for (; at < order.length; at++) {
      const x = r.removals.get(order[at]!);
      if (refFile(x.ref) !== task) break;
      docs.push({ ord: refOrd(x.ref), id: x.id, reason: x.reason, duplicateOf: x.duplicateOf, similarity: x.similarity });
      removed[x.reason] = (removed[x.reason] ?? 0) + 1;
    }
    const path = removedPath(input.runDir, input.plan.tasks[task]!.taskId);
    await writeFileAtomic(path, jsonLines(docs));
    outputs.push({ path });
  }
  const superseded: Record<string, number> = {};
  const supersededDocs: SupersededDoc[] = r.superseded.map((x) => {
    superseded[x.subcorpus ?? '?'] = (superseded[x.subcorpus ?? '?'] ?? 0) + 1;
    return { id: x.id, subcorpus: x.subcorpus, supersededBy: x.duplicateOf, similarity: x.similarity };
  });
  await writeFileAtomic(supersededPath(input.runDir), jsonLines(supersededDocs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))));
  outputs.push({ path: supersededPath(input.runDir) });
  const result: ClusterTaskResult = { taskId: input.taskId, clusters: r.clusters, clusteredDocs: r.clusteredDocs, removed, superseded };
  return { result, outputs };
}
