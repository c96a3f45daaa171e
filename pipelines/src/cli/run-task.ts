import { readFile, stat } from 'node:fs/promises';
import { taskDonePath } from '../run/run-folder.ts';
import { loadRunContext } from '../run/run-context.ts';
import { stagesOf } from '../run/stages.ts';
import { runStageTask } from '../worker/stage-worker.ts';

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
  const stage = stagesOf(await loadRunContext(runDir)).find((s) => s.name === stageName);
  if (!stage) throw new Error(`${runDir}: no stage '${stageName}'`);
  const index = Number(rawIndex);
  if (!Number.isInteger(index) || index < 0 || index >= stage.count) throw new Error(`${stageName} has tasks 0..${stage.count - 1}, not '${rawIndex}'`);
  // A task that is already done (a resubmitted array, a duplicate start) is not run again: a second run
  // would remove outputs the first one finished.
  if (await stat(taskDonePath(runDir, stageName, stage.taskId(index))).catch(() => null)) {
    console.log(`${stageName} ${stage.taskId(index)}: already done`);
    return 0;
  }
  const task = await stage.build(index);
  const t0 = Date.now();
  await runStageTask(task);
  console.log(`${stageName} ${task.taskId}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
