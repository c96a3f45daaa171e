import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { pipelineNamed } from '../definitions/index.ts';
import { readDedupPlan } from '../tasks/dedup-tasks.ts';
import type { WarcTaskResult } from '../tasks/warc-task.ts';
import type { StageTask } from '../worker/stage-worker.ts';
import type { RunContext } from './run-context.ts';
import { readTaskResult } from './task-marker.ts';

/**
 * The stages of a run, in order; each is a folder of `.done` markers, one per task, and each task
 * writes only its own outputs, so a stage's tasks run in any order, anywhere, and a failed one is
 * simply run again:
 *   process        one task per WARC: read → ... → filters → exact dedup within the WARC → staged shards + signatures
 *   dedup-plan     one task: fixes which signature files and index segments the dedup reads
 *   dedup-bands    one task per LSH band (and one for the exact band): verified duplicate pairs
 *   dedup-cluster  one task: union-find over all pairs, one survivor per cluster
 *   write          one task per WARC: staged shards minus the removed docs → corpus shards
 *   dedup-index    one task (with an index): this run's survivors join the persistent index
 *   stats          one task: stats.json, the run's audit samples, the history line
 */
export const PROCESS_STAGE = 'process';
export const PLAN_STAGE = 'dedup-plan';
export const BAND_STAGE = 'dedup-bands';
export const CLUSTER_STAGE = 'dedup-cluster';
export const WRITE_STAGE = 'write';
export const INDEX_STAGE = 'dedup-index';
export const STATS_STAGE = 'stats';

export interface StagePlan {
  name: string;
  count: number;
  taskId(i: number): string;
  /** The task's input, built from the run folder when the task is about to run (earlier stages are done by then). */
  build(i: number): Promise<StageTask>;
  /** Input bytes of task i, for progress; 0 when unknown. */
  bytes(i: number): Promise<number>;
}

/** Task id of a WARC: its name plus a hash of its full path or URL, so same-named files never collide. */
export function taskIdFor(warcPath: string): string {
  const name = basename(warcPath).replace(/\.(?:warc|arc)(?:\.gz)?$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
  return `${name}-${createHash('sha256').update(warcPath).digest('hex').slice(0, 8)}`;
}

export function bandTaskId(section: number): string {
  return `band-${String(section).padStart(3, '0')}`;
}

const single = (name: string, id: string, build: () => Promise<StageTask>): StagePlan => ({
  name,
  count: 1,
  taskId: () => id,
  build: async () => build(),
  bytes: async () => 0,
});

async function requiredPlan(ctx: RunContext): Promise<NonNullable<Awaited<ReturnType<typeof readDedupPlan>>>> {
  const plan = await readDedupPlan(ctx.runDir);
  if (!plan) throw new Error(`${ctx.runDir}: no dedup/plan.json; the ${PLAN_STAGE} stage has not run`);
  return plan;
}

export function stagesOf(ctx: RunContext): StagePlan[] {
  const def = pipelineNamed(ctx.pipeline);
  const { runDir } = ctx;
  const warcIds = ctx.inputs.map(taskIdFor);
  const stages: StagePlan[] = [
    {
      name: PROCESS_STAGE,
      count: ctx.inputs.length,
      taskId: (i) => warcIds[i]!,
      bytes: async (i) => (await stat(ctx.inputs[i]!).catch(() => null))?.size ?? 0,
      build: async (i) => ({
        kind: 'warc',
        runDir,
        stage: PROCESS_STAGE,
        taskId: warcIds[i]!,
        warcPath: ctx.inputs[i]!,
        source: def.source,
        subcorpus: def.subcorpus,
        lang: def.lang,
        reader: ctx.reader,
        http: ctx.http,
        chain: ctx.chain,
        dedup: ctx.dedup,
        tokens: ctx.tokens,
        shards: ctx.shards,
        verifyInputs: ctx.verifyInputs,
      }),
    },
    single(PLAN_STAGE, 'plan', async () => ({ kind: 'plan', runDir, stage: PLAN_STAGE, taskId: 'plan', taskIds: warcIds, processStage: PROCESS_STAGE, dedupIndex: ctx.dedupIndex, segmentName: indexSegmentName(ctx), dedup: ctx.dedup })),
    {
      name: BAND_STAGE,
      count: ctx.dedup.bands + 1,
      taskId: bandTaskId,
      bytes: async () => 0,
      build: async (section) => ({ kind: 'band', runDir, stage: BAND_STAGE, taskId: bandTaskId(section), section, plan: await requiredPlan(ctx), dedup: ctx.dedup }),
    },
    single(CLUSTER_STAGE, 'clusters', async () => ({ kind: 'cluster', runDir, stage: CLUSTER_STAGE, taskId: 'clusters', plan: await requiredPlan(ctx), dedup: ctx.dedup })),
    {
      name: WRITE_STAGE,
      count: ctx.inputs.length,
      taskId: (i) => warcIds[i]!,
      bytes: async () => 0,
      build: async (i) => {
        const done = await readTaskResult<WarcTaskResult>(runDir, PROCESS_STAGE, warcIds[i]!);
        if (!done) throw new Error(`${warcIds[i]}: the process stage has not finished this WARC`);
        return {
          kind: 'write',
          runDir,
          stage: WRITE_STAGE,
          taskId: warcIds[i]!,
          lang: def.lang,
          subcorpus: def.subcorpus,
          stagedShards: done.shards,
          stagedDocs: done.staged,
          shards: ctx.shards,
          auditSamplesPerReason: ctx.chain.filters.auditSamplesPerReason,
          auditPreviewChars: ctx.chain.filters.auditPreviewChars,
        };
      },
    },
  ];
  if (ctx.dedupIndex) {
    const index = ctx.dedupIndex;
    stages.push(
      single(INDEX_STAGE, 'commit', async () => ({ kind: 'index', runDir, stage: INDEX_STAGE, taskId: 'commit', plan: await requiredPlan(ctx), dedupIndex: index, segmentName: indexSegmentName(ctx), dedup: ctx.dedup })),
    );
  }
  stages.push(single(STATS_STAGE, 'stats', async () => ({ kind: 'stats', runDir, stage: STATS_STAGE, taskId: 'stats' })));
  return stages;
}

/** The index segment a run commits: pipeline, run folder name and a hash of its full path, unique per run folder. */
export function indexSegmentName(ctx: RunContext): string {
  return `${ctx.pipeline}-${basename(ctx.runDir)}-${createHash('sha256').update(ctx.runDir).digest('hex').slice(0, 8)}`;
}
