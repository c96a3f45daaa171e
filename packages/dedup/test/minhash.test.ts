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

  /** Signed estimate errors of near-duplicates: `chars`-long slices of real CC-ja text with their last 10 % replaced by another document's text. */
  function nearDuplicateErrors(chars: number, pairs: number): number[] {
    const errors: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const src = texts[i % texts.length]!;
      const start = (i * 131) % Math.max(1, src.length - chars);
      const a = src.slice(start, start + chars);
      const cut = Math.floor(a.length * 0.9);
      const b = a.slice(0, cut) + texts[(i + 1) % texts.length]!.slice(0, a.length - cut);
      errors.push(estimatedJaccard(hasher.signature(a).signature, new MinHasher().signature(b).signature) - exactShingleJaccard(a, b, 5));
    }
    return errors;
  }
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

  it('estimates the exact Jaccard of real Japanese near-duplicates without bias, within 0.04 on average', () => {
    // 1,500 characters: far more shingles than the 128 bins. The standard error of 128 positions
    // near J = 0.85 is 0.032, so the worst of 60 pairs stays under 4 of them.
    const errors = nearDuplicateErrors(1500, 60);
    expect(Math.abs(mean(errors))).toBeLessThan(0.015);
    expect(mean(errors.map(Math.abs))).toBeLessThan(0.04);
    expect(Math.max(...errors.map(Math.abs))).toBeLessThan(0.13);
  });

  it('stays unbiased on texts with fewer shingles than bins, where densification fills the empty bins', () => {
    // 30 characters = 26 shingles into 128 bins: at least 102 bins are filled by densification.
    const errors = nearDuplicateErrors(30, 300);
    expect(Math.abs(mean(errors))).toBeLessThan(0.015);
    expect(mean(errors.map(Math.abs))).toBeLessThan(0.05);
  });

  it("fills every position of a short text's signature with one of its own shingle values", () => {
    const { signature, shingles } = hasher.signature('あいうえおか');
    expect(shingles).toBe(2);
    expect(new Set(signature).size).toBe(2);
    expect(signature.includes(0xffffffff)).toBe(false);
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
