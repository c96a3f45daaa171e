import { writeFileAtomic } from '@jcp/core';
import { bucketGroups, findMember, listIndexSegments, removeIndexSegment, type DedupConfig, type IndexSegment } from '@jcp/dedup';
import { readDedupPlan, type DedupPlanJson } from '../run-folder/dedup-files.ts';
import { bucketPath, dedupPlanPath, groupBucketPath, signaturePath } from '../run-folder/layout.ts';
import { indexSegmentName, PLAN_STAGE, PROCESS_STAGE, taskIdFor } from '../run-folder/names.ts';
import { readTaskMarker, type TaskOutcome } from '../run-folder/task-marker.ts';
import type { WarcTaskResult } from './process.ts';
import { defineStage } from './stage.ts';

/** One task: fixes which signature files and index segments the run-wide dedup reads. */
export const dedupPlanStage = defineStage<PlanTaskInput, PlanTaskResult>({
  name: PLAN_STAGE,
  taskCount: () => 1,
  taskId: () => 'plan',
  input: async (ctx) => ({
    runDir: ctx.runDir,
    stage: PLAN_STAGE,
    taskId: 'plan',
    taskIds: ctx.inputs.map(taskIdFor),
    dedupIndex: ctx.dedupIndex,
    segmentName: indexSegmentName(ctx),
    subcorpus: ctx.subcorpus,
    dedup: ctx.settings.dedup,
  }),
  run: (input) => runPlanTask(input),
});

export interface PlanTaskResult {
  taskId: string;
  docs: number;
  segments: string[];
}

export interface PlanTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  /** The run's WARC task ids, in task order (= signature file order). */
  taskIds: string[];
  dedupIndex: string | null;
  /** This run's own index segment, never read back by the run itself. */
  segmentName: string;
  /** This run's subcorpus: which of two copies survives across subcorpora (dedup subcorpusPriority). */
  subcorpus: string;
  dedup: DedupConfig;
}

/**
 * Writes `dedup/plan.json` the first time the dedup starts; a resumed dedup reads it back unchanged,
 * so it sees the same files and the same index segments even if other runs committed since.
 */
export async function runPlanTask(input: PlanTaskInput): Promise<TaskOutcome<PlanTaskResult>> {
  let plan = await readDedupPlan(input.runDir);
  if (!plan) {
    const tasks: DedupPlanJson['tasks'] = [];
    for (const taskId of input.taskIds) {
      const done = await readTaskMarker<WarcTaskResult>(input.runDir, PROCESS_STAGE, taskId);
      if (done === null) throw new Error(`${taskId}: the process stage has not finished this WARC`);
      tasks.push({ taskId, signatures: signaturePath(input.runDir, taskId), buckets: bucketPath(input.runDir, taskId), docs: done.result.staged });
    }
    const segments = input.dedupIndex ? await indexSegmentsExceptOwn(input.dedupIndex, input.segmentName, input.dedup) : [];
    plan = { tasks, index: input.dedupIndex, segments, subcorpus: input.subcorpus };
    // Too many bucket files to open at once: the dedup-groups stage merges them in groups first.
    if (tasks.length > input.dedup.mergeFanIn) {
      plan.groups = bucketGroups(tasks.length, input.dedup.mergeFanIn).map(([taskStart, taskEnd], g) => ({ taskStart, taskEnd, buckets: groupBucketPath(input.runDir, g) }));
    }
    await writeFileAtomic(dedupPlanPath(input.runDir), `${JSON.stringify(plan, null, 1)}\n`);
  }
  const result = { taskId: input.taskId, docs: plan.tasks.reduce((n, t) => n + t.docs, 0), segments: plan.segments.map((s) => s.name) };
  return { result, outputs: [{ path: dedupPlanPath(input.runDir) }] };
}

/**
 * The index's segments without this very run's commit (its folder was deleted and the run redone): the
 * run must not dedup against itself. Its own segment is left out; merged into a compacted segment, it is
 * withdrawn from it (the redone run commits again).
 */
async function indexSegmentsExceptOwn(indexDir: string, own: string, config: DedupConfig): Promise<IndexSegment[]> {
  const found = await findMember(indexDir, config, own);
  if (found !== null && found.segment.name !== own) await removeIndexSegment(indexDir, own, config);
  return (await listIndexSegments(indexDir, config)).filter((s) => s.name !== own);
}
