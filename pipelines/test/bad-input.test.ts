import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { gzipRecord, httpResponseBlock, serializeWarcRecord } from '@jcp/crawler';
import { unbalancedStages, type AuditSample } from '@jcp/stats';
import type { RunStats } from '../src/run/run-pipeline.ts';
import type { RecordError } from '../src/stages/process.ts';
import { FIXTURES, duckdb, runCli, tempDir, type CliResult } from './helpers.ts';

/** A WARC with a 20 MB Japanese page followed by a small good one, made at test time (not committed). */
async function hugePageWarc(dir: string): Promise<string> {
  const para = '<p>これは非常に長いページの段落です。同じ文が何度も繰り返されます。</p>\n';
  const huge = Buffer.from(`<html><head><meta charset="utf-8"></head><body>${para.repeat(Math.ceil(20e6 / Buffer.byteLength(para)))}</body></html>`);
  const small = Buffer.from(
    '<html><head><meta charset="utf-8"><title>小さなページ</title></head><body><p>大きなページの次に置かれた、ふつうの日本語のページです。読み込みはここでも続いていることを確かめます。</p><p>このページは品質の規則にも通るように、いくつかの文からできています。町の図書館では、毎週土曜日の午前中に子ども向けの読み聞かせ会を開いています。</p><p>参加は無料で、申し込みもいりません。季節に合わせた絵本を選び、読み終わったあとには簡単な工作をすることもあります。保護者の方も一緒に楽しめる内容です。</p><p>会場は二階の多目的室です。当日は混み合うことがありますので、少し早めにお越しください。</p></body></html>',
  );
  const response = (url: string, body: Buffer, n: number): Buffer =>
    gzipRecord(
      serializeWarcRecord({
        type: 'response',
        date: '2026-01-01T00:00:00Z',
        targetUri: url,
        recordId: `<urn:uuid:00000000-0000-4000-8000-00000000000${n}>`,
        block: httpResponseBlock(200, 'OK', [['Content-Type', 'text/html; charset=utf-8']], body),
      }),
    );
  const path = join(dir, 'huge-page.warc.gz');
  await writeFile(path, Buffer.concat([response('https://big.example.jp/', huge, 1), response('https://small.example.jp/', small, 2)]));
  return path;
}

describe('cc-ja on bad input', () => {
  let out: string;
  let run: CliResult;
  let stats: RunStats;
  let errors: RecordError[];

  beforeAll(async () => {
    out = await tempDir('bad');
    const huge = await hugePageWarc(await tempDir('bad-in'));
    run = await runCli('pipeline', ['cc-ja', '--input', join(FIXTURES, 'bad'), '--input', huge, '--out', out, '--workers', '2']);
    stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
    errors = [];
    for (const w of stats.byWarc) {
      const lines = (await readFile(join(out, 'process', `${w.taskId}.errors.jsonl`), 'utf8')).split('\n').filter(Boolean);
      errors.push(...lines.map((l) => JSON.parse(l) as RecordError));
    }
  });

  const errorFor = (file: string): RecordError | undefined => errors.find((e) => e.file.endsWith(file));

  it('finishes every task and keeps the ledger balanced', () => {
    expect(run.code).toBe(0);
    expect(stats.tasks).toEqual({ total: 6, done: 6, failed: 0 });
    expect(unbalancedStages(stats.totals)).toEqual([]);
  });

  it.each([
    ['truncated-gzip.warc.gz', 'truncated-gzip', 9428],
    ['lying-content-length.warc.gz', 'content-length-mismatch', 4711],
    ['bad-header.warc.gz', 'bad-warc-header', 5140],
    ['binary-as-html.warc.gz', 'binary-body', 5288],
    ['huge-page.warc.gz', 'html-too-large', 0],
  ])('%s: one error line naming the file, the offset and the reason, counted in the ledger', (file, reason, offset) => {
    const e = errorFor(file);
    expect(e).toMatchObject({ reason, offset });
    expect(e?.message).toContain(file);
    expect(e?.message).toContain(`@${offset}`);
    expect(run.stderr).toContain(e!.message);
    const counted = Object.values(stats.totals).reduce((n, s) => n + (s.drops[reason]?.docs ?? 0), 0);
    expect(counted).toBe(1);
  });

  it.each([
    ['truncated-gzip.warc.gz', 'truncated-gzip', 9428],
    ['bad-header.warc.gz', 'bad-warc-header', 5140],
    ['binary-as-html.warc.gz', 'binary-body', 5288],
    ['huge-page.warc.gz', 'html-too-large', 0],
  ])('%s: an audit sample of the bad record, naming the file and offset', async (file, reason, offset) => {
    const samples = (await readFile(join(out, 'samples', `${reason}.jsonl`), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditSample);
    expect(samples).toHaveLength(1);
    expect(samples[0]!.warcFile.endsWith(file)).toBe(true);
    expect(samples[0]!.offset).toBe(offset);
    expect(samples[0]!.text.length).toBeGreaterThan(0);
  });

  // The good pages repeat across these files, so the dedup keeps one copy of each in the corpus; the
  // staged shards (filtered, before the run-wide dedup) show that each file's good pages got through.
  it('goes on after each bad record: the good pages after it are in the Parquet output', async () => {
    const urls = (await duckdb(`SELECT url, warc_file FROM read_parquet('${out}/staged/ja/ja_cc/*.parquet')`)).map(
      (r) => `${String(r.warc_file).split('/').pop()} ${String(r.url)}`,
    );
    expect(urls).toContain('lying-content-length.warc.gz https://kaden-biyori.example.jp/review/kettle-tk200/');
    expect(urls).toContain('bad-header.warc.gz https://kyo-dev-notes.example.com/posts/satisfies-in-practice/');
    expect(urls).toContain('binary-as-html.warc.gz https://kaden-biyori.example.jp/review/kettle-tk200/');
    expect(urls).toContain('huge-page.warc.gz https://small.example.jp/');
    // Records before the truncation are kept too: nothing already read is lost.
    expect(urls.filter((u) => u.startsWith('truncated-gzip.warc.gz')).length).toBeGreaterThan(0);
    const corpus = (await duckdb(`SELECT url FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet')`)).map((r) => String(r.url));
    expect(corpus.filter((u) => u === 'https://kaden-biyori.example.jp/review/kettle-tk200/')).toHaveLength(1);
    expect(stats.totals.dedup?.drops['exact-duplicate']?.docs).toBeGreaterThan(0);
  });

  it('detects the charset of a page that declares none', async () => {
    const rows = await duckdb(
      `SELECT charset_declared, charset, text FROM read_parquet('${out}/staged/ja/ja_cc/*.parquet') WHERE warc_file LIKE '%undeclared-charset%' AND url LIKE '%lib.midorigaoka%'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ charset_declared: null, charset: 'shift_jis' });
    expect(String(rows[0]!.text)).toContain('図書館');
  });
});
