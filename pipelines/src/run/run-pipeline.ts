import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic, type ShardConfig } from '@jcp/core';
import { DEFAULT_HTTP_FETCH_CONFIG, resolveWarcInputs, type HttpFetchConfig, type WarcReaderConfig } from '@jcp/crawler';
import type { DedupConfig } from '@jcp/dedup';
import type { TokenCounterConfig } from '@jcp/stats';
import type { WebPageChainConfig } from '../chains/web-page-config.ts';
import { readDedupPlan } from '../tasks/dedup-tasks.ts';
import { writeRunStats, type RunStats } from '../tasks/stats-task.ts';
import { abandonFailedWarcs } from './abandon-failed.ts';
import { runStagesLocally, type TaskFailure } from './local-executor.ts';
import { saveRunContext, type PipelineDefinition, type RunContext } from './run-context.ts';
import { runJsonPath } from './run-folder.ts';
import { stagesOf } from './stages.ts';

export type { PipelineDefinition } from './run-context.ts';
export type { DedupSummary, RunStats } from '../tasks/stats-task.ts';
export { BAND_STAGE, CLUSTER_STAGE, INDEX_STAGE, PLAN_STAGE, PROCESS_STAGE, STATS_STAGE, WRITE_STAGE, taskIdFor } from './stages.ts';

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
  /** Give up the WARCs whose process task failed, so the rest of the run can finish (`--abandon-failed`). */
  abandonFailed?: boolean;
}

export interface RunSummary {
  runDir: string;
  stats: RunStats;
  failures: TaskFailure[];
}

/**
 * Resolves the inputs, fixes the run folder (same inputs and settings → same folder, so rerunning the
 * command resumes it) and saves the run's context there, so that every task can be built from the folder.
 */
export async function prepareRun(def: PipelineDefinition, options: RunOptions): Promise<RunContext> {
  const inputs = await resolveWarcInputs(options.inputs.length ? options.inputs : def.defaultInputs, options.pathsBase);
  if (inputs.length === 0) throw new Error('no WARC files in the input');
  const identity = { pipeline: def.name, inputs, reader: options.reader, chain: options.chain, dedup: options.dedup, tokens: options.tokens, shards: options.shards };
  const runId = options.runId ?? createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
  const runDir = resolve(options.out ?? join('runs', def.name, runId));
  await checkOrWriteRunJson(runDir, identity);
  const dedupIndex = options.dedupIndex !== undefined ? options.dedupIndex : options.out === undefined ? join(dirname(runDir), 'dedup-index') : null;
  const ctx: RunContext = {
    pipeline: def.name,
    runId,
    runDir,
    inputs,
    reader: options.reader,
    http: options.http ?? DEFAULT_HTTP_FETCH_CONFIG,
    chain: options.chain,
    dedup: options.dedup,
    tokens: options.tokens,
    shards: options.shards,
    dedupIndex: dedupIndex === null ? null : resolve(dedupIndex),
  };
  // The index is fixed with the dedup plan: a resumed run must commit where it read.
  const plan = await readDedupPlan(runDir);
  if (plan && plan.index !== ctx.dedupIndex) {
    throw new Error(`${runDir} was deduplicated against the index ${plan.index ?? '(none)'}; resume it with that index, not ${ctx.dedupIndex ?? '(none)'}`);
  }
  await saveRunContext(ctx);
  if (options.abandonFailed) await abandonFailedWarcs(ctx);
  return ctx;
}

/** Runs every stage on this machine's cores; with a failed task, stops after its stage and still writes stats.json. */
export async function runPipeline(def: PipelineDefinition, options: RunOptions): Promise<RunSummary> {
  const ctx = await prepareRun(def, options);
  const failures = await runStagesLocally(stagesOf(ctx), ctx.runDir, Math.max(1, options.workers), def.name);
  // Without failures the stats stage wrote stats.json; with one, it did not run, so write what there is.
  const stats = failures.length === 0 ? (JSON.parse(await readFile(join(ctx.runDir, 'stats.json'), 'utf8')) as RunStats) : await writeRunStats(ctx, failures);
  return { runDir: ctx.runDir, stats, failures };
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
