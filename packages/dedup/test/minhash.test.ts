import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MinHasher, estimatedJaccard, exactShingleJaccard, exactTextKey, shingleHashes } from '../src/index.ts';

const ABEJA = fileURLToPath(new URL('../../../../shared/data/text/abeja-cc-ja-99docs.jsonl', import.meta.url));
const texts = readFileSync(ABEJA, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { text: string }).text)
  .filter((t) => t.length >= 1500);

describe('shingleHashes', () => {
  it('hashes each n-character window the same wherever it stands', () => {
    const { hashes, count } = shingleHashes('あいうえおXあいうえお', 5, new Uint32Array(1));
    expect(count).toBe(7);
    expect(hashes[0]).toBe(hashes[6]);
    expect(hashes[0]).not.toBe(hashes[1]);
  });

  it('treats a text shorter than a shingle as one shingle and an empty text as none', () => {
    expect(shingleHashes('あい', 5, new Uint32Array(4)).count).toBe(1);
    expect(shingleHashes('', 5, new Uint32Array(4)).count).toBe(0);
  });
});

describe('MinHasher', () => {
  const hasher = new MinHasher();

  it('gives identical texts identical signatures, deterministically across instances', () => {
    const t = texts[0]!;
    expect(Array.from(hasher.signature(t).signature)).toEqual(Array.from(new MinHasher().signature(t).signature));
  });

  it('estimates the exact Jaccard of real Japanese near-duplicates within 0.1', () => {
    // Near-duplicates made from real CC-ja documents: the same text with a tenth of it replaced
    // by another document's text (a different template, a changed paragraph).
    const errors: number[] = [];
    for (let i = 0; i + 1 < Math.min(texts.length, 16); i++) {
      const a = texts[i]!;
      const cut = Math.floor(a.length * 0.9);
      const b = a.slice(0, cut) + texts[i + 1]!.slice(0, a.length - cut);
      const truth = exactShingleJaccard(a, b, 5);
      const est = estimatedJaccard(hasher.signature(a).signature, new MinHasher().signature(b).signature);
      errors.push(Math.abs(est - truth));
    }
    expect(errors.length).toBeGreaterThan(5);
    expect(Math.max(...errors)).toBeLessThan(0.1);
    expect(errors.reduce((s, e) => s + e, 0) / errors.length).toBeLessThan(0.04);
  });

  it('scores unrelated documents near zero', () => {
    const est = estimatedJaccard(hasher.signature(texts[0]!).signature, new MinHasher().signature(texts[1]!).signature);
    expect(est).toBeLessThan(0.05);
  });

  it('reports an empty text as having no shingles', () => {
    expect(hasher.signature('').shingles).toBe(0);
  });
});

describe('exactTextKey', () => {
  it('ignores how white space is laid out, but not the words', () => {
    expect(exactTextKey('今日は 晴れ。\n明日は雨。 ')).toBe(exactTextKey('今日は\t晴れ。 明日は雨。'));
    expect(exactTextKey('今日は晴れ。')).not.toBe(exactTextKey('今日は雨。'));
  });
});
