import { readFile } from 'node:fs/promises';
import { describeHolder, FolderLock, readHolder } from '../run-folder/folder-lock.ts';
import { indexLockPath, runLockPath } from '../run-folder/layout.ts';
import { loadRunContext, type RunContext } from '../run-folder/context.ts';
import { RUN_TOKEN_ENV, slurmJobsAlive } from '../run/slurm-jobs.ts';
import type { JobTask } from '../run/slurm-plan.ts';
import { INDEX_STAGE, PLAN_STAGE } from '../run-folder/names.ts';
import { stagesOf } from '../stages/index.ts';
import { taskStateRepairing } from '../run-folder/task-marker.ts';
import { runTask, threadTaskTools } from '../stages/runner.ts';

const HELP = `usage: node --import tsx pipelines/src/cli/run-task.ts <run-dir> <stage> <index>
       node --import tsx pipelines/src/cli/run-task.ts <run-dir> --tasks-file <f> <slot>

Runs task <index> of <stage> of the run in <run-dir>, in this process. What a Slurm array task runs:
with --tasks-file (a JSON list of slots, each a list of {stage, index}), slot <slot> =
$SLURM_ARRAY_TASK_ID, its tasks one after the other, so start-up is paid once. A task builds its input
from the run folder, writes only its own outputs and, last, its .done marker; a failed task leaves
<stage>/<task>.failed and the command exits 1 without running the tasks after it.`;

/** The tasks this command runs, from its arguments; null: not a valid command line. */
async function tasksOf(argv: string[]): Promise<{ runDir: string; tasks: JobTask[] } | null> {
  const at = argv.indexOf('--tasks-file');
  const tasksFile = at >= 0 ? argv[at + 1] : undefined;
  const positional = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  if (!tasksFile) {
    const [runDir, stage, index] = positional;
    return runDir && stage && index !== undefined ? { runDir, tasks: [{ stage, index: Number(index) }] } : null;
  }
  // Jobs queued before an upgrade carry the old form: `<run-dir> <stage> --tasks-file f <slot>` over a list of indices.
  const [runDir, stageOrSlot, oldSlot] = positional;
  if (!runDir || stageOrSlot === undefined) return null;
  const listed = JSON.parse(await readFile(tasksFile, 'utf8')) as JobTask[][] | number[];
  const slot = Number(oldSlot ?? stageOrSlot);
  const entry = listed[slot];
  if (entry === undefined) throw new Error(`${tasksFile} has slots 0..${listed.length - 1}, not '${oldSlot ?? stageOrSlot}'`);
  return { runDir, tasks: typeof entry === 'number' ? [{ stage: stageOrSlot, index: entry }] : entry };
}

async function main(argv: string[]): Promise<number> {
  const parsed = argv.includes('--help') ? null : await tasksOf(argv);
  if (!parsed) {
    console.log(HELP);
    return argv.includes('--help') ? 0 : 2;
  }
  const ctx = await loadRunContext(parsed.runDir);
  await checkRunToken(parsed.runDir);
  for (const task of parsed.tasks) await runOne(ctx, task);
  return 0;
}

async function runOne(ctx: RunContext, { stage: stageName, index }: JobTask): Promise<void> {
  const stage = stagesOf(ctx).find((s) => s.name === stageName);
  if (!stage) throw new Error(`${ctx.runDir}: no stage '${stageName}'`);
  if (!Number.isInteger(index) || index < 0 || index >= stage.count) throw new Error(`${stageName} has tasks 0..${stage.count - 1}, not '${index}'`);
  // A task that is already done (a resubmitted array, a duplicate start) is not run again: a second run
  // would remove outputs the first one finished. A marker whose outputs no longer hold is redone.
  const log = (line: string): void => console.error(line);
  if ((await taskStateRepairing(ctx.runDir, stageName, stage.taskId(index), log)).kind === 'done') {
    console.log(`${stageName} ${stage.taskId(index)}: already done`);
    return;
  }
  const t0 = Date.now();
  // The dedup plan and the index commit each hold the index lock (a local run holds it across both; array
  // tasks of one run cannot share a lock, so the commit instead refuses if the index moved since the plan).
  const indexDir = (stageName === PLAN_STAGE || stageName === INDEX_STAGE) ? ctx.dedupIndex : null;
  const indexLock = indexDir ? await FolderLock.acquire(indexLockPath(indexDir), `${stageName} of ${ctx.runDir}`, { slurmJobsAlive, log }) : null;
  try {
    await runTask(ctx, stageName, index, threadTaskTools(() => undefined, log));
  } finally {
    await indexLock?.release();
  }
  console.log(`${stageName} ${stage.taskId(index)}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * An array task of a Slurm submission carries the run lock's token; if the run folder's lock now holds
 * another (the folder was taken over by a later command after this submission was judged dead), the
 * task must not write into it.
 */
async function checkRunToken(runDir: string): Promise<void> {
  const token = process.env[RUN_TOKEN_ENV];
  if (!token) return;
  const holder = await readHolder(runLockPath(runDir));
  if (holder?.token !== token) {
    throw new Error(`${runDir} no longer belongs to this Slurm submission (its lock is ${holder ? `held by ${describeHolder(holder)}` : 'released'}); this task does not run`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
