import { BroadcastChannel } from 'node:worker_threads';
import { createLanguageDetector, type LanguageDetector } from '@jcp/filters';
import { createTokenCounter, type TokenCounter } from '@jcp/stats';
import { PROGRESS_CHANNEL, type TaskProgress } from '../run/local-executor.ts';
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { writeFileAtomic } from '@jcp/core';
import { fingerprintInput, inputChange, inputName, type InputFingerprint } from '../run/input-fingerprint.ts';
import { taskFailedPath, taskRunningPath } from '../run/run-folder.ts';
import { writeTaskMarker, type TaskOutcome } from '../run/task-marker.ts';
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
 * when), `<task>.failed` with the error if it throws (removed by the next success), and, last, the
 * `.done` marker, written here and only after the task's outputs were checked (task-marker.ts). The
 * WARC a process task reads (file or URL) is fingerprinted before it starts and checked again when it
 * ends: a WARC replaced while it was read fails the task instead of being vouched for.
 */
export async function runStageTask(task: StageTask): Promise<unknown> {
  const running = taskRunningPath(task.runDir, task.stage, task.taskId);
  const failed = taskFailedPath(task.runDir, task.stage, task.taskId);
  await writeFileAtomic(running, JSON.stringify({ host: hostname(), pid: process.pid, slurmJob: slurmJobId(), since: new Date().toISOString() }));
  try {
    const inputs = task.kind === 'warc' ? [await fingerprintInput(task.warcPath, task.verifyInputs, task.http)] : [];
    await injectedDelay(task);
    const outcome = await dispatch(task);
    await checkUnchanged(inputs, task);
    await writeTaskMarker(task.runDir, task.stage, task.taskId, outcome, inputs);
    await rm(failed, { force: true });
    return outcome.result;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    // On a full disk the marker cannot be written either: the task's own error is what must reach the operator.
    const unmarked = await writeFileAtomic(failed, JSON.stringify({ error, host: hostname(), slurmJob: slurmJobId(), at: new Date().toISOString() })).then(
      () => null,
      (m: unknown) => (m instanceof Error ? m.message : String(m)),
    );
    if (unmarked && e instanceof Error) e.message = `${error} (and its .failed marker could not be written: ${unmarked})`;
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

/** The inputs from outside the run (a process task's WARC, file or URL) must be the same after the task as before it. */
async function checkUnchanged(inputs: InputFingerprint[], task: StageTask): Promise<void> {
  if (task.kind !== 'warc') return;
  for (const fp of inputs) {
    const change = await inputChange(fp, 'quick', task.http);
    if (change) throw new Error(`${inputName(fp)} changed while ${task.stage} ${task.taskId} read it (${change}); rerun to read it again`);
  }
}

async function dispatch(task: StageTask): Promise<TaskOutcome<unknown>> {
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
