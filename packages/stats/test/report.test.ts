import { describe, expect, it } from 'vitest';
import { historyEntryOf } from '../src/history.ts';
import { LedgerBuilder, type Ledger } from '../src/ledger.ts';
import { esc, formatInt, table } from '../src/report/html.ts';
import { renderReport } from '../src/report/page.ts';
import { barChart, histogramChart } from '../src/report/svg.ts';
import type { ReportData } from '../src/report/types.ts';

const HOSTILE = '<script>alert("x")</script>';

function ledger(): Ledger {
  const b = new LedgerBuilder();
  const q = b.stage('quality');
  const w = b.stage('write');
  q.in(300, 100, 50);
  q.drop('too-short', 300, 100, 50);
  for (let i = 0; i < 2; i++) {
    q.in(3000, 1000, 500);
    q.out(3000, 1000, 500);
    w.in(3000, 1000, 500);
    w.out(3000, 1000, 500);
  }
  return b.ledger;
}

function data(overrides: Partial<ReportData> = {}): ReportData {
  const l = ledger();
  const stats: ReportData['stats'] = {
    schema: 'jcp-stats/2',
    pipeline: 'cc-ja',
    runId: 'run-1',
    source: 'cc',
    subcorpus: 'ja_cc',
    tokenizer: { kind: 'sentencepiece', modelPath: '/m/llm-jp.model' },
    tasks: { total: 1, done: 1, failed: 0 },
    totals: l,
    output: { 'ja/ja_cc': { docs: 2, shards: 1 } },
    byWarc: [{ taskId: 'w-0001', warcFile: `/data/日本語&${HOSTILE}.warc.gz`, crawl: 'CC-MAIN-2024-10', inputBytes: 12345, ledger: l, errors: 0 }],
    dedup: null,
    failed: [],
    samples: { 'too-short': 1 },
  };
  return {
    stats,
    shards: ['corpus/ja/ja_cc/w-0001-00000.parquet'],
    bySourceSubcorpus: [{ key: { source: 'cc', subcorpus: 'ja_cc' }, docs: 2, chars: 2000, bytes: 6000, tokens: 1000 }],
    lengthHistograms: [{ name: 'chars', description: 'chars per doc', scale: 'log', integer: true, edges: [10, 100, 1000], counts: [0, 2], nulls: 0, values: 2, missing: false }],
    scoreHistograms: [{ name: 'toxicity_prob', description: 'toxicity', scale: 'linear', integer: false, edges: [], counts: [], nulls: 0, values: 0, missing: true }],
    samples: [{ reason: 'too-short', count: 1, href: 'samples/too-short.jsonl', label: 'samples/too-short.jsonl', exists: true, first: { id: 'abc', url: 'https://例え.jp/?a=1&b=2', text: `短い文書です。${HOSTILE}「引用」` } }],
    errorFiles: [{ taskId: 'w-0001', count: 0, href: 'process/w-0001.errors.jsonl', label: 'process/w-0001.errors.jsonl', exists: true }],
    removedFiles: [],
    history: [],
    historyFile: null,
    ...overrides,
  };
}

/** data-metric name → text of the element, as a reader of the page sees it. */
function metrics(html: string): Map<string, string> {
  return new Map([...html.matchAll(/data-metric="([^"]*)">([^<]*)</g)].map((m) => [m[1]!, m[2]!]));
}

describe('report html', () => {
  it('escapes markup characters and leaves Japanese text as it is', () => {
    expect(esc(`日本語 <b>&"'`)).toBe('日本語 &lt;b&gt;&amp;&quot;&#39;');
  });

  it('replaces control characters HTML does not allow', () => {
    expect(esc('a\u0000b\u0007c\td\n')).toBe('a\ufffdb\ufffdc\td\n');
  });

  it('writes CR as a character reference, so that raw HTTP text keeps its CR LF through the HTML parser', () => {
    expect(esc('HTTP/1.1 301 Moved\r\nLocation: x')).toBe('HTTP/1.1 301 Moved&#13;\nLocation: x');
  });

  it('groups integers by thousands whatever the machine locale', () => {
    expect([0, 999, 1000, 1234567, -1234, 2 ** 53 - 1].map(formatInt)).toEqual(['0', '999', '1,000', '1,234,567', '-1,234', '9,007,199,254,740,991']);
  });

  it('refuses a table whose alignment does not name every column', () => {
    expect(() => table(['a', 'b'], [], 'l')).toThrow(/2 columns/);
  });
});

describe('report charts', () => {
  it('escapes bar labels and puts the full label of a cut one in its tooltip', () => {
    const long = `${'長'.repeat(50)}${HOSTILE}`;
    const svg = barChart([{ label: long, value: 7 }], 'chart', 'tokens');
    expect(svg).not.toContain('<script');
    expect(svg).toContain(`<title>${esc(long)}: 7 tokens</title>`);
    expect(svg).toContain(`${'長'.repeat(35)}…</text>`);
  });

  it('draws one bar per histogram bin, its count in the tooltip', () => {
    const svg = histogramChart({ edges: [0, 0.5, 1], counts: [3, 1234], integer: false }, 'h', 'docs');
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('<title>0.5 – 1: 1,234 docs</title>');
  });
});

describe('report page', () => {
  it('is one self-contained page: no script, no external URL, a policy that blocks fetching', () => {
    const html = renderReport(data());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=/i);
    expect(html).not.toMatch(/href="(?!#|samples\/|process\/|dedup\/|\.\.\/)/);
    expect(html).toContain(`content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"`);
  });

  it('escapes every string from the run: file names, reasons, URLs and Japanese sample text', () => {
    const html = renderReport(data());
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(`短い文書です。${esc(HOSTILE)}「引用」`);
    expect(html).toContain('https://例え.jp/?a=1&amp;b=2');
    expect(html).toContain(`日本語&amp;${esc(HOSTILE)}.warc.gz`);
  });

  it('puts the kept counts, the stages and every drop under stable data-metric names', () => {
    const m = metrics(renderReport(data()));
    expect(m.get('kept.docs')).toBe('2');
    expect(m.get('kept.tokens')).toBe('1,000');
    expect(m.get('tokenizer')).toBe('sentencepiece:llm-jp.model');
    expect(m.get('stage.quality.docsIn')).toBe('3');
    expect(m.get('stage.quality.drop.too-short.tokens')).toBe('50');
    expect(m.get('source.cc.ja_cc.tokens')).toBe('1,000');
    expect(m.get('warc.w-0001.tokens')).toBe('1,000');
    expect(m.get('crawl.CC-MAIN-2024-10.docs')).toBe('2');
    expect(m.get('hist.chars.values')).toBe('2');
    expect(m.get('samples.too-short')).toBe('1');
  });

  it('shows what site-line removal took and its top hosts, escaped; no section for a run without it', () => {
    const plain = renderReport(data());
    expect(plain).not.toContain('id="site-lines"');
    const base = data();
    const withSite = data({
      stats: {
        ...base.stats,
        siteBoilerplate: { minPages: 3, minShare: 0.01, lines: 92, chars: 2276, tokens: 1116, pagesEmptied: 2, topHosts: [{ host: `shop.example.jp${HOSTILE}`, pages: 12, lines: 92, chars: 2276, tokens: 1116 }] },
      },
    });
    const html = renderReport(withSite);
    const m = metrics(html);
    expect([m.get('site.minPages'), m.get('site.minShare'), m.get('site.lines'), m.get('site.chars'), m.get('site.tokens'), m.get('site.pagesEmptied')]).toEqual(['3', '1', '92', '2,276', '1,116', '2']);
    expect(html).toContain(`<td>shop.example.jp${esc(HOSTILE)}</td><td class="num">12</td><td class="num">92</td><td class="num">2,276</td><td class="num">1,116</td>`);
    expect(html).toContain('<a href="#site-lines">site boilerplate</a>');
  });

  it('says a score column is missing instead of drawing an empty chart', () => {
    expect(renderReport(data())).toContain('Column <code>toxicity_prob</code> is not in the shards.');
  });

  it('shows the trend only from the second run of the history on', () => {
    const one = historyEntryOf(data().stats, new Date('2026-01-01T00:00:00Z'));
    const single = renderReport(data({ history: [one] }));
    expect(single).toContain('the trend appears from the second run');
    expect(single).not.toContain('tokens kept per run');
    const two = { ...one, runId: 'run-0', kept: { ...one.kept, tokens: 400 }, bySource: { cc: { ...one.kept, tokens: 400 } } };
    const html = renderReport(data({ history: [two, one] }));
    const m = metrics(html);
    expect(m.get('history.runs')).toBe('2');
    expect(m.get('history.run-0.tokens')).toBe('400');
    expect(m.get('history.run-1.tokens')).toBe('1,000');
    expect(m.get('history.total.tokens')).toBe('1,400');
    expect(html).toContain('aria-label="tokens kept per run, by source"');
  });

  it('shows the time each step took, and a dash for a stage that is not a timed step', () => {
    const base = data();
    const html = renderReport({ ...base, stats: { ...base.stats, stepMs: { quality: 12345 } } });
    const funnelRows = [...html.matchAll(/<tr><td[^>]*>(quality|write)<\/td>(.*?)<\/tr>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, ' ').trim().split(/\s+/).at(-1)]);
    expect(funnelRows.slice(0, 2)).toEqual([
      ['quality', formatInt(12345)],
      ['write', '—'],
    ]);
  });
});
