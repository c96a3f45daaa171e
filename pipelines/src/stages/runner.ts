import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { writeFileAtomic } from '@jcp/core';
import { createLanguageDetector, type LanguageDetector } from '@jcp/filters';
import { createTokenCounter, type TokenCounter } from '@jcp/stats';
import type { RunContext } from '../run-folder/context.ts';
import { fingerprintInput, inputChange, inputName, type InputFingerprint } from '../run-folder/input-fingerprint.ts';
import { taskFailedPath, taskRunningPath } from '../run-folder/layout.ts';
import { writeTaskMarker } from '../run-folder/task-marker.ts';
import { stageNamed } from './index.ts';
import type { TaskTools } from './stage.ts';

/**
 * Runs task `index` of stage `stageName` where it is called (a worker thread, a Slurm array task): the
 * same path for every executor. It builds the task's input from the run folder and keeps the task's
 * books: `<task>.running` while it runs (where and since when), `<task>.failed` with the error if it
 * throws (removed by the next success), and, last, the `.done` marker, written only after the task's
 * outputs were checked (task-marker.ts). The files or URLs the task reads from outside the run are
 * fingerprinted before it starts and checked again when it ends: a WARC replaced while it was read
 * fails the task instead of being vouched for.
 */
export async function runTask(ctx: RunContext, stageName: string, index: number, tools: TaskTools): Promise<unknown> {
  const stage = stageNamed(stageName, ctx);
  const taskId = stage.taskId(ctx, index);
  const running = taskRunningPath(ctx.runDir, stageName, taskId);
  const failed = taskFailedPath(ctx.runDir, stageName, taskId);
  await writeFileAtomic(running, JSON.stringify({ host: hostname(), pid: process.pid, slurmJob: slurmJobId(), since: new Date().toISOString() }));
  try {
    const task = await stage.prepare(ctx, index);
    const inputs = await Promise.all(task.externalInputs.map((input) => fingerprintInput(input, ctx.verifyInputs, ctx.settings.http)));
    await injectedDelay(stageName, taskId);
    const outcome = await task.run(tools);
    await checkUnchanged(ctx, inputs, `${stageName} ${taskId}`);
    await writeTaskMarker(ctx.runDir, stageName, taskId, outcome, inputs);
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

/** The inputs from outside the run must be the same after the task as before it. */
async function checkUnchanged(ctx: RunContext, inputs: InputFingerprint[], task: string): Promise<void> {
  for (const fp of inputs) {
    const change = await inputChange(fp, 'quick', ctx.settings.http);
    if (change) throw new Error(`${inputName(fp)} changed while ${task} read it (${change}); rerun to read it again`);
  }
}

// One cld3 identifier per thread, made on first use and reused: cld3-asm's wasm heap is fixed and
// aborts after ~1,300 creations (shared/PACKAGES.md). One token counter per thread and config too:
// loading the SentencePiece model takes 0.2-0.3 s.
let detector: Promise<LanguageDetector> | null = null;
let tokenCounter: { key: string; counter: Promise<TokenCounter> } | null = null;

/** The tools of this thread: its one language detector and token counter, and where lines and progress go. */
export function threadTaskTools(progress: (bytesRead: number) => void, log: (line: string) => void): TaskTools {
  return {
    languageDetector: (config) => (detector ??= createLanguageDetector(config)),
    tokenCounter: (config) => {
      const key = JSON.stringify(config);
      if (tokenCounter?.key !== key) tokenCounter = { key, counter: createTokenCounter(config) };
      return tokenCounter.counter;
    },
    progress,
    log,
  };
}

/**
 * `JCP_FAULT_SLOW=<stage>:<task id part>:<ms>` holds a matching task that long after it fingerprinted
 * its inputs and before it reads them: the tests cancel a task while it runs, or replace its WARC. Never
 * set in normal runs.
 */
async function injectedDelay(stage: string, taskId: string): Promise<void> {
  const [s, part, ms] = (process.env.JCP_FAULT_SLOW ?? '').split(':');
  if (s === stage && part && taskId.includes(part)) await new Promise((r) => setTimeout(r, Number(ms)));
}

function slurmJobId(): string | null {
  const array = process.env.SLURM_ARRAY_JOB_ID;
  return array ? `${array}_${process.env.SLURM_ARRAY_TASK_ID ?? ''}` : (process.env.SLURM_JOB_ID ?? null);
}
