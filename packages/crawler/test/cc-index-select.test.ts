import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@jcp/core';
import { fetchCrawlIndexFiles, localWarcsByName, resolveIndexFiles } from '../src/cc-index/index-files.ts';
import { readIndexFile } from '../src/cc-index/index-reader.ts';
import { readWarcRanges } from '../src/cc-index/range-reader.ts';
import { selectFromIndex, warcNameFilter } from '../src/cc-index/select.ts';
import { DEFAULT_INDEX_SELECTION, indexSkipReason } from '../src/cc-index/selection.ts';
import { FAST_HTTP as FAST } from './loopback/fast-http.ts';
import { resolveWarcInputs } from '../src/inputs.ts';
import { startLoopbackServer, type LoopbackServer } from './loopback/server.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const INDEX_DIR = `${FIXTURES}cc-index`;

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** URLs of the response records read through the index, from their WARC headers. */
async function urlsReadVia(byWarc: Map<string, Array<{ offset: number; length: number }>>, warcFor: (name: string) => string): Promise<string[]> {
  const urls: string[] = [];
  for (const [name, ranges] of byWarc) {
    for await (const item of readWarcRanges(warcFor(name), ranges)) {
      if (item instanceof InputError) throw item;
      if (item.type === 'response') urls.push(item.headers.get('warc-target-uri') ?? '');
    }
  }
  return urls.sort();
}

/** What the index selects, by URL, read straight from its files. */
async function selectedUrls(files: string[]): Promise<string[]> {
  const urls: string[] = [];
  for (const file of files) {
    for await (const row of readIndexFile(file, DEFAULT_INDEX_SELECTION, { withUrl: true })) {
      if (!(row instanceof InputError) && indexSkipReason(row, DEFAULT_INDEX_SELECTION) === null) urls.push(row.url);
    }
  }
  return urls.sort();
}

describe('selectFromIndex with local WARCs (--index and --input)', () => {
  it('reads exactly the records the index selects from the local WARCs', async () => {
    const files = await resolveIndexFiles([INDEX_DIR]);
    expect(files.map((f) => relative(INDEX_DIR, f))).toEqual([
      'table/cc-main/warc/crawl=CC-MAIN-2026-25/subset=crawldiagnostics/part-00000.parquet',
      'table/cc-main/warc/crawl=CC-MAIN-2026-25/subset=warc/part-00000.parquet',
    ]);
    const local = localWarcsByName(await resolveWarcInputs([`${FIXTURES}warc`]));
    const result = await selectFromIndex(files, DEFAULT_INDEX_SELECTION, { keepWarc: warcNameFilter([...local.values()]) });
    const { byWarc, counts, errors } = result;
    expect(errors).toEqual([]);
    const read = await urlsReadVia(byWarc, (name) => local.get(name.split('/').pop()!)!);
    expect(read).toEqual(await selectedUrls(files));
    expect(read).toHaveLength(12);
    expect(counts).toMatchObject({ files: 2, rowsScanned: 22, rowsSelected: 12, rowGroupsSkipped: 1, badRows: 0, otherWarcs: 0 });
    expect(counts.skipped).toEqual({ 'index-status': 0, 'index-mime': 2, 'index-language': 6 });
    expect(counts.selectedByLanguage).toEqual({ jpn: 11, eng: 1 });
    const perWarc = Object.fromEntries([...result.perWarc].map(([k, v]) => [k.split('/').pop(), v]));
    expect(perWarc['cc-fixture-plain.warc']).toEqual({ scanned: 2, selected: 2, skipped: { 'index-status': 0, 'index-mime': 0, 'index-language': 0 } });
    expect(perWarc['cc-fixture-ja.warc.gz']).toMatchObject({ scanned: 10, selected: 8 });
    expect(counts.scannedByLanguage).toEqual({ jpn: 11, eng: 4, zho: 1, kor: 1, fra: 1, none: 2 });
  });

  it('keeps only the rows of the WARCs it is given (a shard, or a partial mirror)', async () => {
    const files = await resolveIndexFiles([`${INDEX_DIR}/**/*.parquet`]);
    const { byWarc, counts } = await selectFromIndex(files, DEFAULT_INDEX_SELECTION, { keepWarc: warcNameFilter(['/mirror/cc-fixture-plain.warc']) });
    expect([...byWarc.keys()].map((k) => k.split('/').pop())).toEqual(['cc-fixture-plain.warc']);
    expect(counts.rowsSelected).toBe(2);
    expect(counts.otherWarcs).toBe(18);
  });

  it('refuses two --input WARCs with the same file name, naming both', () => {
    expect(() => localWarcsByName(['/a/x.warc.gz', '/b/x.warc.gz'])).toThrow('two --input WARCs are named x.warc.gz (/a/x.warc.gz and /b/x.warc.gz)');
  });

  it('names an --index folder without Parquet files', async () => {
    await expect(resolveIndexFiles([`${FIXTURES}pages`])).rejects.toThrow(`index folder '${FIXTURES}pages' holds no .parquet file`);
  });
});

describe('selectFromIndex over HTTP (--crawl --via-index)', () => {
  it("lists the crawl's warc-subset index files and reads the same records over byte ranges", async () => {
    const local = await resolveIndexFiles([INDEX_DIR]);
    const files: Record<string, Uint8Array> = {};
    const listing: string[] = [];
    for (const f of local) {
      const key = `cc-index/${relative(INDEX_DIR, f)}`;
      files[`/${key}`] = await readFile(f);
      listing.push(key);
    }
    for (const w of await resolveWarcInputs([`${FIXTURES}warc`])) files[`/crawl-data/CC-MAIN-2026-25/segments/1781222400000.0/warc/${w.split('/').pop()}`] = await readFile(w);
    files['/crawl-data/CC-MAIN-2026-25/cc-index-table.paths.gz'] = gzipSync(`${listing.join('\n')}\n`);
    server = await startLoopbackServer({ files });
    const base = server.url('');
    const remote = await fetchCrawlIndexFiles({ crawlId: 'CC-MAIN-2026-25', baseUrl: base, http: FAST });
    expect(remote).toEqual([`${base}/cc-index/table/cc-main/warc/crawl=CC-MAIN-2026-25/subset=warc/part-00000.parquet`]);
    const { byWarc, counts } = await selectFromIndex(remote, DEFAULT_INDEX_SELECTION, { http: FAST });
    expect(counts.rowsSelected).toBe(12);
    const read = await urlsReadVia(byWarc, (name) => `${base}/${name}`);
    expect(read).toEqual(await selectedUrls(local));
  });
});
