import { bandPairsPath, runBand, type BandPairsResult, type DedupConfig } from '@jcp/dedup';
import { planOf, requiredDedupPlan, type DedupPlanJson } from '../run-folder/dedup-files.ts';
import { pairsDir } from '../run-folder/layout.ts';
import { BAND_STAGE, bandTaskId } from '../run-folder/names.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { defineStage } from './stage.ts';

/** One task per LSH band, and one for the exact band: the band's verified duplicate pairs. */
export const dedupBandsStage = defineStage<BandTaskInput, BandTaskResult>({
  name: BAND_STAGE,
  taskCount: (ctx) => ctx.settings.dedup.bands + 1,
  taskId: (_ctx, section) => bandTaskId(section),
  input: async (ctx, section) => ({ runDir: ctx.runDir, stage: BAND_STAGE, taskId: bandTaskId(section), section, plan: await requiredDedupPlan(ctx.runDir), dedup: ctx.settings.dedup }),
  run: (input) => runBandTask(input),
});

export interface BandTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  section: number;
  plan: DedupPlanJson;
  dedup: DedupConfig;
}

export interface BandTaskResult extends BandPairsResult {
  taskId: string;
  section: number;
  exact: boolean;
}

/**
 * `JCP_FAULT_BAND=<section>:<entries>` makes the band task's worker die after merging that many band
 * entries: the resume test's crash in the middle of a band. Never set in normal runs.
 */
function faultAfter(section: number): number | null {
  const spec = process.env.JCP_FAULT_BAND;
  if (!spec) return null;
  const [s, n] = spec.split(':').map(Number);
  return s === section ? (n ?? 0) : null;
}

export async function runBandTask(input: BandTaskInput): Promise<TaskOutcome<BandTaskResult>> {
  const fault = faultAfter(input.section);
  const onEntry =
    fault === null
      ? undefined
      : (entries: number): void => {
          if (entries >= fault) process.exit(70);
        };
  const out = bandPairsPath(pairsDir(input.runDir), input.section);
  const r = await runBand(planOf(input.plan), input.dedup, input.section, out, onEntry);
  const result: BandTaskResult = { taskId: input.taskId, section: input.section, exact: input.section === input.dedup.bands, ...r };
  return { result, outputs: [{ path: out }] };
}
