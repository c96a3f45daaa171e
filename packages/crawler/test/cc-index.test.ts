import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import parquet from '@dsnp/parquetjs';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@jcp/core';
import { CC_INDEX_COLUMNS, type CcIndexRow } from '../src/cc-index/columns.ts';
import { emptyScanCounts, readIndexFile, type IndexItem } from '../src/cc-index/index-reader.ts';
import { DEFAULT_INDEX_SELECTION, indexSkipReason, type IndexSelection } from '../src/cc-index/selection.ts';
import { FAST_HTTP as FAST } from './loopback/fast-http.ts';
import { startLoopbackServer, type Fault, type LoopbackServer } from './loopback/server.ts';

const INDEX_ROOT = fileURLToPath(new URL('../../../fixtures/cc-index/table/cc-main/warc/crawl=CC-MAIN-2026-25/', import.meta.url));
const WARC_PART = join(INDEX_ROOT, 'subset=warc/part-00000.parquet');
const DIAGNOSTICS_PART = join(INDEX_ROOT, 'subset=crawldiagnostics/part-00000.parquet');

let server: LoopbackServer | null = null;
let tempDir: string | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
  tempDir = null;
});

async function collect(items: AsyncIterable<IndexItem>): Promise<IndexItem[]> {
  const out: IndexItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
const rowsOf = (items: IndexItem[]): CcIndexRow[] => items.filter((i): i is CcIndexRow => !(i instanceof InputError));
const selected = (rows: CcIndexRow[], selection: IndexSelection = DEFAULT_INDEX_SELECTION): string[] =>
  rows.filter((r) => indexSkipReason(r, selection) === null).map((r) => r.url).sort();

describe('readIndexFile on the fixture index', () => {
  it('reads one row per 200 response record with its WARC file, offset and length', async () => {
    const rows = rowsOf(await collect(readIndexFile(WARC_PART, DEFAULT_INDEX_SELECTION, { withUrl: true })));
    expect(rows).toHaveLength(20);
    const recipe = rows.find((r) => r.url === 'https://www.hokkori-recipe.example.jp/recipe/nikujaga/')!;
    expect(recipe).toMatchObject({ fetchStatus: 200, mimeDetected: 'text/html', languages: ['jpn'] });
    expect(basename(recipe.warcFilename)).toBe('cc-fixture-ja.warc.gz');
    // The record really starts there: a gzip member of the WARC.
    const warc = await readFile(fileURLToPath(new URL('../../../fixtures/warc/cc-fixture-ja.warc.gz', import.meta.url)));
    expect([...warc.subarray(recipe.offset, recipe.offset + 2)]).toEqual([0x1f, 0x8b]);
  });

  it('selects pages whose languages include jpn, and not the Japanese page CLD2 labelled eng only', async () => {
    const rows = rowsOf(await collect(readIndexFile(WARC_PART, DEFAULT_INDEX_SELECTION, { withUrl: true })));
    const picked = selected(rows);
    expect(picked).toContain('https://wandering-spoon.example.com/destinations/japan/kyoto-slow-weekend/'); // eng,jpn
    expect(picked).not.toContain('https://kyo-dev-notes.example.com/posts/satisfies-in-practice/'); // Japanese, indexed eng
    expect(picked).not.toContain('https://www.hokkori-recipe.example.jp/api/v1/pickup.json'); // application/json
    expect(picked).toHaveLength(12);
    const tech = rows.find((r) => r.url === 'https://kyo-dev-notes.example.com/posts/satisfies-in-practice/')!;
    expect(indexSkipReason(tech, DEFAULT_INDEX_SELECTION)).toBe('index-language');
  });

  it('takes another language list when the selection is overridden', async () => {
    const rows = rowsOf(await collect(readIndexFile(WARC_PART, DEFAULT_INDEX_SELECTION, { withUrl: true })));
    expect(selected(rows, { ...DEFAULT_INDEX_SELECTION, languages: ['kor'] })).toEqual(['https://weekend-sanhaeng.example.kr/2026/03/bukhansan-beginner/']);
  });

  it('never reads a row group whose fetch_status statistics rule out every selected status', async () => {
    const counts = emptyScanCounts();
    const items = await collect(readIndexFile(DIAGNOSTICS_PART, DEFAULT_INDEX_SELECTION, { counts }));
    expect(items).toEqual([]);
    expect(counts).toMatchObject({ rowGroups: 1, rowGroupsSkipped: 1, rowsSkipped: 2 });
    const all = emptyScanCounts();
    const read = await collect(readIndexFile(DIAGNOSTICS_PART, { ...DEFAULT_INDEX_SELECTION, fetchStatuses: [200, 301] }, { counts: all }));
    expect(read).toHaveLength(2);
    expect(counts.bytesRead).toBeLessThan(all.bytesRead);
    expect(await collect(readIndexFile(DIAGNOSTICS_PART, DEFAULT_INDEX_SELECTION, { skipByStatistics: false }))).toHaveLength(2);
  });

  it('reads only the columns it needs: fewer bytes than the file holds', async () => {
    const counts = emptyScanCounts();
    await collect(readIndexFile(WARC_PART, DEFAULT_INDEX_SELECTION, { counts }));
    const withUrl = emptyScanCounts();
    await collect(readIndexFile(WARC_PART, DEFAULT_INDEX_SELECTION, { counts: withUrl, withUrl: true }));
    expect(counts.rowGroups).toBe(4);
    expect(counts.bytesRead).toBeLessThan((await readFile(WARC_PART)).length * 0.7);
    expect(counts.bytesRead).toBeLessThan(withUrl.bytesRead);
  });
});

describe('readIndexFile over HTTP', () => {
  it('gives the same rows over ranged GETs as from the local file', async () => {
    server = await startLoopbackServer({ files: { '/part.parquet': await readFile(WARC_PART) } });
    const remote = await collect(readIndexFile(server.url('/part.parquet'), DEFAULT_INDEX_SELECTION, { http: FAST, withUrl: true }));
    expect(remote).toEqual(await collect(readIndexFile(WARC_PART, DEFAULT_INDEX_SELECTION, { withUrl: true })));
    expect(server.requests.filter((r) => r.method === 'GET').every((r) => r.rangeStart !== null && r.rangeEnd !== null)).toBe(true);
  });

  it('survives a 503 with Retry-After and a connection reset inside a range', async () => {
    const bytes = await readFile(WARC_PART);
    // Request 0 is the HEAD for the size, 1 the footer's length (refused once), 4 a column chunk (reset before its first byte).
    const faults = new Map<number, Fault>([
      [1, { kind: 'status', status: 503, retryAfter: '0' }],
      [4, { kind: 'reset', at: 0 }],
    ]);
    server = await startLoopbackServer({ files: { '/part.parquet': bytes }, faults: (n) => faults.get(n) });
    const retries: string[] = [];
    const remote = await collect(readIndexFile(server.url('/part.parquet'), DEFAULT_INDEX_SELECTION, { http: FAST, withUrl: true, onRetry: (e) => retries.push(e.cause) }));
    expect(remote).toEqual(await collect(readIndexFile(WARC_PART, DEFAULT_INDEX_SELECTION, { withUrl: true })));
    expect(retries).toHaveLength(2);
    expect(retries[0]).toContain('HTTP 503');
  });
});

describe('readIndexFile on bad input', () => {
  it('reports a row without a usable offset as bad-index-row, naming the file and row, and reads on', async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'cc-index-'));
    const path = join(tempDir, 'bad.parquet');
    const fields: Record<string, { type: string; optional: boolean }> = {};
    for (const c of CC_INDEX_COLUMNS) fields[c.name] = { type: c.type, optional: true };
    const writer = await parquet.ParquetWriter.openFile(new parquet.ParquetSchema(fields as never), path);
    const row = { url: 'https://a.example.jp/', fetch_status: 200, content_languages: 'jpn', warc_filename: 'x.warc.gz', warc_record_offset: 10, warc_record_length: 5 };
    await writer.appendRow(row);
    await writer.appendRow({ ...row, url: 'https://b.example.jp/', warc_record_offset: -3 });
    await writer.appendRow({ ...row, url: 'https://c.example.jp/', warc_record_offset: 15 });
    await writer.close();
    const items = await collect(readIndexFile(path, DEFAULT_INDEX_SELECTION, { withUrl: true }));
    expect(items).toHaveLength(3);
    const error = items[1] as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.reason).toBe('bad-index-row');
    expect(error.message).toContain(path);
    expect(error.message).toContain('row 1');
    expect(error.message).toContain('https://b.example.jp/');
    expect((items[2] as CcIndexRow).offset).toBe(15);
  });

  it('throws naming the file when it is not Parquet', async () => {
    const warc = fileURLToPath(new URL('../../../fixtures/warc/cc-fixture-ja.warc.gz', import.meta.url));
    await expect(collect(readIndexFile(warc, DEFAULT_INDEX_SELECTION))).rejects.toThrow(`index ${warc}: not a readable Parquet file`);
  });
});
