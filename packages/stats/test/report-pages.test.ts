import { describe, expect, it } from 'vitest';
import { LedgerBuilder, type Ledger } from '../src/ledger.ts';
import { renderReport } from '../src/report/page.ts';
import { documentFunnel, isProtocolRecordDrop, pageCounts, tokenFunnel } from '../src/report/pages.ts';
import type { ReportData } from '../src/report/types.ts';

/**
 * One WARC as the read step ledgers it: a warcinfo, three request/response pairs with a metadata record
 * each, and a truncated gzip member at the end. Two pages reach normalize, which counts their tokens.
 */
function warcLedger(): Ledger {
  const b = new LedgerBuilder();
  const read = b.stage('read');
  const html = b.stage('html');
  const normalize = b.stage('normalize');
  const quality = b.stage('quality');
  read.in(300, 0);
  read.drop('warc-warcinfo', 300, 0);
  for (let i = 0; i < 3; i++) {
    read.in(200, 0);
    read.drop('warc-request', 200, 0);
    read.in(5000, 0);
    read.out(5000, 0);
    read.in(100, 0);
    read.drop('warc-metadata', 100, 0);
  }
  read.in(0, 0);
  read.drop('truncated-gzip', 0, 0);
  html.in(5000, 0);
  html.drop('not-html', 5000, 0);
  for (let i = 0; i < 2; i++) {
    html.in(5000, 0);
    html.out(5000, 0);
    normalize.in(900, 300);
    normalize.out(900, 300, 120);
    quality.in(900, 300, 120);
  }
  quality.out(900, 300, 120);
  quality.drop('too-short', 900, 300, 120);
  return b.ledger;
}

function metrics(html: string): Map<string, string> {
  return new Map([...html.matchAll(/data-metric="([^"]*)">([^<]*)</g)].map((m) => [m[1]!, m[2]!]));
}

function reportOf(totals: Ledger): string {
  const data: ReportData = {
    stats: {
      schema: 'jcp-stats/2',
      pipeline: 'cc-ja',
      runId: 'run-1',
      source: 'cc',
      subcorpus: 'ja_cc',
      tokenizer: { kind: 'chars', modelPath: '' },
      tasks: { total: 1, done: 1, failed: 0 },
      totals,
      output: {},
      byWarc: [{ taskId: 'w-0001', warcFile: '/data/a.warc.gz', crawl: 'CC-MAIN-2024-10', inputBytes: 1, ledger: totals, errors: 1 }],
      dedup: null,
      failed: [],
      samples: {},
    },
    shards: [],
    bySourceSubcorpus: [],
    lengthHistograms: [],
    scoreHistograms: [],
    samples: [],
    errorFiles: [],
    removedFiles: [],
    history: [],
    historyFile: null,
  };
  return renderReport(data);
}

describe('pages, not WARC records', () => {
  it('takes the read step’s warc-<type> drops for protocol records, and nothing else', () => {
    for (const r of ['warc-warcinfo', 'warc-request', 'warc-metadata', 'warc-revisit', 'warc-untyped']) expect(isProtocolRecordDrop('read', r), r).toBe(true);
    for (const r of ['truncated-gzip', 'bad-warc-header', 'warc-abandoned']) expect(isProtocolRecordDrop('read', r), r).toBe(false);
    expect(isProtocolRecordDrop('html', 'warc-request')).toBe(false);
  });

  it('counts pages in the read step as records less protocol records; a damaged record stays a dropped page', () => {
    const p = pageCounts('read', warcLedger().read!);
    expect(p.recordsIn).toBe(11);
    expect(p.notPagesTotal.docs).toBe(7);
    expect(Object.keys(p.notPages).sort()).toEqual(['warc-metadata', 'warc-request', 'warc-warcinfo']);
    expect(p.docsIn).toBe(4);
    expect(p.docsOut).toBe(3);
    expect(p.drops).toEqual({ 'truncated-gzip': { docs: 1, bytes: 0, chars: 0, tokens: 0 } });
    expect(p.docsIn).toBe(p.docsOut + p.droppedDocs);
  });

  it('starts the document funnel at pages', () => {
    expect(documentFunnel(warcLedger())).toEqual([
      { name: 'read', in: 4, out: 3 },
      { name: 'html', in: 3, out: 2 },
      { name: 'normalize', in: 2, out: 2 },
      { name: 'quality', in: 2, out: 1 },
    ]);
  });

  it('starts the token funnel at the step that counts tokens, with what it put out as its input', () => {
    expect(tokenFunnel(warcLedger())).toEqual({
      countedAt: 'normalize',
      steps: [
        { name: 'normalize', in: 240, out: 240 },
        { name: 'quality', in: 240, out: 120 },
      ],
    });
    expect(tokenFunnel({})).toEqual({ steps: [], countedAt: null });
  });

  it('shows protocol records under not pages and damaged records under the drops, in the report', () => {
    const html = reportOf(warcLedger());
    const m = metrics(html);
    expect(m.get('stage.read.records')).toBe('11');
    expect(m.get('stage.read.notPages')).toBe('7');
    expect(m.get('stage.read.pages')).toBe('4');
    expect(m.get('stage.read.docsIn')).toBe('4');
    expect(m.get('stage.read.dropped')).toBe('1');
    expect(m.get('stage.read.notPage.warc-request.docs')).toBe('3');
    expect(m.has('stage.read.drop.warc-request.docs')).toBe(false);
    expect(m.get('stage.read.drop.truncated-gzip.docs')).toBe('1');
    expect(m.get('warc.w-0001.pages')).toBe('4');
    expect(html).toContain('<title>read: 4 docs in, 3 out, 1 dropped</title>');
    expect(html).toContain('<title>normalize: 240 tokens in, 240 out, 0 dropped</title>');
    expect(html).not.toContain('normalize: 0 tokens in');
  });
});
