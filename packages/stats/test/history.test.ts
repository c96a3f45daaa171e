import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendRunHistory, historyEntryOf, historyTotals, mergeRunStats, readRunHistory, emptyHistoryTotals, type HistoryRunStats } from '../src/history.ts';
import { LedgerBuilder, mergeLedgers, type Ledger } from '../src/ledger.ts';
import type { TokenCounterConfig } from '../src/tokens/config.ts';

const SP: TokenCounterConfig = { kind: 'sentencepiece', modelPath: '/models/llm-jp-tokenizer-100k.ver3.1.model' };

/** A two-stage ledger: `docs` docs of 10 chars / 30 bytes / 5 tokens in, one dropped as too-short, the rest written. */
function ledgerOf(docs: number, scale = 1): Ledger {
  const b = new LedgerBuilder();
  const q = b.stage('quality');
  const w = b.stage('write');
  for (let i = 0; i < docs; i++) {
    q.in(30 * scale, 10 * scale, 5 * scale);
    if (i === 0) {
      q.drop('too-short', 30 * scale, 10 * scale, 5 * scale);
      continue;
    }
    q.out(30 * scale, 10 * scale, 5 * scale);
    w.in(30 * scale, 10 * scale, 5 * scale);
    w.out(30 * scale, 10 * scale, 5 * scale);
  }
  q.event('nfkc-changed', docs);
  return b.ledger;
}

function statsOf(runId: string, warcs: Array<{ crawl: string; docs: number }>, tokenizer = SP): HistoryRunStats {
  const byWarc = warcs.map((w) => ({ crawl: w.crawl, ledger: ledgerOf(w.docs) }));
  const totals: Ledger = {};
  for (const w of byWarc) mergeLedgers(totals, w.ledger);
  const kept = totals.write?.docsOut ?? 0;
  return {
    schema: 'jcp-stats/2',
    pipeline: 'cc-ja',
    runId,
    source: 'cc',
    subcorpus: 'ja_cc',
    tokenizer,
    tasks: { total: warcs.length, done: warcs.length, failed: 0 },
    totals,
    output: { 'ja/ja_cc': { docs: kept, shards: warcs.length } },
    byWarc,
  };
}

async function tempHistory(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'jcp-history-')), 'history.jsonl');
}

describe('run history', () => {
  it('makes a line of what the run kept, per source and per crawl, in the units of its tokenizer', () => {
    const e = historyEntryOf(statsOf('r1', [{ crawl: 'CC-MAIN-2024-10', docs: 3 }, { crawl: 'CC-MAIN-2024-18', docs: 4 }, { crawl: 'CC-MAIN-2024-10', docs: 2 }]), new Date('2026-01-02T03:04:05Z'));
    expect(e.schema).toBe('jcp-history/1');
    expect(e.recordedAt).toBe('2026-01-02T03:04:05.000Z');
    expect(e.tokenizer).toBe('sentencepiece:llm-jp-tokenizer-100k.ver3.1.model');
    expect(e.kept).toEqual({ docs: 6, bytes: 180, chars: 60, tokens: 30 });
    expect(e.bySource).toEqual({ cc: { docs: 6, bytes: 180, chars: 60, tokens: 30 } });
    expect(e.byCrawl).toEqual({ 'CC-MAIN-2024-10': { docs: 3, bytes: 90, chars: 30, tokens: 15 }, 'CC-MAIN-2024-18': { docs: 3, bytes: 90, chars: 30, tokens: 15 } });
    expect(e.totals.quality!.drops['too-short']).toEqual({ docs: 3, bytes: 90, chars: 30, tokens: 15 });
  });

  it('appends one line per run, in the order the runs finished', async () => {
    const path = await tempHistory();
    await appendRunHistory(path, statsOf('r1', [{ crawl: 'c', docs: 2 }]));
    await appendRunHistory(path, statsOf('r2', [{ crawl: 'c', docs: 3 }]));
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect((await readRunHistory(path)).map((e) => [e.runId, e.kept.docs])).toEqual([
      ['r1', 1],
      ['r2', 2],
    ]);
  });

  it('replaces the line of a run written again (a resumed run), in place, instead of adding a second one', async () => {
    const path = await tempHistory();
    await appendRunHistory(path, statsOf('r1', [{ crawl: 'c', docs: 2 }]));
    await appendRunHistory(path, statsOf('r2', [{ crawl: 'c', docs: 3 }]));
    await appendRunHistory(path, statsOf('r1', [{ crawl: 'c', docs: 5 }]));
    const entries = await readRunHistory(path);
    expect(entries.map((e) => [e.runId, e.kept.docs])).toEqual([
      ['r1', 4],
      ['r2', 2],
    ]);
  });

  it('rewrites the file whole and leaves no temporary or lock file behind', async () => {
    const path = await tempHistory();
    await appendRunHistory(path, statsOf('r1', [{ crawl: 'c', docs: 2 }]));
    await appendRunHistory(path, statsOf('r2', [{ crawl: 'c', docs: 2 }]));
    expect(await readdir(join(path, '..'))).toEqual(['history.jsonl']);
  });

  it('loses no line when several runs write the same history at once', async () => {
    const path = await tempHistory();
    await Promise.all(Array.from({ length: 8 }, (_, i) => appendRunHistory(path, statsOf(`r${i}`, [{ crawl: 'c', docs: i + 2 }]))));
    const entries = await readRunHistory(path);
    expect(entries.map((e) => e.runId).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
  });

  it('adds runs up exactly: ledgers, drops, events, per-crawl counts and outputs', async () => {
    const path = await tempHistory();
    await appendRunHistory(path, statsOf('r1', [{ crawl: 'a', docs: 2 }, { crawl: 'b', docs: 3 }]));
    await appendRunHistory(path, statsOf('r2', [{ crawl: 'b', docs: 4 }]));
    const t = historyTotals(await readRunHistory(path));
    expect(t.runs).toBe(2);
    expect(t.runIds).toEqual(['r1', 'r2']);
    expect(t.kept).toEqual({ docs: 6, bytes: 180, chars: 60, tokens: 30 });
    expect(t.byCrawl).toEqual({ a: { docs: 1, bytes: 30, chars: 10, tokens: 5 }, b: { docs: 5, bytes: 150, chars: 50, tokens: 25 } });
    expect(t.output).toEqual({ 'ja/ja_cc': { docs: 6, shards: 3 } });
    expect(t.tasks).toEqual({ total: 3, done: 3, failed: 0 });
    expect(t.totals.quality).toMatchObject({ docsIn: 9, docsOut: 6, events: { 'nfkc-changed': 9 } });
    expect(t.totals.quality!.drops['too-short']).toEqual({ docs: 3, bytes: 90, chars: 30, tokens: 15 });
  });

  it('keeps counts beyond 2^32 exact (integers, never floating sums)', () => {
    const big = 2 ** 40 + 1;
    const a = historyEntryOf(statsOf('r1', [{ crawl: 'c', docs: 2 }]));
    a.kept.tokens = big;
    a.totals.write!.tokensOut = big;
    const t = historyTotals([a, { ...a, runId: 'r2' }, { ...a, runId: 'r3' }]);
    expect(t.kept.tokens).toBe(3 * big);
    expect(t.totals.write!.tokensOut).toBe(3 * big);
  });

  it('refuses a sum that is no longer an exact integer', () => {
    const a = historyEntryOf(statsOf('r1', [{ crawl: 'c', docs: 2 }]));
    a.totals.write!.tokensOut = Number.MAX_SAFE_INTEGER;
    expect(() => historyTotals([a, { ...a, runId: 'r2' }])).toThrow(/write\.tokensOut/);
  });

  it('refuses to add token counts of different tokenizers', () => {
    const a = historyEntryOf(statsOf('r1', [{ crawl: 'c', docs: 2 }]));
    const b = historyEntryOf(statsOf('r2', [{ crawl: 'c', docs: 2 }], { kind: 'chars', modelPath: '' }));
    const totals = mergeRunStats(emptyHistoryTotals(), a);
    expect(() => mergeRunStats(totals, b)).toThrow(/r2 counts tokens as chars/);
  });

  it('names the file and line of a history line that does not parse', async () => {
    const path = await tempHistory();
    await appendRunHistory(path, statsOf('r1', [{ crawl: 'c', docs: 2 }]));
    const good = await readFile(path, 'utf8');
    await writeFile(path, `${good}${good.replace('"runId":"r1"', '"runId":"r2"').replace('"pipeline":"cc-ja"', '"pipeline":7')}`);
    await expect(readRunHistory(path)).rejects.toThrow(`${path}:2: pipeline: expected a string`);
    await writeFile(path, `${good}{not json\n`);
    await expect(readRunHistory(path)).rejects.toThrow(`${path}:2: not JSON`);
  });

  it('reads a missing history file as no runs', async () => {
    expect(await readRunHistory(await tempHistory())).toEqual([]);
  });
});

describe('where the history lives and what a line says', () => {
  it('keeps one file per corpus root and pipeline', async () => {
    const { runHistoryPath } = await import('../src/history.ts');
    expect(runHistoryPath('/data/runs/cc-ja/abc123', 'cc-ja')).toBe('/data/runs/cc-ja/history/cc-ja.jsonl');
    expect(runHistoryPath('/scratch/out/nightly-2026-12-04', 'warp-ja')).toBe('/scratch/out/history/warp-ja.jsonl');
  });

  it('records the filter profile and the inputs (count and first names), and creates the history folder', async () => {
    const stats = statsOf('r1', [{ crawl: 'C', docs: 2 }, { crawl: 'C', docs: 2 }, { crawl: 'C', docs: 2 }, { crawl: 'C', docs: 2 }]);
    const withNames = { ...stats, filterProfile: 'swallow-v1', byWarc: stats.byWarc.map((w, i) => ({ ...w, warcFile: `/data/warc/part-${i}.warc.gz` })) };
    const path = join(await mkdtemp(join(tmpdir(), 'jcp-history-')), 'history', 'cc-ja.jsonl');
    const [entry] = await appendRunHistory(path, withNames);
    expect(entry!.filterProfile).toBe('swallow-v1');
    expect(entry!.inputs).toEqual({ count: 4, first: ['part-0.warc.gz', 'part-1.warc.gz', 'part-2.warc.gz'] });
    expect((await readRunHistory(path))[0]).toEqual(entry);
  });

  it('reads a line written before profiles and inputs were recorded', async () => {
    const path = await tempHistory();
    const old = { ...historyEntryOf(statsOf('old', [{ crawl: 'C', docs: 2 }])) } as Record<string, unknown>;
    delete old.filterProfile;
    delete old.inputs;
    await writeFile(path, `${JSON.stringify(old)}\n`);
    const [entry] = await readRunHistory(path);
    expect(entry!.filterProfile).toBeNull();
    expect(entry!.inputs).toEqual({ count: 0, first: [] });
  });
});
