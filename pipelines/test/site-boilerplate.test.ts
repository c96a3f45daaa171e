import { describe, expect, it } from 'vitest';
import { hostKeyString, normalizeSiteLine, siteLineHash, DEFAULT_SITE_LINES_CONFIG } from '@jcp/dedup';
import { AuditSampler, createTokenCounter, DEFAULT_TOKEN_COUNTER_CONFIG, LedgerBuilder } from '@jcp/stats';
import { StepRunner, type Step, type StepItem } from '../src/steps/step.ts';
import type { PageText } from '../src/steps/web-page/items.ts';
import { HostRemovalTally, ONLY_SITE_BOILERPLATE, siteBoilerplateStep, topHostRemovals } from '../src/steps/web-page/site-boilerplate.ts';
import { hostOf } from '../src/stages/staged-output.ts';

const FOOTER = 'ヘッドポーターのギャランティーカード付男女兼用';
const SERIES = 'タンカーシリーズに比べ、生地が少し硬めなので形が崩れにくいです。';
const repeated = new Map([[hostKeyString('shop.jp'), new Set([FOOTER, SERIES].map((l) => siteLineHash(normalizeSiteLine(l))))]]);

function page(url: string, text: string): PageText {
  const record = { file: 'a.warc.gz', offset: 7, storedLength: 0, version: '', type: 'response', headers: new Map<string, string>(), block: new Uint8Array(0) };
  const chars = [...text].length;
  return {
    record,
    origin: { source: 'cc', subcorpus: 'ja_cc', crawl: 'c', warcFile: 'a.warc.gz' },
    captured: { iso: null, source: 'none' },
    id: `id-${url}`,
    url,
    title: '',
    text,
    charset: 'utf-8',
    charsetDeclared: null,
    lang: 'ja',
    langScore: 1,
    scores: {},
    exactKey: '',
    size: { bytes: Buffer.byteLength(text), chars, tokens: chars },
  };
}

async function runStep(pages: PageText[]) {
  const ledger = new LedgerBuilder();
  const sampler = new AuditSampler(20, 200);
  const tally = new HostRemovalTally();
  const removedLines: string[][] = [];
  const step = siteBoilerplateStep(repeated, hostOf, DEFAULT_SITE_LINES_CONFIG, await createTokenCounter({ ...DEFAULT_TOKEN_COUNTER_CONFIG, kind: 'chars' }), {
    removed: (_page, host, r) => {
      tally.add(host, r.lines.length, r.chars, r.tokens);
      removedLines.push([...r.lines]);
    },
  });
  const runner = new StepRunner<PageText, PageText>([step as unknown as Step<StepItem, StepItem>], { ledger, sampler, badInput: () => undefined });
  const kept = pages.map((p) => runner.run(p)).filter((p): p is PageText => p !== null);
  return { kept, counts: ledger.ledger['site-boilerplate']!, sampler, tally, removedLines };
}

describe('site-boilerplate step', () => {
  it("removes the host's repeated lines and keeps every other line of the page", async () => {
    const { kept, counts, removedLines } = await runStep([page('http://shop.jp/item/1', `財布Mが登場!\n${SERIES}\nカード入れ×4\n${FOOTER}`)]);
    expect(kept.map((p) => p.text)).toEqual(['財布Mが登場!\nカード入れ×4']);
    expect(kept[0]!.size.chars).toBe([...'財布Mが登場!\nカード入れ×4'].length);
    expect(removedLines).toEqual([[SERIES, FOOTER]]);
    expect(counts.events).toEqual({ 'lines-removed': 2, 'chars-removed': SERIES.length + FOOTER.length + 2, 'tokens-removed': SERIES.length + FOOTER.length + 2 });
  });

  it("leaves another host's page alone, even with the same lines", async () => {
    const text = `本文です。\n${FOOTER}`;
    const { kept, counts } = await runStep([page('http://blog.jp/1', text)]);
    expect(kept.map((p) => p.text)).toEqual([text]);
    expect(counts.events).toEqual({});
  });

  it('drops a page of nothing but site boilerplate under its own reason, at its size before removal, and the ledger balances', async () => {
    const { kept, counts } = await runStep([page('http://shop.jp/2', `${SERIES}\n\n${FOOTER}`), page('http://shop.jp/3', `残る行\n${FOOTER}`)]);
    expect(kept).toHaveLength(1);
    expect(counts.drops[ONLY_SITE_BOILERPLATE]).toEqual({ docs: 1, bytes: Buffer.byteLength(`${SERIES}\n\n${FOOTER}`), chars: SERIES.length + FOOTER.length + 2, tokens: SERIES.length + FOOTER.length + 2 });
    expect(counts.docsIn).toBe(counts.docsOut + 1);
  });

  it('lists the hosts that lost the most characters, summed across tasks and bounded', () => {
    const a = new HostRemovalTally();
    a.add('shop.jp', 2, 50, 20);
    a.add('small.jp', 1, 5, 2);
    const b = new HostRemovalTally();
    b.add('shop.jp', 1, 10, 4);
    b.add('mid.jp', 3, 30, 9);
    expect(topHostRemovals([...a.top(2), ...b.top(2)], 2)).toEqual([
      { host: 'shop.jp', pages: 2, lines: 3, chars: 60, tokens: 24 },
      { host: 'mid.jp', pages: 1, lines: 3, chars: 30, tokens: 9 },
    ]);
  });
});
