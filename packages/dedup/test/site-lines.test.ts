import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SITE_LINES_CONFIG,
  normalizeSiteLine,
  pageLineHashes,
  removeSiteLines,
  repeatedLineThreshold,
  SiteLineCounter,
  siteLineHash,
} from '../src/site-lines.ts';

const cfg = DEFAULT_SITE_LINES_CONFIG;
const FOOTER = 'ヘッドポーターのギャランティーカード付男女兼用';

function counterOf(pages: Array<[string, string]>) {
  const counter = new SiteLineCounter();
  for (const [host, text] of pages) counter.addPage(host, pageLineHashes(text, cfg));
  return counter;
}

describe('site-level repeated lines', () => {
  it('normalises digits and whitespace so counters on the same site compare equal', () => {
    expect(normalizeSiteLine('閲覧数:1,532 ')).toBe(normalizeSiteLine('閲覧数: 2,004'));
    expect(siteLineHash(normalizeSiteLine('ABC'))).toBe(siteLineHash(normalizeSiteLine('abc')));
  });

  it('counts a line once per page even when a page repeats it', () => {
    const counter = counterOf([['a.jp', `${FOOTER}\n${FOOTER}\n本文一`], ['a.jp', `${FOOTER}\n本文二`]]);
    expect(counter.linesOnAtLeast('a.jp', 2).size).toBe(1);
    expect(counter.linesOnAtLeast('a.jp', 3).size).toBe(0);
  });

  it('marks a line on three pages of one host as repeated, and not on another host', () => {
    const counter = counterOf([
      ['a.jp', `記事一\n${FOOTER}`],
      ['a.jp', `記事二\n${FOOTER}`],
      ['a.jp', `記事三\n${FOOTER}`],
      ['b.jp', `記事四\n${FOOTER}`],
    ]);
    const repeated = counter.repeatedLines('a.jp', cfg);
    expect(removeSiteLines(`記事一\n${FOOTER}`, repeated, cfg)).toEqual({ text: '記事一', linesRemoved: 1, charsRemoved: FOOTER.length + 1, removed: [FOOTER] });
    expect(counter.repeatedLines('b.jp', cfg).size).toBe(0);
  });

  it('keeps the text of a host with fewer pages than the threshold', () => {
    const counter = counterOf([['small.jp', `${FOOTER}\n本文`], ['small.jp', `${FOOTER}\n別の本文`]]);
    expect(counter.repeatedLines('small.jp', cfg).size).toBe(0);
  });

  it('raises the threshold with the host size so a large host keeps a line a few pages quote', () => {
    expect(repeatedLineThreshold(10, cfg)).toBe(3);
    expect(repeatedLineThreshold(1000, cfg)).toBe(10);
  });

  it('returns an empty text when the whole page is repeated lines, so the caller can drop it', () => {
    const repeated = new Set([siteLineHash(normalizeSiteLine(FOOTER))]);
    const out = removeSiteLines(`${FOOTER}\n  \n${FOOTER}`, repeated, cfg);
    expect(out.text).toBe('');
    expect(out.linesRemoved).toBe(2);
    expect(out.charsRemoved).toBe(FOOTER.length * 2 + 4);
  });

  it('never counts or removes lines shorter than minLineChars', () => {
    const counter = counterOf([['a.jp', '。\n本文一'], ['a.jp', '。\n本文二'], ['a.jp', '。\n本文三']]);
    expect(counter.linesOnAtLeast('a.jp', 3).size).toBe(0);
  });
});
