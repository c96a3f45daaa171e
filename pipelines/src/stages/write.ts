import { join } from 'node:path';
import { codePointLength, jsonLines, utf8Length, parquetFieldNames, passthroughColumns, readParquetRows, removeShards, ShardedParquetWriter, writeFileAtomic, type ParquetRow, type ShardConfig } from '@jcp/core';
import { AuditSampler, LedgerBuilder, type Ledger } from '@jcp/stats';
import { readRemovedDocs } from '../run-folder/dedup-files.ts';
import { stagedDir, subcorpusDir, taskSamplesPath } from '../run-folder/layout.ts';
import { PROCESS_STAGE, taskIdFor, WRITE_STAGE } from '../run-folder/names.ts';
import { readTaskResult, type TaskOutcome } from '../run-folder/task-marker.ts';
import type { WarcTaskResult } from './process.ts';
import { defineStage } from './stage.ts';

/** One task per WARC: its staged shards minus what the dedup removed, as corpus shards. */
export const writeStage = defineStage<WriteTaskInput, WriteTaskResult>({
  name: WRITE_STAGE,
  taskCount: (ctx) => ctx.inputs.length,
  taskId: (ctx, i) => taskIdFor(ctx.inputs[i]!),
  input: async (ctx, i) => {
    const taskId = taskIdFor(ctx.inputs[i]!);
    const processed = await readTaskResult<WarcTaskResult>(ctx.runDir, PROCESS_STAGE, taskId);
    if (!processed) throw new Error(`${taskId}: the ${PROCESS_STAGE} stage has not finished this WARC`);
    return {
      runDir: ctx.runDir,
      stage: WRITE_STAGE,
      taskId,
      lang: ctx.lang,
      subcorpus: ctx.subcorpus,
      stagedShards: processed.stagedShards,
      stagedDocs: processed.staged,
      sharding: ctx.settings.sharding,
      auditSamplesPerReason: ctx.settings.chain.filters.auditSamplesPerReason,
      auditPreviewChars: ctx.settings.chain.filters.auditPreviewChars,
    };
  },
  run: (input) => runWriteTask(input),
});

/** The last step of a WARC's docs: its staged shards minus what the dedup removed, as corpus shards. */
export interface WriteTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  lang: string;
  subcorpus: string;
  /** Staged shard file names, in order. */
  stagedShards: string[];
  stagedDocs: number;
  sharding: ShardConfig;
  auditSamplesPerReason: number;
  auditPreviewChars: number;
}

export interface WriteTaskResult {
  taskId: string;
  ledger: Ledger;
  /** Corpus shard file names. */
  corpusShards: string[];
}

export async function runWriteTask(input: WriteTaskInput): Promise<TaskOutcome<WriteTaskResult>> {
  const removed = await readRemovedDocs(input.runDir, input.taskId);
  const outDir = subcorpusDir(input.runDir, input.lang, input.subcorpus);
  await removeShards(outDir, input.taskId);
  const ledger = new LedgerBuilder();
  const dedup = ledger.stage('dedup');
  const write = ledger.stage('write');
  const sampler = new AuditSampler(input.auditSamplesPerReason, input.auditPreviewChars);
  const inDir = stagedDir(input.runDir, input.lang, input.subcorpus);
  let sink: ShardedParquetWriter<ParquetRow> | null = null;
  let ord = 0;
  try {
    for (const name of input.stagedShards) {
      const path = join(inDir, name);
      sink ??= new ShardedParquetWriter<ParquetRow>(outDir, input.taskId, passthroughColumns(await parquetFieldNames(path)), input.sharding);
      for await (const row of readParquetRows(path)) {
        const text = String(row.text ?? '');
        const bytes = utf8Length(text);
        const chars = codePointLength(text);
        const tokens = Number(row.token_count ?? 0);
        dedup.in(bytes, chars, tokens);
        const gone = removed.get(ord);
        if (gone) {
          if (gone.id !== row.id) throw new Error(`${path}: row ${ord} is doc ${String(row.id)}, the dedup removed ${gone.id} there: staged shards and signatures disagree`);
          dedup.drop(gone.reason, bytes, chars, tokens);
          if (sampler.wants(gone.reason)) {
            sampler.offer({
              id: gone.id,
              url: String(row.url ?? ''),
              reason: gone.reason,
              stage: 'dedup',
              warcFile: String(row.warc_file ?? ''),
              offset: Number(row.warc_offset ?? -1),
              scores: { similarity: gone.similarity },
              text,
              duplicateOf: gone.duplicateOf,
            });
          }
        } else {
          dedup.out(bytes, chars, tokens);
          write.in(bytes, chars, tokens);
          await sink.append(row, bytes);
          write.out(bytes, chars, tokens);
        }
        ord++;
      }
    }
    if (ord !== input.stagedDocs) throw new Error(`${input.taskId}: staged shards hold ${ord} docs, the signature file ${input.stagedDocs}`);
  } catch (e) {
    await sink?.abort();
    throw e;
  }
  const shards = sink ? await sink.close() : [];
  const samplesFile = taskSamplesPath(input.runDir, input.stage, input.taskId);
  await writeFileAtomic(samplesFile, jsonLines(sampler.all()));
  const result: WriteTaskResult = { taskId: input.taskId, ledger: ledger.ledger, corpusShards: shards.map((s) => s.path.slice(outDir.length + 1)) };
  return { result, outputs: [...shards, { path: samplesFile }] };
}

