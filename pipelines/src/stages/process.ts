import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { DOC_COLUMNS, InputError, scoreColumns, ShardedParquetWriter, removeShards, writeFileAtomic, type Doc, type WrittenShard } from '@jcp/core';
import { crawlIdFromPath, isHttpUrl, readWarcInput, type WarcRecord } from '@jcp/crawler';
import { AuditSampler, LedgerBuilder, type Ledger, type TokenCounter } from '@jcp/stats';
import type { LanguageDetector } from '@jcp/filters';
import { TaskSignatureWriter } from '@jcp/dedup';
import { definitionOf } from '../definitions/index.ts';
import { StepRunner, type StepList } from '../steps/step.ts';
import { responseRecord, type DocOrigin, type PageText, type ResponseRecord } from '../steps/web-page/items.ts';
import type { RunContext } from '../run-folder/context.ts';
import { bucketPath, signaturePath, stagedDir, taskErrorsPath, taskSamplesPath } from '../run-folder/layout.ts';
import { PROCESS_STAGE, taskIdFor } from '../run-folder/names.ts';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { defineStage } from './stage.ts';

/**
 * One task per WARC (a file or a URL): read → html → precheck → decode → extract → langid → text
 * filters → exact dedup within the WARC → staged shards, MinHash signatures and band keys.
 */
export const processStage = defineStage<WarcTaskInput, WarcTaskResult>({
  name: PROCESS_STAGE,
  taskCount: (ctx) => ctx.inputs.length,
  taskId: (ctx, i) => taskIdFor(ctx.inputs[i]!),
  inputBytes: async (ctx, i) => (isHttpUrl(ctx.inputs[i]!) ? 0 : ((await stat(ctx.inputs[i]!).catch(() => null))?.size ?? 0)),
  input: async (ctx, i) => ({
    runDir: ctx.runDir,
    stage: PROCESS_STAGE,
    taskId: taskIdFor(ctx.inputs[i]!),
    warcPath: ctx.inputs[i]!,
    source: ctx.source,
    subcorpus: ctx.subcorpus,
    lang: ctx.lang,
    steps: (await definitionOf(ctx)).steps,
    reader: ctx.reader,
    http: ctx.http,
    chain: ctx.chain,
    dedup: ctx.dedup,
    tokens: ctx.tokens,
    shards: ctx.shards,
  }),
  externalInputs: (input) => [input.warcPath],
  run: async (input, tools) => {
    const made = { detector: await tools.languageDetector(input.chain.langid), tokenCounter: await tools.tokenCounter(input.tokens) };
    return runWarcTask(input, made, tools.log, tools.progress);
  },
});

/**
 * One unit of work: one WARC file through read → html → precheck → decode → extract → langid → text
 * filters → exact dedup within the WARC, into staged shards plus the doc's MinHash signature and band
 * keys for the run-wide dedup.
 */
export interface WarcTaskInput extends Pick<RunContext, 'runDir' | 'reader' | 'http' | 'chain' | 'dedup' | 'tokens' | 'shards'> {
  stage: string;
  taskId: string;
  /** A local path or an http(s) URL. */
  warcPath: string;
  source: string;
  subcorpus: string;
  lang: string;
  /** The per-record steps, from a WARC response record to a kept page. */
  steps: StepList<ResponseRecord, PageText>;
}

/** What a finished task leaves in its `.done` marker; the run's stats.json is the merge of these. */
export interface WarcTaskResult {
  taskId: string;
  warcFile: string;
  crawl: string;
  inputBytes: number;
  ledger: Ledger;
  /** Staged shards (file names); the corpus shards are written by the write stage. */
  shards: string[];
  /** Docs staged = records in the task's signature file. */
  staged: number;
  errors: number;
  seconds: number;
  /** Milliseconds in each step (`html`, ..., `exact-dedup`) over the task's records: where the time goes. */
  stepMs: Record<string, number>;
  /** Set when the WARC was given up after failing (`--abandon-failed`): the error it kept failing with. */
  abandoned?: string;
}

/** One line per bad record, as the issue asks: file, offset, what was wrong. */
export interface RecordError {
  file: string;
  offset: number;
  reason: string;
  message: string;
}

/** Milliseconds between progress reports from inside a task: often enough for a bar, rare enough to cost nothing. */
const PROGRESS_EVERY_MS = 1000;

/** What a worker thread makes once and hands to each of its tasks (both are costly to create). */
export interface WarcTaskTools {
  detector: LanguageDetector;
  tokenCounter: TokenCounter;
}

export async function runWarcTask(
  input: WarcTaskInput,
  { detector, tokenCounter }: WarcTaskTools,
  log: (line: string) => void,
  onProgress: (bytesRead: number) => void = () => undefined,
): Promise<TaskOutcome<WarcTaskResult>> {
  const started = Date.now();
  const outDir = stagedDir(input.runDir, input.lang, input.subcorpus);
  await removeShards(outDir, input.taskId);
  const ledger = new LedgerBuilder();
  const read = ledger.stage('read');
  const errors: RecordError[] = [];
  const report = (e: InputError): void => {
    errors.push({ file: e.file, offset: e.offset, reason: e.reason, message: e.message });
    log(`error: ${e.message}`);
  };
  const sampler = new AuditSampler(input.chain.filters.auditSamplesPerReason, input.chain.filters.auditPreviewChars);
  const runner = new StepRunner<ResponseRecord, PageText>(input.steps.build({ config: input.chain, detector, tokenCounter }), { ledger, sampler, badInput: report });
  const signatures = await TaskSignatureWriter.create(signaturePath(input.runDir, input.taskId), bucketPath(input.runDir, input.taskId), input.dedup);
  const columns = [...DOC_COLUMNS, ...scoreColumns(runner.scoreNames, (n) => `filter score ${n}`)];
  const sink = new ShardedParquetWriter<Doc>(outDir, input.taskId, columns, input.shards);
  const origin: DocOrigin = { source: input.source, subcorpus: input.subcorpus, crawl: crawlIdFromPath(input.warcPath) ?? 'unknown', warcFile: input.warcPath };

  let lastProgress = Date.now();
  let bytesRead = 0;
  let shards: WrittenShard[];
  try {
    for await (const item of readWarcInput(input.warcPath, { reader: input.reader, http: input.http })) {
      if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        onProgress(item.offset);
      }
      if (item instanceof InputError) {
        // A download that gave up past its retries fails the task (no .done): the run goes on, the ledger
        // lists the WARC as failed with this reason, and rerunning the command retries just this WARC.
        if (item.reason === 'fetch-failed') throw new Error(item.message);
        read.in(0, 0);
        read.drop(item.reason, 0, 0);
        report(item);
        continue;
      }
      bytesRead = item.offset + item.storedLength;
      read.in(item.block.length, 0);
      if (item.type !== 'response') {
        if (item.type === 'warcinfo' && origin.crawl === 'unknown') origin.crawl = crawlFromWarcinfo(item) ?? origin.crawl;
        read.drop(`warc-${item.type || 'untyped'}`, item.block.length, 0);
        continue;
      }
      read.out(item.block.length, 0);
      const page = runner.run(responseRecord(item, origin));
      if (!page) continue;
      const doc = docOf(page);
      await sink.append(doc, page.size.bytes);
      await signatures.add({ id: doc.id, text: doc.text, fetchedAt: doc.fetchedAt, exactKey: page.exactKey });
    }
    shards = await sink.close();
    ledger.stage('exact-dedup').event('dedup-too-short', signatures.tooShort);
    await signatures.close();
  } catch (e) {
    // Nothing of a failed task stays half-written (its temp files go now; closed shards when it is redone).
    await signatures.abort();
    await sink.abort();
    throw e;
  }
  const samplesFile = taskSamplesPath(input.runDir, input.stage, input.taskId);
  const errorsFile = taskErrorsPath(input.runDir, input.stage, input.taskId);
  await writeFileAtomic(samplesFile, jsonl(sampler.all()));
  await writeFileAtomic(errorsFile, jsonl(errors));
  const result: WarcTaskResult = {
    taskId: input.taskId,
    warcFile: input.warcPath,
    crawl: origin.crawl,
    inputBytes: isHttpUrl(input.warcPath) ? bytesRead : (await stat(input.warcPath)).size,
    ledger: ledger.ledger,
    shards: shards.map((s) => basename(s.path)),
    staged: signatures.docs,
    errors: errors.length,
    seconds: (Date.now() - started) / 1000,
    stepMs: runner.timings(),
  };
  const outputs = [...shards, { path: signaturePath(input.runDir, input.taskId) }, { path: bucketPath(input.runDir, input.taskId) }, { path: samplesFile }, { path: errorsFile }];
  return { result, outputs };
}

/** The document a page became, as the Parquet columns hold it. */
function docOf(page: PageText): Doc {
  const { record, origin } = page;
  return {
    id: page.id,
    text: page.text,
    title: page.title,
    url: page.url,
    host: hostOf(page.url),
    source: origin.source,
    subcorpus: origin.subcorpus,
    crawl: origin.crawl,
    warcFile: origin.warcFile,
    warcRecordId: record.headers.get('warc-record-id') ?? '',
    warcOffset: record.offset,
    warcPayloadDigest: record.headers.get('warc-payload-digest') ?? '',
    fetchedAt: record.headers.get('warc-date') ?? '',
    charsetDeclared: page.charsetDeclared,
    charset: page.charset,
    lang: page.lang,
    tokenCount: page.size.tokens,
    langScore: page.langScore,
    scores: page.scores,
  };
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/([^/:?#\s]+)/i.exec(url)?.[1]?.toLowerCase() ?? '';
  }
}

const warcinfoDecoder = new TextDecoder();

/** Common Crawl's warcinfo names its crawl in `isPartOf: CC-MAIN-2020-34`. */
function crawlFromWarcinfo(record: WarcRecord): string | null {
  const text = warcinfoDecoder.decode(record.block.subarray(0, 4096));
  return /^isPartOf:\s*(\S+)/m.exec(text)?.[1] ?? null;
}

function jsonl(rows: unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}
