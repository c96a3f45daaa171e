import { readFile } from 'node:fs/promises';
import { describeHolder, FolderLock, readHolder } from '../run-folder/folder-lock.ts';
import { indexLockPath, runLockPath } from '../run-folder/layout.ts';
import { loadRunContext } from '../run-folder/context.ts';
import { RUN_TOKEN_ENV, slurmJobsAlive } from '../run/slurm-jobs.ts';
import { INDEX_STAGE, PLAN_STAGE } from '../run-folder/names.ts';
import { stagesOf } from '../stages/index.ts';
import { taskStateRepairing } from '../run-folder/task-marker.ts';
import { runTask, threadTaskTools } from '../stages/runner.ts';

const HELP = `usage: node --import tsx pipelines/src/cli/run-task.ts <run-dir> <stage> [--tasks-file <f>] <index>

Runs task <index> of <stage> of the run in <run-dir>, in this process: what a Slurm array task runs
(index = $SLURM_ARRAY_TASK_ID; with --tasks-file, a JSON list of task indices, the index picks from
it). The task builds its input from the run folder, writes only its own outputs and, last, its .done
marker; a failed task leaves <stage>/<task>.failed and exits 1.`;

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--tasks-file');
  const tasksFile = at >= 0 ? argv[at + 1] : undefined;
  const positional = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
  const [runDir, stageName, rawSlot] = positional;
  const rawIndex = tasksFile && rawSlot !== undefined ? String((JSON.parse(await readFile(tasksFile, 'utf8')) as number[])[Number(rawSlot)]) : rawSlot;
  if (!runDir || !stageName || rawIndex === undefined || argv.includes('--help')) {
    console.log(HELP);
    return argv.includes('--help') ? 0 : 2;
  }
  const ctx = await loadRunContext(runDir);
  const stage = stagesOf(ctx).find((s) => s.name === stageName);
  if (!stage) throw new Error(`${runDir}: no stage '${stageName}'`);
  const index = Number(rawIndex);
  if (!Number.isInteger(index) || index < 0 || index >= stage.count) throw new Error(`${stageName} has tasks 0..${stage.count - 1}, not '${rawIndex}'`);
  await checkRunToken(runDir);
  // A task that is already done (a resubmitted array, a duplicate start) is not run again: a second run
  // would remove outputs the first one finished. A marker whose outputs no longer hold is redone.
  const log = (line: string): void => console.error(line);
  if ((await taskStateRepairing(runDir, stageName, stage.taskId(index), log)).kind === 'done') {
    console.log(`${stageName} ${stage.taskId(index)}: already done`);
    return 0;
  }
  const t0 = Date.now();
  // The dedup plan and the index commit each hold the index lock (a local run holds it across both; array
  // tasks of one run cannot share a lock, so the commit instead refuses if the index moved since the plan).
  const indexDir = (stageName === PLAN_STAGE || stageName === INDEX_STAGE) ? ctx.dedupIndex : null;
  const indexLock = indexDir ? await FolderLock.acquire(indexLockPath(indexDir), `${stageName} of ${runDir}`, { slurmJobsAlive, log }) : null;
  try {
    await runTask(ctx, stageName, index, threadTaskTools(() => undefined, log));
  } finally {
    await indexLock?.release();
  }
  console.log(`${stageName} ${stage.taskId(index)}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
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
