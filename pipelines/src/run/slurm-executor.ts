import { stagesOf } from '../stages/index.ts';
import type { Executor } from './executor.ts';
import { runStatus } from './run-status.ts';
import { submitToSlurm, waitForJobs, type SlurmConfig, type SlurmSubmission } from './slurm-jobs.ts';

/**
 * A Slurm cluster: the run's unfinished tasks as job arrays, one per stage, chained with afterok. The
 * run folder's lock goes to the jobs (a second command is refused while any is queued). With `wait`, the
 * command waits for them and answers what did not finish, with each failed task's error.
 */
export function slurmExecutor(config: SlurmConfig, wait: boolean): Executor {
  return {
    name: 'slurm',
    async execute(ctx, lock, log) {
      let submission: SlurmSubmission;
      try {
        submission = await submitToSlurm(ctx, stagesOf(ctx), config, lock.holder.token, log);
      } catch (e) {
        await lock.release();
        throw e;
      }
      const jobs = submission.arrays.map((a) => a.jobId);
      if (jobs.length === 0) {
        await lock.release();
        return { finished: true, ended: true, failures: [], submitted: [] };
      }
      await lock.handToSlurm(jobs);
      if (!wait) return { finished: false, ended: false, failures: [], submitted: submission.arrays };
      await waitForJobs(jobs);
      await lock.release();
      const status = await runStatus(ctx.runDir);
      const failures = status.stages.flatMap((s) => Object.entries(s.failures).map(([taskId, error]) => ({ taskId, error: `${s.stage}: ${error}` })));
      const finished = status.stages.every((s) => s.done === s.total);
      return { finished, ended: true, failures: finished ? [] : failures, submitted: submission.arrays };
    },
  };
}
