import { basename } from 'node:path';
import { DOC_COLUMNS, removeShards, scoreColumns, ShardedParquetWriter, type Column, type Doc, type ShardConfig, type WrittenShard } from '@jcp/core';
import { TaskSignatureWriter, type DedupConfig } from '@jcp/dedup';
import type { LedgerBuilder } from '@jcp/stats';
import { bucketPath, normalizedDir, signaturePath, stagedDir } from '../run-folder/layout.ts';
import type { TaskOutput } from '../run-folder/task-marker.ts';
import { isWarcRecord } from '../steps/record-audit.ts';
import type { PageText } from '../steps/web-page/items.ts';

/**
 * The normalised documents' columns: the document's, and the capture date as ISO text (what the dedup's
 * survivor rule reads, at full precision; runs before fetched_at_source kept the raw WARC-Date here).
 */
export const NORMALIZED_COLUMNS: Array<Column<Doc>> = [
  ...DOC_COLUMNS,
  { name: 'warc_date', type: 'UTF8', description: 'fetched_at as ISO 8601 text', value: (d) => d.fetchedAt },
];

export interface StagedOutputSpec {
  runDir: string;
  taskId: string;
  lang: string;
  subcorpus: string;
  dedup: DedupConfig;
  sharding: ShardConfig;
  scoreNames: string[];
  /** Also keep the normalised documents (`normalized/`), for `pnpm refilter`. */
  keepNormalized: boolean;
  /** Stage the kept documents with their signatures (false in the `pages` stage: only `normalized/`, the filters run later). */
  keepStaged: boolean;
}

/**
 * What a WARC's documents leave for the rest of the run: the kept documents as staged shards with their
 * MinHash signatures and band keys, and (optionally) every normalised document before the filters.
 * Written under temp names; `abort()` leaves nothing half-written.
 */
export class StagedOutput {
  private constructor(
    private readonly spec: StagedOutputSpec,
    private readonly staged: ShardedParquetWriter<Doc> | null,
    private readonly normalized: ShardedParquetWriter<Doc> | null,
    private readonly signatures: TaskSignatureWriter | null,
  ) {}

  static async open(spec: StagedOutputSpec): Promise<StagedOutput> {
    const stagedFolder = stagedDir(spec.runDir, spec.lang, spec.subcorpus);
    const normalizedFolder = normalizedDir(spec.runDir, spec.lang, spec.subcorpus);
    // Only what this task writes is cleared: a filter task after the site-line counting reads the normalised shards of its run.
    if (spec.keepStaged) await removeShards(stagedFolder, spec.taskId);
    if (spec.keepNormalized) await removeShards(normalizedFolder, spec.taskId);
    const columns = [...DOC_COLUMNS, ...scoreColumns(spec.scoreNames, (n) => `filter score ${n}`)];
    return new StagedOutput(
      spec,
      spec.keepStaged ? new ShardedParquetWriter<Doc>(stagedFolder, spec.taskId, columns, spec.sharding) : null,
      spec.keepNormalized ? new ShardedParquetWriter<Doc>(normalizedFolder, spec.taskId, NORMALIZED_COLUMNS, spec.sharding) : null,
      spec.keepStaged ? await TaskSignatureWriter.create(signaturePath(spec.runDir, spec.taskId), bucketPath(spec.runDir, spec.taskId), spec.dedup) : null,
    );
  }

  /** A kept document: its row in the staged shards and its signature, in the same order. */
  async keep(doc: Doc, textBytes: number, exactKey: string): Promise<void> {
    if (!this.staged || !this.signatures) throw new Error(`${this.spec.taskId}: this task stages no documents`);
    await this.staged.append(doc, textBytes);
    await this.signatures.add({ id: doc.id, text: doc.text, fetchedAt: doc.fetchedAt, exactKey });
  }

  async keepNormalized(doc: Doc, textBytes: number): Promise<void> {
    await this.normalized?.append(doc, textBytes);
  }

  /** Documents staged so far (= signature records). */
  get docs(): number {
    return this.signatures?.docs ?? 0;
  }

  /** Closes everything; counts the texts too short for MinHash in the ledger; returns the staged shard names and every file written. */
  async close(ledger: LedgerBuilder): Promise<{ stagedShards: string[]; outputs: TaskOutput[] }> {
    const staged: WrittenShard[] = (await this.staged?.close()) ?? [];
    const normalized: WrittenShard[] = (await this.normalized?.close()) ?? [];
    const { runDir, taskId } = this.spec;
    const dedupFiles: TaskOutput[] = [];
    if (this.signatures) {
      ledger.stage('exact-dedup').event('dedup-too-short', this.signatures.tooShort);
      await this.signatures.close();
      dedupFiles.push({ path: signaturePath(runDir, taskId) }, { path: bucketPath(runDir, taskId) });
    }
    return { stagedShards: staged.map((s) => basename(s.path)), outputs: [...staged, ...normalized, ...dedupFiles] };
  }

  async abort(): Promise<void> {
    await this.signatures?.abort();
    await this.staged?.abort();
    await this.normalized?.abort();
  }
}

/** The document a page became, as the Parquet columns hold it. */
export function docOf(page: PageText): Doc {
  const { record, origin } = page;
  // A text collection's record has no WARC headers: its id column is the record's own id (text-record/).
  const warc = isWarcRecord(record) ? record : null;
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
    warcRecordId: warc ? (warc.headers.get('warc-record-id') ?? '') : (page.recordId ?? ''),
    warcOffset: record.offset,
    warcPayloadDigest: warc?.headers.get('warc-payload-digest') ?? '',
    fetchedAt: page.captured.iso ?? '',
    fetchedAtSource: page.captured.source,
    charsetDeclared: page.charsetDeclared,
    charset: page.charset,
    lang: page.lang,
    tokenCount: page.size.tokens,
    langScore: page.langScore,
    pageId: page.article?.pageId ?? null,
    revisionId: page.article?.revisionId ?? null,
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
