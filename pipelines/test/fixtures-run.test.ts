import { readFile } from 'node:fs/promises';
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
      'read', 'html', 'precheck', 'decode', 'extract', 'langid', 'normalize', 'quality', 'toxicity', 'exact-dedup', 'dedup', 'write',
    ]);
    expect(unbalancedStages(stats.totals)).toEqual([]);
    expect(stats.totals.write?.docsOut).toBe(rows.length);
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

  it('writes a bounded audit sample for each drop reason that has text', async () => {
    expect(Object.keys(stats.samples).length).toBeGreaterThan(0);
    for (const [reason, n] of Object.entries(stats.samples)) {
      const lines = (await readFile(join(out, 'samples', `${reason}.jsonl`), 'utf8')).split('\n').filter(Boolean);
      expect(lines).toHaveLength(n);
      const sample = JSON.parse(lines[0]!) as AuditSample;
      expect(sample.reason).toBe(reason);
      expect(sample.id).toMatch(/^[0-9a-f]{32}$/);
      expect(sample.url).toMatch(/^https?:/);
      expect(Object.keys(sample.scores).length).toBeGreaterThan(0);
      expect(sample.text.length).toBeGreaterThan(0);
      expect(sample.text.length).toBeLessThanOrEqual(300);
    }
  });
});
