import { describe, expect, it } from 'vitest';
import type { InputError } from '@jcp/core';
import type { WarcRecord } from '@jcp/crawler';
import { AuditSampler, LedgerBuilder } from '@jcp/stats';
import { bytePreview, docId, recordDocId } from '../src/steps/record-audit.ts';
import { StepRunner, steps, type Drop, type Step, type StepEnv, type StepItem } from '../src/steps/step.ts';
import { createLanguageDetector, DEFAULT_TOXICITY_MODEL_PATH, withToxicityModel } from '@jcp/filters';
import { createTokenCounter, DEFAULT_TOKEN_COUNTER_CONFIG } from '@jcp/stats';
import { DEFAULT_WEB_PAGE_CHAIN_CONFIG } from '../src/chains/web-page-config.ts';
import { WEB_PAGE_STEPS } from '../src/definitions/web-page-steps.ts';

interface Text extends StepItem {
  id: string;
  url: string;
  text: string;
}

const record: WarcRecord = { file: 'x.warc.gz', offset: 1234, storedLength: 0, version: 'WARC/1.1', type: 'response', headers: new Map(), block: new Uint8Array(10) };
const item = (text: string): Text => ({ record, id: `id-${text}`, url: `https://example.jp/${text}`, text, size: { bytes: 100, chars: 0, tokens: 0 } });

/** Keeps texts with a kana, measuring them; drops the others. */
const kanaOnly: Step<Text, Text> = {
  name: 'kana',
  apply: (t, events): Text | Drop => {
    events.event('seen', 1);
    return /[ぁ-ん]/.test(t.text) ? { ...t, size: { bytes: 3 * t.text.length, chars: t.text.length, tokens: 1 } } : { drop: 'no-kana', sample: { scores: { kana: 0 }, text: t.text } };
  },
};
/** Refuses a broken record by name, counted at another size than what came in. */
const notBroken: Step<Text, Text> = {
  name: 'sane',
  apply: (t): Text | Drop => (t.text.includes('壊') ? { drop: 'broken', size: { bytes: 7, chars: 0, tokens: 0 }, badInput: 'a broken record' } : t),
};

function run(texts: string[]): { ledger: LedgerBuilder; sampler: AuditSampler; errors: InputError[]; runner: StepRunner<Text, Text>; kept: Text[] } {
  const ledger = new LedgerBuilder();
  const sampler = new AuditSampler(5, 100);
  const errors: InputError[] = [];
  const list = steps(() => kanaOnly).then(() => notBroken);
  const runner = new StepRunner<Text, Text>(list.build({} as StepEnv), { ledger, sampler, badInput: (e) => errors.push(e) });
  const kept = texts.map((t) => runner.run(item(t))).filter((t): t is Text => t !== null);
  return { ledger, sampler, errors, runner, kept };
}

describe('the step runner keeps the books, the steps only decide', () => {
  it('counts every step in and out, drops by reason at the size the step names, and events', () => {
    const { ledger, kept } = run(['ひらがな', 'ascii', '壊れた']);
    expect(kept.map((t) => t.text)).toEqual(['ひらがな']);
    expect(ledger.ledger.kana).toMatchObject({ docsIn: 3, docsOut: 2, bytesIn: 300, bytesOut: 12 + 9, drops: { 'no-kana': { docs: 1, bytes: 100 } }, events: { seen: 3 } });
    expect(ledger.ledger.sane).toMatchObject({ docsIn: 2, docsOut: 1, bytesIn: 21, drops: { broken: { docs: 1, bytes: 7, chars: 0 } } });
  });

  it('reports a bad-input drop by file and offset, and offers a sample for a drop that has one', () => {
    const { errors, sampler } = run(['ascii', '壊れた']);
    expect(errors.map((e) => [e.reason, e.file, e.offset])).toEqual([['broken', 'x.warc.gz', 1234]]);
    expect(sampler.all()).toEqual([
      { id: 'id-ascii', url: 'https://example.jp/ascii', reason: 'no-kana', stage: 'kana', warcFile: 'x.warc.gz', offset: 1234, scores: { kana: 0 }, text: 'ascii' },
      { id: 'id-壊れた', url: 'https://example.jp/壊れた', reason: 'broken', stage: 'sane', warcFile: 'x.warc.gz', offset: 1234, scores: {}, text: '' },
    ]);
  });

  it('samples a drop of a step that shows nothing by the record alone, and asks a step for its view only while the reason wants samples', () => {
    let asked = 0;
    const noId: Step<StepItem, StepItem> = {
      name: 'raw',
      apply: (): Drop => ({ drop: 'raw-drop' }),
      sample: (_item, previewChars) => {
        asked++;
        return { scores: {}, text: 'x'.repeat(previewChars + 5), contentType: 'text/html' };
      },
    };
    const headers = new Map([['warc-record-id', '<urn:uuid:1>'], ['warc-target-uri', '<https://example.jp/a>']]);
    const warc = { ...record, headers };
    const raw: StepItem = { record: warc, size: { bytes: 10, chars: 0, tokens: 0 } };
    const sampler = new AuditSampler(2, 8);
    const runner = new StepRunner<StepItem, StepItem>([noId], { ledger: new LedgerBuilder(), sampler, badInput: () => undefined });
    for (let i = 0; i < 5; i++) runner.run(raw);
    expect(asked).toBe(2);
    expect(sampler.all()).toHaveLength(2);
    expect(sampler.all()[0]).toEqual({
      id: recordDocId(warc),
      url: 'https://example.jp/a',
      reason: 'raw-drop',
      stage: 'raw',
      warcFile: 'x.warc.gz',
      offset: 1234,
      contentType: 'text/html',
      scores: {},
      text: 'xxxxxxxx',
    });
    expect(recordDocId(warc)).toBe(docId('<urn:uuid:1>'));
  });

  it('previews raw bytes leniently and bounded: bad UTF-8 and control bytes as U+FFFD, line breaks kept, at most N characters', () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xe3, 0x81, 0x82, ...new Uint8Array(5000).fill(0x41)]);
    expect(bytePreview(bytes, 12)).toBe('\ufffdPNG\r\n\ufffd\n\ufffdあAA');
    expect(bytePreview(bytes, 300)).toHaveLength(300);
  });

  it('times every step by its name', () => {
    const { runner } = run(['ひらがな']);
    expect(Object.keys(runner.timings())).toEqual(['kana', 'sane']);
  });

  it('builds the web-page steps in their ledger order, cheapest first, with the filter scores as columns', async () => {
    const env: StepEnv = {
      config: DEFAULT_WEB_PAGE_CHAIN_CONFIG,
      detector: await createLanguageDetector(DEFAULT_WEB_PAGE_CHAIN_CONFIG.langid),
      tokenCounter: await createTokenCounter({ ...DEFAULT_TOKEN_COUNTER_CONFIG, kind: 'chars' }),
    };
    const built = WEB_PAGE_STEPS.build(env);
    expect(built.map((s) => s.name)).toEqual(['html', 'precheck', 'decode', 'extract', 'langid', 'normalize', 'quality', 'toxicity', 'exact-dedup']);
    const runner = new StepRunner(built, { ledger: new LedgerBuilder(), sampler: new AuditSampler(1, 10), badInput: () => undefined });
    expect(runner.scoreNames).toContain('hiragana_share');
    expect(runner.scoreNames).toContain('ng_char_share');
    expect(runner.scoreNames).not.toContain('toxicity_prob');
  });

  it('adds the learned classifier and its rule with --toxicity-model (the model file’s threshold)', async () => {
    const filters = withToxicityModel(DEFAULT_WEB_PAGE_CHAIN_CONFIG.filters, DEFAULT_TOXICITY_MODEL_PATH, 0.5);
    const env: StepEnv = {
      config: { ...DEFAULT_WEB_PAGE_CHAIN_CONFIG, filters: { ...DEFAULT_WEB_PAGE_CHAIN_CONFIG.filters, ...filters } },
      detector: await createLanguageDetector(DEFAULT_WEB_PAGE_CHAIN_CONFIG.langid),
      tokenCounter: await createTokenCounter({ ...DEFAULT_TOKEN_COUNTER_CONFIG, kind: 'chars' }),
    };
    const toxicity = WEB_PAGE_STEPS.build(env).find((s) => s.name === 'toxicity')!;
    expect(toxicity.scoreNames).toEqual(['ng_word_count', 'ng_char_share', 'toxicity_prob', 'toxicity_max_prob', 'toxicity_chunks']);
    expect(filters.steps.toxicity!.rules.toxic).toMatchObject({ score: 'toxicity_prob', lessThan: 0.5 });
  });
});
