import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SHARED_DATA, duckdb, runCli, tempDir } from './helpers.ts';

/** Every `pnpm eval <name>` must take any file of the shared format and end with one JSON object. */
async function lastJson(args: string[]): Promise<Record<string, unknown>> {
  const r = await runCli('eval', args);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
}

describe('pnpm eval on small files of the shared formats (not the dev sets themselves)', () => {
  it('charset: a folder with its own manifest.tsv', async () => {
    const dir = await tempDir('eval-charset');
    const manifest = (await readFile(join(SHARED_DATA, 'charsets/manifest.tsv'), 'utf8')).split('\n');
    const rows = ['SHIFT_JIS', 'EUC-JP', 'utf-8', 'GB2312'].map((cs) => manifest.find((l) => l.split('\t')[1] === cs)!);
    for (const row of rows) {
      const path = row.split('\t')[0]!;
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await copyFile(join(SHARED_DATA, 'charsets', path), join(dir, path));
    }
    await writeFile(join(dir, 'manifest.tsv'), `path\tcharset\tsource\n${rows.join('\n')}\n`);
    const scores = await lastJson(['charset', '--data', dir]);
    expect(scores.files).toBe(4);
    expect(scores.japanese_files).toBe(2);
    expect(scores.japanese_accuracy).toBe(1);
  });

  it('extraction: a trafilatura-format json with two pages', async () => {
    const src = join(SHARED_DATA, 'extraction/trafilatura');
    const all = JSON.parse(await readFile(join(src, 'evaldata.dev.json'), 'utf8')) as Record<string, { page: string }>;
    const dir = await tempDir('eval-extraction');
    const subset: Record<string, unknown> = {};
    for (const key of Object.keys(all).slice(0, 2)) {
      subset[key] = all[key];
      await mkdir(dirname(join(dir, all[key]!.page)), { recursive: true });
      await copyFile(join(src, all[key]!.page), join(dir, all[key]!.page));
    }
    await writeFile(join(dir, 'evaldata.json'), JSON.stringify(subset));
    const scores = (await lastJson(['extraction', '--data', join(dir, 'evaldata.json')])) as { trafilatura: { pages: number; f1: number } };
    expect(scores.trafilatura.pages).toBe(2);
    expect(scores.trafilatura.f1).toBeGreaterThan(0);
  });

  it('langid: a JSONL of a few languages', async () => {
    const dir = await tempDir('eval-langid');
    const lines = [
      { lang: 'ja', text: '今日は朝から雨が降っていたので、駅まで歩いて行きました。' },
      { lang: 'zh', text: '今天早上下雨了，所以我走路去火车站。' },
      { lang: 'en', text: 'It rained this morning, so I walked to the station.' },
    ];
    await writeFile(join(dir, 'l.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n'));
    const scores = await lastJson(['langid', '--data', join(dir, 'l.jsonl')]);
    expect(scores).toMatchObject({ japanese_items: 1, precision: 1, recall: 1, precheck_rejected_japanese: 0 });
  });

  it('quality: the project-made labelled file', async () => {
    const scores = await lastJson(['quality', '--data', join(REPO, 'fixtures/quality/quality-dev.jsonl')]);
    expect(scores.labelled).toBeGreaterThan(100);
    for (const k of ['precision', 'recall', 'f1', 'accuracy']) expect(typeof scores[k]).toBe('number');
  });

  it('toxicity: a CSV of the inspection-ai format', async () => {
    const dir = await tempDir('eval-toxicity');
    const csv = (await readFile(join(SHARED_DATA, 'toxicity/inspection-ai.dev.csv'), 'utf8')).split('\n');
    await writeFile(join(dir, 't.csv'), `${csv.slice(0, 41).join('\n')}\n`);
    const scores = await lastJson(['toxicity', '--data', join(dir, 't.csv')]);
    expect(scores.rows).toBe(40);
    for (const k of ['precision', 'recall', 'f1', 'accuracy']) expect(typeof scores[k]).toBe('number');
  });

  it('site-boilerplate: a run folder whose host repeats a footer on three pages and another host once', async () => {
    const dir = await tempDir('eval-site-boilerplate');
    const shardDir = join(dir, 'corpus/ja/ja_cc');
    await mkdir(shardDir, { recursive: true });
    const footer = 'ヘッドポーターのギャランティーカード付男女兼用';
    const rows = [
      ['shop.jp', `一つ目の商品の説明です。\n${footer}`],
      ['shop.jp', `二つ目の商品の説明です。\n${footer}`],
      ['shop.jp', footer],
      ['blog.jp', `ブログの本文です。\n${footer}`],
    ];
    const values = rows.map(([h, t]) => `('${h}', '${t}')`).join(', ');
    await duckdb(`COPY (SELECT * FROM (VALUES ${values}) t(host, text)) TO '${join(shardDir, 'part-0.parquet')}' (FORMAT parquet)`);
    const scores = await lastJson(['site-boilerplate', '--data', dir]);
    // 7 counted lines (5 of the shop, 2 of the blog), 3 of them the shop's footer: the blog's copy is
    // on one page of its host and stays; removing the shop's empties its footer-only page.
    expect(scores).toMatchObject({ pages: 4, hosts: 2, lines_before: 7, repeated_share_before: 0.4286, lines_removed: 3, pages_emptied: 1, repeated_share_after: 0 });
  });

  it('site-boilerplate --split: per-run counting misses a footer spread over two runs; carried counts catch it in the later run', async () => {
    const dir = await tempDir('eval-site-boilerplate-split');
    const shardDir = join(dir, 'normalized/ja/ja_cc');
    await mkdir(shardDir, { recursive: true });
    const footer = 'ヘッドポーターのギャランティーカード付男女兼用';
    // Six pages of one host in shard order; the footer is on pages 2-5, so each run of three has it twice.
    const bodies = ['春の商品です。', '夏の商品です。', '秋の商品です。', '冬の商品です。', '朝の商品です。', '夜の商品です。'];
    const values = bodies.map((b, i) => `(${i}, 'shop.jp', '${i >= 1 && i <= 4 ? `${b}\n${footer}` : b}')`).join(', ');
    await duckdb(`COPY (SELECT host, replace(text, '\\n', chr(10)) AS text FROM (VALUES ${values}) t(i, host, text) ORDER BY i) TO '${join(shardDir, 'part-0.parquet')}' (FORMAT parquet)`);
    const scores = await lastJson(['site-boilerplate', '--data', dir, '--pages', 'normalized', '--split', '2']);
    // 10 counted lines (6 bodies, 4 footers). Each run alone sees the footer on 2 pages: nothing goes.
    // Carried: the second run counts 4 pages and removes its 2 footers. One run removes all 4.
    expect(scores).toMatchObject({
      pages: 6,
      page_set: 'normalized',
      lines_before: 10,
      split: 2,
      per_run_lines_removed: 0,
      per_run_repeated_share_after: 0.4,
      carried_lines_removed: 2,
      carried_repeated_share_after: 0.25,
      carried_removed_beyond_one_run: 0,
      one_run_lines_removed: 4,
      one_run_repeated_share_after: 0,
    });
  });

  it('precheck: pages of the fixture WARCs and a raw page file; a kana-free Japanese page is reported as a miss', async () => {
    const dir = await tempDir('eval-precheck');
    await copyFile(join(REPO, 'fixtures/warc/cc-fixture-ja.warc.gz'), join(dir, 'cc-fixture-ja.warc.gz'));
    // The miss path: a page whose kana exist only as numeric character references, so its bytes hold
    // none and its decoded text is plainly Japanese (a page cld3 calls Japanese with no kana at all
    // cannot be written: cld3 needs kana to answer ja).
    const kana = '日本語の文章です。ひらがなとカタカナを含みます。'.repeat(4);
    const escaped = [...kana].map((c) => `&#${c.codePointAt(0)};`).join('');
    await writeFile(join(dir, 'escaped.html'), `<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body><p>${escaped}</p></body></html>`);
    const scores = await lastJson(['precheck', '--data', dir]);
    expect(scores.missed).toBe(1);
    expect(scores.japanese_pages).toBeGreaterThan(1);
    expect(scores.precheck_recall).toBeCloseTo((Number(scores.japanese_pages) - 1) / Number(scores.japanese_pages), 4);
  });
});
