import { PAGES_STAGE, PROCESS_STAGE, taskIdFor, warcStageOf } from '../run-folder/names.ts';
import type { WarcTaskResult } from './process.ts';
import { filterTaskInput, runFilterTask, type FilterTaskInput } from './refilter.ts';
import { defineStage } from './stage.ts';

/**
 * The process stage of a run with site-line removal: one task per WARC, after the `site-lines` stage,
 * that runs the filters over the WARC's normalised documents (written by its `pages` task) without the
 * lines their host repeats, into staged shards and signatures, as a refilter run does over another
 * run's documents. The ledger up to `normalize`, its samples and bad-record lines are the `pages` task's.
 */
export const siteFilterStage = defineStage<FilterTaskInput, WarcTaskResult>({
  name: PROCESS_STAGE,
  inRun: (ctx) => warcStageOf(ctx) === PAGES_STAGE,
  taskCount: (ctx) => ctx.inputs.length,
  taskId: (ctx, i) => taskIdFor(ctx.inputs[i]!),
  input: (ctx, i) => filterTaskInput(ctx, taskIdFor(ctx.inputs[i]!), { runDir: ctx.runDir, stage: PAGES_STAGE }),
  run: (input, tools) => runFilterTask(input, tools),
});
