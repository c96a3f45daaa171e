import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codePointLength, jsonLines, parseJsonLines, readParquetRows, utf8Length, writeFileAtomic, type ParquetRow } from '@jcp/core';
import { parseWarcDate, type CaptureDate, type WarcRecord } from '@jcp/crawler';
import { readRepeatedSiteLines, siteTaskHosts, type RepeatedSiteLines } from '@jcp/dedup';
import { AuditSampler, LedgerBuilder, type AuditSample } from '@jcp/stats';
import { definitionOf } from '../definitions/index.ts';
import type { RunContext } from '../run-folder/context.ts';
import { normalizedDir, siteLinePagesPath, siteLinesRepeatedPath, taskErrorsPath, taskSamplesPath } from '../run-folder/layout.ts';
import { PAGES_STAGE, PROCESS_STAGE, removesSiteLines, siteLinePartitions, siteLinesTaskId, taskIdFor } from '../run-folder/names.ts';
import { readTaskMarker, readTaskResult, type TaskOutcome } from '../run-folder/task-marker.ts';
import { HostRemovalTally, siteBoilerplateStep, type SiteBoilerplateSink } from '../steps/web-page/site-boilerplate.ts';
import { StepRunner, type StepList } from '../steps/step.ts';
import type { PageText, ResponseRecord } from '../steps/web-page/items.ts';
import { REFILTER_FROM_STEP, type WarcTaskResult } from './process.ts';
import { defineStage, type TaskTools } from './stage.ts';
import { docOf, hostOf, StagedOutput } from './staged-output.ts';

/**
 * The process stage of a refilter run (`pnpm refilter`): one task per WARC of the source run, which
 * reads no WARC. It takes the WARC's normalised documents (`normalized/`, kept by the source run) and
 * runs the steps after `normalize` again, with this run's settings, into staged shards and signatures;
 * the dedup, write and stats stages follow as in any run. The ledger of the steps up to `normalize`,
 * their audit samples and the bad-record lines are the source task's: nothing before the filters changed.
 */
export const refilterStage = defineStage<FilterTaskInput, WarcTaskResult>({
  name: PROCESS_STAGE,
  inRun: (ctx) => ctx.refilterOf !== null,
  taskCount: (ctx) => ctx.inputs.length,
  taskId: (ctx, i) => taskIdFor(ctx.inputs[i]!),
  input: async (ctx, i) => {
    const taskId = taskIdFor(ctx.inputs[i]!);
    // A source run with site-line removal read its WARCs in the `pages` stage.
    const stage = (await readTaskMarker(ctx.refilterOf!, PAGES_STAGE, taskId)) !== null ? PAGES_STAGE : PROCESS_STAGE;
    return filterTaskInput(ctx, taskId, { runDir: ctx.refilterOf!, stage });
  },
  // The source run's normalised shards: if that run is redone, this one notices (reconcile.ts).
  externalInputs: (input) => input.normalizedShards,
  run: (input, tools) => runFilterTask(input, tools),
});

/** The input of a task that filters one WARC's normalised documents, read by `from`'s task of the same id. */
export async function filterTaskInput(ctx: RunContext, taskId: string, from: FilterTaskInput['from']): Promise<FilterTaskInput> {
  const folder = normalizedDir(from.runDir, ctx.lang, ctx.subcorpus);
  const shards = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.startsWith(`${taskId}-`) && n.endsWith('.parquet')).sort();
  return { ctx, taskId, from, normalizedShards: shards.map((n) => join(folder, n)), steps: (await definitionOf(ctx)).steps };
}

export interface FilterTaskInput {
  ctx: RunContext;
  taskId: string;
  /** The run and stage whose task read the WARC: its ledger up to `normalize`, its samples and bad-record lines are this task's. */
  from: { runDir: string; stage: string };
  normalizedShards: string[];
  steps: StepList<ResponseRecord, PageText>;
}

/**
 * Runs the steps after `normalize` over a WARC's normalised documents (with site-line removal first,
 * when the run has it): a refilter run's process task, and the process task of a run with site-line
 * removal, which filters after the `site-lines` stage counted every page.
 */
export async function runFilterTask({ ctx, taskId, from: source, normalizedShards, steps }: FilterTaskInput, tools: TaskTools): Promise<TaskOutcome<WarcTaskResult>> {
  const started = Date.now();
  const read = await readTaskResult<WarcTaskResult>(source.runDir, source.stage, taskId);
  if (!read) throw new Error(`${source.runDir}: the ${source.stage} stage has not finished ${taskId}; finish that run before filtering its documents`);
  const tokenCounter = await tools.tokenCounter(ctx.settings.tokens);
  const built = steps.build({ config: ctx.settings.chain, detector: await tools.languageDetector(ctx.settings.chain.langid), tokenCounter });
  const from = built.findIndex((s) => s.name === REFILTER_FROM_STEP) + 1;
  if (from === 0) throw new Error(`pipeline ${ctx.pipeline} has no '${REFILTER_FROM_STEP}' step to refilter from`);
  // `index` (with --via-index) and `read` come before the steps; all of them stay the reading task's.
  const before = new Set(['index', 'read', ...built.slice(0, from).map((s) => s.name)]);

  const ledger = new LedgerBuilder();
  for (const [stage, counts] of Object.entries(read.ledger)) if (before.has(stage)) ledger.ledger[stage] = structuredClone(counts);
  const sampler = new AuditSampler(ctx.settings.chain.filters.auditSamplesPerReason, ctx.settings.chain.filters.auditPreviewChars);
  for (const s of parseJsonLines<AuditSample>(await readFile(taskSamplesPath(source.runDir, source.stage, taskId), 'utf8'))) {
    if (before.has(s.stage)) sampler.offer(s);
  }
  const errors = await readFile(taskErrorsPath(source.runDir, source.stage, taskId), 'utf8');
  const tally = new HostRemovalTally();
  const site = ctx.settings.siteLines;
  const siteStep = removesSiteLines(ctx) ? [siteBoilerplateStep(await repeatedLinesOfTask(ctx, source.runDir, taskId), hostOf, site, tokenCounter, removalSink(tally, sampler))] : [];
  const runner = new StepRunner<PageText, PageText>([...siteStep, ...built.slice(from)], {
    ledger,
    sampler,
    // The steps after `normalize` judge text; a broken record never reaches them.
    badInput: (e) => {
      throw new Error(`${e.message}: a step after ${REFILTER_FROM_STEP} reported bad input`);
    },
  });
  const output = await StagedOutput.open({ runDir: ctx.runDir, taskId, lang: ctx.lang, subcorpus: ctx.subcorpus, dedup: ctx.settings.dedup, sharding: ctx.settings.sharding, scoreNames: runner.scoreNames, keepNormalized: false, keepStaged: true });
  let closed: Awaited<ReturnType<StagedOutput['close']>>;
  try {
    for (const shard of normalizedShards) {
      for await (const row of readParquetRows(shard)) {
        const page = runner.run(pageOfRow(row));
        if (page) await output.keep(docOf(page), page.size.bytes, page.exactKey);
      }
    }
    closed = await output.close(ledger);
  } catch (e) {
    await output.abort();
    throw e;
  }
  const samplesFile = taskSamplesPath(ctx.runDir, PROCESS_STAGE, taskId);
  const errorsFile = taskErrorsPath(ctx.runDir, PROCESS_STAGE, taskId);
  await writeFileAtomic(samplesFile, jsonLines(sampler.all()));
  await writeFileAtomic(errorsFile, errors);
  const result: WarcTaskResult = {
    ...read,
    ledger: ledger.ledger,
    ...(site.enabled ? { siteBoilerplateHosts: tally.top(site.topHosts) } : {}),
    stagedShards: closed.stagedShards,
    staged: output.docs,
    seconds: (Date.now() - started) / 1000,
    stepMs: runner.timings(),
  };
  return { result, outputs: [...closed.outputs, { path: samplesFile }, { path: errorsFile }] };
}

/**
 * The repeated lines of the hosts of one WARC: its site-line file (in the run that read it) names its
 * hosts by partition, and only those partitions' files of this run's `site-lines` stage are read, keeping
 * those hosts' lines. Memory: the repeated lines of one WARC's hosts.
 */
async function repeatedLinesOfTask(ctx: RunContext, readingRunDir: string, taskId: string): Promise<RepeatedSiteLines> {
  const repeated: RepeatedSiteLines = new Map();
  const hosts = await siteTaskHosts(siteLinePagesPath(readingRunDir, taskId), siteLinePartitions(ctx));
  for (const [partition, keys] of hosts) await readRepeatedSiteLines(siteLinesRepeatedPath(ctx.runDir, siteLinesTaskId(partition)), keys, repeated);
  return repeated;
}

/** Where the removals go: the per-host tally, and audit samples of the removed lines (reason `site-boilerplate-lines`). */
function removalSink(tally: HostRemovalTally, sampler: AuditSampler): SiteBoilerplateSink {
  return {
    removed(page, host, removal) {
      tally.add(host, removal.lines.length, removal.chars, removal.tokens);
      if (!sampler.wants(SITE_LINES_SAMPLE)) return;
      const { record } = page;
      sampler.offer({ id: page.id, url: page.url, host, reason: SITE_LINES_SAMPLE, stage: 'site-boilerplate', warcFile: record.file, offset: record.offset, scores: {}, text: removal.lines.join('\n') });
    },
  };
}

/** The audit samples of removed lines (not drops: the page goes on without them). */
export const SITE_LINES_SAMPLE = 'site-boilerplate-lines';

/**
 * The capture date the source run resolved. Runs made before `fetched_at_source` existed kept the raw
 * WARC-Date in `warc_date`: it is parsed as the process stage would (without the fallbacks, whose
 * fields the normalised shard does not hold).
 */
function capturedOfRow(row: ParquetRow): CaptureDate {
  const source = row.fetched_at_source;
  const text = row.warc_date === null || row.warc_date === undefined ? '' : String(row.warc_date);
  if (source === 'http-date' || source === 'warcinfo' || source === 'revision') return { iso: text, source };
  const iso = parseWarcDate(text);
  return iso ? { iso, source: 'warc-date' } : { iso: null, source: 'none' };
}

/** A normalised document as the filters saw it in the source run: its text, identity and lineage. */
function pageOfRow(row: ParquetRow): PageText {
  const text = String(row.text);
  const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
  const record: WarcRecord = {
    file: str(row.warc_file),
    offset: Number(row.warc_offset),
    storedLength: 0,
    version: '',
    type: 'response',
    headers: new Map([
      ['warc-record-id', str(row.warc_record_id)],
      ['warc-payload-digest', str(row.warc_payload_digest)],
      ['warc-date', str(row.warc_date)],
    ]),
    block: new Uint8Array(0),
  };
  return {
    record,
    origin: { source: str(row.source), subcorpus: str(row.subcorpus), crawl: str(row.crawl), warcFile: str(row.warc_file) },
    captured: capturedOfRow(row),
    id: str(row.id),
    url: str(row.url),
    title: str(row.title),
    text,
    charset: str(row.charset),
    charsetDeclared: row.charset_declared === null || row.charset_declared === undefined ? null : String(row.charset_declared),
    lang: str(row.lang),
    langScore: Number(row.lang_score),
    scores: {},
    ...(row.page_id !== null && row.page_id !== undefined ? { article: { pageId: Number(row.page_id), revisionId: Number(row.revision_id) } } : {}),
    exactKey: '',
    size: { bytes: utf8Length(text), chars: codePointLength(text), tokens: Number(row.token_count) },
  };
}
