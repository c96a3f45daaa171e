import { loadRunContext } from '../run/run-context.ts';
import { stagesOf } from '../run/stages.ts';
import { runStageTask } from '../worker/stage-worker.ts';

const HELP = `usage: node --import tsx pipelines/src/cli/run-task.ts <run-dir> <stage> <index>

Runs task <index> of <stage> of the run in <run-dir>, in this process: what a Slurm array task runs
(index = $SLURM_ARRAY_TASK_ID). The task builds its input from the run folder, writes only its own
outputs and, last, its .done marker; a failed task leaves <stage>/<task>.failed and exits 1.`;

async function main(argv: string[]): Promise<number> {
  const [runDir, stageName, rawIndex] = argv;
  if (!runDir || !stageName || rawIndex === undefined || argv.includes('--help')) {
    console.log(HELP);
    return argv.includes('--help') ? 0 : 2;
  }
  const stage = stagesOf(await loadRunContext(runDir)).find((s) => s.name === stageName);
  if (!stage) throw new Error(`${runDir}: no stage '${stageName}'`);
  const index = Number(rawIndex);
  if (!Number.isInteger(index) || index < 0 || index >= stage.count) throw new Error(`${stageName} has tasks 0..${stage.count - 1}, not '${rawIndex}'`);
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
