import { copyFile, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOC_COLUMNS } from '@jcp/core';
import { unbalancedStages } from '@jcp/stats';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { SHARED_DATA, duckdb, runCli, tempDir } from './helpers.ts';

const CLUEWEB_JA = join(SHARED_DATA, 'warc/resiliparse/clueweb09-ja-excerpt.warc.gz');
const CC_EXCERPT = join(SHARED_DATA, 'warc/resiliparse/cc-main-2020-34-excerpt.warc.gz');

async function readStats(runDir: string): Promise<RunStats> {
  return JSON.parse(await readFile(join(runDir, 'stats.json'), 'utf8')) as RunStats;
}

describe('pnpm pipeline cc-ja on real WARCs', () => {
  it('turns real EUC-JP ClueWeb pages into Japanese Parquet rows that DuckDB reads, with lineage', async () => {
    const out = await tempDir('ccja');
    const r = await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--input', CC_EXCERPT, '--out', out, '--workers', '2']);
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.code).toBe(0);
    const rows = await duckdb(
      `SELECT * FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet') ORDER BY warc_file, warc_offset`,
    );
    // 5 of the shop's 29 pages: site-line removal takes the lines the shop repeats, and the other pages
    // are too short without them (12 were kept without the removal; docs/decisions.md).
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(rows[0]!).slice(0, DOC_COLUMNS.length)).toEqual(DOC_COLUMNS.map((c) => c.name));
    expect(Object.keys(rows[0]!)).toContain("hiragana_share");
    expect(Object.keys(rows[0]!)).toContain("ng_char_share");
    // The learned classifier is opt-in (--toxicity-model): no column of it by default.
    expect(Object.keys(rows[0]!)).not.toContain("toxicity_prob");
    for (const row of rows) {
      expect(row.lang).toBe('ja');
      expect(row.source).toBe('cc');
      expect(row.subcorpus).toBe('ja_cc');
      expect(String(row.text)).toMatch(/[\u3041-\u3096]/);
      expect(String(row.url)).toMatch(/^https?:\/\//);
      expect(row.warc_file).toBe(CLUEWEB_JA);
      expect(row.charset).toBe('euc-jp');
      expect(String(row.warc_record_id)).toMatch(/^<urn:/);
      expect(String(row.id)).toMatch(/^[0-9a-f]{32}$/);
    }
    // The CC excerpt is mostly Chinese and English: nothing of it is Japanese enough to keep.
    const stats = await readStats(out);
    expect(stats.tasks).toEqual({ total: 2, done: 2, failed: 0 });
    expect(unbalancedStages(stats.totals)).toEqual([]);
    expect(stats.totals.write?.docsOut).toBe(rows.length);
    expect(stats.output['ja/ja_cc']?.docs).toBe(rows.length);
    expect(stats.totals.read?.drops['warc-request']?.docs).toBe(17);
    const cc = stats.byWarc.find((w) => w.warcFile === CC_EXCERPT);
    expect(cc?.crawl).toBe('CC-MAIN-2020-34');
  });

  it("dates ClueWeb09's pages by their HTTP Date when WARC-Date is malformed, and counts each fallback in the ledger", async () => {
    // Every record of the excerpt has WARC-Date 2008-10-294T05:21:46-0700 (day-of-year in the day field);
    // their HTTP Date headers say 27-29 January 2009, when ClueWeb09 was crawled.
    const out = await tempDir('ccja-dates');
    expect((await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out, '--workers', '1', '--tokenizer', 'chars'])).code).toBe(0);
    const rows = await duckdb(`SELECT CAST(fetched_at AS VARCHAR) AS fetched_at, fetched_at_source, crawl FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet')`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.fetched_at_source).toBe('http-date');
      expect(String(row.fetched_at)).toMatch(/^2009-01-2[789]/);
      expect(row.crawl).toBe('clueweb09-ja');
    }
    const stats = await readStats(out);
    expect(stats.totals.read?.events['fetched-at-from-http-date']).toBe(29);
    expect(stats.totals.read?.events['fetched-at-missing']).toBeUndefined();
  });

  it('resumes a killed run and ends with the same output as an uninterrupted one', async () => {
    const inputs = await tempDir('resume-in');
    for (let i = 0; i < 6; i++) await copyFile(CLUEWEB_JA, join(inputs, `part-${i}.warc.gz`));
    const clean = await tempDir('resume-clean');
    expect((await runCli('pipeline', ['cc-ja', '--input', inputs, '--out', clean, '--workers', '1'])).code).toBe(0);

    const killed = await tempDir('resume-killed');
    const { startCli } = await import('./helpers.ts');
    const first = startCli('pipeline', ['cc-ja', '--input', inputs, '--out', killed, '--workers', '1']);
    // Kill as soon as the first task is marked done: the run is then part-way, by construction. The
    // first stage is `pages` (site-line removal is on by default): the counting and the filtering are redone after it.
    let doneAtKill = 0;
    for (;;) {
      const names = await readdir(join(killed, 'pages')).catch(() => [] as string[]);
      doneAtKill = names.filter((n) => n.endsWith('.done')).length;
      if (doneAtKill > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    const firstResult = await first.done;
    expect(firstResult.signal).toBe('SIGKILL');
    expect(doneAtKill).toBeLessThan(6);

    const second = await runCli('pipeline', ['cc-ja', '--input', inputs, '--out', killed, '--workers', '1']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming/);
    const query = (dir: string): Promise<Array<Record<string, unknown>>> =>
      duckdb(`SELECT * EXCLUDE (warc_file) FROM read_parquet('${dir}/corpus/ja/ja_cc/*.parquet', filename = true) ORDER BY filename, warc_offset`).then(
        (rows) => rows.map((r) => ({ ...r, filename: String(r.filename).replace(dir, '') })),
      );
    expect(await query(killed)).toEqual(await query(clean));
    const [a, b] = [await readStats(clean), await readStats(killed)];
    expect(b.totals).toEqual(a.totals);
    // The ClueWeb shop pages repeat lines across WARCs and pages: the removal ran, and resumed to the same.
    expect(b.siteBoilerplate?.lines).toBeGreaterThan(0);
    expect(b.siteBoilerplate).toEqual(a.siteBoilerplate);
    const leftovers = (await readdir(join(killed, 'corpus/ja/ja_cc'))).filter((n) => n.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('refuses to resume a run folder made with other inputs', async () => {
    const out = await tempDir('mismatch');
    expect((await runCli('pipeline', ['cc-ja', '--input', CLUEWEB_JA, '--out', out])).code).toBe(0);
    const r = await runCli('pipeline', ['cc-ja', '--input', CC_EXCERPT, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/other inputs or settings/);
  });
});
