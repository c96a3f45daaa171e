import { mergeBucketFiles, type DedupConfig } from '@jcp/dedup';
import { requiredDedupPlan, type DedupPlanJson } from '../run-folder/dedup-files.ts';
import { GROUP_STAGE, groupTaskId } from '../run-folder/names.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { defineStage } from './stage.ts';

/**
 * Only in runs of more WARCs than `dedup.mergeFanIn`: one task per group of that many WARCs, merging
 * their bucket files into one (packages/dedup bucket-groups.ts), so that each band task and the index
 * commit open one file per group instead of one per WARC.
 */
export const dedupGroupsStage = defineStage<GroupTaskInput, GroupTaskResult>({
  name: GROUP_STAGE,
  inRun: (ctx) => ctx.inputs.length > (ctx.settings.dedup.mergeFanIn ?? Infinity),
  taskCount: (ctx) => Math.ceil(ctx.inputs.length / ctx.settings.dedup.mergeFanIn),
  taskId: (_ctx, group) => groupTaskId(group),
  input: async (ctx, group) => ({ runDir: ctx.runDir, stage: GROUP_STAGE, taskId: groupTaskId(group), group, plan: await requiredDedupPlan(ctx.runDir), dedup: ctx.settings.dedup }),
  run: (input) => runGroupTask(input),
});

export interface GroupTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  group: number;
  plan: DedupPlanJson;
  dedup: DedupConfig;
}

export interface GroupTaskResult {
  taskId: string;
  group: number;
  tasks: number;
  entries: number;
}

export async function runGroupTask(input: GroupTaskInput): Promise<TaskOutcome<GroupTaskResult>> {
  const group = input.plan.groups?.[input.group];
  if (!group) throw new Error(`${input.runDir}: dedup/plan.json has no bucket group ${input.group} (made with another mergeFanIn?)`);
  const sources = input.plan.tasks.slice(group.taskStart, group.taskEnd).map((t, k) => ({ path: t.buckets, fileBase: group.taskStart + k }));
  const entries = await mergeBucketFiles(sources, input.dedup.bands + 1, group.buckets, input.dedup.mergeReadEntries);
  return { result: { taskId: input.taskId, group: input.group, tasks: sources.length, entries }, outputs: [{ path: group.buckets }] };
}
