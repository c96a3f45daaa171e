import type { LanguageDetector } from '@jcp/filters';
import type { Ledger, TokenCounter } from '@jcp/stats';

/**
 * What every process task shares, whatever it reads (a WARC: process.ts; a text collection's file:
 * text-task.ts): its result, its bad-record lines, the tools a worker thread lends it.
 */

/** The step after which documents no longer change text: what the filters judge, and where a refilter starts. */
export const REFILTER_FROM_STEP = 'normalize';

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
  /** `--via-index`: bytes of the WARC fetched (records and the gaps between coalesced ones); `inputBytes` is then this. */
  bytesFetched?: number;
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
