import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { timed } from './_measure.ts';
import { tempRunDir } from './_temp.ts';

const run = promisify(execFile);
const PIPELINE = fileURLToPath(new URL('../cli/pipeline.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `pnpm bench slurm [--input <warc>...]`: wall time of one cc-ja run on the Slurm of this machine
 * against the same run with the local executor (the floor), with jobs grouped as the default plans them
 * (`--tasks-per-job auto`) and with one task per job, and the start-up an array task costs, estimated
 * as the extra time per extra job. Default inputs: the fixtures. Needs a working Slurm
 * (scripts/slurm-setup.sh).
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { input: { type: 'string', multiple: true } } });
  const inputs = (values.input ?? []).flatMap((i) => ['--input', i]);
  const pipeline = async (label: string, extra: string[]): Promise<{ seconds: number; jobs: number; tasks: number }> => {
    const dir = await tempRunDir(`bench-slurm-${label}`);
    try {
      const r = await timed(() => run(process.execPath, ['--import', 'tsx', PIPELINE, 'cc-ja', ...inputs, '--out', join(dir, 'run'), ...extra], { cwd: REPO, maxBuffer: 64 << 20 }));
      const arrays = [...r.value.stdout.matchAll(/\((\d+) tasks in (\d+) jobs\)/g)];
      const jobs = arrays.reduce((n, m) => n + Number(m[2]), 0);
      const tasks = arrays.reduce((n, m) => n + Number(m[1]), 0);
      console.log(`${label.padEnd(16)} ${r.seconds.toFixed(1).padStart(6)} s${jobs ? `  ${arrays.length} arrays, ${jobs} array tasks, ${tasks} tasks` : ''}`);
      return { seconds: r.seconds, jobs, tasks };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const local = await pipeline('local', []);
  const auto = await pipeline('slurm auto', ['--executor', 'slurm', '--wait']);
  const single = await pipeline('slurm 1 per job', ['--executor', 'slurm', '--wait', '--tasks-per-job', '1']);
  const startupSeconds = single.jobs > auto.jobs ? (single.seconds - auto.seconds) / (single.jobs - auto.jobs) : null;
  console.log(
    JSON.stringify({
      local_seconds: round(local.seconds),
      slurm_auto_seconds: round(auto.seconds),
      slurm_auto_over_local: round(auto.seconds / local.seconds),
      slurm_auto_array_tasks: auto.jobs,
      slurm_one_task_per_job_seconds: round(single.seconds),
      slurm_one_task_per_job_over_local: round(single.seconds / local.seconds),
      slurm_one_task_per_job_array_tasks: single.jobs,
      tasks: single.tasks,
      seconds_per_extra_array_task: startupSeconds === null ? null : round(startupSeconds),
    }),
  );
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
