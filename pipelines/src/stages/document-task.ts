import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { codePointLength, InputError, utf8Length } from '@jcp/core';
import { articleUrl } from '@jcp/crawler';
import { AuditSampler, LedgerBuilder } from '@jcp/stats';
import type { TaskOutcome } from '../run-folder/task-marker.ts';
import { readTextRecords, textRecordKey, type TextFields, type TextRecord } from '../sources/text-records.ts';
import { parseWikiPart, readWikiPart, wikiPartBytes } from '../sources/wiki-pages.ts';
import { docId } from '../steps/record-audit.ts';
import { StepRunner, type StepItem, type StepList } from '../steps/step.ts';
import type { DocOrigin, PageText } from '../steps/web-page/items.ts';
import { wikiArticle, wikiDocId, type WikiArticle } from '../steps/wiki/wikitext-to-text.ts';
import { countBadRecord, endTask, keepRecordOutcome, REFILTER_FROM_STEP, type ProcessTaskBase, type RecordError, type WarcTaskResult, type WarcTaskTools } from './process-task.ts';
import { StagedOutput } from './staged-output.ts';

/**
 * One task per input of a source that is not a WARC: a text collection's file (`text-ja`, each line or
 * row a document) or a part of a Wikipedia dump (`wiki-ja`, each article a document). The source's
 * reader gives items; the pipeline's steps take them to kept documents → staged shards, signatures and
 * band keys, as a WARC task does after extraction. Its result has the WARC task's shape (`warcFile` is
 * the input), so the dedup, write, stats, verify and report stages need no second kind.
 */
export interface TextTaskInput extends ProcessTaskBase {
  reads: 'text';
  /** The steps after reading: from a record as a document to a kept one. */
  steps: StepList<PageText, PageText>;
  fields: TextFields;
}

export interface WikiTaskInput extends ProcessTaskBase {
  reads: 'wiki';
  /** From an article's wikitext to a kept document. */
  steps: StepList<WikiArticle, PageText>;
}

export type DocumentTaskInput = TextTaskInput | WikiTaskInput;

/** What a source's reader gives: an item for the steps, a record it passes over (counted and sampled in `read`), or a bad record. */
type SourceItem = { item: StepItem; bytes: number } | { skipped: string; bytes: number; place: { file: string; offset: number }; id: string; url: string; preview: string } | InputError;

const PROGRESS_EVERY_RECORDS = 1000;

export async function runDocumentTask(input: DocumentTaskInput, { detector, tokenCounter }: WarcTaskTools, log: (line: string) => void, onProgress: (records: number) => void = () => undefined): Promise<TaskOutcome<WarcTaskResult>> {
  const started = Date.now();
  const ledger = new LedgerBuilder();
  const read = ledger.stage('read');
  const errors: RecordError[] = [];
  const sampler = new AuditSampler(input.chain.filters.auditSamplesPerReason, input.chain.filters.auditPreviewChars);
  const report = (e: InputError): void => {
    errors.push({ file: e.file, offset: e.offset, reason: e.reason, message: e.message });
    log(`error: ${e.message}`);
  };
  const steps = input.steps.build({ config: input.chain, detector, tokenCounter });
  const runner = new StepRunner<StepItem, PageText>(steps, { ledger, sampler, badInput: report });
  const output = await StagedOutput.open({ ...input, scoreNames: runner.scoreNames, keepNormalized: input.keepNormalized, keepStaged: true });
  const tapped: { page: PageText | null } = { page: null };
  if (input.keepNormalized) runner.tapAfter(REFILTER_FROM_STEP, (page) => (tapped.page = page as PageText));
  const origin: DocOrigin = { source: input.source, subcorpus: input.subcorpus, crawl: input.reads === 'wiki' ? dumpName(parseWikiPart(input.warcPath).dump) : 'unknown', warcFile: input.warcPath };
  let closed: Awaited<ReturnType<StagedOutput['close']>>;
  let records = 0;
  try {
    for await (const got of input.reads === 'wiki' ? wikiItems(input.warcPath, origin) : textItems(input.warcPath, input.fields, origin)) {
      if (++records % PROGRESS_EVERY_RECORDS === 0) onProgress(records);
      if (got instanceof InputError) {
        countBadRecord(read, sampler, report, got, docId(`${got.file}:${got.offset}`));
        continue;
      }
      if ('skipped' in got) {
        read.in(got.bytes, 0);
        read.drop(got.skipped, got.bytes, 0);
        if (sampler.wants(got.skipped)) sampler.offer({ id: got.id, url: got.url, reason: got.skipped, stage: 'read', warcFile: got.place.file, offset: got.place.offset, scores: {}, text: got.preview });
        continue;
      }
      // As for a WARC record, `read` counts bytes: characters are counted from the first step that has text.
      read.in(got.bytes, 0);
      read.out(got.bytes, 0);
      const page = runner.run(got.item);
      await keepRecordOutcome(output, tapped, page);
    }
    closed = await output.close(ledger);
  } catch (e) {
    await output.abort();
    throw e;
  }
  const inputBytes = input.reads === 'wiki' ? await wikiPartBytes(input.warcPath) : (await stat(input.warcPath)).size;
  return endTask(input, { crawl: origin.crawl, inputBytes, ledger: ledger.ledger, closed, staged: output.docs, sampler, errors, started, stepMs: runner.timings() });
}

async function* textItems(file: string, fields: TextFields, origin: DocOrigin): AsyncGenerator<SourceItem> {
  for await (const record of readTextRecords(file, fields)) yield record instanceof InputError ? record : { item: textDocument(record, origin), bytes: record.bytes };
}

/**
 * A dump part's articles as items (sized in wikitext), and its other pages (namespaces other than the
 * articles', redirects) passed over in `read` under `not-article` and `redirect`: the funnel starts at
 * every page of the dump.
 */
async function* wikiItems(spec: string, origin: DocOrigin): AsyncGenerator<SourceItem> {
  const part = parseWikiPart(spec);
  const place = { file: spec, offset: part.range?.start ?? 0 };
  for await (const got of readWikiPart(spec)) {
    if (got instanceof InputError) {
      yield got;
      continue;
    }
    const { page, site } = got;
    if ('skipped' in got) {
      const preview = got.skipped === 'redirect' ? `${page.title} → ${page.redirect}` : `[ns ${page.namespace}] ${page.title}`;
      yield { skipped: got.skipped, bytes: utf8Length(page.wikitext), place, id: wikiDocId(site, page), url: articleUrl(site, page.title), preview };
      continue;
    }
    const item = wikiArticle(page, site, origin, place);
    yield { item, bytes: item.size.bytes };
  }
}

/** The dump's name as its crawl id (`jawiki-20240301`: wiki and dump date), from the file name; `unknown` if it has none. */
export function dumpName(dump: string): string {
  return /^([a-z_]+wiki-(?:\d{8}|latest))-/.exec(basename(dump))?.[1] ?? 'unknown';
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
