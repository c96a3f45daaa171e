import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gzipRecord, httpResponseBlock, serializeWarcRecord } from '@jcp/crawler';
import type { AuditSample } from '@jcp/stats';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { FIXTURES, runCli, tempDir } from './helpers.ts';

/** The fixture pages without a kana (en-kyoto-guide quotes Japanese): a WARC of them is a whole non-Japanese WARC. */
const PAGES = ['en-composting.html', 'en-transit-news.html', 'fr-galette.html', 'ko-hiking.html', 'zh-tea.html'];

describe('a whole non-Japanese WARC', () => {
  let out: string;
  let stats: RunStats;
  let warc: string;

  beforeAll(async () => {
    const dir = await tempDir('non-ja');
    warc = join(dir, 'non-ja.warc.gz');
    const records = await Promise.all(
      PAGES.map(async (name, i) =>
        gzipRecord(
          serializeWarcRecord({
            type: 'response',
            date: '2026-06-16T01:00:00Z',
            targetUri: `https://example.org/${name}`,
            recordId: `<urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}>`,
            block: httpResponseBlock(200, 'OK', [['Content-Type', 'text/html; charset=utf-8']], await readFile(join(FIXTURES, 'pages', name))),
          }),
        ),
      ),
    );
    await writeFile(warc, Buffer.concat(records));
    out = join(dir, 'run');
    // Three samples per reason per task: the bound, on a WARC of five pages that all drop for one reason.
    const config = join(dir, 'settings.json');
    await writeFile(config, JSON.stringify({ chain: { filters: { auditSamplesPerReason: 3 } } }));
    const r = await runCli('pipeline', ['cc-ja', '--input', warc, '--out', out, '--tokenizer', 'chars', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    stats = JSON.parse(await readFile(join(out, 'stats.json'), 'utf8')) as RunStats;
  });

  it('keeps nothing and says why: every page failed the kana pre-check', () => {
    expect(stats.totals.precheck?.drops).toEqual({ 'no-japanese-bytes': expect.objectContaining({ docs: PAGES.length }) });
    expect(stats.totals.write?.docsOut ?? 0).toBe(0);
  });

  it('still leaves samples/, with the first pages of its drop reason up to the per-task bound, in WARC order', async () => {
    expect(await readdir(join(out, 'samples'))).toEqual(['no-japanese-bytes.jsonl']);
    const samples = (await readFile(join(out, 'samples', 'no-japanese-bytes.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditSample);
    expect(samples.map((s) => s.url)).toEqual(PAGES.slice(0, 3).map((n) => `https://example.org/${n}`));
    expect(stats.samples).toEqual({ 'no-japanese-bytes': 3 });
    for (const s of samples) {
      expect(s).toMatchObject({ stage: 'precheck', warcFile: warc, contentType: 'text/html; charset=utf-8' });
      expect(s.text).toMatch(/^<!DOCTYPE html>/i);
    }
    expect(samples.map((s) => s.offset)).toEqual([...samples.map((s) => s.offset)].sort((a, b) => a - b));
  });

  it('lists no corpus shard for the WARC', () => {
    expect(stats.byWarc.map((w) => w.shards)).toEqual([[]]);
  });
});
