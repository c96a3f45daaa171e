import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_SHARD_CONFIG, DOC_COLUMNS, ShardedParquetWriter, scoreColumns, utf8Length, writeFileAtomic, type Doc } from '@jcp/core';
import { removedPath, stagedDir } from '../run-folder/layout.ts';
import { runWriteTask } from '../stages/write.ts';
import { sampleDocs } from './minhash.ts';
import { peakRssMB, timed } from './_measure.ts';
import { tempRunDir } from './_temp.ts';

/** 40 filter scores, as many as the quality and toxicity stages put on every doc. */
const SCORES = Array.from({ length: 40 }, (_, i) => `score_${i}`);

/**
 * `pnpm bench write`: the write stage (read a WARC's staged Parquet shard, drop the dedup's removals,
 * write the corpus shard) on one core, in docs/s and text MB/s, against the floor of writing the
 * same shard once; real 2 KB Japanese texts with 40 score columns, 10 % of them removed.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { docs: { type: 'string', default: '20000' } } });
  const n = Number(values.docs);
  const texts = await sampleDocs(n);
  const runDir = await tempRunDir('bench-write');
  try {
    const doc = (i: number): Doc => ({
      id: i.toString(16).padStart(32, '0'),
      text: texts[i]!,
      title: 't',
      url: `https://example.jp/${i}`,
      host: 'example.jp',
      source: 'cc',
      subcorpus: 'ja_cc',
      crawl: 'CC-MAIN-2024-10',
      warcFile: 'x.warc.gz',
      warcRecordId: `<urn:uuid:${i}>`,
      warcOffset: i * 1000,
      warcPayloadDigest: '',
      fetchedAt: '2024-03-01T00:00:00Z',
      fetchedAtSource: 'warc-date',
      charsetDeclared: 'utf-8',
      charset: 'utf-8',
      lang: 'ja',
      langScore: 1,
      tokenCount: 700,
      pageId: null,
      revisionId: null,
      scores: Object.fromEntries(SCORES.map((s, k) => [s, (i * k) % 97])),
    });
    const bytes = texts.reduce((s, t) => s + utf8Length(t), 0);
    const floor = await timed(async () => {
      const sink = new ShardedParquetWriter<Doc>(stagedDir(runDir, 'ja', 'ja_cc'), 'bench', [...DOC_COLUMNS, ...scoreColumns(SCORES, (s) => s)], DEFAULT_SHARD_CONFIG);
      for (let i = 0; i < n; i++) await sink.append(doc(i), utf8Length(texts[i]!));
      return sink.close();
    });
    const removed = Array.from({ length: Math.floor(n / 10) }, (_, k) => ({ ord: k * 10, id: doc(k * 10).id, reason: 'near-duplicate', duplicateOf: doc(k * 10 + 1).id, similarity: 0.9 }));
    await writeFileAtomic(removedPath(runDir, 'bench'), removed.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const write = await timed(() =>
      runWriteTask({
        runDir,
        stage: 'write',
        taskId: 'bench',
        lang: 'ja',
        subcorpus: 'ja_cc',
        stagedShards: floor.value.map((s) => s.path.split('/').pop()!),
        stagedDocs: n,
        sharding: DEFAULT_SHARD_CONFIG,
        auditSamplesPerReason: 20,
        auditPreviewChars: 300,
      }),
    );
    const kept = write.value.result.ledger.write?.docsOut ?? 0;
    const result = {
      docs: n,
      text_mb: Math.round(bytes / 1e5) / 10,
      floor_write_docs_s: Math.round(n / floor.seconds),
      write_stage_docs_s: Math.round(n / write.seconds),
      write_stage_text_mb_s: Math.round((bytes / 1e6 / write.seconds) * 10) / 10,
      write_stage_over_floor: Math.round((floor.seconds / write.seconds) * 1000) / 1000,
      kept,
      peak_rss_mb: Math.round(peakRssMB()),
    };
    console.log(`write stage (1 core): ${result.write_stage_docs_s} docs/s, ${result.write_stage_text_mb_s} MB/s of text; writing the shard once: ${result.floor_write_docs_s} docs/s; ratio ${result.write_stage_over_floor}`);
    console.log(JSON.stringify(result));
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}
