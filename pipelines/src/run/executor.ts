import type { RunContext } from '../run-folder/context.ts';
import type { FolderLock } from '../run-folder/folder-lock.ts';
import type { TaskFailure } from '../stages/stats.ts';
import type { SubmittedArray } from './slurm-jobs.ts';

/**
 * Where a run's tasks run: this machine's cores, or a Slurm cluster. An executor runs (or submits) every
 * unfinished task of a prepared run, stage after stage, and answers what became of them; `runPipeline`
 * does the rest the same way for both (the run folder's lock, stats.json when the run stops short).
 */
export interface Executor {
  readonly name: 'local' | 'slurm';
  /**
   * Runs the run's unfinished tasks. `lock` is the run folder's: the executor releases it or hands it on
   * (Slurm jobs hold the run after the submitting command exits).
   */
  execute(ctx: RunContext, lock: FolderLock, log: (line: string) => void): Promise<Execution>;
}

export interface Execution {
  /** Every task of every stage done: the stats stage wrote stats.json. */
  finished: boolean;
  /** Known to have ended: false for Slurm jobs submitted without waiting for them. */
  ended: boolean;
  failures: TaskFailure[];
  /** The Slurm job arrays submitted (none locally). */
  submitted: SubmittedArray[];
}
