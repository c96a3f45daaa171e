import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipRecord, httpResponseBlock, serializeWarcRecord } from '@jcp/crawler';
import { gatherCorpus } from '../src/corpus/gather-corpus.ts';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { duckdb, FIXTURES, runCli, runOnSlurm, startCli, tempDir } from './helpers.ts';

const WIKI = join(FIXTURES, 'wiki');
const SINGLE = join(WIKI, 'jawiki-20240301-pages-articles.xml.bz2');
const FAST = ['--tokenizer', 'chars', '--workers', '1'];
/** One task per bzip2 stream of the fixture (3 page streams). */
const PER_STREAM = ['--part-mb', '0.000001'];

const COLUMNS = 'id, title, url, page_id, revision_id, CAST(fetched_at AS VARCHAR) AS fetched_at, fetched_at_source, crawl, subcorpus, source, lang, text, token_count';
const docs = (runDir: string): Promise<Array<Record<string, unknown>>> => duckdb(`SELECT ${COLUMNS} FROM read_parquet('${runDir}/corpus/ja/ja_wiki/*.parquet') ORDER BY id`);
const readStats = async (dir: string): Promise<RunStats> => JSON.parse(await readFile(join(dir, 'stats.json'), 'utf8')) as RunStats;
const dropsOf = (stats: RunStats, stage: string): Record<string, number> => Object.fromEntries(Object.entries(stats.totals[stage]?.drops ?? {}).map(([k, v]) => [k, v.docs]));

describe('pnpm pipeline wiki-ja', () => {
  let local = '';

  it('reads the multistream fixture in one task per stream: articles with their ids, URLs and revision dates, the rest counted; resumable; the single-stream dump gives the same corpus', async () => {
    local = await tempDir('wiki-ja');
    const run = await runCli('pipeline', ['wiki-ja', '--out', local, ...PER_STREAM, ...FAST]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wiki-ja: 3\/3 dump part tasks done \(filters wiki-v1\); ja\/ja_wiki: 4 docs/m);
    const kept = await docs(local);
    expect(kept.map((d) => [d.title, d.page_id, d.revision_id, d.fetched_at, d.fetched_at_source]).sort()).toEqual([
      ['俳句', 102n, 9002n, '2024-02-20 12:00:05', 'revision'],
      ['味噌汁', 104n, 9004n, '2024-01-05 22:47:13', 'revision'],
      ['架空川', 101n, 9001n, '2024-02-11 03:15:42', 'revision'],
      ['架空駅', 107n, 9007n, '2024-02-28 09:09:09', 'revision'],
    ]);
    const miso = kept.find((d) => d.title === '味噌汁')!;
    expect(miso).toMatchObject({ url: 'https://ja.wikipedia.org/wiki/%E5%91%B3%E5%99%8C%E6%B1%81', crawl: 'jawiki-20240301', subcorpus: 'ja_wiki', source: 'wiki', lang: 'ja' });
    // Wikitext gone, section titles kept as lines, the apparatus sections dropped.
    expect(String(miso.text)).not.toMatch(/\{\{|\[\[|<ref|==|脚注/);
    const stats = await readStats(local);
    expect(dropsOf(stats, 'read')).toEqual({ 'not-article': 3, redirect: 1 });
    expect(stats.totals.read!.docsIn).toBe(8);
    expect(stats.byWarc).toHaveLength(3);
    const verify = await runCli('verify', [local]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    // Killed while one stream's task is held, then rerun: the same corpus.
    const killed = await tempDir('wiki-ja-killed');
    const first = startCli('pipeline', ['wiki-ja', '--out', killed, ...PER_STREAM, ...FAST], { JCP_FAULT_SLOW: 'process:streams_5263:60000' });
    // Another part has finished before it (the order of tasks is the runner's); the held one is running.
    for (let i = 0; i < 3000; i++) {
      const names = await readdir(join(killed, 'process')).catch(() => [] as string[]);
      if (names.some((n) => n.endsWith('.done')) && names.some((n) => n.includes('streams_5263') && n.endsWith('.running'))) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await first.done;
    const again = await runCli('pipeline', ['wiki-ja', '--out', killed, ...PER_STREAM, ...FAST]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/took over the lock/);
    expect(await docs(killed)).toEqual(kept);

    // The same pages as one single-stream dump: one task, the same documents (ids are wiki, page and revision).
    const whole = await tempDir('wiki-ja-single');
    const one = await runCli('pipeline', ['wiki-ja', '--input', SINGLE, '--out', whole, ...FAST]);
    expect(one.code, one.stderr).toBe(0);
    expect((await readStats(whole)).byWarc).toHaveLength(1);
    expect(await docs(whole)).toEqual(kept);
  }, 180_000);

  it('runs on Slurm with the output of the local run', async () => {
    expect(local, 'the local run above').not.toBe('');
    const out = await runOnSlurm('wiki-ja-slurm', ['wiki-ja', ...PER_STREAM, '--tokenizer', 'chars']);
    expect(await docs(out)).toEqual(await docs(local));
    expect((await readStats(out)).totals).toEqual((await readStats(local)).totals);
  }, 300_000);

  it('one corpus of cc-ja, warp-ja, text-ja and wiki-ja runs: a wiki article copied onto a web page is kept once, in ja_wiki, and the audit says so', async () => {
    const root = await tempDir('corpus');
    const index = ['--dedup-index', join(root, 'dedup-index')];
    // A web page that copies the 味噌汁 article, in a WARC of its own beside the cc fixtures.
    const article = (await docs(local)).find((d) => d.title === '味噌汁')!;
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>味噌汁とは - 料理メモ</title></head><body><article>${String(article.text)
      .split('\n')
      .map((line) => `<p>${line}</p>`)
      .join('')}</article></body></html>`;
    const body = Buffer.from(html, 'utf8');
    const copy = join(root, 'copy.warc.gz');
    const uri = 'https://ryouri.example.jp/misoshiru';
    await writeFile(
      copy,
      gzipRecord(serializeWarcRecord({ type: 'response', date: '2024-03-01T00:00:00Z', targetUri: uri, recordId: '<urn:uuid:00000000-0000-4000-8000-00000000c0e1>', block: httpResponseBlock(200, 'OK', [['Content-Type', 'text/html; charset=utf-8'], ['Content-Length', String(body.length)]], body) })),
    );
    const runs: Array<[string, string[]]> = [
      ['cc', ['cc-ja', '--input', join(FIXTURES, 'warc', 'cc-fixture-ja.warc.gz'), '--input', copy]],
      ['warp', ['warp-ja', '--input', join(FIXTURES, 'warc', 'cc-fixture-mixed.warc.gz')]],
      ['text', ['text-ja', '--input', join(FIXTURES, 'text'), '--subcorpus', 'ja_kaken']],
      ['wiki', ['wiki-ja']],
    ];
    for (const [name, args] of runs) {
      const r = await runCli('pipeline', [...args, '--out', join(root, name), ...index, ...FAST]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
    }
    // The cc run kept the copy; the wiki run, later and first in the priority, supersedes it.
    const copies = await duckdb(`SELECT subcorpus, url FROM read_parquet('${root}/*/corpus/*/*/*.parquet') WHERE url = '${uri}' OR page_id = 104 ORDER BY subcorpus`);
    expect(copies).toEqual([{ subcorpus: 'ja_cc', url: uri }, { subcorpus: 'ja_wiki', url: article.url }]);
    expect((await readStats(join(root, 'wiki'))).dedup?.superseded).toEqual({ ja_cc: 1 });
    const corpus = await gatherCorpus(root);
    expect(corpus.runs.map((r) => r.subcorpus).sort()).toEqual(['ja_cc', 'ja_kaken', 'ja_warp', 'ja_wiki']);
    expect(corpus.losses.filter((l) => l.winner === 'ja_wiki')).toEqual([{ loser: 'ja_cc', winner: 'ja_wiki', how: 'superseded', docs: 1, tokens: expect.any(Number) }]);
    const wiki = corpus.bySubcorpus.find((g) => g.key.subcorpus === 'ja_wiki')!;
    expect(wiki.docs).toBe(4);
    const verify = await runCli('verify', ['--corpus', root]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout.trim().split('\n').pop()!)).toMatchObject({ ok: true, runs: 4, mismatches: 0 });
    const report = await runCli('report', ['--corpus', root]);
    expect(report.code, report.stderr).toBe(0);
    expect(await readFile(join(root, 'corpus-report.html'), 'utf8')).toContain('ja_wiki');
  }, 300_000);
});
