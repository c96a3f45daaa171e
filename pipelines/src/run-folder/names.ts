import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { RunContext } from './context.ts';

/**
 * The names a run folder is made of: its stage folders (`<stage>/<task>.done`) and its task ids.
 * Here, at the bottom, because the stages, the executors, the stats and the report all read them.
 */
export const PROCESS_STAGE = 'process';
/** With site-line removal, the WARC is read by this stage (up to `normalize`), and `process` filters after the counting. */
export const PAGES_STAGE = 'pages';
export const SITE_LINES_STAGE = 'site-lines';
export const PLAN_STAGE = 'dedup-plan';
export const GROUP_STAGE = 'dedup-groups';
export const BAND_STAGE = 'dedup-bands';
export const CLUSTER_STAGE = 'dedup-cluster';
export const WRITE_STAGE = 'write';
export const INDEX_STAGE = 'dedup-index';
export const STATS_STAGE = 'stats';

/** Task id of a WARC: its name plus a hash of its full path or URL, so same-named files never collide. */
export function taskIdFor(warcPath: string): string {
  const name = basename(warcPath).replace(/\.(?:warc|arc|jsonl)(?:\.gz)?$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
  return `${name}-${createHash('sha256').update(warcPath).digest('hex').slice(0, 8)}`;
}

export function groupTaskId(group: number): string {
  return `group-${String(group).padStart(5, '0')}`;
}

export function siteLinesTaskId(partition: number): string {
  return `part-${String(partition).padStart(3, '0')}`;
}

/**
 * The stage that reads a run's WARCs: `pages` when site-line removal runs (the filters then run in
 * `process`, after the counting), else `process`. What `--rerun-changed` and `--abandon-failed` act on.
 */
export function warcStageOf(ctx: Pick<RunContext, 'refilterOf' | 'settings' | 'reads'>): string {
  return ctx.refilterOf === null && removesSiteLines(ctx) ? PAGES_STAGE : PROCESS_STAGE;
}

/**
 * Whether a run removes site-level repeated lines: `siteLines.enabled`, for web pages only. A text
 * collection has no pages of hosts to compare (its records may have no URL), and a wiki's articles are one
 * host whose shared lines are its own text: both are read in `process`.
 */
export function removesSiteLines(ctx: Pick<RunContext, 'settings' | 'reads'>): boolean {
  return ctx.settings.siteLines.enabled && ctx.reads === undefined;
}

/**
 * Host partitions of a run's site-line counting: `siteLines.partitions`, but never more than the run
 * has WARCs, so a small run has few counting tasks while each task's memory stays at most about one
 * WARC's distinct lines (a partition of N WARCs holds about N / partitions WARCs' worth).
 */
export function siteLinePartitions(ctx: Pick<RunContext, 'inputs' | 'settings'>): number {
  const { partitions } = ctx.settings.siteLines;
  if (!Number.isInteger(partitions) || partitions < 1) throw new Error(`siteLines.partitions: expected an integer ≥ 1, got ${partitions}`);
  return Math.max(1, Math.min(partitions, ctx.inputs.length));
}

export function bandTaskId(section: number): string {
  return `band-${String(section).padStart(3, '0')}`;
}

/** The index segment a run commits: pipeline, run folder name and a hash of its full path, unique per run folder. */
export function indexSegmentName(ctx: Pick<RunContext, 'pipeline' | 'runDir'>): string {
  return `${ctx.pipeline}-${basename(ctx.runDir)}-${createHash('sha256').update(ctx.runDir).digest('hex').slice(0, 8)}`;
}
