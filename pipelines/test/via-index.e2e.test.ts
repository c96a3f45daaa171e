import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@jcp/core';
import { DEFAULT_INDEX_SELECTION, indexSkipReason, readIndexFile, resolveIndexFiles, resolveWarcInputs } from '@jcp/crawler';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { startLoopbackServer, type Fault, type LoopbackServer } from '../../packages/crawler/test/loopback/server.ts';
import { duckdb, FIXTURES, runCli, startCli, tempDir } from './helpers.ts';

const INDEX = join(FIXTURES, 'cc-index');
const WARCS = join(FIXTURES, 'warc');
const CRAWL = 'CC-MAIN-2026-25';
/** Fast runs: token counts by characters, no persistent dedup index, one worker (the kill test needs order). */
const COMMON = ['--tokenizer', 'chars', '--no-dedup-index', '--workers', '1'];

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

type Row = Record<string, unknown>;
async function docs(runDir: string): Promise<Row[]> {
  const rows = await duckdb(`SELECT id, url, text, token_count FROM read_parquet('${runDir}/corpus/ja/ja_cc/*.parquet') ORDER BY id`);
  return rows.map((r) => ({ ...r, token_count: Number(r.token_count) }));
}
async function stats(runDir: string): Promise<RunStats> {
  return JSON.parse(await readFile(join(runDir, 'stats.json'), 'utf8')) as RunStats;
}

/** URLs whose index row is selected (content_languages has jpn, 200, HTML), read straight from the index. */
async function indexSelectedUrls(): Promise<Set<string>> {
  const urls = new Set<string>();
  for (const file of await resolveIndexFiles([INDEX])) {
    for await (const row of readIndexFile(file, DEFAULT_INDEX_SELECTION, { withUrl: true })) {
      if (!(row instanceof InputError) && indexSkipReason(row, DEFAULT_INDEX_SELECTION) === null) urls.add(row.url);
    }
  }
  return urls;
}

let fullScan: { dir: string; docs: Row[] } | null = null;
async function fullScanDocs(): Promise<Row[]> {
  if (!fullScan) {
    const dir = await tempDir('via-index-full');
    const run = await runCli('pipeline', ['cc-ja', '--input', WARCS, '--out', dir, ...COMMON]);
    expect(run.code, run.stderr).toBe(0);
    fullScan = { dir, docs: await docs(dir) };
  }
  return fullScan.docs;
}

/** Serves the fixture WARCs and index as Common Crawl lays them out: listings, index part files, WARCs. */
async function serveCrawl(faults?: (n: number, request: { path: string; range: string | null }) => Fault | undefined): Promise<LoopbackServer> {
  const files: Record<string, Uint8Array> = {};
  const indexPaths: string[] = [];
  for (const f of await resolveIndexFiles([INDEX])) {
    const key = `cc-index/${relative(INDEX, f)}`;
    files[`/${key}`] = await readFile(f);
    indexPaths.push(key);
  }
  const warcPaths: string[] = [];
  for (const w of await resolveWarcInputs([WARCS])) {
    const key = `crawl-data/${CRAWL}/segments/1781222400000.0/warc/${basename(w)}`;
    files[`/${key}`] = await readFile(w);
    warcPaths.push(key);
  }
  files[`/crawl-data/${CRAWL}/cc-index-table.paths.gz`] = gzipSync(`${indexPaths.join('\n')}\n`);
  files[`/crawl-data/${CRAWL}/warc.paths.gz`] = gzipSync(`${warcPaths.join('\n')}\n`);
  return startLoopbackServer({ files, ...(faults ? { faults } : {}) });
}

describe('pnpm pipeline cc-ja --via-index', () => {
  it('keeps exactly the documents of the full scan whose index languages include jpn (local --index and --input)', async () => {
    const full = await fullScanDocs();
    const selected = await indexSelectedUrls();
    const dir = await tempDir('via-index-local');
    const run = await runCli('pipeline', ['cc-ja', '--via-index', '--index', INDEX, '--input', WARCS, '--out', dir, ...COMMON]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('index: 22 rows scanned (1 of 5 row groups skipped by statistics), 12 selected (jpn 11, eng 1)');
    const via = await docs(dir);
    expect(via).toEqual(full.filter((d) => selected.has(String(d.url))));
    // The Japanese page the index calls eng is what the index path misses.
    expect(full.some((d) => String(d.url).includes('kyo-dev-notes'))).toBe(true);
    expect(via.some((d) => String(d.url).includes('kyo-dev-notes'))).toBe(false);
    const runStats = await stats(dir);
    const totals = runStats.totals;
    expect(totals.index).toMatchObject({ docsIn: 20, docsOut: 12 });
    expect(totals.index!.drops['index-language']!.docs).toBe(6);
    // The scan as a whole, and the bytes fetched against the WARC files read whole.
    let whole = 0;
    for (const w of await resolveWarcInputs([WARCS])) whole += (await readFile(w)).length;
    const v = runStats.viaIndex!;
    expect(v).toMatchObject({ files: 2, rowGroups: 5, rowGroupsSkipped: 1, rowsScanned: 22, rowsSelected: 12, selectedByLanguage: { jpn: 11, eng: 1 }, warcBytes: whole, warcsOfUnknownSize: 0 });
    expect(v.rowsSelected).toBe(totals.index!.docsOut);
    expect(v.bytesRead).toBeGreaterThan(0);
    expect(v.recordBytes).toBeGreaterThan(0);
    expect(v.recordBytes).toBeLessThanOrEqual(v.bytesFetched);
    expect(v.bytesFetched).toBe(runStats.byWarc.reduce((n, w) => n + (w.bytesFetched ?? 0), 0));
    expect(v.bytesFetched).toBeLessThan(whole);
    // pnpm verify holds the scan to the ledger: it passes as written, and names a count that disagrees.
    const verified = await runCli('verify', [dir]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    await writeFile(join(dir, 'stats.json'), JSON.stringify({ ...runStats, viaIndex: { ...v, rowsSelected: v.rowsSelected + 1 } }));
    const tampered = await runCli('verify', [dir]);
    expect(tampered.code).not.toBe(0);
    expect(tampered.stdout + tampered.stderr).toContain('viaIndex');
  });

  it('reads the same documents from a crawl served over HTTP that resets mid-range and answers 503 with Retry-After', async () => {
    const local = await tempDir('via-index-local-ref');
    expect((await runCli('pipeline', ['cc-ja', '--via-index', '--index', INDEX, '--input', WARCS, '--out', local, ...COMMON])).code).toBe(0);
    // Faults on the WARC range requests only (the index reads are tested in @jcp/crawler).
    let ranged = 0;
    server = await serveCrawl((_n, request) => {
      const closed = request.range === null ? null : /^bytes=(\d+)-\d+$/.exec(request.range);
      if (!request.path.startsWith('/crawl-data/') || !closed) return undefined;
      ranged++;
      if (ranged === 1) return { kind: 'reset', at: Number(closed[1]) + 200 };
      if (ranged === 3) return { kind: 'status', status: 503, retryAfter: '1' };
      return undefined;
    });
    const dir = await tempDir('via-index-http');
    const run = await runCli('pipeline', ['cc-ja', '--crawl', CRAWL, '--via-index', '--base-url', server.url(''), '--out', dir, ...COMMON]);
    expect(run.code, run.stderr).toBe(0);
    expect(await docs(dir)).toEqual(await docs(local));
    expect(server.requests.some((r) => r.status === 503)).toBe(true);
    expect(server.requests.some((r) => r.closedEarly)).toBe(true);
    const runStats = await stats(dir);
    const fetched = runStats.byWarc.reduce((n, w) => n + (w.bytesFetched ?? 0), 0);
    let whole = 0;
    for (const w of await resolveWarcInputs([WARCS])) whole += (await readFile(w)).length;
    expect(fetched).toBeGreaterThan(0);
    expect(fetched).toBeLessThan(whole);
    // Over HTTP the WARCs' full sizes come from the server (a HEAD per WARC).
    expect(runStats.viaIndex).toMatchObject({ bytesFetched: fetched, warcBytes: whole, warcsOfUnknownSize: 0 });
  });

  it('ends with the same Parquet when killed and rerun', async () => {
    const clean = await tempDir('via-index-clean');
    const args = ['cc-ja', '--via-index', '--index', INDEX, '--input', WARCS, ...COMMON];
    expect((await runCli('pipeline', [...args, '--out', clean])).code).toBe(0);
    const killed = await tempDir('via-index-killed');
    const first = startCli('pipeline', [...args, '--out', killed]);
    for (;;) {
      const names = await readdir(join(killed, 'process')).catch(() => [] as string[]);
      if (names.some((n) => n.endsWith('.done'))) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const second = await runCli('pipeline', [...args, '--out', killed]);
    expect(second.code, second.stderr).toBe(0);
    expect(await docs(killed)).toEqual(await docs(clean));
    expect((await stats(killed)).totals).toEqual((await stats(clean)).totals);
  });

  it('pnpm eval via-index lists the Japanese page the index calls eng, with its URL and index languages, and the recall', async () => {
    const out = await tempDir('via-index-eval');
    const run = await runCli('eval', ['via-index', '--index', INDEX, '--input', WARCS, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('missed '))).toEqual([
      expect.stringMatching(/^missed https:\/\/kyo-dev-notes\.example\.com\/posts\/satisfies-in-practice\/ {2}index languages: eng {2}\S+cc-fixture-ja\.warc\.gz @\d+$/),
    ]);
    const scores = JSON.parse(lines[lines.length - 1]!) as Record<string, number>;
    expect(scores).toMatchObject({ missed: 1, onlyViaIndex: 0, selectedRecords: 12 });
    expect(scores.recall).toBe(Math.round(((scores.fullDocs! - 1) / scores.fullDocs!) * 1e4) / 1e4);
  });
});
