import { jsonLines, writeFileAtomic, type InputError } from '@jcp/core';
import type { LanguageDetector } from '@jcp/filters';
import type { AuditSampler, Ledger, StageCounter, TokenCounter } from '@jcp/stats';
import type { RunSettings } from '../run-folder/context.ts';
import { taskErrorsPath, taskSamplesPath } from '../run-folder/layout.ts';
import type { TaskOutcome, TaskOutput } from '../run-folder/task-marker.ts';
import type { PageText } from '../steps/web-page/items.ts';
import type { HostRemoval } from '../steps/web-page/site-boilerplate.ts';
import { docOf, type StagedOutput } from './staged-output.ts';

/**
 * What every process task shares, whatever it reads (a WARC: process.ts; a text collection's file:
 * text-task.ts): its result, its bad-record lines, the tools a worker thread lends it.
 */

/** The step after which documents no longer change text: what the filters judge, and where a refilter starts. */
export const REFILTER_FROM_STEP = 'normalize';

/** What every process task is given, whatever it reads; each kind adds its reader's settings and its steps. */
export interface ProcessTaskBase extends Pick<RunSettings, 'reader' | 'http' | 'chain' | 'dedup' | 'tokens' | 'sharding'> {
  runDir: string;
  stage: string;
  taskId: string;
  /** The input: a WARC (a local path or an http(s) URL), a text collection's file, a dump part (named alike, so the later stages read all alike). */
  warcPath: string;
  source: string;
  subcorpus: string;
  lang: string;
  /** Keep the normalised documents before the filters (`normalized/`), for `pnpm refilter`. */
  keepNormalized: boolean;
}

/** What a finished task leaves in its `.done` marker; the run's stats.json is the merge of these. */
export interface WarcTaskResult {
  taskId: string;
  warcFile: string;
  crawl: string;
  inputBytes: number;
  ledger: Ledger;
  /** Staged shard file names; the corpus shards are written by the write stage. */
  stagedShards: string[];
  /** Docs staged = records in the task's signature file. */
  staged: number;
  errors: number;
  seconds: number;
  /** Milliseconds in each step (`html`, ..., `exact-dedup`) over the task's records: where the time goes. */
  stepMs: Record<string, number>;
  /** Set when the WARC was given up after failing (`--abandon-failed`): the error it kept failing with. */
  abandoned?: string;
  /** With site-line removal: the hosts of this WARC that lost the most characters (at most `siteLines.topHosts`). */
  siteBoilerplateHosts?: HostRemoval[];
  /** `--via-index`: bytes of the WARC fetched (records and the gaps between coalesced ones); `inputBytes` is then this. */
  bytesFetched?: number;
  /** `--via-index`: bytes of the selected records themselves (bytesFetched less the gaps fetched with them). */
  recordBytes?: number;
  /** `--via-index`: the whole WARC file's size, what a full scan reads (null: the server gave none). */
  warcBytes?: number | null;
}

/** One line per bad record, as the issue asks: file, offset, what was wrong. */
export interface RecordError {
  file: string;
  offset: number;
  reason: string;
  message: string;
}

/** What a worker thread makes once and hands to each of its tasks (both are costly to create). */
export interface WarcTaskTools {
  detector: LanguageDetector;
  tokenCounter: TokenCounter;
}

/**
 * After one record went through the steps: the document the filters were about to judge (tapped after
 * `normalize`, kept for `pnpm refilter`) and the kept document, if any, into the task's staged output.
 */
export async function keepRecordOutcome(output: StagedOutput, tapped: { page: PageText | null }, kept: PageText | null): Promise<void> {
  // The steps after `normalize` add scores but never change the text, the columns kept here.
  if (tapped.page) await output.keepNormalized(docOf(tapped.page), tapped.page.size.bytes);
  tapped.page = null;
  if (kept) await output.keep(docOf(kept), kept.size.bytes, kept.exactKey);
}

/**
 * A record the reader could not read: counted as a `read` drop under its reason, reported (errors.jsonl
 * and the log), and sampled with the id `id` (a broken record has none of its own: the one its place gives).
 */
export function countBadRecord(read: StageCounter, sampler: AuditSampler, report: (e: InputError) => void, item: InputError, id: string): void {
  read.in(0, 0);
  read.drop(item.reason, 0, 0);
  report(item);
  if (sampler.wants(item.reason)) sampler.offer({ id, url: '', reason: item.reason, stage: 'read', warcFile: item.file, offset: item.offset, scores: {}, text: item.message });
}

/** What a process task knows when its records are done, for its result (`endTask`). */
export interface TaskEnd {
  crawl: string;
  inputBytes: number;
  ledger: Ledger;
  closed: { stagedShards: string[]; outputs: TaskOutput[] };
  staged: number;
  sampler: AuditSampler;
  errors: RecordError[];
  started: number;
  stepMs: Record<string, number>;
  /** What only some tasks report (`--via-index`: bytes fetched). */
  extra?: Partial<WarcTaskResult>;
}

/** Writes the task's audit files and makes its result: what every process task ends with, whatever it read. */
export async function endTask(task: { runDir: string; stage: string; taskId: string; warcPath: string }, end: TaskEnd): Promise<TaskOutcome<WarcTaskResult>> {
  const audit = await writeTaskAudit(task, end.sampler, end.errors);
  const result: WarcTaskResult = {
    taskId: task.taskId,
    warcFile: task.warcPath,
    crawl: end.crawl,
    inputBytes: end.inputBytes,
    ...end.extra,
    ledger: end.ledger,
    stagedShards: end.closed.stagedShards,
    staged: end.staged,
    errors: end.errors.length,
    seconds: (Date.now() - end.started) / 1000,
    stepMs: end.stepMs,
  };
  return { result, outputs: [...end.closed.outputs, ...audit] };
}

/** The task's audit samples and bad-record lines, written atomically; returns them as task outputs. */
export async function writeTaskAudit(task: { runDir: string; stage: string; taskId: string }, sampler: AuditSampler, errors: RecordError[]): Promise<TaskOutput[]> {
  const samplesFile = taskSamplesPath(task.runDir, task.stage, task.taskId);
  const errorsFile = taskErrorsPath(task.runDir, task.stage, task.taskId);
  await writeFileAtomic(samplesFile, jsonLines(sampler.all()));
  await writeFileAtomic(errorsFile, jsonLines(errors));
  return [{ path: samplesFile }, { path: errorsFile }];
}
