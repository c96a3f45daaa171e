import type { TextFields } from '../sources/text-records.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, type FingerprintMode, type ShardConfig } from '@jcp/core';
import type { HttpFetchConfig, WarcReaderConfig } from '@jcp/crawler';
import { DEFAULT_SITE_BOILERPLATE_CONFIG, type DedupConfig, type SiteBoilerplateConfig } from '@jcp/dedup';
import type { TokenCounterConfig } from '@jcp/stats';
import type { WebPageChainConfig } from '../chains/web-page-config.ts';
import type { StepList } from '../steps/step.ts';
import type { PageText, ResponseRecord } from '../steps/web-page/items.ts';
import type { WikiArticle } from '../steps/wiki/wikitext-to-text.ts';
import type { ViaIndexSource } from './index-plan.ts';

/** A pipeline: which documents it keeps and what it calls them. */
/** A pipeline: what it calls its documents, what it reads and the steps each record goes through. */
export type PipelineDefinition = WarcPipelineDefinition | TextPipelineDefinition | WikiPipelineDefinition;

interface PipelineBase {
  name: string;
  description: string;
  source: string;
  subcorpus: string;
  lang: string;
  /** The filter profile when `--filters` names none; absent: the default profile (jcp-v1). */
  filterProfile?: string;
  /** Used when the command gives no input: the committed fixtures (none for warp-ja). */
  defaultInputs: string[];
  /**
   * The module that exports this definition (`import.meta.url`), for a pipeline defined outside this
   * package: its tasks, in worker threads or on Slurm nodes, import it from there to find its steps.
   */
  module?: string;
}

/** A pipeline over WARC files (cc-ja, warp-ja): one task per WARC. */
export interface WarcPipelineDefinition extends PipelineBase {
  reads?: 'warc';
  /** What each WARC response record goes through, in order (definitions/web-page-steps.ts). */
  steps: StepList<ResponseRecord, PageText>;
}

/** A pipeline over a text collection's JSON Lines files (text-ja): one task per file (JSON Lines or Parquet), each line or row a document. */
export interface TextPipelineDefinition extends PipelineBase {
  reads: 'text';
  /** What each record, already a document, goes through (definitions/text-steps.ts). */
  steps: StepList<PageText, PageText>;
}

/** A pipeline over MediaWiki XML dumps (wiki-ja): one task per dump, or per range of a multistream dump's streams, each article a document. */
export interface WikiPipelineDefinition extends PipelineBase {
  reads: 'wiki';
  /** What each article goes through, from its wikitext (definitions/wiki-steps.ts). */
  steps: StepList<WikiArticle, PageText>;
}

/**
 * Every setting that shapes a run, each section's defaults with their sources in its package: what
 * `--config <file.json>` sets (the file has this shape) and, but for `http`, part of the run's identity.
 */
export interface RunSettings {
  reader: WarcReaderConfig;
  /** For WARCs given as URLs: retries and timeouts, which do not change the output. */
  http: HttpFetchConfig;
  chain: WebPageChainConfig;
  dedup: DedupConfig;
  /** How tokens are counted (LLM-jp SentencePiece by default). */
  tokens: TokenCounterConfig;
  /** When a Parquet shard is closed: the sharding, not the shards. */
  sharding: ShardConfig;
  /** Site-level repeated-line removal before the filters (the `pages` and `site-lines` stages). */
  siteLines: SiteBoilerplateConfig;
}

/**
 * Everything a task of any stage needs to know about its run, saved in the run folder
 * (`context.json`) so that a task started anywhere (a worker thread, a Slurm array task on another
 * node) builds its own input from the shared folder.
 */
export interface RunContext {
  pipeline: string;
  /** Where the pipeline's definition is exported from, when it is not one of `PIPELINES` (null: it is). */
  definitionModule: string | null;
  /** What the pipeline calls its documents (from its definition): the Parquet columns and the corpus folder. */
  source: string;
  subcorpus: string;
  lang: string;
  runId: string;
  runDir: string;
  /**
   * Resolved WARC paths or URLs (a text pipeline: its .jsonl / .jsonl.gz / .parquet files; wiki-ja: its
   * dump parts, `sources/wiki-pages.ts`), in task order.
   */
  inputs: string[];
  /** A text pipeline's field names (`--text-field`, ...); absent for a WARC pipeline or the defaults. */
  textFields?: TextFields;
  /** `text`: the pipeline reads a text collection, `wiki` a Wikipedia dump (its definition's `reads`); absent: WARCs. */
  reads?: 'text' | 'wiki';
  settings: RunSettings;
  /** Persistent dedup index, or null for a dedup within the run only. */
  dedupIndex: string | null;
  /**
   * How a rerun tells that a finished WARC changed under its path: `quick` (size, mtime, and the first
   * and last MiB when mtime moved) or `full` (the SHA-256 of every byte). Not part of the run's identity.
   */
  verifyInputs: FingerprintMode;
  /** The run this one re-filters (`pnpm refilter`): its normalised documents are this run's input; null for a run over WARCs. */
  refilterOf: string | null;
  /** Keep every normalised document before the filters (`normalized/`), so `pnpm refilter` can judge them again. */
  keepNormalized: boolean;
  /**
   * Set when the records were chosen through Common Crawl's columnar index (`--via-index`): each WARC
   * task reads only the byte ranges in `index/<task>.json`. Absent or null: every record of each WARC.
   */
  viaIndex?: ViaIndexSource | null;
}

export function contextPath(runDir: string): string {
  return join(runDir, 'context.json');
}

export async function saveRunContext(ctx: RunContext): Promise<void> {
  await writeFileAtomic(contextPath(ctx.runDir), `${JSON.stringify(ctx, null, 1)}\n`);
}

export async function loadRunContext(runDir: string): Promise<RunContext> {
  const text = await readFile(contextPath(runDir), 'utf8').catch(() => null);
  if (text === null) throw new Error(`${runDir}: no context.json; is this a run folder made by pnpm pipeline?`);
  const ctx = JSON.parse(text) as RunContext;
  // A run made before site-line removal existed had none: its stages are the ones it ran.
  ctx.settings.siteLines ??= { ...DEFAULT_SITE_BOILERPLATE_CONFIG, enabled: false };
  return ctx;
}
