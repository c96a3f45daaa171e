/**
 * The n-gram counter (`ngramFractions`: exact ids in typed-array tables, candidates pruned pass by pass)
 * against the definition read straight off the Swallow corpus: every n-gram a substring, counted in a Map.
 * Run on real documents, several lengths and scan limits, so a future speed-up that changes a score fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maskPii, normalizeText } from '../src/normalize/index.ts';
import { ngramFractions } from '../src/quality/index.ts';

const SHARED_TEXT = fileURLToPath(new URL('../../../../shared/data/text/', import.meta.url));

/** top_{n}gram_frac for n ≤ 4, dup_{n}gram_frac for n ≥ 5, over the first `scan` code points; index = n. */
function referenceFractions(text: string, scan: number): number[] {
  const units = Array.from(text).slice(0, scan);
  const out = new Array<number>(11).fill(0);
  for (let n = 2; n <= 10; n++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + n <= units.length; i++) {
      const gram = units.slice(i, i + n).join('');
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    const total = units.length - n + 1;
    if (total <= 0) continue;
    if (n <= 4) {
      out[n] = Math.max(...counts.values()) / total;
    } else {
      let repeated = 0;
      for (const c of counts.values()) if (c > 1) repeated++;
      out[n] = counts.size === 0 ? 0 : repeated / counts.size;
    }
  }
  return out;
}

function documents(file: string, every: number, limit: number): string[] {
  const texts = readFileSync(`${SHARED_TEXT}${file}`, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { text: string }).text);
  return texts.filter((_, i) => i % every === 0).slice(0, limit);
}

describe('ngramFractions matches the plain Map count on real text', () => {
  const cases: Array<[string, string[]]> = [
    ['CC-ja web pages', documents('abeja-cc-ja-99docs.jsonl', 7, 12)],
    ['Aozora works', documents('aozora-akutagawa-miyazawa.jsonl', 55, 12)],
  ];
  for (const [name, texts] of cases) {
    it(`${name}: ${texts.length} documents, as the pipeline sees them and truncated`, () => {
      expect(texts.length).toBeGreaterThanOrEqual(10);
      for (const raw of texts) {
        const text = maskPii(normalizeText(raw).text).text;
        for (const scan of [100_000, 3_000, 9]) {
          // A copy, so the counter's last-text cache cannot answer for an earlier scan limit.
          expect(Array.from(ngramFractions(`${text}\n`.slice(0, -1), scan))).toEqual(referenceFractions(text, scan));
        }
      }
    });
  }
});

describe('ngramFractions counts code points', () => {
  it('an astral character is one symbol, a lone surrogate another', () => {
    const text = '𠮷野家の𠮷野家で😀を😀と\ud800書く𠮷野家の\ud800';
    for (const scan of [100, 12, 3]) expect(Array.from(ngramFractions(`${text}\n`.slice(0, -1), scan))).toEqual(referenceFractions(text, scan));
    // 𠮷野 occurs 3 times among the 19 2-grams of 20 code points; counted in UTF-16 units (25) it would be 3 of 24.
    expect(ngramFractions(text, 100)[2]).toBe(3 / 19);
  });
});
