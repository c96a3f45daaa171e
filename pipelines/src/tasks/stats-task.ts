import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@jcp/core';
import type { DedupConfig } from '@jcp/dedup';
import { appendRunHistory, HISTORY_FILE_NAME, mergeLedgers, type AuditSample, type Ledger, type ReportDedupSummary, type ReportRunStats } from '@jcp/stats';
import { pipelineNamed } from '../definitions/index.ts';
import type { TaskFailure } from '../run/local-executor.ts';
import { loadRunContext, type RunContext } from '../run/run-context.ts';
import { runSamplesPath, statsPath, taskDonePath, taskSamplesPath } from '../run/run-folder.ts';
import { BAND_STAGE, CLUSTER_STAGE, INDEX_STAGE, PROCESS_STAGE, WRITE_STAGE, bandTaskId, readDone, taskIdFor } from '../run/stages.ts';
import { readDedupPlan, type BandTaskResult, type ClusterTaskResult } from './dedup-tasks.ts';
import type { WarcTaskResult } from './warc-task.ts';
import type { WriteTaskResult } from './write-task.ts';

const STATS_SCHEMA = 'jcp-stats/2';
/** Audit samples kept per drop reason for the whole run (tasks contribute in task order). */
const RUN_SAMPLES_PER_REASON = 100;

/**
 * stats.json (the schema is documented in the README): the stats package's view of a run (what the
 * history and the report read) with this pipeline's per-WARC results and failures.
 */
export interface RunStats extends ReportRunStats {
  byWarc: Array<Omit<WarcTaskResult, 'seconds'>>;
  dedup: DedupSummary | null;
  failed: TaskFailure[];
}

/** What the run-wide dedup did, besides the `dedup` stage's drops in the ledger. */
export type DedupSummary = ReportDedupSummary;

/** Reads every task's `.done` markers in task order and adds their ledgers: the same result however the tasks were scheduled. */
export async function buildRunStats(ctx: RunContext, failures: TaskFailure[]): Promise<RunStats> {
  const def = pipelineNamed(ctx.pipeline);
  const { runDir } = ctx;
  const taskIds = ctx.inputs.map(taskIdFor);
  const totals: Ledger = {};
  const byWarc: RunStats['byWarc'] = [];
  let docs = 0;
  let shards = 0;
  let done = 0;
  for (const taskId of taskIds) {
    const processed = await readDone<WarcTaskResult>(runDir, PROCESS_STAGE, taskId);
    if (processed === null) continue;
    const { seconds: _seconds, ...result } = processed;
    const written = await readDone<WriteTaskResult>(runDir, WRITE_STAGE, taskId);
    if (written) {
      done++;
      mergeLedgers(result.ledger, written.ledger);
      docs += written.ledger.write?.docsOut ?? 0;
      shards += written.shards.length;
    }
    mergeLedgers(totals, result.ledger);
    byWarc.push(result);
  }
  return {
    schema: STATS_SCHEMA,
    pipeline: def.name,
    runId: ctx.runId,
    source: def.source,
    subcorpus: def.subcorpus,
    tokenizer: ctx.tokens,
    tasks: { total: taskIds.length, done, failed: failures.length },
    totals,
    output: { [`${def.lang}/${def.subcorpus}`]: { docs, shards } },
    byWarc,
    dedup: await dedupSummary(runDir, ctx.dedup),
    failed: failures,
    samples: await mergeAuditSamples(runDir, taskIds),
  };
}

async function dedupSummary(runDir: string, dedup: DedupConfig): Promise<DedupSummary | null> {
  const plan = await readDedupPlan(runDir);
  const clusters = await readDone<ClusterTaskResult>(runDir, CLUSTER_STAGE, 'clusters');
  if (!plan || !clusters) return null;
  const perBand: Array<Omit<BandTaskResult, 'taskId'>> = [];
  for (let s = 0; s <= dedup.bands; s++) {
    const band = await readDone<BandTaskResult>(runDir, BAND_STAGE, bandTaskId(s));
    if (band) {
      const { taskId: _taskId, ...rest } = band;
      perBand.push(rest);
    }
  }
  const commit = await readDone<{ segment: string }>(runDir, INDEX_STAGE, 'commit');
  return {
    bands: dedup.bands,
    rows: dedup.rows,
    threshold: dedup.threshold,
    shingleChars: dedup.minhash.shingleChars,
    indexSegments: plan.segments.map((s) => s.name),
    committedAs: commit?.segment ?? null,
    clusters: clusters.clusters,
    clusteredDocs: clusters.clusteredDocs,
    perBand,
  };
}

/** Gathers the tasks' audit samples into `samples/<reason>.jsonl`, the first ones per reason in task order. */
async function mergeAuditSamples(runDir: string, taskIds: string[]): Promise<Record<string, number>> {
  const byReason = new Map<string, AuditSample[]>();
  const files = [...taskIds.map((t) => taskSamplesPath(runDir, PROCESS_STAGE, t)), ...taskIds.map((t) => taskSamplesPath(runDir, WRITE_STAGE, t))];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line) continue;
      const sample = JSON.parse(line) as AuditSample;
      const list = byReason.get(sample.reason) ?? [];
      byReason.set(sample.reason, list);
      if (list.length < RUN_SAMPLES_PER_REASON) list.push(sample);
    }
  }
  const counts: Record<string, number> = {};
  for (const [reason, list] of byReason) {
    await writeFileAtomic(runSamplesPath(runDir, reason), list.map((s) => `${JSON.stringify(s)}\n`).join(''));
    counts[reason] = list.length;
  }
  return counts;
}


/** Writes stats.json (and the run's audit samples) from whatever `.done` markers exist now. */
export async function writeRunStats(ctx: RunContext, failures: TaskFailure[]): Promise<RunStats> {
  const stats = await buildRunStats(ctx, failures);
  await writeFileAtomic(statsPath(ctx.runDir), `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}

export interface StatsTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
}

/**
 * The last stage: the run's stats.json once every other stage is done, and its line in the history
 * beside the run folder (`../history.jsonl`: nightly runs sit side by side, so their trend is one file).
 */
export async function runStatsTask(input: StatsTaskInput): Promise<{ taskId: string; docs: number }> {
  const stats = await writeRunStats(await loadRunContext(input.runDir), []);
  await appendRunHistory(join(dirname(input.runDir), HISTORY_FILE_NAME), stats);
  const docs = Object.values(stats.output).reduce((n, o) => n + o.docs, 0);
  await writeFileAtomic(taskDonePath(input.runDir, input.stage, input.taskId), JSON.stringify({ taskId: input.taskId, docs }, null, 1));
  return { taskId: input.taskId, docs };
}
