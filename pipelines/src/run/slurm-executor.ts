import { readdirSync } from 'node:fs';
import type { RunContext } from '../run-folder/context.ts';
import { stageDir } from '../run-folder/layout.ts';
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
      const started = Date.now();
      let lastLine = 0;
      await waitForJobs(jobs, 1000, (left) => {
        if (left > 0 && Date.now() - lastLine < WAIT_PROGRESS_MS) return;
        lastLine = Date.now();
        log(`${new Date(lastLine).toISOString()} ${waitProgress(ctx, left, (lastLine - started) / 1000)}`);
      });
      await lock.release();
      const status = await runStatus(ctx.runDir);
      const failures = status.stages.flatMap((s) => Object.entries(s.failures).map(([taskId, error]) => ({ taskId, error: `${s.stage}: ${error}` })));
      const finished = status.stages.every((s) => s.done === s.total);
      return { finished, ended: true, failures: finished ? [] : failures, submitted: submission.arrays };
    },
  };
}

/** A line of progress every this often while `--wait` waits, as the local executor's batch-log lines. */
const WAIT_PROGRESS_MS = 5000;

/**
 * Tasks done per stage, read from the run folder's `.done` markers (what the jobs write as they finish),
 * and the jobs still in the queue: `cc-ja slurm: process 3/3, dedup-plan 0/1, … done; 4 jobs queued or running, elapsed 12 s`.
 */
export function waitProgress(ctx: RunContext, jobsLeft: number, seconds: number): string {
  const stages = stagesOf(ctx).map((stage) => {
    let names: string[] = [];
    try {
      names = readdirSync(stageDir(ctx.runDir, stage.name));
    } catch {
      // The stage has not started: no folder yet.
    }
    const done = names.filter((n) => n.endsWith('.done')).length;
    return `${stage.name} ${Math.min(done, stage.count)}/${stage.count}`;
  });
  return `${ctx.pipeline} slurm: ${stages.join(', ')} done; ${jobsLeft} job${jobsLeft === 1 ? '' : 's'} queued or running, elapsed ${seconds.toFixed(0)} s`;
}
