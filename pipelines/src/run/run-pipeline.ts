import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, type ShardConfig } from '@jcp/core';
import { resolveWarcInputs, type WarcReaderConfig } from '@jcp/crawler';
import { mergeLedgers, type Ledger } from '@jcp/stats';
import type { WebPageChainConfig } from '../chains/web-page-config.ts';
import type { WarcTaskInput, WarcTaskResult } from '../tasks/warc-task.ts';
import { runOnPool, type TaskFailure } from './local-executor.ts';
import { runJsonPath, runSamplesPath, statsPath, taskDonePath, taskSamplesPath } from './run-folder.ts';
import type { AuditSample } from '@jcp/stats';

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
  chain: WebPageChainConfig;
  shards: ShardConfig;
}

/** The per-WARC stage's folder name (read → html → precheck → decode → extract → langid → write). */
export const PROCESS_STAGE = 'process';
const STATS_SCHEMA = 'jcp-stats/1';
/** Audit samples kept per drop reason for the whole run (tasks contribute in task order). */
const RUN_SAMPLES_PER_REASON = 100;
const WORKER_FILE = fileURLToPath(new URL('../worker/warc-worker.ts', import.meta.url));

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
  tasks: { total: number; done: number; failed: number };
  totals: Ledger;
  output: Record<string, { docs: number; shards: number }>;
  byWarc: Array<Omit<WarcTaskResult, 'seconds'>>;
  failed: TaskFailure[];
  /** Drop reason → audit samples written to `samples/<reason>.jsonl`. */
  samples: Record<string, number>;
}

export async function runPipeline(def: PipelineDefinition, options: RunOptions): Promise<RunSummary> {
  const inputs = await resolveWarcInputs(options.inputs.length ? options.inputs : def.defaultInputs, options.pathsBase);
  if (inputs.length === 0) throw new Error('no WARC files in the input');
  // The run's identity: same inputs and same settings → same folder, so rerunning the command resumes it.
  const identity = { pipeline: def.name, inputs, reader: options.reader, chain: options.chain, shards: options.shards };
  const runId = options.runId ?? createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12);
  const runDir = resolve(options.out ?? join('runs', def.name, runId));
  await checkOrWriteRunJson(runDir, identity);

  const tasks: WarcTaskInput[] = inputs.map((warcPath) => ({
    runDir,
    stage: PROCESS_STAGE,
    taskId: taskIdFor(warcPath),
    warcPath,
    source: def.source,
    subcorpus: def.subcorpus,
    lang: def.lang,
    reader: options.reader,
    chain: options.chain,
    shards: options.shards,
  }));
  const pending: Array<WarcTaskInput & { bytes: number }> = [];
  for (const t of tasks) {
    if (await exists(taskDonePath(runDir, PROCESS_STAGE, t.taskId))) continue;
    pending.push({ ...t, bytes: (await stat(t.warcPath).catch(() => null))?.size ?? 0 });
  }
  if (pending.length < tasks.length) {
    process.stderr.write(`${def.name}: resuming ${runDir}: ${tasks.length - pending.length} of ${tasks.length} tasks already done\n`);
  }
  const failures = await runOnPool(WORKER_FILE, pending, Math.max(1, options.workers), def.name);
  const stats = await mergeRunStats(def, runId, runDir, tasks, failures);
  stats.samples = await mergeAuditSamples(runDir, tasks);
  await writeFileAtomic(statsPath(runDir), `${JSON.stringify(stats, null, 2)}\n`);
  return { runDir, stats, failures };
}

/** Reads every task's `.done` marker in task order and adds their ledgers: the same result however the tasks were scheduled. */
async function mergeRunStats(
  def: PipelineDefinition,
  runId: string,
  runDir: string,
  tasks: WarcTaskInput[],
  failures: TaskFailure[],
): Promise<RunStats> {
  const totals: Ledger = {};
  const byWarc: RunStats['byWarc'] = [];
  let docs = 0;
  let shards = 0;
  let done = 0;
  for (const t of tasks) {
    const marker = await readFile(taskDonePath(runDir, PROCESS_STAGE, t.taskId), 'utf8').catch(() => null);
    if (marker === null) continue;
    const { seconds: _seconds, ...result } = JSON.parse(marker) as WarcTaskResult;
    done++;
    mergeLedgers(totals, result.ledger);
    byWarc.push(result);
    docs += result.ledger.write?.docsOut ?? 0;
    shards += result.shards.length;
  }
  return {
    schema: STATS_SCHEMA,
    pipeline: def.name,
    runId,
    source: def.source,
    subcorpus: def.subcorpus,
    tasks: { total: tasks.length, done, failed: failures.length },
    totals,
    output: { [`${def.lang}/${def.subcorpus}`]: { docs, shards } },
    byWarc,
    failed: failures,
    samples: {},
  };
}

/** Gathers the tasks' audit samples into `samples/<reason>.jsonl`, the first ones per reason in task order. */
async function mergeAuditSamples(runDir: string, tasks: WarcTaskInput[]): Promise<Record<string, number>> {
  const byReason = new Map<string, AuditSample[]>();
  for (const t of tasks) {
    const text = await readFile(taskSamplesPath(runDir, PROCESS_STAGE, t.taskId), 'utf8').catch(() => '');
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
