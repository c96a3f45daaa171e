import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, type ShardConfig } from '@jcp/core';
import { DEFAULT_HTTP_FETCH_CONFIG, resolveWarcInputs, type HttpFetchConfig, type WarcReaderConfig } from '@jcp/crawler';
import { commitIndexSegment, listIndexSegments, type DedupConfig } from '@jcp/dedup';
import { mergeLedgers, type AuditSample, type Ledger, type TokenCounterConfig } from '@jcp/stats';
import type { WebPageChainConfig } from '../chains/web-page-config.ts';
import { planOf, readDedupPlan, removedOrdinals, type BandTaskResult, type ClusterTaskResult, type DedupPlanJson } from '../tasks/dedup-tasks.ts';
import type { WarcTaskInput, WarcTaskResult } from '../tasks/warc-task.ts';
import type { WriteTaskResult } from '../tasks/write-task.ts';
import type { StageTask } from '../worker/stage-worker.ts';
import { runOnPool, type TaskFailure } from './local-executor.ts';
import { bucketPath, dedupPlanPath, runJsonPath, runSamplesPath, signaturePath, statsPath, taskDonePath, taskSamplesPath } from './run-folder.ts';

/** A pipeline: which documents it keeps and what it calls them. */
export interface PipelineDefinition {
  name: string;
  description: string;
  source: string;
  subcorpus: string;
  lang: string;
  /** Used when the command gives no --input: the committed fixtures. */
  defaultInputs: string[];
}

export interface RunOptions {
  inputs: string[];
  pathsBase?: string;
  /** Run folder; default `runs/<pipeline>/<run-id>`. */
  out?: string;
  runId?: string;
  workers: number;
  reader: WarcReaderConfig;
  /** For WARCs given as URLs. Not part of the run's identity: retries and timeouts do not change the output. */
  http?: HttpFetchConfig;
  chain: WebPageChainConfig;
  dedup: DedupConfig;
  /** How tokens are counted (LLM-jp SentencePiece by default). */
  tokens: TokenCounterConfig;
  /**
   * Persistent dedup index shared by nightly runs; null: dedup within this run only; undefined: the
   * default, `runs/<pipeline>/dedup-index` beside the default run folders (none when `out` is given).
   */
  dedupIndex?: string | null;
  shards: ShardConfig;
}

/**
 * The stages, in order; each is a folder of `.done` markers, one per task:
 *   process        one task per WARC: read → ... → filters → exact dedup within the WARC → staged shards + signatures
 *   dedup-bands    one task per LSH band (and one for the exact band): verified duplicate pairs
 *   dedup-cluster  one task: union-find over all pairs, one survivor per cluster
 *   write          one task per WARC: staged shards minus the removed docs → corpus shards
 *   dedup-index    one task: this run's survivors join the persistent index
 */
export const PROCESS_STAGE = 'process';
export const BAND_STAGE = 'dedup-bands';
export const CLUSTER_STAGE = 'dedup-cluster';
export const WRITE_STAGE = 'write';
export const INDEX_STAGE = 'dedup-index';
const STATS_SCHEMA = 'jcp-stats/2';
/** Audit samples kept per drop reason for the whole run (tasks contribute in task order). */
const RUN_SAMPLES_PER_REASON = 100;
const WORKER_FILE = fileURLToPath(new URL('../worker/stage-worker.ts', import.meta.url));

export interface RunSummary {
  runDir: string;
  stats: RunStats;
  failures: TaskFailure[];
}

/** stats.json: the schema is documented in the README. */
export interface RunStats {
  schema: string;
  pipeline: string;
  runId: string;
  source: string;
  subcorpus: string;
  /** What `tokensIn`/`tokensOut` and the `token_count` column count. */
  tokenizer: TokenCounterConfig;
  tasks: { total: number; done: number; failed: number };
  totals: Ledger;
  output: Record<string, { docs: number; shards: number }>;
  byWarc: Array<Omit<WarcTaskResult, 'seconds'>>;
  dedup: DedupSummary | null;
  failed: TaskFailure[];
  /** Drop reason → audit samples written to `samples/<reason>.jsonl`. */
  samples: Record<string, number>;
}

/** What the run-wide dedup did, besides the `dedup` stage's drops in the ledger. */
export interface DedupSummary {
  bands: number;
  rows: number;
  threshold: number;
  shingleChars: number;
  /** Index segments (earlier runs) this run was deduplicated against. */
  indexSegments: string[];
  /** Where this run's survivors were committed; null without an index. */
  committedAs: string | null;
  clusters: number;
  clusteredDocs: number;
  perBand: Array<Omit<BandTaskResult, 'taskId'>>;
}

export async function runPipeline(def: PipelineDefinition, options: RunOptions): Promise<RunSummary> {
  const inputs = await resolveWarcInputs(options.inputs.length ? options.inputs : def.defaultInputs, options.pathsBase);
  if (inputs.length === 0) throw new Error('no WARC files in the input');
  // The run's identity: same inputs and same settings → same folder, so rerunning the command resumes it.
  const identity = { pipeline: def.name, inputs, reader: options.reader, chain: options.chain, dedup: options.dedup, tokens: options.tokens, shards: options.shards };
  const runId = options.runId ?? createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
  const runDir = resolve(options.out ?? join('runs', def.name, runId));
  await checkOrWriteRunJson(runDir, identity);
  const dedupIndex = options.dedupIndex !== undefined ? options.dedupIndex : options.out === undefined ? join(dirname(runDir), 'dedup-index') : null;

  const tasks: WarcTaskInput[] = inputs.map((warcPath) => ({
    runDir,
    stage: PROCESS_STAGE,
    taskId: taskIdFor(warcPath),
    warcPath,
    source: def.source,
    subcorpus: def.subcorpus,
    lang: def.lang,
    reader: options.reader,
    http: options.http ?? DEFAULT_HTTP_FETCH_CONFIG,
    chain: options.chain,
    dedup: options.dedup,
    tokens: options.tokens,
    shards: options.shards,
  }));
  const workers = Math.max(1, options.workers);
  const failures: TaskFailure[] = [];
  const sizes = new Map<string, number>();
  for (const t of tasks) sizes.set(t.taskId, (await stat(t.warcPath).catch(() => null))?.size ?? 0);
  failures.push(...(await runStage(runDir, def.name, PROCESS_STAGE, tasks.map((t) => ({ kind: 'warc' as const, ...t })), workers, (t) => sizes.get(t.taskId) ?? 0)));
  // The dedup needs every WARC's signatures: with a failed task, stop here; a rerun redoes just that task.
  if (failures.length === 0) failures.push(...(await runDedupAndWrite(def, { ...options, dedupIndex }, runDir, tasks, workers)));
  const stats = await mergeRunStats(def, runId, runDir, tasks, failures, options);
  stats.samples = await mergeAuditSamples(runDir, tasks);
  await writeFileAtomic(statsPath(runDir), `${JSON.stringify(stats, null, 2)}\n`);
  return { runDir, stats, failures };
}

/** Runs the tasks of one stage that have no `.done` marker yet. */
async function runStage(
  runDir: string,
  label: string,
  stage: string,
  tasks: StageTask[],
  workers: number,
  bytesOf: (t: StageTask) => number = () => 0,
): Promise<TaskFailure[]> {
  const pending: Array<StageTask & { bytes: number }> = [];
  for (const t of tasks) if (!(await exists(taskDonePath(runDir, stage, t.taskId)))) pending.push({ ...t, bytes: bytesOf(t) });
  if (pending.length === 0) return [];
  if (pending.length < tasks.length) {
    process.stderr.write(`${label} ${stage}: resuming: ${tasks.length - pending.length} of ${tasks.length} tasks already done\n`);
  }
  return runOnPool(WORKER_FILE, pending, workers, `${label} ${stage}`);
}

/** dedup-bands → dedup-cluster → write → dedup-index, each stage only after the one before succeeded. */
async function runDedupAndWrite(
  def: PipelineDefinition,
  options: RunOptions,
  runDir: string,
  tasks: WarcTaskInput[],
  workers: number,
): Promise<TaskFailure[]> {
  const plan = await fixDedupPlan(def, runDir, tasks, options);
  const bandTasks: StageTask[] = Array.from({ length: options.dedup.bands + 1 }, (_, section) => ({
    kind: 'band' as const,
    runDir,
    stage: BAND_STAGE,
    taskId: `band-${String(section).padStart(3, '0')}`,
    section,
    plan,
    dedup: options.dedup,
  }));
  let failed = await runStage(runDir, def.name, BAND_STAGE, bandTasks, workers);
  if (failed.length) return failed;
  failed = await runStage(runDir, def.name, CLUSTER_STAGE, [{ kind: 'cluster', runDir, stage: CLUSTER_STAGE, taskId: 'clusters', plan, dedup: options.dedup }], 1);
  if (failed.length) return failed;
  const writeTasks: StageTask[] = [];
  for (const t of tasks) {
    const done = await readDone<WarcTaskResult>(runDir, PROCESS_STAGE, t.taskId);
    if (!done) throw new Error(`${t.taskId}: no process marker after the process stage`);
    writeTasks.push({
      kind: 'write',
      runDir,
      stage: WRITE_STAGE,
      taskId: t.taskId,
      lang: def.lang,
      subcorpus: def.subcorpus,
      stagedShards: done.shards,
      stagedDocs: done.staged,
      shards: options.shards,
      auditSamplesPerReason: options.chain.filters.auditSamplesPerReason,
      auditPreviewChars: options.chain.filters.auditPreviewChars,
    });
  }
  failed = await runStage(runDir, def.name, WRITE_STAGE, writeTasks, workers);
  if (failed.length) return failed;
  if (options.dedupIndex && !(await exists(taskDonePath(runDir, INDEX_STAGE, 'commit')))) {
    const removed = await Promise.all(tasks.map((t) => removedOrdinals(runDir, t.taskId)));
    const name = indexSegmentName(def, runDir);
    const r = await commitIndexSegment(options.dedupIndex, name, planOf(plan), (f) => removed[f]!, options.dedup, plan.tasks.map((t) => t.docs));
    await writeFileAtomic(taskDonePath(runDir, INDEX_STAGE, 'commit'), JSON.stringify({ segment: name, index: options.dedupIndex, ...r }, null, 1));
  }
  return [];
}

/** The index segment a run commits: pipeline and run folder name, unique per run. */
function indexSegmentName(def: PipelineDefinition, runDir: string): string {
  return `${def.name}-${basename(runDir)}`;
}

/** Writes `dedup/plan.json` the first time the dedup starts; later (a resume) reads it back unchanged. */
async function fixDedupPlan(def: PipelineDefinition, runDir: string, tasks: WarcTaskInput[], options: RunOptions): Promise<DedupPlanJson> {
  const existing = await readDedupPlan(runDir);
  if (existing) return existing;
  const planTasks: DedupPlanJson['tasks'] = [];
  for (const t of tasks) {
    const done = await readDone<WarcTaskResult>(runDir, PROCESS_STAGE, t.taskId);
    planTasks.push({ taskId: t.taskId, signatures: signaturePath(runDir, t.taskId), buckets: bucketPath(runDir, t.taskId), docs: done?.staged ?? 0 });
  }
  // A segment of this very run (its folder was deleted and the run redone) must not dedup the run against itself.
  const own = indexSegmentName(def, runDir);
  const segments = options.dedupIndex ? (await listIndexSegments(options.dedupIndex, options.dedup)).filter((s) => s.name !== own) : [];
  const plan: DedupPlanJson = { tasks: planTasks, segments };
  await writeFileAtomic(dedupPlanPath(runDir), `${JSON.stringify(plan, null, 1)}\n`);
  return plan;
}

async function readDone<T>(runDir: string, stage: string, taskId: string): Promise<T | null> {
  const text = await readFile(taskDonePath(runDir, stage, taskId), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as T);
}

/** Reads every task's `.done` markers in task order and adds their ledgers: the same result however the tasks were scheduled. */
async function mergeRunStats(
  def: PipelineDefinition,
  runId: string,
  runDir: string,
  tasks: WarcTaskInput[],
  failures: TaskFailure[],
  options: RunOptions,
): Promise<RunStats> {
  const totals: Ledger = {};
  const byWarc: RunStats['byWarc'] = [];
  let docs = 0;
  let shards = 0;
  let done = 0;
  for (const t of tasks) {
    const processed = await readDone<WarcTaskResult>(runDir, PROCESS_STAGE, t.taskId);
    if (processed === null) continue;
    const { seconds: _seconds, ...result } = processed;
    const written = await readDone<WriteTaskResult>(runDir, WRITE_STAGE, t.taskId);
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
    runId,
    source: def.source,
    subcorpus: def.subcorpus,
    tokenizer: options.tokens,
    tasks: { total: tasks.length, done, failed: failures.length },
    totals,
    output: { [`${def.lang}/${def.subcorpus}`]: { docs, shards } },
    byWarc,
    dedup: await dedupSummary(runDir, options),
    failed: failures,
    samples: {},
  };
}

async function dedupSummary(runDir: string, options: RunOptions): Promise<DedupSummary | null> {
  const plan = await readDedupPlan(runDir);
  const clusters = await readDone<ClusterTaskResult>(runDir, CLUSTER_STAGE, 'clusters');
  if (!plan || !clusters) return null;
  const perBand: DedupSummary['perBand'] = [];
  for (let s = 0; s <= options.dedup.bands; s++) {
    const band = await readDone<BandTaskResult>(runDir, BAND_STAGE, `band-${String(s).padStart(3, '0')}`);
    if (band) {
      const { taskId: _taskId, ...rest } = band;
      perBand.push(rest);
    }
  }
  const commit = await readDone<{ segment: string }>(runDir, INDEX_STAGE, 'commit');
  return {
    bands: options.dedup.bands,
    rows: options.dedup.rows,
    threshold: options.dedup.threshold,
    shingleChars: options.dedup.minhash.shingleChars,
    indexSegments: plan.segments.map((s) => s.name),
    committedAs: commit?.segment ?? null,
    clusters: clusters.clusters,
    clusteredDocs: clusters.clusteredDocs,
    perBand,
  };
}

/** Gathers the tasks' audit samples into `samples/<reason>.jsonl`, the first ones per reason in task order. */
async function mergeAuditSamples(runDir: string, tasks: WarcTaskInput[]): Promise<Record<string, number>> {
  const byReason = new Map<string, AuditSample[]>();
  const files = [...tasks.map((t) => taskSamplesPath(runDir, PROCESS_STAGE, t.taskId)), ...tasks.map((t) => taskSamplesPath(runDir, WRITE_STAGE, t.taskId))];
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

/** Task id: the WARC's name plus a hash of its full path, so same-named files in different folders never collide. */
export function taskIdFor(warcPath: string): string {
  const name = basename(warcPath).replace(/\.(?:warc|arc)(?:\.gz)?$/, '').replace(/[^A-Za-z0-9._-]/g, '_');
  return `${name}-${createHash('sha256').update(warcPath).digest('hex').slice(0, 8)}`;
}

async function checkOrWriteRunJson(runDir: string, identity: unknown): Promise<void> {
  const path = runJsonPath(runDir);
  const wanted = `${JSON.stringify(identity, null, 1)}\n`;
  const existing = await readFile(path, 'utf8').catch(() => null);
  if (existing === null) {
    await writeFileAtomic(path, wanted);
  } else if (existing !== wanted) {
    throw new Error(`${runDir} holds a run with other inputs or settings (see its run.json); give another --out or --run-id`);
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}
