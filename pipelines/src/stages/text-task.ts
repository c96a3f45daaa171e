import { stat } from 'node:fs/promises';
import { codePointLength, InputError, utf8Length } from '@jcp/core';
import { AuditSampler, LedgerBuilder } from '@jcp/stats';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { readTextRecords, textRecordKey, type TextFields, type TextRecord } from '../sources/text-records.ts';
import { docId } from '../steps/record-audit.ts';
import { StepRunner, type StepList } from '../steps/step.ts';
import type { DocOrigin, PageText } from '../steps/web-page/items.ts';
import type { RunSettings } from '../run-folder/context.ts';
import { countBadRecord, keepRecordOutcome, REFILTER_FROM_STEP, writeTaskAudit, type RecordError, type WarcTaskResult, type WarcTaskTools } from './process-task.ts';
import { StagedOutput } from './staged-output.ts';

/**
 * One task per file of a text collection (`text-ja`): read lines → langid → normalize → filters →
 * exact dedup within the file → staged shards, signatures and band keys, as a WARC task does after
 * extraction. Its result has the WARC task's shape (`warcFile` is the collection file), so the dedup,
 * write, stats, verify and report stages need no second kind.
 */
export interface TextTaskInput extends Pick<RunSettings, 'reader' | 'http' | 'chain' | 'dedup' | 'tokens' | 'sharding'> {
  reads: 'text';
  runDir: string;
  stage: string;
  taskId: string;
  /** The collection file (named as a WARC task names its WARC, so the later stages read both alike). */
  warcPath: string;
  source: string;
  subcorpus: string;
  lang: string;
  /** Keep the normalised documents before the filters (`normalized/`), for `pnpm refilter`. */
  keepNormalized: boolean;
  /** The steps after reading: from a record as a document to a kept one. */
  steps: StepList<PageText, PageText>;
  fields: TextFields;
}

const PROGRESS_EVERY_LINES = 1000;

export async function runTextTask(input: TextTaskInput, { detector, tokenCounter }: WarcTaskTools, log: (line: string) => void, onProgress: (lines: number) => void = () => undefined): Promise<TaskOutcome<WarcTaskResult>> {
  const started = Date.now();
  const ledger = new LedgerBuilder();
  const read = ledger.stage('read');
  const errors: RecordError[] = [];
  const sampler = new AuditSampler(input.chain.filters.auditSamplesPerReason, input.chain.filters.auditPreviewChars);
  const report = (e: InputError): void => {
    errors.push({ file: e.file, offset: e.offset, reason: e.reason, message: e.message });
    log(`error: ${e.message}`);
  };
  const runner = new StepRunner<PageText, PageText>(input.steps.build({ config: input.chain, detector, tokenCounter }), { ledger, sampler, badInput: report });
  const output = await StagedOutput.open({ ...input, scoreNames: runner.scoreNames, keepNormalized: input.keepNormalized, keepStaged: true });
  const tapped: { page: PageText | null } = { page: null };
  if (input.keepNormalized) runner.tapAfter(REFILTER_FROM_STEP, (page) => (tapped.page = page as PageText));
  const origin: DocOrigin = { source: input.source, subcorpus: input.subcorpus, crawl: 'unknown', warcFile: input.warcPath };
  let closed: Awaited<ReturnType<StagedOutput['close']>>;
  let lines = 0;
  try {
    for await (const item of readTextRecords(input.warcPath, input.fields)) {
      if (++lines % PROGRESS_EVERY_LINES === 0) onProgress(lines);
      if (item instanceof InputError) {
        countBadRecord(read, sampler, report, item, docId(`${item.file}:${item.offset}`));
        continue;
      }
      read.in(item.bytes, 0);
      read.out(item.bytes, 0);
      const page = runner.run(textDocument(item, origin));
      await keepRecordOutcome(output, tapped, page);
    }
    closed = await output.close(ledger);
  } catch (e) {
    await output.abort();
    throw e;
  }
  const audit = await writeTaskAudit(input, sampler, errors);
  const result: WarcTaskResult = {
    taskId: input.taskId,
    warcFile: input.warcPath,
    crawl: origin.crawl,
    inputBytes: (await stat(input.warcPath)).size,
    ledger: ledger.ledger,
    stagedShards: closed.stagedShards,
    staged: output.docs,
    errors: errors.length,
    seconds: (Date.now() - started) / 1000,
    stepMs: runner.timings(),
  };
  return { result, outputs: [...closed.outputs, ...audit] };
}

/**
 * A record as the document the steps after extraction take: its place is file and line (`warc_file`,
 * `warc_offset` in Parquet), its id from the file name and its id field (or line), no title, no charset
 * (the collection is UTF-8 JSON), no capture date.
 */
export function textDocument(record: TextRecord, origin: DocOrigin): PageText {
  return {
    record: { file: record.file, offset: record.line },
    origin,
    captured: { iso: null, source: 'none' },
    id: docId(textRecordKey(record.file, record.recordId, record.line)),
    url: record.url,
    title: '',
    text: record.text,
    charset: 'utf-8',
    charsetDeclared: null,
    lang: '',
    langScore: 0,
    scores: {},
    ...(record.recordId !== null ? { recordId: record.recordId } : {}),
    exactKey: '',
    size: { bytes: utf8Length(record.text), chars: codePointLength(record.text), tokens: 0 },
  };
}
