import { countSitePartition, writeRepeatedSiteLines, type SiteBoilerplateConfig } from '@jcp/dedup';
import { siteLinePagesPath, siteLinesRepeatedPath } from '../run-folder/layout.ts';
import { removesSiteLines, SITE_LINES_STAGE, siteLinePartitions, siteLinesTaskId, taskIdFor } from '../run-folder/names.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { defineStage } from './stage.ts';

/**
 * One task per host partition (`siteLines.partitions`): counts on how many pages of its host each line
 * of the partition's hosts is, over that section of every WARC's site-line file, and writes the lines
 * over the host's threshold (packages/dedup site-lines.ts). Memory is one partition's distinct
 * (host, line) pairs, whatever the number of WARCs. In a refilter run the site-line files are the
 * source run's (its normalised documents are this run's input).
 */
export const siteLinesStage = defineStage<SiteLinesTaskInput, SiteLinesTaskResult>({
  name: SITE_LINES_STAGE,
  inRun: (ctx) => removesSiteLines(ctx),
  taskCount: (ctx) => siteLinePartitions(ctx),
  taskId: (_ctx, partition) => siteLinesTaskId(partition),
  input: async (ctx, partition) => ({
    partition,
    taskId: siteLinesTaskId(partition),
    pageFiles: ctx.inputs.map((w) => siteLinePagesPath(ctx.refilterOf ?? ctx.runDir, taskIdFor(w))),
    out: siteLinesRepeatedPath(ctx.runDir, siteLinesTaskId(partition)),
    partitions: siteLinePartitions(ctx),
    config: checkedConfig(ctx.settings.siteLines),
    fromOtherRun: ctx.refilterOf !== null,
  }),
  // A refilter run's counts come from its source run's files: if that run is redone, this one notices.
  externalInputs: (input) => (input.fromOtherRun ? input.pageFiles : []),
  run: (input) => runSiteLinesTask(input),
});

export interface SiteLinesTaskInput {
  partition: number;
  taskId: string;
  /** Every WARC's site-line file, in task order. */
  pageFiles: string[];
  out: string;
  partitions: number;
  config: SiteBoilerplateConfig;
  /** The site-line files are another run's (a refilter run's source). */
  fromOtherRun: boolean;
}

export interface SiteLinesTaskResult {
  taskId: string;
  partition: number;
  /** Hosts of the partition with at least one repeated line, and those lines. */
  hosts: number;
  repeatedLines: number;
}

export async function runSiteLinesTask(input: SiteLinesTaskInput): Promise<TaskOutcome<SiteLinesTaskResult>> {
  const repeated = await countSitePartition(input.pageFiles, input.partition, input.partitions, input.config);
  await writeRepeatedSiteLines(input.out, repeated);
  let repeatedLines = 0;
  for (const lines of repeated.values()) repeatedLines += lines.size;
  return { result: { taskId: input.taskId, partition: input.partition, hosts: repeated.size, repeatedLines }, outputs: [{ path: input.out }] };
}

/** Thresholds a run cannot work with fail its site-lines tasks, naming the setting. */
function checkedConfig(config: SiteBoilerplateConfig): SiteBoilerplateConfig {
  if (!Number.isInteger(config.minPages) || config.minPages < 2) throw new Error(`siteLines.minPages: expected an integer ≥ 2, got ${config.minPages}`);
  if (!(config.minShare >= 0 && config.minShare <= 1)) throw new Error(`siteLines.minShare: expected a share in [0, 1], got ${config.minShare}`);
  return config;
}
