import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parquet from '@dsnp/parquetjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column } from '../src/columns.ts';
import { parquetFieldNames, passthroughColumns, readParquetRows, type ParquetRow } from '../src/parquet-source.ts';
import { ShardedParquetWriter } from '../src/parquet-sink.ts';

interface Row {
  id: string;
  text: string;
}

const COLUMNS: Array<Column<Row>> = [
  { name: 'id', type: 'UTF8', description: 'id', value: (r) => r.id },
  { name: 'text', type: 'UTF8', statistics: false, description: 'text', value: (r) => r.text },
];

/** Each column chunk's min/max statistics, as the file's footer holds them. */
async function chunkStatistics(path: string): Promise<Record<string, { min: string | null; max: string | null }>> {
  const reader = await parquet.ParquetReader.openFile(path);
  try {
    const out: Record<string, { min: string | null; max: string | null }> = {};
    for (const chunk of reader.metadata!.row_groups[0]!.columns) {
      const meta = chunk.meta_data!;
      const s = meta.statistics;
      out[meta.path_in_schema.join('.')] = { min: s?.min_value ? String(s.min_value) : null, max: s?.max_value ? String(s.max_value) : null };
    }
    return out;
  } finally {
    await reader.close();
  }
}

describe('ShardedParquetWriter statistics', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  // Texts that compress well, as documents do: the statistics would store two of them uncompressed.
  const rows: Row[] = Array.from({ length: 40 }, (_, n) => ({ id: `doc-${String(n).padStart(2, '0')}`, text: `第${n}段落。`.repeat(2_000) + `終わり${n}` }));

  async function write(columns: Array<Column<Row>>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'jcp-parquet-'));
    dirs.push(dir);
    const sink = new ShardedParquetWriter<Row>(dir, 'shard', columns, { maxShardBytes: 1 << 30, maxShardDocs: 1_000, rowGroupSize: 1_000 });
    for (const r of rows) await sink.append(r, Buffer.byteLength(r.text));
    const [shard] = await sink.close();
    return shard!.path;
  }

  it('keeps min/max for short columns and none for a column marked statistics: false, with every row intact', async () => {
    const path = await write(COLUMNS);
    const stats = await chunkStatistics(path);
    expect(stats.id).toEqual({ min: 'doc-00', max: 'doc-39' });
    expect(stats.text).toEqual({ min: null, max: null });
    const back: ParquetRow[] = [];
    for await (const row of readParquetRows(path)) back.push(row);
    expect(back.map((r) => [r.id, r.text])).toEqual(rows.map((r) => [r.id, r.text]));
  });

  it('is much smaller than with text statistics, which copy whole documents into the metadata', async () => {
    const withStats = await write(COLUMNS.map(({ statistics: _off, ...c }) => c));
    const without = await write(COLUMNS);
    expect((await chunkStatistics(withStats)).text?.min).not.toBeNull();
    // The smallest and largest text (~30 KB each) stored uncompressed in the page header, column chunk and column index.
    expect((await stat(withStats)).size - (await stat(without)).size).toBeGreaterThan(4 * 14_000);
  });

  it('is carried through by the write stage, which copies a staged file column for column', async () => {
    const staged = await write(COLUMNS);
    const columns = passthroughColumns(await parquetFieldNames(staged));
    expect(columns.find((c) => c.name === 'text')?.statistics).toBe(false);
    expect(columns.find((c) => c.name === 'id')?.statistics).toBeUndefined();
  });
});
