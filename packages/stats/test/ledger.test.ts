import { describe, expect, it } from 'vitest';
import { LedgerBuilder, mergeLedgers, unbalancedStages, type Ledger } from '../src/ledger.ts';

describe('ledger', () => {
  it('counts docs, bytes, chars and tokens in and out, and drops by reason', () => {
    const b = new LedgerBuilder();
    const s = b.stage('langid');
    s.in(100, 40, 12);
    s.out(100, 40, 12);
    s.in(50, 20, 7);
    s.drop('not-ja', 50, 20, 7);
    expect(b.ledger.langid).toEqual({
      docsIn: 2,
      docsOut: 1,
      bytesIn: 150,
      bytesOut: 100,
      charsIn: 60,
      charsOut: 40,
      tokensIn: 19,
      tokensOut: 12,
      drops: { 'not-ja': { docs: 1, bytes: 50, chars: 20, tokens: 7 } },
      events: {},
    });
    expect(unbalancedStages(b.ledger)).toEqual([]);
  });

  it('keeps stages in the order they were first used', () => {
    const b = new LedgerBuilder();
    b.stage('read');
    b.stage('html');
    b.stage('read');
    expect(Object.keys(b.ledger)).toEqual(['read', 'html']);
  });

  it('merges task ledgers exactly, whatever the order', () => {
    const task = (n: number): Ledger => {
      const b = new LedgerBuilder();
      const s = b.stage('extract');
      for (let i = 0; i < n; i++) s.in(10, 5);
      for (let i = 0; i < n - 1; i++) s.out(8, 4);
      s.drop('no-main-text', 10, 5);
      return b.ledger;
    };
    const ab = mergeLedgers(mergeLedgers({}, task(3)), task(5));
    const ba = mergeLedgers(mergeLedgers({}, task(5)), task(3));
    expect(ab).toEqual(ba);
    expect(ab.extract?.docsIn).toBe(8);
    expect(ab.extract?.drops['no-main-text']?.docs).toBe(2);
  });

  it('counts events of kept documents and merges them', () => {
    const b = new LedgerBuilder();
    b.stage('normalize').event('pii-email', 2);
    b.stage('normalize').event('pii-email');
    expect(mergeLedgers(mergeLedgers({}, b.ledger), b.ledger).normalize?.events).toEqual({ 'pii-email': 6 });
  });

  it('names a stage whose docs in do not add up to docs out plus drops', () => {
    const b = new LedgerBuilder();
    b.stage('decode').in(1, 0);
    expect(unbalancedStages(b.ledger)).toEqual(['decode']);
  });
});
