import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLanguageDetector,
  hasJapaneseBytes,
  hasJapaneseText,
  type LanguageDetector,
} from '../src/langid/index.ts';

/** The shared langid dev set (read-only, outside the repo): real sentences, not made-up ones. */
const LANGID_DEV = fileURLToPath(new URL('../../../../shared/data/langid/langid.dev.jsonl', import.meta.url));

function sentences(langs: string[], count: number): string[] {
  const out: string[] = [];
  for (const line of readFileSync(LANGID_DEV, 'utf8').split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as { lang: string; text: string };
    if (langs.includes(row.lang)) out.push(row.text);
    if (out.length >= count) break;
  }
  return out;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

let detector: LanguageDetector;
beforeAll(async () => {
  detector = await createLanguageDetector();
});
afterAll(() => detector.dispose());

describe('detect', () => {
  it('detects real Japanese sentences as ja with a reliable score', () => {
    const japanese = sentences(['ja', 'jpn'], 40);
    expect(japanese.length).toBe(40);
    for (const text of japanese) {
      const guess = detector.detect(text);
      expect(guess.lang, text).toBe('ja');
      expect(guess.score, text).toBeGreaterThanOrEqual(0.5);
      expect(guess.reliable, text).toBe(true);
    }
  });

  it('lets a kana-less Japanese headline through the text pre-check', () => {
    const headline = '首相、衆院解散表明';
    expect(hasJapaneseText(headline)).toBe(true);
    expect(detector.detect(headline).by).not.toBe('precheck');
  });

  it('turns cld3 zh into ja for a kana-less headline with Japanese-only or mixed kanji forms', () => {
    for (const headline of ['日銀総裁、追加利上げ示唆', '民主党代表選', '台風10号 九州上陸']) {
      expect(detector.detect(headline), headline).toMatchObject({ lang: 'ja', by: 'script' });
    }
  });

  it('does not call Chinese sentences ja', () => {
    for (const text of sentences(['zh', 'cmn'], 60)) expect(detector.detect(text).lang, text).not.toBe('ja');
  });

  it('does not call Korean sentences ja', () => {
    for (const text of sentences(['ko', 'kor'], 60)) expect(detector.detect(text).lang, text).not.toBe('ja');
  });

  it('rejects non-CJK text in the pre-check without cld3', () => {
    expect(detector.detect('The quick brown fox jumps over the lazy dog.')).toEqual({
      lang: 'und',
      score: 0,
      reliable: false,
      by: 'precheck',
    });
  });

  it('survives a 3-million-character input (the cld3 input cap works)', () => {
    const sentence = sentences(['ja'], 1)[0]!;
    const huge = sentence.repeat(Math.ceil(3_000_000 / sentence.length));
    expect(huge.length).toBeGreaterThanOrEqual(3_000_000);
    expect(detector.detect(huge).lang).toBe('ja');
    expect(detector.detect(huge).lang).toBe('ja');
  });

  it('reuses one identifier for 10,000 detections without exhausting the wasm heap', () => {
    const japanese = sentences(['ja'], 50);
    let japaneseCount = 0;
    for (let i = 0; i < 10_000; i++) {
      if (detector.detect(`${japanese[i % japanese.length]!} ${i}`).lang === 'ja') japaneseCount++;
    }
    expect(japaneseCount).toBe(10_000);
  });
});

describe('hasJapaneseBytes', () => {
  it('rejects English HTML', () => {
    const html = '<!doctype html><html lang="en"><head><title>News</title></head><body><p>Hello, world. Prices rose 3%.</p></body></html>';
    expect(hasJapaneseBytes(new TextEncoder().encode(html))).toBe(false);
  });

  it('rejects Chinese and Korean UTF-8 HTML', () => {
    for (const lang of ['zh', 'ko']) {
      const html = `<html><body><p>${sentences([lang], 30).join('</p><p>')}</p></body></html>`;
      expect(hasJapaneseBytes(new TextEncoder().encode(html)), lang).toBe(false);
    }
  });

  it('passes Japanese text encoded as UTF-8', () => {
    expect(hasJapaneseBytes(new TextEncoder().encode('<p>こんにちは</p>'))).toBe(true);
  });

  it('passes Japanese text encoded as Shift_JIS', () => {
    // <p>こんにちは</p>
    expect(hasJapaneseBytes(bytes(0x3c, 0x70, 0x3e, 0x82, 0xb1, 0x82, 0xf1, 0x82, 0xc9, 0x82, 0xbf, 0x82, 0xcd, 0x3c, 0x2f, 0x70, 0x3e))).toBe(true);
  });

  it('passes Japanese text encoded as EUC-JP', () => {
    // <p>こんにちは</p>
    expect(hasJapaneseBytes(bytes(0x3c, 0x70, 0x3e, 0xa4, 0xb3, 0xa4, 0xf3, 0xa4, 0xcb, 0xa4, 0xc1, 0xa4, 0xcf, 0x3c, 0x2f, 0x70, 0x3e))).toBe(true);
  });

  it('passes ISO-2022-JP by its escape sequence', () => {
    // ESC $ B, then こんにちは as 7-bit JIS, then ESC ( B
    expect(hasJapaneseBytes(bytes(0x1b, 0x24, 0x42, 0x24, 0x33, 0x24, 0x73, 0x24, 0x4b, 0x1b, 0x28, 0x42))).toBe(true);
  });

  it('passes UTF-16 with a byte-order mark', () => {
    // BOM FF FE, then こんにちは little-endian
    expect(hasJapaneseBytes(bytes(0xff, 0xfe, 0x53, 0x30, 0x93, 0x30, 0x6b, 0x30, 0x61, 0x30, 0x6f, 0x30))).toBe(true);
  });
});
