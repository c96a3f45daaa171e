import { commitIndexSegment, compactIndex, findMember, memberNames, segmentCommittedPath, segmentsCommittedSince, type DedupConfig } from '@jcp/dedup';
import { planOf, readRemovedDocs, requiredDedupPlan, type DedupPlanJson } from '../run-folder/dedup-files.ts';
import { indexSegmentName, INDEX_STAGE } from '../run-folder/names.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { defineStage } from './stage.ts';

/** One task, in runs with a persistent index: this run's survivors join the index as one segment. */
export const dedupIndexStage = defineStage<IndexTaskInput, IndexTaskResult>({
  name: INDEX_STAGE,
  inRun: (ctx) => ctx.dedupIndex !== null,
  taskCount: () => 1,
  taskId: () => 'commit',
  input: async (ctx) => ({
    runDir: ctx.runDir,
    stage: INDEX_STAGE,
    taskId: 'commit',
    plan: await requiredDedupPlan(ctx.runDir),
    dedupIndex: ctx.dedupIndex!,
    segmentName: indexSegmentName(ctx),
    dedup: ctx.settings.dedup,
  }),
  run: (input) => runIndexTask(input),
});

export interface IndexTaskResult {
  taskId: string;
  segment: string;
  index: string;
  survivors: number;
  /** Segments this commit's compaction merged (index-compaction.ts). */
  compactions: Array<{ segment: string; merged: number; tier: number; entries: number }>;
}

export interface IndexTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  plan: DedupPlanJson;
  dedupIndex: string;
  segmentName: string;
  dedup: DedupConfig;
}

/**
 * Commits this run's survivors to the persistent index as one segment (idempotent). Refused when
 * another run committed after this run's plan: this run's dedup never saw those documents, and
 * committing would publish them twice (the rerun redoes the dedup against them, reconcile.ts).
 */
export async function runIndexTask(input: IndexTaskInput): Promise<TaskOutcome<IndexTaskResult>> {
  const since = await segmentsCommittedSince(input.dedupIndex, input.dedup, memberNames(input.plan.segments), input.segmentName);
  if (since.length) {
    throw new Error(`${input.dedupIndex}: ${since.length} segment(s) were committed after this run's dedup plan (${since.join(', ')}); rerun the command: the dedup is redone against them`);
  }
  const removed = await Promise.all(input.plan.tasks.map(async (t) => new Set((await readRemovedDocs(input.runDir, t.taskId)).keys())));
  const r = await commitIndexSegment(input.dedupIndex, input.segmentName, planOf(input.plan), (f) => removed[f]!, input.dedup, input.plan.tasks.map((t) => t.docs));
  const compactions = await compactIndex(input.dedupIndex, input.dedup);
  // The segment that holds this run's commit now: the output the task vouches for (a later compaction
  // moves it; the task then finds its commit again, by member, and vouches for the new place).
  const holder = (await findMember(input.dedupIndex, input.dedup, input.segmentName))?.segment.name ?? r.segment;
  const result = {
    taskId: input.taskId,
    segment: input.segmentName,
    index: input.dedupIndex,
    survivors: r.survivors,
    compactions: compactions.map((c) => ({ segment: c.segment, merged: c.merged.length, tier: c.tier, entries: c.entries })),
  };
  return { result, outputs: [{ path: segmentCommittedPath(input.dedupIndex, holder) }] };
}
