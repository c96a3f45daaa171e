import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { DEFAULT_SHARD_CONFIG, mkdirp, removeTempFiles, writeFileAtomic, type FingerprintMode } from '@jcp/core';
import { DEFAULT_HTTP_FETCH_CONFIG, DEFAULT_WARC_READER_CONFIG, libdeflateMissing, resolveWarcInputs } from '@jcp/crawler';
import { DEFAULT_DEDUP_CONFIG, DEFAULT_SITE_BOILERPLATE_CONFIG } from '@jcp/dedup';
import { DEFAULT_TOKEN_COUNTER_CONFIG } from '@jcp/stats';
import { DEFAULT_WEB_PAGE_CHAIN_CONFIG } from '../chains/web-page-config.ts';
import { readDedupPlan } from '../run-folder/dedup-files.ts';
import { writeRunStats, type RunStats } from '../stages/stats.ts';
import { abandonFailedWarcs } from './abandon-failed.ts';
import { describeHolder, FolderLock, LockHeldError } from '../run-folder/folder-lock.ts';
import { runStagesLocally } from './local-executor.ts';
import type { TaskFailure } from '../stages/stats.ts';
import { redoChangedInputs, redoDedupIfIndexMoved } from './reconcile.ts';
import { writeIndexPlan, writeIndexScan, type ViaIndexSource, type WarcIndexPlan } from '../run-folder/index-plan.ts';
import type { IndexStepCounts } from '@jcp/crawler';
import { loadRunContext, saveRunContext, type PipelineDefinition, type RunContext, type RunSettings } from '../run-folder/context.ts';
import { indexLockPath, runJsonPath, runLockPath, statsPath } from '../run-folder/layout.ts';
import { slurmJobsAlive, type SubmittedArray } from './slurm-jobs.ts';
import type { Executor } from './executor.ts';
import { INDEX_STAGE, PLAN_STAGE, taskIdFor } from '../run-folder/names.ts';
import { stagesOf, type StagePlan } from '../stages/index.ts';
import { PIPELINES } from '../definitions/index.ts';
import { resolveTextInputs, type TextFields } from '../sources/text-records.ts';
import { DEFAULT_WIKI_PART_BYTES, resolveWikiInputs, type WikiInputOptions } from '../sources/wiki-pages.ts';

export type { PipelineDefinition } from '../run-folder/context.ts';
export type { DedupSummary, RunStats } from '../stages/stats.ts';
export { BAND_STAGE, CLUSTER_STAGE, INDEX_STAGE, PLAN_STAGE, PROCESS_STAGE, STATS_STAGE, WRITE_STAGE, taskIdFor } from '../run-folder/names.ts';

export interface RunOptions {
  inputs: string[];
  pathsBase?: string;
  /** Run folder; default `runs/<pipeline>/<run-id>`. */
  out?: string;
  runId?: string;
  workers: number;
  settings: RunSettings;
  /**
   * Persistent dedup index shared by nightly runs; null: dedup within this run only; undefined: the
   * default, `runs/dedup-index`, shared by every pipeline's default run folders (none when `out` is given).
   */
  dedupIndex?: string | null;
  /** Give up the WARCs whose process task failed, so the rest of the run can finish (`--abandon-failed`). */
  abandonFailed?: boolean;
  /** How a rerun tells a finished WARC changed (`--verify-inputs`); default quick. */
  verifyInputs?: FingerprintMode;
  /** Redo the WARCs that changed since their task finished, and everything after them (`--rerun-changed`). */
  rerunChanged?: boolean;
  /** Keep the normalised documents before the filters, for `pnpm refilter` (default true). */
  keepNormalized?: boolean;
  /** Re-filter this run's normalised documents instead of reading WARCs (`pnpm refilter`); its inputs are the run's. */
  refilterOf?: string;
  /** Read only the records Common Crawl's columnar index selects (`--via-index`): each input's plan, by input. */
  viaIndex?: ViaIndexRun;
  /** A text pipeline's partition name (`--subcorpus`); default the definition's. */
  subcorpus?: string;
  /** A text pipeline's field names (`--text-field`, `--id-field`, `--url-field`); default text, id, url. */
  textFields?: TextFields;
  /** A wiki pipeline's dump splitting (`--multistream-index`, `--part-mb`); default: each dump's sibling index, DEFAULT_WIKI_PART_BYTES. */
  wikiInputs?: Partial<WikiInputOptions>;
  /** Where lines about the run's own state go (a lock taken over, a marker that no longer holds); default stderr. */
  log?: (line: string) => void;
}

/**
 * Every setting at its default (each default's source is beside it in its package's config), with
 * `overrides` on top: what `pnpm pipeline` starts from, and what code that runs a pipeline starts from.
 */
export function defaultRunOptions(overrides: Partial<Omit<RunOptions, 'settings'>> & { settings?: Partial<RunSettings> } = {}): RunOptions {
  const { settings, ...rest } = overrides;
  return {
    inputs: [],
    workers: availableParallelism(),
    ...rest,
    settings: { ...DEFAULT_RUN_SETTINGS, ...settings },
  };
}

/** Every section at its default. */
export const DEFAULT_RUN_SETTINGS: RunSettings = {
  reader: DEFAULT_WARC_READER_CONFIG,
  http: DEFAULT_HTTP_FETCH_CONFIG,
  chain: DEFAULT_WEB_PAGE_CHAIN_CONFIG,
  dedup: DEFAULT_DEDUP_CONFIG,
  tokens: DEFAULT_TOKEN_COUNTER_CONFIG,
  sharding: DEFAULT_SHARD_CONFIG,
  siteLines: DEFAULT_SITE_BOILERPLATE_CONFIG,
};

const NO_INPUT = { warc: 'WARC files', text: '.jsonl, .jsonl.gz or .parquet files', wiki: 'MediaWiki dumps (.xml, .xml.bz2)' } as const;

/** The run's inputs, one per task: WARCs, text collection files or dump parts, by what the pipeline reads. */
async function resolveInputs(def: PipelineDefinition, given: string[], options: RunOptions): Promise<string[]> {
  if (def.reads === 'text') return resolveTextInputs(given);
  if (def.reads === 'wiki') return resolveWikiInputs(given, { partBytes: DEFAULT_WIKI_PART_BYTES, ...options.wikiInputs });
  return resolveWarcInputs(given, options.pathsBase);
}

/** A run ready to execute: its context, and the run folder's lock, held until `lock.release()`. */
export interface PreparedRun {
  ctx: RunContext;
  lock: FolderLock;
}

export interface RunSummary {
  runDir: string;
  /** The run's stats.json; null while submitted Slurm jobs still run (nothing has ended yet). */
  stats: RunStats | null;
  failures: TaskFailure[];
  /** Every task done. */
  finished: boolean;
  /** Slurm job arrays submitted (none locally). */
  submitted: SubmittedArray[];
}

/**
 * Resolves the inputs, fixes the run folder (same inputs and settings → same folder, so rerunning the
 * command resumes it), takes its lock (a second command on the folder is refused, naming the holder),
 * clears what a killed run left half-written, checks finished work against the inputs as they are now
 * (reconcile.ts) and saves the run's context, so that every task can be built from the folder.
 */
export async function prepareRun(def: PipelineDefinition, options: RunOptions): Promise<PreparedRun> {
  // A refilter run has its source run's inputs, resolved there: the WARCs need not exist any more.
  const inputs = options.refilterOf
    ? (await loadRunContext(options.refilterOf)).inputs
    : await resolveInputs(def, options.inputs.length ? options.inputs : def.defaultInputs, options);
  if (inputs.length === 0) throw new Error(`no ${NO_INPUT[def.reads ?? 'warc']} in the input`);
  // Retries and timeouts do not change the output: a rerun with others resumes the same run.
  const { http: _http, ...shaping } = options.settings;
  const identity = {
    pipeline: def.name,
    inputs,
    settings: shaping,
    ...(options.refilterOf ? { refilterOf: resolve(options.refilterOf) } : {}),
    ...(options.viaIndex ? { viaIndex: options.viaIndex.source } : {}),
    // Only when given, so that a WARC run's identity (its run id) is what it always was.
    ...(options.subcorpus !== undefined ? { subcorpus: options.subcorpus } : {}),
    ...(options.textFields !== undefined ? { textFields: options.textFields } : {}),
  };

  const runId = options.runId ?? createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
  const runDir = resolve(options.out ?? join('runs', def.name, runId));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  await mkdirp(runDir);
  const lock = await FolderLock.acquire(runLockPath(runDir), `pnpm pipeline ${def.name}`, { slurmJobsAlive, log });
  try {
    return { ctx: await prepareLocked(def, options, { inputs, identity, runId, runDir, log }), lock };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

async function prepareLocked(
  def: PipelineDefinition,
  options: RunOptions,
  { inputs, identity, runId, runDir, log }: { inputs: string[]; identity: unknown; runId: string; runDir: string; log: (line: string) => void },
): Promise<RunContext> {
  await checkOrWriteRunJson(runDir, identity);
  const leftovers = await removeTempFiles(runDir);
  if (leftovers) log(`${def.name}: removed ${leftovers} temp file(s) an interrupted run left in ${runDir}`);
  // Only WARCs are gzip members; a text collection or a bz2 dump does not care.
  const noLibdeflate = (def.reads ?? 'warc') === 'warc' ? libdeflateMissing() : null;
  if (noLibdeflate) log(`${def.name}: libdeflate cannot be loaded (${noLibdeflate}): gzip members inflate with zlib, the same records for ~30 % more CPU in the process stage (scripts/setup.sh installs libdeflate0)`);
  const dedupIndex = options.dedupIndex !== undefined ? options.dedupIndex : options.out === undefined ? await defaultDedupIndex(runDir) : null;
  if (def.module === undefined && PIPELINES[def.name] !== def) {
    throw new Error(`pipeline '${def.name}' is defined outside this package: give it \`module: import.meta.url\` so that its tasks (worker threads, Slurm nodes) can load its steps`);
  }
  const ctx: RunContext = {
    pipeline: def.name,
    definitionModule: def.module ?? null,
    source: def.source,
    subcorpus: options.subcorpus ?? def.subcorpus,
    lang: def.lang,
    ...(options.textFields !== undefined ? { textFields: options.textFields } : {}),
    ...(def.reads !== undefined && def.reads !== 'warc' ? { reads: def.reads } : {}),
    runId,
    runDir,
    inputs,
    settings: options.settings,
    dedupIndex: dedupIndex === null ? null : resolve(dedupIndex),
    verifyInputs: options.verifyInputs ?? 'quick',
    keepNormalized: options.keepNormalized ?? true,
    refilterOf: options.refilterOf ? resolve(options.refilterOf) : null,
    viaIndex: options.viaIndex?.source ?? null,
  };
  if (options.viaIndex) await writeIndexPlans(runDir, inputs, options.viaIndex);
  // The index is fixed with the dedup plan: a resumed run must commit where it read.
  const plan = await readDedupPlan(runDir);
  if (plan && plan.index !== ctx.dedupIndex) {
    throw new Error(`${runDir} was deduplicated against the index ${plan.index ?? '(none)'}; resume it with that index, not ${ctx.dedupIndex ?? '(none)'}`);
  }
  await saveRunContext(ctx);
  const stages = stagesOf(ctx);
  if (ctx.dedupIndex) {
    // Redoing changed inputs may withdraw this run's index segment: only with the index to ourselves.
    const indexLock = await acquireIndexLock(ctx, log);
    try {
      await redoChangedInputs(ctx, stages, options.rerunChanged ?? false, log);
    } finally {
      await indexLock.release();
    }
  } else {
    await redoChangedInputs(ctx, stages, options.rerunChanged ?? false, log);
  }
  if (options.abandonFailed) await abandonFailedWarcs(ctx);
  return ctx;
}

/** What `--via-index` hands the run: how the records were chosen, and each input's plan. */
export interface ViaIndexRun {
  source: ViaIndexSource;
  /** By input as given (a URL, or a local path resolved to an absolute one). */
  plans: Map<string, WarcIndexPlan>;
  /** What the index scan did, for stats.json's `viaIndex`. */
  counts: IndexStepCounts;
}

/** Writes each input's plan into the run folder (`index/<task>.json`) before any task reads it. */
async function writeIndexPlans(runDir: string, inputs: string[], viaIndex: ViaIndexRun): Promise<void> {
  for (const input of inputs) {
    const plan = viaIndex.plans.get(input);
    if (!plan) throw new Error(`--via-index: no index selection for the input ${input} (every input must be a WARC the index names)`);
    await writeIndexPlan(runDir, taskIdFor(input), plan);
  }
  await writeIndexScan(runDir, viaIndex.counts);
}

/**
 * Runs a pipeline: prepares the run (its folder, lock and checks: `prepareRun`), then hands its
 * unfinished tasks to the executor (this machine's cores by default, or Slurm). When the tasks have
 * ended short of the last stage, stats.json is written from what there is, so a failed run still has
 * its ledger.
 */
export async function runPipeline(def: PipelineDefinition, options: RunOptions, executor: Executor = localExecutor(options.workers)): Promise<RunSummary> {
  const { ctx, lock } = await prepareRun(def, options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const run = await executor.execute(ctx, lock, log);
  let stats: RunStats | null = null;
  if (run.finished) stats = JSON.parse(await readFile(statsPath(ctx.runDir), 'utf8')) as RunStats;
  else if (run.ended) stats = (await writeRunStats(ctx, run.failures)).stats;
  return { runDir: ctx.runDir, stats, failures: run.failures, finished: run.finished, submitted: run.submitted };
}

/**
 * This machine's cores: every stage on a worker-thread pool, under the run folder's lock; with a
 * dedup index, the index lock is held from the dedup plan until this run's segment is committed, so
 * two runs never deduplicate against the index at once and never publish the same document.
 */
export function localExecutor(workers: number): Executor {
  return {
    name: 'local',
    async execute(ctx, lock, log) {
      try {
        const failures = await runStagesWithIndexLock(ctx, stagesOf(ctx), Math.max(1, workers), ctx.pipeline, log);
        return { finished: failures.length === 0, ended: true, failures, submitted: [] };
      } finally {
        await lock.release();
      }
    },
  };
}

async function runStagesWithIndexLock(ctx: RunContext, stages: StagePlan[], workers: number, label: string, log: (line: string) => void): Promise<TaskFailure[]> {
  const run = (slice: StagePlan[]): Promise<TaskFailure[]> => runStagesLocally(slice, ctx.runDir, workers, label, log);
  const from = stages.findIndex((s) => s.name === PLAN_STAGE);
  const to = stages.findIndex((s) => s.name === INDEX_STAGE);
  if (!ctx.dedupIndex || from < 0 || to < 0) return run(stages);
  const before = await run(stages.slice(0, from));
  if (before.length) return before;
  const indexLock = await acquireIndexLock(ctx, log);
  try {
    await redoDedupIfIndexMoved(ctx, stages, log);
    const dedup = await run(stages.slice(from, to + 1));
    if (dedup.length) return dedup;
  } finally {
    await indexLock.release();
  }
  return run(stages.slice(to + 1));
}

/**
 * The dedup index's lock, waited for: runs that reach their dedup together take turns (a nightly run
 * should finish after another, not fail because of it). Says once whom it waits for.
 */
async function acquireIndexLock(ctx: RunContext, log: (line: string) => void): Promise<FolderLock> {
  const indexDir = ctx.dedupIndex!;
  await mkdirp(indexDir);
  let told = false;
  for (;;) {
    try {
      return await FolderLock.acquire(indexLockPath(indexDir), `dedup of ${ctx.runDir}`, { slurmJobsAlive, log });
    } catch (e) {
      if (!(e instanceof LockHeldError)) throw e;
      if (!told) log(`${ctx.pipeline}: waiting for the dedup index ${indexDir}, held by ${describeHolder(e.holder)}`);
      told = true;
      await new Promise((r) => setTimeout(r, INDEX_LOCK_POLL_MS));
    }
  }
}

/** How often a run waiting for the index lock looks again: short next to a dedup, long next to a stat(). */
const INDEX_LOCK_POLL_MS = 500;

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

/**
 * The default index: one per corpus root (`runs/dedup-index`), shared by every pipeline that writes its
 * runs there, so a Wikipedia article copied onto a web page is kept once across ja_wiki and ja_cc. Before
 * the index was shared it was per pipeline (`runs/<pipeline>/dedup-index`); such an index is not taken
 * over silently (a first shared run would then dedup against nothing): the run stops and says how to move it.
 */
export async function defaultDedupIndex(runDir: string): Promise<string> {
  const root = dirname(dirname(runDir));
  const shared = join(root, 'dedup-index');
  const perPipeline = join(dirname(runDir), 'dedup-index');
  if ((await isDirectory(perPipeline)) && !(await isDirectory(shared))) {
    throw new Error(
      `${perPipeline} is this pipeline's dedup index from before indexes were shared by all pipelines of a corpus root; ` +
        `move it to the shared place (mv ${perPipeline} ${shared}) or name it with --dedup-index ${perPipeline}`,
    );
  }
  return shared;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
