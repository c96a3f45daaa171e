import { createWriteStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import parquet from '@dsnp/parquetjs';
import { tempPathFor } from './atomic.ts';
import { mkdirp, namedFsError } from './fs-errors.ts';
import type { Column } from './columns.ts';

export interface ShardConfig {
  /** A shard is closed once it holds this many UTF-8 bytes of text. */
  maxShardBytes: number;
  /** ... or this many documents, whichever comes first. */
  maxShardDocs: number;
  /** Rows buffered before a row group is written: bounds the writer's memory. */
  rowGroupSize: number;
}

export const DEFAULT_SHARD_CONFIG: ShardConfig = {
  // 256 MiB of text: the size range Hugging Face and DuckDB recommend for Parquet files (100 MB-1 GB),
  // small enough that a lost shard is cheap to redo.
  maxShardBytes: 256 * 1024 * 1024,
  maxShardDocs: 1_000_000,
  // parquetjs keeps a whole row group in memory; 1,024 docs of a few KB each is a few MB.
  rowGroupSize: 1024,
};

type Compression = 'SNAPPY';
// SNAPPY: the fastest codec parquetjs 1.8.8 has (no ZSTD); DuckDB, pyarrow and pandas all read it.
const COMPRESSION: Compression = 'SNAPPY';

export function parquetSchema<T>(columns: Column<T>[]): InstanceType<typeof parquet.ParquetSchema> {
  const fields: Record<string, { type: string; optional?: boolean; compression: Compression; statistics?: false }> = {};
  for (const c of columns) {
    fields[c.name] = { type: c.type, optional: c.optional ?? false, compression: COMPRESSION, ...(c.statistics === false ? { statistics: false as const } : {}) };
  }
  return new parquet.ParquetSchema(fields as ConstructorParameters<typeof parquet.ParquetSchema>[0]);
}

/** A closed shard and the rows written into it (what the task's `.done` marker vouches for). */
export interface WrittenShard {
  path: string;
  rows: number;
}

/**
 * Writes rows into `<dir>/<prefix>-00000.parquet`, `-00001`, ...: each shard is written under a temp
 * name unique to this process and thread, and renamed when complete, so a reader (or a resumed run)
 * never sees half a shard, and two writers of one shard never write into the same temp file.
 */
export class ShardedParquetWriter<T> {
  private file: OpenParquetFile | null = null;
  private tempPath = '';
  private shardIndex = 0;
  private shardBytes = 0;
  private shardDocs = 0;
  private readonly schema;
  readonly written: WrittenShard[] = [];

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly columns: Column<T>[],
    private readonly config: ShardConfig = DEFAULT_SHARD_CONFIG,
  ) {
    this.schema = parquetSchema(columns);
  }

  async append(row: T, textBytes: number): Promise<void> {
    if (!this.file) await this.open();
    const record: Record<string, unknown> = {};
    for (const c of this.columns) {
      const v = c.value(row);
      if (v !== null) record[c.name] = v;
    }
    await this.file!.writer.appendRow(record).catch((e: unknown) => Promise.reject(namedFsError(this.file?.error ?? e, this.shardPath(this.shardIndex), 'write')));
    this.throwIfFailed();
    this.shardBytes += textBytes;
    this.shardDocs++;
    if (this.shardBytes >= this.config.maxShardBytes || this.shardDocs >= this.config.maxShardDocs) await this.closeShard();
  }

  async close(): Promise<WrittenShard[]> {
    await this.closeShard();
    return this.written;
  }

  /** Gives up the shard being written (a failed task): its temp file is removed; closed shards stay for the caller's cleanup. */
  async abort(): Promise<void> {
    const file = this.file;
    this.file = null;
    await file?.writer.close().catch(() => undefined);
    if (this.tempPath) await rm(this.tempPath, { force: true });
  }

  private throwIfFailed(): void {
    if (this.file?.error) throw namedFsError(this.file.error, this.shardPath(this.shardIndex), 'write');
  }

  private shardPath(index: number): string {
    return join(this.dir, `${this.prefix}-${String(index).padStart(5, '0')}.parquet`);
  }

  private async open(): Promise<void> {
    await mkdirp(this.dir);
    this.tempPath = tempPathFor(this.shardPath(this.shardIndex));
    const file = await openParquetFile(this.schema, this.tempPath).catch((e: unknown) => Promise.reject(namedFsError(e, this.shardPath(this.shardIndex), 'write')));
    file.writer.setRowGroupSize(this.config.rowGroupSize);
    this.file = file;
  }

  private async closeShard(): Promise<void> {
    if (!this.file) return;
    // After a failed write the stream is destroyed and close fails for that reason: the write's error is the one to tell.
    await this.file.writer.close().catch((e: unknown) => Promise.reject(namedFsError(this.file?.error ?? e, this.shardPath(this.shardIndex), 'write')));
    this.throwIfFailed();
    this.file = null;
    const final = this.shardPath(this.shardIndex);
    await rename(this.tempPath, final);
    this.written.push({ path: final, rows: this.shardDocs });
    this.shardIndex++;
    this.shardBytes = 0;
    this.shardDocs = 0;
  }
}

/** An open Parquet file and the first write error parquetjs met on it. */
interface OpenParquetFile {
  writer: InstanceType<typeof parquet.ParquetWriter>;
  error: unknown;
}

/**
 * `ParquetWriter.openFile`, except that no write error goes unhandled. parquetjs 1.8.8 starts some
 * writes without awaiting them (the header in its constructor, the column and offset indexes at close):
 * on a full disk their rejection is unhandled and kills the worker thread with a bare `ENOSPC`
 * (measured on a full tmpfs) instead of failing the task by name. Every write's error is kept instead;
 * the caller checks `error` after each append and after close.
 */
async function openParquetFile(schema: InstanceType<typeof parquet.ParquetSchema>, path: string): Promise<OpenParquetFile> {
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  // A write error is reported to the write that caused it; the stream must not also throw it as an event.
  stream.on('error', () => undefined);
  const envelope = await parquet.ParquetEnvelopeWriter.openStream(schema, stream, {});
  const opened: OpenParquetFile = { writer: null as unknown as OpenParquetFile['writer'], error: null };
  const write = envelope.write;
  // Typed as returning void, it returns the write's promise (util.oswrite).
  envelope.write = (buf: Buffer) =>
    Promise.resolve(write(buf) as unknown).catch((e: unknown) => {
      opened.error ??= e;
    });
  opened.writer = new parquet.ParquetWriter(schema, envelope, {});
  return opened;
}

/**
 * Removes a task's shards and temp files (before redoing the task, so a redo never mixes with a
 * half-done try). Only under the run folder's lock: another writer's temp file would go too.
 */
export async function removeShards(dir: string, prefix: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.startsWith(`${prefix}-`) && /\.parquet(?:\.[^/]*\.tmp)?$/.test(n)).map((n) => rm(join(dir, n), { force: true })),
  );
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
