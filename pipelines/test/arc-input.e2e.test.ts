import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { FIXTURES, duckdb, runCli, tempDir, type CliResult } from './helpers.ts';

type Row = Record<string, unknown>;

/** url → (text, fetched_at) of the staged documents (before the run-wide dedup) of one input file. */
async function stagedByUrl(runDir: string, fileSuffix: string): Promise<Map<string, [string, string]>> {
  const rows = await duckdb(
    `SELECT url, text, CAST(fetched_at AS VARCHAR) AS fetched_at FROM read_parquet('${runDir}/staged/ja/ja_cc/*.parquet') WHERE warc_file LIKE '%${fileSuffix}' ORDER BY url`,
  );
  return new Map(rows.map((r: Row) => [String(r.url), [String(r.text), String(r.fetched_at)]]));
}

// fixtures/arc/ holds fixtures/warc/cc-fixture-ja.warc.gz's pages as ARC (version 1 gzip per record, and
// version 2 plain), made by fixtures/make-fixtures.ts: the same pages must give the same documents.
describe('cc-ja on ARC input', () => {
  let arcRun: string;
  let warcRun: string;
  let run: CliResult;

  beforeAll(async () => {
    arcRun = await tempDir('arc');
    warcRun = await tempDir('arc-warc');
    run = await runCli('pipeline', ['cc-ja', '--input', join(FIXTURES, 'arc'), '--out', arcRun, '--workers', '2', '--tokenizer', 'chars']);
    await runCli('pipeline', ['cc-ja', '--input', join(FIXTURES, 'warc/cc-fixture-ja.warc.gz'), '--out', warcRun, '--workers', '1', '--tokenizer', 'chars']);
  });

  it('lists both .arc and .arc.gz files of a folder and finishes both tasks without a bad record', async () => {
    expect(run.code).toBe(0);
    const stats = JSON.parse(await readFile(join(arcRun, 'stats.json'), 'utf8')) as RunStats;
    expect(stats.byWarc.map((w) => w.warcFile.split('/').pop()).sort()).toEqual(['cc-fixture-ja.arc', 'cc-fixture-ja.arc.gz']);
    expect(stats.tasks).toEqual({ total: 2, done: 2, failed: 0 });
    expect(stats.byWarc.map((w) => w.errors)).toEqual([0, 0]);
  });

  it.each(['cc-fixture-ja.arc.gz', 'cc-fixture-ja.arc'])('%s gives the same documents (text, capture date) as the WARC of the same pages', async (arc) => {
    const fromWarc = await stagedByUrl(warcRun, 'cc-fixture-ja.warc.gz');
    expect(fromWarc.size).toBeGreaterThan(0);
    expect(await stagedByUrl(arcRun, arc)).toEqual(fromWarc);
  });

  it('writes the documents to the corpus, each page once across the two copies', async () => {
    const corpus = await duckdb(`SELECT url FROM read_parquet('${arcRun}/corpus/ja/ja_cc/*.parquet')`);
    const urls = corpus.map((r: Row) => String(r.url));
    expect(urls.length).toBe((await stagedByUrl(warcRun, 'cc-fixture-ja.warc.gz')).size);
    expect(new Set(urls).size).toBe(urls.length);
  });
});
