import { stat } from 'node:fs/promises';
import { InputError } from '@jcp/core';
import { captureDate, crawlFromWarcinfo, crawlIdFromPath, emptyRangeCounts, isHttpUrl, parseWarcDate, readWarcInput, readWarcRanges, resourceVersion, type HttpFetchConfig, type WarcItem, type WarcRecord } from '@jcp/crawler';
import { AuditSampler, LedgerBuilder, type AuditSample } from '@jcp/stats';
import { pageLineHashes, SiteLineTaskFile, type SiteBoilerplateConfig } from '@jcp/dedup';
import { definitionOf } from '../definitions/index.ts';
import { bytePreview, docId, recordDocId, targetUri } from '../steps/record-audit.ts';
import { StepRunner, type StepList } from '../steps/step.ts';
import { responseRecord, type DocOrigin, type PageText, type ResponseRecord } from '../steps/web-page/items.ts';
import type { RunContext } from '../run-folder/context.ts';
import { readIndexPlan, type WarcIndexPlan } from '../run-folder/index-plan.ts';
import { siteLinePagesPath } from '../run-folder/layout.ts';
import { PAGES_STAGE, PROCESS_STAGE, siteLinePartitions, taskIdFor, warcStageOf } from '../run-folder/names.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { defineStage, type StageModule } from './stage.ts';
import { docOf, hostOf, StagedOutput } from './staged-output.ts';
import { runDocumentTask, type DocumentTaskInput } from './document-task.ts';
import { countBadRecord, endTask, keepRecordOutcome, REFILTER_FROM_STEP, type ProcessTaskBase, type RecordError, type WarcTaskResult, type WarcTaskTools } from './process-task.ts';
import { DEFAULT_TEXT_FIELDS } from '../sources/text-records.ts';
import { wikiPartBytes, wikiPartFile } from '../sources/wiki-pages.ts';

export { REFILTER_FROM_STEP, type RecordError, type WarcTaskResult, type WarcTaskTools } from './process-task.ts';

/**
 * One task per WARC (a file or a URL): read → html → precheck → decode → extract → langid → text
 * filters → exact dedup within the WARC → staged shards, MinHash signatures and band keys.
 */
export const processStage = warcStage(PROCESS_STAGE);

/**
 * With site-line removal (`siteLines.enabled`): one task per WARC through the steps up to `normalize`
 * only, into `normalized/` and the WARC's site-line file; the `site-lines` stage counts the lines per
 * host, and the `process` stage then filters the normalised documents without their host's repeated lines.
 */
export const pagesStage = warcStage(PAGES_STAGE);

/**
 * The stage that reads the inputs under `name`: `process` (every step) or `pages` (up to `normalize`).
 * A text collection's file (text-ja) and a Wikipedia dump's part (wiki-ja) go to their own readers,
 * always in `process`.
 */
function warcStage(name: typeof PROCESS_STAGE | typeof PAGES_STAGE): StageModule {
  return defineStage<WarcTaskInput | DocumentTaskInput, WarcTaskResult>({
    name,
    inRun: (ctx) => warcStageOf(ctx) === name && ctx.refilterOf === null,
    taskCount: (ctx) => ctx.inputs.length,
    taskId: (ctx, i) => taskIdFor(ctx.inputs[i]!),
    inputBytes: async (ctx, i) => warcTaskBytes(ctx, ctx.inputs[i]!),
    input: async (ctx, i) => {
      const def = await definitionOf(ctx);
      const common = {
        runDir: ctx.runDir,
        stage: name,
        taskId: taskIdFor(ctx.inputs[i]!),
        warcPath: ctx.inputs[i]!,
        source: ctx.source,
        subcorpus: ctx.subcorpus,
        lang: ctx.lang,
        reader: ctx.settings.reader,
        http: ctx.settings.http,
        chain: ctx.settings.chain,
        dedup: ctx.settings.dedup,
        tokens: ctx.settings.tokens,
        sharding: ctx.settings.sharding,
        keepNormalized: ctx.keepNormalized,
      };
      if (def.reads === 'text') return { ...common, reads: 'text', steps: def.steps, fields: ctx.textFields ?? DEFAULT_TEXT_FIELDS };
      if (def.reads === 'wiki') return { ...common, reads: 'wiki', steps: def.steps };
      return {
        ...common,
        steps: def.steps,
        siteLines: name === PAGES_STAGE ? { ...ctx.settings.siteLines, partitions: siteLinePartitions(ctx) } : null,
        index: ctx.viaIndex ? await readIndexPlan(ctx.runDir, taskIdFor(ctx.inputs[i]!)) : null,
      };
    },
    externalInputs: (input) => [input.reads === 'wiki' ? wikiPartFile(input.warcPath) : input.warcPath],
    run: async (input, tools) => {
      const made = { detector: await tools.languageDetector(input.chain.langid), tokenCounter: await tools.tokenCounter(input.tokens) };
      return input.reads === 'text' || input.reads === 'wiki' ? runDocumentTask(input, made, tools.log, tools.progress) : runWarcTask(input, made, tools.log, tools.progress);
    },
  });
}

/**
 * What a WARC task reads, for job sizing and progress: with `--via-index` its selected records' bytes (a
 * few percent of the file, and known before any WARC is touched, even a remote one), else the file's size
 * (0 for a URL: unknown until fetched).
 */
export async function warcTaskBytes(ctx: Pick<RunContext, 'runDir' | 'viaIndex' | 'reads'>, warc: string): Promise<number> {
  if (ctx.reads === 'wiki') return wikiPartBytes(warc);
  if (ctx.viaIndex) return (await readIndexPlan(ctx.runDir, taskIdFor(warc))).ranges.reduce((n, r) => n + r.length, 0);
  return isHttpUrl(warc) ? 0 : ((await stat(warc).catch(() => null))?.size ?? 0);
}

/**
 * One unit of work: one WARC file through read → html → precheck → decode → extract → langid → text
 * filters → exact dedup within the WARC, into staged shards plus the doc's MinHash signature and band
 * keys for the run-wide dedup.
 */
export interface WarcTaskInput extends ProcessTaskBase {
  /** What the task's input is: a WARC (the default), or in `DocumentTaskInput` a text collection's file or a dump part. */
  reads?: 'warc';
  /** The per-record steps, from a WARC response record to a kept page. */
  steps: StepList<ResponseRecord, PageText>;
  /**
   * Set in the `pages` stage: the steps end at `normalize`, every normalised document goes to
   * `normalized/` and its line hashes to the WARC's site-line file; nothing is staged.
   */
  siteLines: SiteBoilerplateConfig | null;
  /** `--via-index`: only these byte ranges of the WARC are read; null: the whole WARC. */
  index: WarcIndexPlan | null;
}

/** Milliseconds between progress reports from inside a task: often enough for a bar, rare enough to cost nothing. */
const PROGRESS_EVERY_MS = 1000;

export async function runWarcTask(
  input: WarcTaskInput,
  { detector, tokenCounter }: WarcTaskTools,
  log: (line: string) => void,
  onProgress: (bytesRead: number) => void = () => undefined,
): Promise<TaskOutcome<WarcTaskResult>> {
  const started = Date.now();
  const ledger = new LedgerBuilder();
  // First, so the funnel reads index → pages → html ...
  if (input.index) countIndexStep(ledger, input.index);
  const read = ledger.stage('read');
  const errors: RecordError[] = [];
  const report = (e: InputError): void => {
    errors.push({ file: e.file, offset: e.offset, reason: e.reason, message: e.message });
    log(`error: ${e.message}`);
  };
  const sampler = new AuditSampler(input.chain.filters.auditSamplesPerReason, input.chain.filters.auditPreviewChars);
  const built = input.steps.build({ config: input.chain, detector, tokenCounter });
  const lineFile = input.siteLines ? new SiteLineTaskFile(input.siteLines.partitions) : null;
  const runner = new StepRunner<ResponseRecord, PageText>(lineFile ? stepsThrough(built, REFILTER_FROM_STEP) : built, { ledger, sampler, badInput: report });
  const output = await StagedOutput.open({ ...input, scoreNames: runner.scoreNames, keepNormalized: input.keepNormalized || lineFile !== null, keepStaged: lineFile === null });
  // The document the filters are about to judge (at most one per record), kept for `pnpm refilter`.
  const tapped: { page: PageText | null } = { page: null };
  if (input.keepNormalized && !lineFile) runner.tapAfter(REFILTER_FROM_STEP, (page) => (tapped.page = page as PageText));
  const origin: DocOrigin = { source: input.source, subcorpus: input.subcorpus, crawl: crawlIdFromPath(input.warcPath) ?? 'unknown', warcFile: input.warcPath };

  // The warcinfo record's date: the last fallback for a record's capture date.
  let fileDate: string | null = null;
  let lastProgress = Date.now();
  let bytesRead = 0;
  let closed: Awaited<ReturnType<StagedOutput['close']>>;
  const fetched = emptyRangeCounts();
  // Each record is done with (steps run synchronously; samples, text and rows copy what they keep) before
  // the loop asks for the next, so the reader may reuse one buffer for every record's block.
  const blocks = 'until-next-item';
  const items: AsyncGenerator<WarcItem> = input.index
    ? readWarcRanges(input.warcPath, input.index.ranges, { reader: input.reader, http: input.http, counts: fetched, blocks })
    : readWarcInput(input.warcPath, { reader: input.reader, http: input.http, blocks });
  try {
    for await (const item of items) {
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        // Through the index the task's size is its records' bytes (warcTaskBytes), not the file's.
        onProgress(input.index ? fetched.recordBytes : item.offset);
      }
      if (item instanceof InputError) {
        // A download that gave up past its retries fails the task (no .done): the run goes on, the ledger
        // lists the WARC as failed with this reason, and rerunning the command retries just this WARC.
        if (item.reason === 'fetch-failed') throw new Error(item.message);
        countBadRecord(read, sampler, report, item, docId(`${item.file}@${item.offset}`));
        continue;
      }
      bytesRead = item.offset + item.storedLength;
      read.in(item.block.length, 0);
      if (item.type !== 'response') {
        if (item.type === 'warcinfo') {
          if (origin.crawl === 'unknown') origin.crawl = crawlFromWarcinfo(item) ?? origin.crawl;
          fileDate ??= parseWarcDate(item.headers.get('warc-date') ?? '');
        }
        const reason = `warc-${item.type || 'untyped'}`;
        read.drop(reason, item.block.length, 0);
        if (sampler.wants(reason)) sampler.offer(protocolRecordSample(item, reason, sampler.previewChars));
        continue;
      }
      read.out(item.block.length, 0);
      const captured = captureDate(item, fileDate);
      // A fallback is an event, not a drop: the page goes on, and the ledger says how many dates came from where.
      if (captured.source !== 'warc-date') read.event(captured.source === 'none' ? 'fetched-at-missing' : `fetched-at-from-${captured.source}`);
      const page = runner.run(responseRecord(item, origin, captured));
      if (page && lineFile) {
        // The `pages` stage's list ends at `normalize`: what comes out is the normalised document.
        await output.keepNormalized(docOf(page), page.size.bytes);
        lineFile.addPage(hostOf(page.url), page.text, pageLineHashes(page.text, input.siteLines!));
      } else await keepRecordOutcome(output, tapped, page);
    }
    closed = await output.close(ledger);
    if (lineFile) {
      const path = siteLinePagesPath(input.runDir, input.taskId);
      await lineFile.write(path);
      closed.outputs.push({ path });
    }
  } catch (e) {
    // Nothing of a failed task stays half-written (its temp files go now; closed shards when it is redone).
    await output.abort();
    throw e;
  }
  const inputBytes = input.index ? fetched.bytesFetched : isHttpUrl(input.warcPath) ? bytesRead : (await stat(input.warcPath)).size;
  const extra = input.index ? { bytesFetched: fetched.bytesFetched, recordBytes: fetched.recordBytes, warcBytes: await warcFileBytes(input.warcPath, input.http) } : {};
  return endTask(input, { crawl: origin.crawl, inputBytes, extra, ledger: ledger.ledger, closed, staged: output.docs, sampler, errors, started, stepMs: runner.timings() });
}

/**
 * A WARC's whole size, for the bytes a full scan would have read: a local file's, or a URL's
 * Content-Length (one HEAD). Only a figure for the ledger: a server that will not say gives null, not a failed task.
 */
async function warcFileBytes(warc: string, http: HttpFetchConfig): Promise<number | null> {
  if (!isHttpUrl(warc)) return (await stat(warc)).size;
  return (await resourceVersion(warc, http).catch(() => null))?.size ?? null;
}

/** The steps up to and including `last`. */
function stepsThrough<S extends { name: string }>(list: S[], last: string): S[] {
  const i = list.findIndex((s) => s.name === last);
  if (i < 0) throw new Error(`no '${last}' step in this pipeline (${list.map((s) => s.name).join(', ')})`);
  return list.slice(0, i + 1);
}

/** The ledger's `index` step for this WARC: its index rows in, the selected ones out, the rest by reason. */
function countIndexStep(ledger: LedgerBuilder, plan: WarcIndexPlan): void {
  const step = ledger.stage('index');
  for (let i = 0; i < plan.counts.scanned; i++) step.in(0, 0);
  for (let i = 0; i < plan.counts.selected; i++) step.out(0, 0);
  for (const [reason, n] of Object.entries(plan.counts.skipped)) for (let i = 0; i < n; i++) step.drop(reason, 0, 0);
}

/** A request, metadata or warcinfo record as an audit sample: what it is about and the start of its block. */
function protocolRecordSample(record: WarcRecord, reason: string, previewChars: number): AuditSample {
  const sample: AuditSample = {
    id: recordDocId(record),
    url: targetUri(record),
    reason,
    stage: 'read',
    warcFile: record.file,
    offset: record.offset,
    scores: {},
    text: bytePreview(record.block, previewChars),
  };
  const contentType = record.headers.get('content-type');
  if (contentType !== undefined) sample.contentType = contentType;
  return sample;
}

