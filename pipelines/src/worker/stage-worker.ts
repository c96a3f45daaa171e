import { BroadcastChannel } from 'node:worker_threads';
import { loadRunContext, type RunContext } from '../run-folder/context.ts';
import { runTask, threadTaskTools } from '../stages/runner.ts';
import { PROGRESS_CHANNEL, type TaskProgress } from './progress-channel.ts';

/**
 * The piscina worker: a local task arrives as (run folder, stage, task index), exactly what a Slurm
 * array task gets, and builds its own input from the run folder.
 */
export interface WorkerTask {
  runDir: string;
  stage: string;
  index: number;
  taskId: string;
}

const progress = new BroadcastChannel(PROGRESS_CHANNEL);
// A worker must not keep the process alive on account of this channel.
progress.unref();

// The context is read once per run folder per thread: a pool serves one run.
let context: { runDir: string; ctx: Promise<RunContext> } | null = null;

export default async function runWorkerTask(task: WorkerTask): Promise<unknown> {
  if (context?.runDir !== task.runDir) context = { runDir: task.runDir, ctx: loadRunContext(task.runDir) };
  const tools = threadTaskTools(
    (bytes) => progress.postMessage({ taskId: task.taskId, bytes } satisfies TaskProgress),
    (line) => process.stderr.write(`${line}\n`),
  );
  return runTask(await context.ctx, task.stage, task.index, tools);
}
