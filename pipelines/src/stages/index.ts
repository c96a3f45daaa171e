import type { RunContext } from '../run-folder/context.ts';
import { dedupBandsStage } from './dedup-bands.ts';
import { dedupClusterStage } from './dedup-cluster.ts';
import { dedupGroupsStage } from './dedup-groups.ts';
import { dedupIndexStage } from './dedup-index.ts';
import { dedupPlanStage } from './dedup-plan.ts';
import { pagesStage, processStage } from './process.ts';
import { refilterStage } from './refilter.ts';
import { siteFilterStage } from './site-filter.ts';
import { siteLinesStage } from './site-lines.ts';
import type { StageModule } from './stage.ts';
import { statsStage } from './stats.ts';
import { writeStage } from './write.ts';

/**
 * The run stages, in order. Adding a stage is one module exporting a `RunStage` and one entry here;
 * the executors (local worker pool, Slurm arrays), the markers, `pnpm status` and resume follow.
 */
export const RUN_STAGES: readonly StageModule[] = [
  // Without site-line removal, `process` reads the WARCs and filters; with it, `pages` reads them up to
  // `normalize`, `site-lines` counts, and `process` filters what `pages` left (a refilter run: its source's).
  processStage,
  pagesStage,
  siteLinesStage,
  refilterStage,
  siteFilterStage,
  dedupPlanStage,
  dedupGroupsStage,
  dedupBandsStage,
  dedupClusterStage,
  writeStage,
  dedupIndexStage,
  statsStage,
];

/** A stage as the executors see it in one run: its name, how many tasks, and their ids. */
export interface StagePlan {
  name: string;
  count: number;
  taskId(index: number): string;
  /** Input bytes of task `index`, for progress; 0 when unknown. */
  bytes(index: number): Promise<number>;
}

/** The stages this run has (the index commit only with an index), as plans. */
export function stagesOf(ctx: RunContext): StagePlan[] {
  return RUN_STAGES.filter((s) => s.inRun?.(ctx) ?? true).map((s) => ({
    name: s.name,
    count: s.taskCount(ctx),
    taskId: (i) => s.taskId(ctx, i),
    bytes: async (i) => (s.inputBytes ? s.inputBytes(ctx, i) : 0),
  }));
}

/** The stage of this run with that name (a refilter run's `process` is the refilter stage). */
export function stageNamed(name: string, ctx: RunContext): StageModule {
  const stage = RUN_STAGES.find((s) => s.name === name && (s.inRun?.(ctx) ?? true));
  if (!stage) throw new Error(`no stage '${name}' (known: ${RUN_STAGES.map((s) => s.name).join(', ')})`);
  return stage;
}
