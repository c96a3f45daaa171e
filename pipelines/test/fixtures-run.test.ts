import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenCounter, unbalancedStages, type AuditSample } from '@jcp/stats';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { duckdb, runCli, tempDir } from './helpers.ts';

describe('pnpm pipeline cc-ja with no input: the committed fixtures', () => {
  let out: string;
  let stats: RunStats;
  let rows: Array<Record<string, unknown>>;

  beforeAll(async () => {
    out = await tempDir('fixtures');
    const r = await runCli('pipeline', ['cc-ja', '--out', out]);
    expect(r.code).toBe(0);
    stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
    rows = await duckdb(`SELECT * FROM read_parquet('${out}/corpus/ja/ja_cc/*.parquet')`);
  });

  it('produces a non-empty Japanese subcorpus from every fixture charset', () => {
    expect(rows.length).toBeGreaterThanOrEqual(9);
    expect(new Set(rows.map((r) => r.charset))).toEqual(new Set(['utf-8', 'shift_jis', 'euc-jp', 'iso-2022-jp']));
  });

  it('runs the stages in order and accounts for every document in each', () => {
    expect(Object.keys(stats.totals)).toEqual([
      'read', 'html', 'precheck', 'decode', 'extract', 'langid', 'normalize', 'site-boilerplate', 'quality', 'toxicity', 'exact-dedup', 'dedup', 'write',
    ]);
    expect(unbalancedStages(stats.totals)).toEqual([]);
    expect(stats.totals.write?.docsOut).toBe(rows.length);
  });

  it('removes no line of the fixtures as site boilerplate: none of their hosts has three pages', () => {
    const step = stats.totals['site-boilerplate']!;
    expect(step.docsOut).toBe(step.docsIn);
    expect(step.charsOut).toBe(step.charsIn);
    expect(stats.siteBoilerplate).toMatchObject({ minPages: 3, lines: 0, chars: 0, tokens: 0, pagesEmptied: 0, topHosts: [] });
  });

  it('keeps one copy of the syndicated story and of the review the fixtures repeat, and says what each dropped copy duplicates', async () => {
    const urls = rows.map((r) => String(r.url));
    const story = urls.filter((u) => u.includes('20260614'));
    expect(story).toHaveLength(1);
    expect(urls.filter((u) => u.includes('kettle-tk200'))).toHaveLength(1);
    expect(stats.totals.dedup?.drops).toMatchObject({ 'near-duplicate': { docs: 1 }, 'exact-duplicate': { docs: 1 } });
    const near = JSON.parse((await readFile(join(out, 'samples', 'near-duplicate.jsonl'), 'utf8')).split('\n')[0]!) as AuditSample;
    const kept = rows.find((r) => r.id === near.duplicateOf);
    expect(String(kept?.url)).toContain('20260614');
    expect(near.url).toContain('20260614');
    expect(near.url).not.toBe(kept?.url);
    expect(near.scores.similarity).toBeGreaterThanOrEqual(0.8);
  });

  it('counts every kept doc in LLM-jp tokens, once, and the ledger adds up to the Parquet column', async () => {
    const sp = await createTokenCounter(stats.tokenizer);
    let sum = 0;
    for (const row of rows) {
      expect(Number(row.token_count)).toBe(sp.count(String(row.text)));
      sum += Number(row.token_count);
    }
    expect(stats.tokenizer.modelPath).toMatch(/llm-jp-tokenizer-100k\.ver3\.1\.model$/);
    expect(stats.totals.write?.tokensOut).toBe(sum);
    expect(stats.totals.normalize?.tokensIn).toBe(0);
    const dedup = stats.totals.dedup!;
    expect(dedup.tokensIn).toBe(dedup.tokensOut + Object.values(dedup.drops).reduce((n, d) => n + d.tokens, 0));
  });

  it('keeps every filter score on every kept document', () => {
    for (const row of rows) {
      for (const score of ['char_count', 'hiragana_share', 'kuten_rate', 'dup_line_frac', 'ng_char_share', 'ng_word_count']) {
        expect(typeof row[score]).toBe('number');
      }
    }
  });

  it('masks the phone numbers of the fixture pages and counts them in the ledger', () => {
    expect(stats.totals.normalize?.events['pii-phone-masked']).toBeGreaterThan(0);
    for (const row of rows) expect(String(row.text)).not.toMatch(/0\d{1,4}-\d{1,4}-\d{4}/);
  });

  it('writes audit samples for every drop reason the ledger lists, at every step, each naming its WARC file and record offset', async () => {
    const drops = Object.entries(stats.totals).flatMap(([step, s]) => Object.entries(s.drops).map(([reason, d]) => ({ step, reason, docs: d.docs })));
    // Every step that drops on the fixtures, the protocol records of `read` included.
    expect(new Set(drops.map((d) => d.step))).toEqual(new Set(['read', 'html', 'precheck', 'langid', 'quality', 'dedup']));
    expect(Object.keys(stats.samples).sort()).toEqual([...new Set(drops.map((d) => d.reason))].sort());
    for (const { step, reason } of drops) {
      const lines = (await readFile(join(out, 'samples', `${reason}.jsonl`), 'utf8')).split('\n').filter(Boolean);
      expect(lines, reason).toHaveLength(stats.samples[reason]!);
      const samples = lines.map((l) => JSON.parse(l) as AuditSample);
      // The first 20 per reason of each WARC task, then the first 100 of the run (the defaults).
      const perTask = stats.byWarc.map((w) => Math.min(20, w.ledger[step]?.drops[reason]?.docs ?? 0));
      expect(samples.filter((s) => s.stage === step).length, `${step} ${reason}`).toBe(Math.min(100, perTask.reduce((a, b) => a + b, 0)));
      for (const s of samples) {
        expect(s.reason).toBe(reason);
        expect(s.id).toMatch(/^[0-9a-f]{32}$/);
        expect(s.warcFile).toMatch(/fixtures\/warc\/cc-fixture-\w+\.warc(\.gz)?$/);
        expect(Number.isSafeInteger(s.offset) && s.offset >= 0).toBe(true);
        expect(s.text.length).toBeLessThanOrEqual(300);
      }
    }
  });

  it('samples drops before there is text by what an auditor needs: URL, content type and the raw bytes decoded', async () => {
    const first = async (reason: string): Promise<AuditSample> => JSON.parse((await readFile(join(out, 'samples', `${reason}.jsonl`), 'utf8')).split('\n')[0]!) as AuditSample;
    const english = await first('no-japanese-bytes');
    expect(english.url).toMatch(/^https?:\/\//);
    expect(english.contentType).toMatch(/^text\/html/);
    expect(english.text).toMatch(/^<!DOCTYPE html>/i);
    const redirect = await first('http-3xx');
    expect(redirect.text).toMatch(/^HTTP\/1\.1 301 /);
    expect(redirect.text).toMatch(/\nLocation: https:\/\//);
    const image = await first('not-html');
    expect(image.contentType).not.toMatch(/html/);
    const request = await first('warc-request');
    expect(request.text).toMatch(/^GET /);
    expect(request.contentType).toMatch(/^application\/http; ?msgtype=request/);
  });

  it('lists in byWarc[].shards only the corpus shards each WARC wrote, none for a WARC all of whose docs were duplicates', async () => {
    const files = await readdir(join(out, 'corpus/ja/ja_cc'));
    for (const w of stats.byWarc) expect(w.shards, w.taskId).toEqual(files.filter((f) => f.startsWith(`${w.taskId}-`)).sort());
    expect(stats.byWarc.some((w) => w.stagedShards.length > 0 && w.shards.length === 0)).toBe(true);
  });
});
