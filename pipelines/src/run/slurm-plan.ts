/**
 * How a run's unfinished tasks become Slurm job arrays: which tasks one array task (a "job") runs, in
 * order, in one process. Start-up (Node, the module graph, the SentencePiece model, cld3's wasm) is paid
 * once per job, so many small tasks in one job cost one start-up instead of many; a stage whose tasks all
 * fit in one job can share that job with the stages around it, which also saves a dependency hop in the
 * queue. Pure: `slurm-jobs.ts` submits what this plans.
 */

/** One task of one stage. */
export interface JobTask {
  stage: string;
  index: number;
}

/** One sbatch array: element k runs `slots[k]` in order; `stages` in run order. */
export interface JobArrayPlan {
  stages: string[];
  slots: JobTask[][];
}

/** A stage's unfinished tasks, with each one's input bytes (0: unknown, e.g. a URL not fetched yet). */
export interface PendingStage {
  name: string;
  /** Every task of the stage, done or not. */
  count: number;
  pending: number[];
  inputBytes(index: number): number;
}

export interface JobSizing {
  /** Tasks per job for every stage; null: sized from the input bytes (`minJobBytes`). */
  tasksPerJob: number | null;
  /** A job takes tasks until their input reaches this many bytes (see DEFAULT_MIN_JOB_BYTES). */
  minJobBytes: number;
  /** Bytes assumed for an input of unknown size: a remote WARC is not looked at to plan. */
  unknownInputBytes: number;
}

/**
 * Plans the arrays. With a fixed `tasksPerJob`, each stage is its own array of jobs of that many tasks.
 * Sized from bytes: the first stage's tasks (one per input) are grouped in order until a job's input
 * reaches `minJobBytes`; a later stage's tasks are taken to weigh the run's whole input over its task
 * count, an upper bound (the dedup, write and stats stages read the run's own, smaller, outputs), so
 * they are grouped only when they are certainly small. Consecutive stages that each fit in one job run
 * as one job.
 */
export function planJobArrays(stages: PendingStage[], sizing: JobSizing): JobArrayPlan[] {
  const first = stages[0];
  const inputBytes = (i: number): number => first!.inputBytes(i) || sizing.unknownInputBytes;
  const runBytes = first ? Array.from({ length: first.count }, (_, i) => inputBytes(i)).reduce((a, b) => a + b, 0) : 0;
  const plans: Array<JobArrayPlan & { oneJob: boolean }> = [];
  for (const [s, stage] of stages.entries()) {
    if (stage.pending.length === 0) continue;
    const tasks = stage.pending.map((index) => ({ stage: stage.name, index }));
    const slots =
      sizing.tasksPerJob !== null
        ? chunks(tasks, sizing.tasksPerJob)
        : s === 0
          ? groupByBytes(tasks, (t) => inputBytes(t.index), sizing.minJobBytes)
          : chunks(tasks, Math.ceil(sizing.minJobBytes / Math.max(1, runBytes / stage.count)));
    // A stage's tasks need every task of the stage before done: a job may run the next stage after its
    // own only when it holds all the unfinished tasks of both (the done ones stay done).
    const oneJob = sizing.tasksPerJob === null && slots.length === 1;
    const last = plans.at(-1);
    if (oneJob && last?.oneJob) {
      last.stages.push(stage.name);
      last.slots[0]!.push(...slots[0]!);
    } else {
      plans.push({ stages: [stage.name], slots, oneJob });
    }
  }
  return plans.map(({ stages: names, slots }) => ({ stages: names, slots }));
}

/**
 * 850 MB of input per job at least. An array task's start-up costs 1.9 s here (`pnpm bench slurm`: the
 * extra time per extra array task) and ~2.5 s in issue 18's measurement; the process stage reads
 * ~34 MB/s per core (docs/bench-results/pipeline.txt), so start-up equals the work of 65–85 MB, and at
 * 850 MB it is under a tenth of a job either way. A Common Crawl WARC (~1 GB) is one job; the fixtures'
 * inputs, a few kB, are one job for the whole run.
 */
export const DEFAULT_MIN_JOB_BYTES = 850_000_000;

/** A remote input's size is not known when the jobs are planned: taken as a Common Crawl WARC's (~1 GB). */
export const UNKNOWN_INPUT_BYTES = 1_000_000_000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupByBytes<T>(items: T[], bytes: (item: T) => number, minBytes: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let sum = 0;
  for (const item of items) {
    current.push(item);
    sum += bytes(item);
    if (sum >= minBytes) {
      out.push(current);
      [current, sum] = [[], 0];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}
