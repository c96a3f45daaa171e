import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeFileAtomic } from '@jcp/core';
import type { RunContext } from '../run-folder/context.ts';
import { taskStateRepairing } from '../run-folder/task-marker.ts';
import type { StagePlan } from '../stages/index.ts';
import { DEFAULT_MIN_JOB_BYTES, planJobArrays, UNKNOWN_INPUT_BYTES, type JobTask, type PendingStage } from './slurm-plan.ts';

const run = promisify(execFile);

/** How stages become Slurm job arrays; each default's reason beside it. */
export interface SlurmConfig {
  /** Partition; null: the cluster's default partition. */
  partition: string | null;
  /** Time limit per array task (sbatch --time). 4 h: a 1 GB Common Crawl WARC takes ~1 min per core at our measured rate, so this only stops runaways. */
  time: string;
  /** Memory per array task (sbatch --mem). 2 GB: measured peak RSS of a WARC task is ~200 MB; a band merge less. */
  mem: string;
  /** CPUs per array task. 1: every task is single-threaded. */
  cpusPerTask: number;
  /** Array tasks of one stage running at once (the %N of --array); null: no limit. */
  arrayLimit: number | null;
  /**
   * Tasks per array at most: Slurm's MaxArraySize defaults to 1001 (indices 0..1000), and a Common
   * Crawl snapshot has ~90,000 WARCs, so a stage is split into several arrays of this size.
   */
  maxArraySize: number;
  /** Extra sbatch arguments, e.g. ['--account=abc']. */
  extraArgs: string[];
  /**
   * Tasks one array task runs, one after the other in one process; null: sized from the input bytes so
   * that start-up is a small part of a job, and stages that fit in one job share it (slurm-plan.ts).
   */
  tasksPerJob: number | null;
  /** With `tasksPerJob` null: input bytes a job takes at least (slurm-plan.ts DEFAULT_MIN_JOB_BYTES). */
  minJobBytes: number;
}

export const DEFAULT_SLURM_CONFIG: SlurmConfig = {
  partition: null,
  time: '04:00:00',
  mem: '2G',
  cpusPerTask: 1,
  arrayLimit: null,
  maxArraySize: 1000,
  extraArgs: [],
  tasksPerJob: null,
  minJobBytes: DEFAULT_MIN_JOB_BYTES,
};

/** One sbatch submission: a chunk of the jobs of one stage, or of consecutive stages that share jobs. */
export interface SubmittedArray {
  /** The stages, joined with '+' when they share jobs (`dedup-plan+dedup-bands+…`). */
  stage: string;
  jobId: string;
  /** Array index k runs the tasks slots[k], in order. */
  slots: JobTask[][];
  tasksFile: string;
  logs: string;
}

/** jobs.json as runs before jobs held several tasks wrote it: one task index per array index. */
interface SubmittedArrayV1 {
  stage: string;
  jobId: string;
  indices: number[];
  tasksFile: string;
  logs: string;
}

export interface SlurmSubmission {
  submittedAt: string;
  arrays: SubmittedArray[];
}

/** Environment variable carrying the run lock's token into every array task. */
export const RUN_TOKEN_ENV = 'JCP_RUN_TOKEN';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const RUN_TASK = fileURLToPath(new URL('../cli/run-task.ts', import.meta.url));

export function slurmDir(runDir: string): string {
  return join(runDir, 'slurm');
}

export function slurmJobsPath(runDir: string): string {
  return join(slurmDir(runDir), 'jobs.json');
}

/**
 * Submits every stage that has tasks without a `.done` marker as job arrays (grouped into jobs as
 * slurm-plan.ts plans), each depending on the arrays before (`afterok`, with `--kill-on-invalid-dep=yes`
 * so that a failed task cancels what waits on it instead of leaving it pending forever). Only unfinished
 * tasks are submitted, so rerunning the command after a failure or a cancel resubmits just those (and
 * the stages after).
 */
export async function submitToSlurm(ctx: RunContext, stages: StagePlan[], config: SlurmConfig, runToken: string, log: (line: string) => void): Promise<SlurmSubmission> {
  const dir = slurmDir(ctx.runDir);
  const logs = join(dir, 'logs');
  await mkdir(logs, { recursive: true });
  const earlier = await readSubmissions(ctx.runDir);
  // Tasks of an earlier submission still queued or running would be submitted again (they have no
  // .done yet) and two copies of one task would write the same outputs.
  const live = await queueStates(earlier.flatMap((s) => s.arrays.map((a) => a.jobId)));
  if (live.size > 0) {
    throw new Error(`${live.size} task(s) of this run's earlier submission are still in the Slurm queue (${[...live.keys()].slice(0, 5).join(', ')}…); wait for them or scancel them, then rerun`);
  }
  const submission: SlurmSubmission = { submittedAt: new Date().toISOString(), arrays: [] };
  const serial = earlier.length;
  // Recorded after every sbatch, so a submission that fails half way still lists what it submitted.
  const record = (): Promise<void> => writeFileAtomic(slurmJobsPath(ctx.runDir), `${JSON.stringify([...earlier, submission], null, 1)}\n`);
  const pendingStages: PendingStage[] = [];
  for (const stage of stages) {
    // A done task's inputs cannot change any more (a task only runs once the stage before is all done),
    // so only the tasks without a `.done` marker are submitted.
    const pending: number[] = [];
    for (let i = 0; i < stage.count; i++) if ((await taskStateRepairing(ctx.runDir, stage.name, stage.taskId(i), log)).kind !== 'done') pending.push(i);
    const bytes = stage === stages[0] ? await Promise.all(Array.from({ length: stage.count }, (_, i) => stage.bytes(i))) : [];
    pendingStages.push({ name: stage.name, count: stage.count, pending, inputBytes: (i) => bytes[i] ?? 0 });
  }
  const plans = planJobArrays(pendingStages, { tasksPerJob: config.tasksPerJob, minJobBytes: config.minJobBytes, unknownInputBytes: UNKNOWN_INPUT_BYTES });
  let previous: string[] = [];
  for (const plan of plans) {
    const label = plan.stages.join('+');
    const fileLabel = plan.stages.length === 1 ? plan.stages[0]! : `${plan.stages[0]!}-to-${plan.stages.at(-1)!}`;
    const ids: string[] = [];
    for (let start = 0, chunk = 0; start < plan.slots.length; start += config.maxArraySize, chunk++) {
      const slots = plan.slots.slice(start, start + config.maxArraySize);
      const tasksFile = join(dir, `${String(serial).padStart(3, '0')}-${fileLabel}-${chunk}.tasks.json`);
      await writeFileAtomic(tasksFile, JSON.stringify(slots));
      const array = `0-${slots.length - 1}${config.arrayLimit ? `%${config.arrayLimit}` : ''}`;
      const args = [
        '--parsable',
        `--job-name=jcp-${ctx.pipeline}-${fileLabel}`,
        `--array=${array}`,
        `--output=${join(logs, `${fileLabel}-%A_%a.out`)}`,
        `--time=${config.time}`,
        `--mem=${config.mem}`,
        `--cpus-per-task=${config.cpusPerTask}`,
        `--chdir=${REPO}`,
        ...(config.partition ? [`--partition=${config.partition}`] : []),
        ...(previous.length ? [`--dependency=afterok:${previous.join(':')}`, '--kill-on-invalid-dep=yes'] : []),
        ...config.extraArgs,
        // The run lock's token: a task of a submission the run folder no longer belongs to refuses to write (run-task.ts).
        `--export=ALL,${RUN_TOKEN_ENV}=${runToken}`,
        `--wrap=${shellQuote(process.execPath)} --import tsx ${shellQuote(RUN_TASK)} ${shellQuote(ctx.runDir)} --tasks-file ${shellQuote(tasksFile)} "$SLURM_ARRAY_TASK_ID"`,
      ];
      const { stdout } = await run('sbatch', args);
      const jobId = stdout.trim().split(';')[0]!;
      if (!/^\d+$/.test(jobId)) throw new Error(`sbatch answered '${stdout.trim()}' for ${label}`);
      ids.push(jobId);
      submission.arrays.push({ stage: label, jobId, slots, tasksFile, logs: join(logs, `${fileLabel}-${jobId}_<index>.out`) });
      await record();
    }
    previous = ids;
  }
  return submission;
}

export async function readSubmissions(runDir: string): Promise<SlurmSubmission[]> {
  const text = await readFile(slurmJobsPath(runDir), 'utf8').catch(() => null);
  if (text === null) return [];
  const submissions = JSON.parse(text) as Array<{ submittedAt: string; arrays: Array<SubmittedArray | SubmittedArrayV1> }>;
  return submissions.map((s) => ({
    submittedAt: s.submittedAt,
    arrays: s.arrays.map((a) => ('slots' in a ? a : { stage: a.stage, jobId: a.jobId, slots: a.indices.map((index) => [{ stage: a.stage, index }]), tasksFile: a.tasksFile, logs: a.logs })),
  }));
}

/** Array task states Slurm still holds for these jobs (`<job>_<index>` → PENDING, RUNNING, ...). */
export async function queueStates(jobIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (jobIds.length === 0) return out;
  const { stdout } = await squeue(['-h', '-r', '-j', jobIds.join(','), '-o', '%i %T']);
  for (const line of stdout.split('\n')) {
    const [id, state] = line.trim().split(/\s+/);
    if (id && state) out.set(id, state);
  }
  return out;
}

/** Whether any of these jobs is still queued or running; undefined when squeue cannot be asked (no Slurm here). */
export async function slurmJobsAlive(jobIds: string[]): Promise<boolean | undefined> {
  try {
    const { stdout } = await run('squeue', ['-h', '-r', '-j', jobIds.join(','), '-o', '%i']);
    return stdout.trim().length > 0;
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '');
    return /Invalid job id/i.test(stderr) ? false : undefined;
  }
}

/** Waits until none of the jobs is in the queue any more (finished, failed or cancelled). */
export async function waitForJobs(jobIds: string[], pollMs = 1000, onPoll?: (left: number) => void): Promise<void> {
  for (;;) {
    const left = (await queueStates(jobIds)).size;
    onPoll?.(left);
    if (left === 0) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * squeue, retried: a busy controller answers with an error now and then, and reading that as "no jobs
 * left" would end a wait early. An unknown job id (long finished and purged) is not an error.
 */
async function squeue(args: string[]): Promise<{ stdout: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run('squeue', args);
    } catch (e) {
      const stderr = String((e as { stderr?: unknown }).stderr ?? '');
      if (/Invalid job id/i.test(stderr)) return { stdout: '' };
      if (attempt >= 5) throw new Error(`squeue failed ${attempt} times: ${stderr.trim() || String(e)}`);
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}


