import { readFile } from 'node:fs/promises';
import { jsonLines, parseJsonLines, writeFileAtomic } from '@jcp/core';
import type { DedupConfig, SiteBoilerplateConfig } from '@jcp/dedup';
import { appendRunHistory, mergeLedgers, runHistoryPath, type AuditSample, type Ledger, type ReportDedupSummary, type ReportRunStats, type ReportSiteBoilerplate } from '@jcp/stats';
import type { RunContext } from '../run-folder/context.ts';
import { readDedupPlan } from '../run-folder/dedup-files.ts';
import { readIndexScan } from '../run-folder/index-plan.ts';
import type { IndexSelection, IndexStepCounts } from '@jcp/crawler';
import { runSamplesPath, statsPath, taskSamplesPath } from '../run-folder/layout.ts';
import { BAND_STAGE, CLUSTER_STAGE, INDEX_STAGE, PROCESS_STAGE, STATS_STAGE, WRITE_STAGE, bandTaskId, taskIdFor } from '../run-folder/names.ts';
import { readTaskResult, type TaskOutput } from '../run-folder/task-marker.ts';
import type { BandTaskResult } from './dedup-bands.ts';
import type { ClusterTaskResult } from './dedup-cluster.ts';
import type { WarcTaskResult } from './process.ts';
import { defineStage } from './stage.ts';
import { ONLY_SITE_BOILERPLATE, topHostRemovals } from '../steps/web-page/site-boilerplate.ts';
import type { WriteTaskResult } from './write.ts';

const STATS_SCHEMA = 'jcp-stats/2';

/**
 * stats.json (the schema is documented in the README): the stats package's view of a run (what the
 * history and the report read) with this pipeline's per-WARC results and failures.
 */
export interface RunStats extends ReportRunStats {
  /** Per WARC: its process result, and `shards` the corpus shards its write task wrote (none when it kept nothing). */
  byWarc: Array<Omit<WarcTaskResult, 'seconds' | 'stepMs'> & { shards: string[] }>;
  /** Milliseconds spent in each per-record step (and `write`'s tasks as a whole), summed over the tasks: where the time goes. */
  stepMs: Record<string, number>;
  dedup: DedupSummary | null;
  /** What site-line removal took (null when the run has none); the ledger's `site-boilerplate` step has the same totals. */
  siteBoilerplate: SiteBoilerplateSummary | null;
  failed: TaskFailure[];
  /** `--via-index` runs: what the index scan did and what the byte ranges cost against full WARCs; null for a full scan. */
  viaIndex: ViaIndexSummary | null;
}

/**
 * The index side of a `--via-index` run. The ledger's `index` step has the rows of each WARC (in, selected,
 * skipped by reason); this adds what only the scan as a whole knows (row groups skipped by statistics,
 * languages, index bytes) and the bytes fetched against what reading the WARCs whole would have read.
 */
export interface ViaIndexSummary extends IndexStepCounts {
  indexFiles: string[];
  selection: IndexSelection;
  /** Σ over the finished WARC tasks: bytes fetched by range, the selected records' own bytes, the WARC files' full sizes. */
  bytesFetched: number;
  recordBytes: number;
  warcBytes: number;
  /** WARC tasks whose full size is unknown (a server that gave no Content-Length): not in warcBytes. */
  warcsOfUnknownSize: number;
}

/** What site-line removal took (stats.json `siteBoilerplate`): the report's shape, `topHosts` summed over the WARCs' own top lists. */
export type SiteBoilerplateSummary = ReportSiteBoilerplate;

/** A task that failed, as stats.json lists it. */
export interface TaskFailure {
  taskId: string;
  error: string;
}

/** What the run-wide dedup did, besides the `dedup` stage's drops in the ledger. */
export type DedupSummary = ReportDedupSummary;

/**
 * Reads every task's `.done` markers in task order and adds their ledgers: the same result however the
 * tasks were scheduled. Reads only: `pnpm status` calls it on a run that may sit on a full disk.
 */
export async function buildRunStats(ctx: RunContext, failures: TaskFailure[]): Promise<RunStats> {
  return (await gatherRunStats(ctx, failures)).stats;
}

/** The run's stats and its audit samples per reason, from the markers as they are now. */
async function gatherRunStats(ctx: RunContext, failures: TaskFailure[]): Promise<{ stats: RunStats; samples: Map<string, AuditSample[]> }> {
  const { runDir } = ctx;
  const taskIds = ctx.inputs.map(taskIdFor);
  const totals: Ledger = {};
  const byWarc: RunStats['byWarc'] = [];
  const stepMs: Record<string, number> = {};
  let docs = 0;
  let shards = 0;
  let done = 0;
  for (const taskId of taskIds) {
    const processed = await readTaskResult<WarcTaskResult>(runDir, PROCESS_STAGE, taskId);
    if (processed === null) continue;
    const { seconds: _seconds, stepMs: taskStepMs, ...result } = processed;
    for (const [step, ms] of Object.entries(taskStepMs ?? {})) stepMs[step] = (stepMs[step] ?? 0) + ms;
    const written = await readTaskResult<WriteTaskResult>(runDir, WRITE_STAGE, taskId);
    if (written) {
      done++;
      mergeLedgers(result.ledger, written.ledger);
      docs += written.ledger.write?.docsOut ?? 0;
      shards += written.corpusShards.length;
    }
    mergeLedgers(totals, result.ledger);
    byWarc.push({ ...result, shards: written?.corpusShards ?? [] });
  }
  const samples = await mergeAuditSamples(runDir, taskIds, ctx.settings.chain.filters.auditSamplesPerReasonPerRun);
  const stats: RunStats = {
    schema: STATS_SCHEMA,
    pipeline: ctx.pipeline,
    runId: ctx.runId,
    source: ctx.source,
    subcorpus: ctx.subcorpus,
    tokenizer: ctx.settings.tokens,
    filterProfile: ctx.settings.chain.filters.profile,
    tasks: { total: taskIds.length, done, failed: failures.length },
    totals,
    output: { [`${ctx.lang}/${ctx.subcorpus}`]: { docs, shards } },
    byWarc,
    stepMs,
    dedup: await dedupSummary(runDir, ctx.settings.dedup),
    siteBoilerplate: siteBoilerplateSummary(ctx.settings.siteLines, totals, byWarc),
    failed: failures,
    // Sorted by reason: the same file however the tasks' samples interleave (a refilter run offers them in another order).
    samples: Object.fromEntries([...samples].sort(([a], [b]) => (a < b ? -1 : 1)).map(([reason, list]) => [reason, list.length])),
    viaIndex: await viaIndexSummary(ctx, byWarc),
  };
  return { stats, samples };
}

async function viaIndexSummary(ctx: RunContext, byWarc: RunStats['byWarc']): Promise<ViaIndexSummary | null> {
  const scan = ctx.viaIndex ? await readIndexScan(ctx.runDir) : null;
  if (!ctx.viaIndex || !scan) return null;
  const sum = (f: (w: RunStats['byWarc'][number]) => number): number => byWarc.reduce((n, w) => n + f(w), 0);
  return {
    ...ctx.viaIndex,
    ...scan,
    bytesFetched: sum((w) => w.bytesFetched ?? 0),
    recordBytes: sum((w) => w.recordBytes ?? 0),
    warcBytes: sum((w) => w.warcBytes ?? 0),
    warcsOfUnknownSize: byWarc.filter((w) => w.warcBytes === null || w.warcBytes === undefined).length,
  };
}

function siteBoilerplateSummary(config: SiteBoilerplateConfig, totals: Ledger, byWarc: RunStats['byWarc']): SiteBoilerplateSummary | null {
  if (!config.enabled) return null;
  const step = totals['site-boilerplate'];
  return {
    minPages: config.minPages,
    minShare: config.minShare,
    lines: step?.events['lines-removed'] ?? 0,
    chars: step?.events['chars-removed'] ?? 0,
    tokens: step?.events['tokens-removed'] ?? 0,
    pagesEmptied: step?.drops[ONLY_SITE_BOILERPLATE]?.docs ?? 0,
    topHosts: topHostRemovals(byWarc.flatMap((w) => w.siteBoilerplateHosts ?? []), config.topHosts),
  };
}

async function dedupSummary(runDir: string, dedup: DedupConfig): Promise<DedupSummary | null> {
  const plan = await readDedupPlan(runDir);
  const clusters = await readTaskResult<ClusterTaskResult>(runDir, CLUSTER_STAGE, 'clusters');
  if (!plan || !clusters) return null;
  const perBand: Array<Omit<BandTaskResult, 'taskId'>> = [];
  for (let s = 0; s <= dedup.bands; s++) {
    const band = await readTaskResult<BandTaskResult>(runDir, BAND_STAGE, bandTaskId(s));
    if (band) {
      const { taskId: _taskId, ...rest } = band;
      perBand.push(rest);
    }
  }
  const commit = await readTaskResult<{ segment: string }>(runDir, INDEX_STAGE, 'commit');
  return {
    bands: dedup.bands,
    rows: dedup.rows,
    threshold: dedup.threshold,
    shingleChars: dedup.minhash.shingleChars,
    indexSegments: plan.segments.map((s) => s.name),
    committedAs: commit?.segment ?? null,
    clusters: clusters.clusters,
    clusteredDocs: clusters.clusteredDocs,
    superseded: clusters.superseded ?? {},
    perBand,
  };
}

/** The tasks' audit samples, the first ones per reason in task order. */
async function mergeAuditSamples(runDir: string, taskIds: string[], perReason: number): Promise<Map<string, AuditSample[]>> {
  const byReason = new Map<string, AuditSample[]>();
  const files = [...taskIds.map((t) => taskSamplesPath(runDir, PROCESS_STAGE, t)), ...taskIds.map((t) => taskSamplesPath(runDir, WRITE_STAGE, t))];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const sample of parseJsonLines<AuditSample>(text)) {
      const list = byReason.get(sample.reason) ?? [];
      byReason.set(sample.reason, list);
      if (list.length < perReason) list.push(sample);
    }
  }
  return byReason;
}

/** Writes stats.json and the run's audit samples (`samples/<reason>.jsonl`) from whatever `.done` markers exist now; returns them and the files written. */
export async function writeRunStats(ctx: RunContext, failures: TaskFailure[]): Promise<{ stats: RunStats; files: TaskOutput[] }> {
  const { stats, samples } = await gatherRunStats(ctx, failures);
  const files: TaskOutput[] = [];
  for (const [reason, list] of samples) {
    const path = runSamplesPath(ctx.runDir, reason);
    await writeFileAtomic(path, jsonLines(list));
    files.push({ path });
  }
  await writeFileAtomic(statsPath(ctx.runDir), `${JSON.stringify(stats, null, 2)}\n`);
  files.push({ path: statsPath(ctx.runDir) });
  return { stats, files };
}

/**
 * The last stage, one task: the run's stats.json once every other stage is done, and its line in the
 * history beside the run folder (`../history.jsonl`: nightly runs sit side by side, so their trend is one file).
 */
export const statsStage = defineStage<RunContext, { taskId: string; docs: number }>({
  name: STATS_STAGE,
  taskCount: () => 1,
  taskId: () => 'stats',
  input: async (ctx) => ctx,
  run: async (ctx) => {
    const { stats, files } = await writeRunStats(ctx, []);
    await appendRunHistory(runHistoryPath(ctx.runDir, ctx.pipeline), stats);
    const docs = Object.values(stats.output).reduce((n, o) => n + o.docs, 0);
    return { result: { taskId: 'stats', docs }, outputs: files };
  },
});
