import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Progress } from '@jcp/stats';
import { taskStateRepairing } from '../run-folder/task-marker.ts';
import type { StagePlan } from '../stages/index.ts';
import type { TaskFailure } from '../stages/stats.ts';
import type { WorkerTask } from '../worker/stage-worker.ts';
import { PROGRESS_CHANNEL, type TaskProgress } from '../worker/progress-channel.ts';

export interface LocalTask {
  taskId: string;
  /** Input size, for the progress line. */
  bytes: number;
}

/**
 * Runs tasks on a piscina pool, one task per worker at a time. A task that throws is reported and
 * counted as failed; the others go on, and a rerun retries it (it has no `.done` marker).
 */
export async function runOnPool<I extends LocalTask>(pool: Piscina, tasks: I[], label: string): Promise<TaskFailure[]> {
  const failures: TaskFailure[] = [];
  if (tasks.length === 0) return failures;
  const progress = new Progress(label, tasks.length, tasks.reduce((n, t) => n + t.bytes, 0));
  const inFlight = new Map<string, number>();
  const channel = new BroadcastChannel(PROGRESS_CHANNEL);
  channel.onmessage = (event: unknown) => {
    const { taskId, bytes } = (event as { data: TaskProgress }).data;
    inFlight.set(taskId, bytes);
    progress.setInFlight(sumOf(inFlight));
  };
  const finish = (taskId: string): void => {
    inFlight.delete(taskId);
    progress.setInFlight(sumOf(inFlight));
  };
  try {
    await Promise.all(
      tasks.map(async (task) => {
        try {
          await pool.run(task);
          finish(task.taskId);
          progress.advance(1, task.bytes);
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          failures.push({ taskId: task.taskId, error });
          finish(task.taskId);
          process.stderr.write(`task ${task.taskId} failed: ${error}\n`);
          progress.advance(1, task.bytes, `${failures.length} failed`);
        }
      }),
    );
  } finally {
    channel.close();
  }
  return failures;
}

/**
 * A pool of `workers` threads for every stage of one run, so a thread loads the pipeline's modules (and
 * its tokenizer and language detector) once per run, not once per stage: ~0.7 s a stage on this machine,
 * most of a small run's wall time. Threads stay between stages (idle timeout) and start as tasks need them.
 */
function runPool(workers: number, firstStageTasks: number): Piscina {
  return new Piscina({
    filename: WORKER_FILE,
    minThreads: Math.min(workers, firstStageTasks),
    maxThreads: workers,
    // One task per thread: the work is CPU-bound, queueing more per thread only adds memory.
    concurrentTasksPerWorker: 1,
    // Long enough to outlive the pause between two stages (planning, markers), so no thread restarts.
    idleTimeout: 60_000,
  });
}

function sumOf(m: Map<string, number>): number {
  let sum = 0;
  for (const v of m.values()) sum += v;
  return sum;
}

/**
 * Runs the stages in order on a local pool, each stage's tasks that are not done yet (no `.done`
 * marker, or one whose outputs no longer hold: task-marker.ts); stops after the first stage with a
 * failed task (the next stage needs all of its input).
 */
export async function runStagesLocally(stages: StagePlan[], runDir: string, workers: number, label: string, log: (line: string) => void): Promise<TaskFailure[]> {
  let pool: Piscina | null = null;
  try {
    for (const stage of stages) {
      // A task is handed over as (run folder, stage, index), as to a Slurm array task: it builds its own input.
      const pending: Array<WorkerTask & LocalTask> = [];
      for (let i = 0; i < stage.count; i++) {
        if ((await taskStateRepairing(runDir, stage.name, stage.taskId(i), log)).kind === 'done') continue;
        pending.push({ runDir, stage: stage.name, index: i, taskId: stage.taskId(i), bytes: await stage.bytes(i) });
      }
      if (pending.length === 0) continue;
      if (pending.length < stage.count) {
        process.stderr.write(`${label} ${stage.name}: resuming: ${stage.count - pending.length} of ${stage.count} tasks already done\n`);
      }
      pool ??= runPool(workers, pending.length);
      const failures = await runOnPool(pool, pending, `${label} ${stage.name}`);
      if (failures.length) return failures;
    }
    return [];
  } finally {
    await pool?.destroy();
  }
}

const WORKER_FILE = fileURLToPath(new URL('../worker/stage-worker.ts', import.meta.url));
