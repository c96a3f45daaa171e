import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@jcp/core';
import { BucketBuilder, SignatureStore, bucketGroups, docRef, mergeBandSection, mergeBucketFiles, mergeSectionEntries, type BucketSource } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bkt-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bucket files and the band merge', () => {
  it('merges sections of many files in key order, reading a few entries at a time, and groups shared keys', async () => {
    const random = seededRandom(3);
    const sources: BucketSource[] = [];
    const all: Array<[number, number, number, number]> = [];
    for (let f = 0; f < 5; f++) {
      const b = new BucketBuilder(2);
      for (let ord = 0; ord < 40; ord++) {
        // Few distinct keys, so many are shared within and across files.
        const hi = Math.floor(random() * 6);
        const lo = Math.floor(random() * 3);
        b.add(1, hi, lo, 0, ord);
        all.push([hi, lo, f * 10, ord]);
      }
      const path = join(dir, `f${f}.bkt`);
      await b.write(path);
      sources.push({ path, fileBase: f * 10 });
    }
    const seen: Array<[number, number, number, number]> = [];
    const n = await mergeSectionEntries(sources, 1, 3, (hi, lo, file, ord) => void seen.push([hi, lo, file, ord]));
    const sorted = [...all].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]);
    expect(n).toBe(200);
    expect(seen).toEqual(sorted);
    const groups: number[][] = [];
    await mergeBandSection(sources, 1, 3, (refs) => void groups.push(refs));
    const expected = new Map<string, number[]>();
    for (const [hi, lo, file, ord] of sorted) expected.set(`${hi}/${lo}`, [...(expected.get(`${hi}/${lo}`) ?? []), docRef(file, ord)]);
    expect(groups).toEqual([...expected.values()].filter((g) => g.length > 1));
    // Section 0 was never filled: an empty section merges to nothing.
    expect(await mergeSectionEntries(sources, 0, 3, () => undefined)).toBe(0);
  });

  it('merges task files in groups first to the same entries, every section, with global file numbers', async () => {
    const random = seededRandom(11);
    const sections = 3;
    const tasks: BucketSource[] = [];
    for (let f = 0; f < 7; f++) {
      const b = new BucketBuilder(sections);
      for (let ord = 0; ord < 30; ord++) for (let s = 0; s < sections; s++) b.add(s, Math.floor(random() * 5), Math.floor(random() * 4), 0, ord);
      const path = join(dir, `task${f}.bkt`);
      await b.write(path);
      tasks.push({ path, fileBase: f });
    }
    expect(bucketGroups(7, 3)).toEqual([[0, 3], [3, 6], [6, 7]]);
    expect(() => bucketGroups(7, 1)).toThrow(/mergeFanIn: expected an integer ≥ 2, got 1/);
    const groups: BucketSource[] = [];
    for (const [g, [start, end]] of bucketGroups(tasks.length, 3).entries()) {
      const path = join(dir, `group${g}.bkt`);
      expect(await mergeBucketFiles(tasks.slice(start, end), sections, path, 4)).toBe((end - start) * 30 * sections);
      groups.push({ path, fileBase: 0 });
    }
    for (let s = 0; s < sections; s++) {
      const direct: number[][] = [];
      const viaGroups: number[][] = [];
      await mergeSectionEntries(tasks, s, 5, (hi, lo, file, ord) => void direct.push([hi, lo, file, ord]));
      await mergeSectionEntries(groups, s, 5, (hi, lo, file, ord) => void viaGroups.push([hi, lo, file, ord]));
      expect(direct).toHaveLength(7 * 30);
      expect(viaGroups).toEqual(direct);
    }
  });

  it('names the file when a signature file is not one, or a record is missing', async () => {
    const bogus = join(dir, 'bogus.sig');
    await writeFile(bogus, 'not a signature file at all');
    const store = new SignatureStore(() => bogus, 128);
    await expect(store.meta(0, 0)).rejects.toThrow(`${bogus}: not a signature file`);
    await store.close();
    await expect(mergeSectionEntries([{ path: bogus, fileBase: 0 }], 0, 3, () => undefined)).rejects.toThrow(`${bogus}: not a bucket file`);
  });
});
