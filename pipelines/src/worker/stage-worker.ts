import { BroadcastChannel } from 'node:worker_threads';
import { createLanguageDetector, type LanguageDetector } from '@jcp/filters';
import { createTokenCounter, type TokenCounter } from '@jcp/stats';
import { PROGRESS_CHANNEL, type TaskProgress } from '../run/local-executor.ts';
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { writeFileAtomic } from '@jcp/core';
import { taskFailedPath, taskRunningPath } from '../run/run-folder.ts';
import {
  runBandTask,
  runClusterTask,
  runIndexTask,
  runPlanTask,
  type BandTaskInput,
  type ClusterTaskInput,
  type IndexTaskInput,
  type PlanTaskInput,
} from '../tasks/dedup-tasks.ts';
import { runStatsTask, type StatsTaskInput } from '../tasks/stats-task.ts';
import { runWarcTask, type WarcTaskInput } from '../tasks/warc-task.ts';
import { runWriteTask, type WriteTaskInput } from '../tasks/write-task.ts';

/** Every kind of task a stage hands to a worker thread (or, under Slurm, to an array task). */
export type StageTask =
  | ({ kind: 'warc' } & WarcTaskInput)
  | ({ kind: 'band' } & BandTaskInput)
  | ({ kind: 'cluster' } & ClusterTaskInput)
  | ({ kind: 'write' } & WriteTaskInput)
  | ({ kind: 'plan' } & PlanTaskInput)
  | ({ kind: 'index' } & IndexTaskInput)
  | ({ kind: 'stats' } & StatsTaskInput);

// One cld3 identifier per worker thread, made on first use and reused: cld3-asm's wasm heap is fixed
// and aborts after ~1,300 creations (shared/PACKAGES.md). One token counter per thread too: loading the
// SentencePiece model takes 0.2-0.3 s.
let detector: Promise<LanguageDetector> | null = null;
let tokenCounter: { key: string; counter: Promise<TokenCounter> } | null = null;
const progress = new BroadcastChannel(PROGRESS_CHANNEL);
// A worker must not keep the process alive on account of this channel.
progress.unref();

/**
 * Runs one task, with the markers `pnpm status` reads: `<task>.running` while it runs (where and since
 * when), `<task>.failed` with the error if it throws (removed by the next success). The `.done` marker
 * is the task's own, written last.
 */
export async function runStageTask(task: StageTask): Promise<unknown> {
  const running = taskRunningPath(task.runDir, task.stage, task.taskId);
  const failed = taskFailedPath(task.runDir, task.stage, task.taskId);
  await writeFileAtomic(running, JSON.stringify({ host: hostname(), pid: process.pid, slurmJob: slurmJobId(), since: new Date().toISOString() }));
  try {
    await injectedDelay(task);
    const result = await dispatch(task);
    await rm(failed, { force: true });
    return result;
  } catch (e) {
    await writeFileAtomic(failed, JSON.stringify({ error: e instanceof Error ? e.message : String(e), host: hostname(), slurmJob: slurmJobId(), at: new Date().toISOString() }));
    throw e;
  } finally {
    await rm(running, { force: true });
  }
}

/**
 * `JCP_FAULT_SLOW=<stage>:<task id part>:<ms>` holds a matching task that long before it starts: the
 * Slurm test cancels a task while it runs. Never set in normal runs.
 */
async function injectedDelay(task: StageTask): Promise<void> {
  const [stage, part, ms] = (process.env.JCP_FAULT_SLOW ?? '').split(':');
  if (stage === task.stage && part && task.taskId.includes(part)) await new Promise((r) => setTimeout(r, Number(ms)));
}

function slurmJobId(): string | null {
  const array = process.env.SLURM_ARRAY_JOB_ID;
  return array ? `${array}_${process.env.SLURM_ARRAY_TASK_ID ?? ''}` : (process.env.SLURM_JOB_ID ?? null);
}

async function dispatch(task: StageTask): Promise<unknown> {
  switch (task.kind) {
    case 'warc': {
      detector ??= createLanguageDetector(task.chain.langid);
      const key = JSON.stringify(task.tokens);
      if (tokenCounter?.key !== key) tokenCounter = { key, counter: createTokenCounter(task.tokens) };
      const report = (bytes: number): void => progress.postMessage({ taskId: task.taskId, bytes } satisfies TaskProgress);
      const tools = { detector: await detector, tokenCounter: await tokenCounter.counter };
      return runWarcTask(task, tools, (line) => process.stderr.write(`${line}\n`), report);
    }
    case 'band':
      return runBandTask(task);
    case 'cluster':
      return runClusterTask(task);
    case 'write':
      return runWriteTask(task);
    case 'plan':
      return runPlanTask(task);
    case 'index':
      return runIndexTask(task);
    case 'stats':
      return runStatsTask(task);
  }
}

export default runStageTask;
