import { Piscina } from 'piscina';
import { Progress } from '@jcp/stats';

export interface LocalTask {
  taskId: string;
  /** Input size, for the progress line. */
  bytes: number;
}

export interface TaskFailure {
  taskId: string;
  error: string;
}

/**
 * Runs tasks on a piscina pool, one task per worker at a time. A task that throws is reported and
 * counted as failed; the others go on, and a rerun retries it (it has no `.done` marker).
 */
export async function runOnPool<I extends LocalTask>(
  workerFile: string,
  tasks: I[],
  workers: number,
  label: string,
): Promise<TaskFailure[]> {
  const failures: TaskFailure[] = [];
  if (tasks.length === 0) return failures;
  const progress = new Progress(label, tasks.length, tasks.reduce((n, t) => n + t.bytes, 0));
  const pool = new Piscina({
    filename: workerFile,
    minThreads: Math.min(workers, tasks.length),
    maxThreads: Math.min(workers, tasks.length),
    // One task per thread: the work is CPU-bound, queueing more per thread only adds memory.
    concurrentTasksPerWorker: 1,
  });
  try {
    await Promise.all(
      tasks.map(async (task) => {
        try {
          await pool.run(task);
          progress.advance(1, task.bytes);
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          failures.push({ taskId: task.taskId, error });
          process.stderr.write(`task ${task.taskId} failed: ${error}\n`);
          progress.advance(1, task.bytes, `${failures.length} failed`);
        }
      }),
    );
  } finally {
    await pool.destroy();
  }
  return failures;
}
