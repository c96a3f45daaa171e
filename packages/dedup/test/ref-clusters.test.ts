import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@jcp/core';
import { PairsFileWriter, RefClusters, docRef } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refclusters-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Components by repeated relabelling until nothing changes: slow and obviously right. */
function componentsByRelabelling(pairs: Array<[number, number]>): number[][] {
  const label = new Map<number, number>();
  for (const [a, b] of pairs) for (const r of [a, b]) label.set(r, r);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [a, b] of pairs) {
      const m = Math.min(label.get(a)!, label.get(b)!);
      if (label.get(a) !== m || label.get(b) !== m) [changed] = [true, label.set(a, m), label.set(b, m)];
    }
  }
  const byLabel = new Map<number, number[]>();
  for (const [r, l] of [...label].sort((x, y) => x[0] - y[0])) byLabel.set(l, [...(byLabel.get(l) ?? []), r]);
  return [...byLabel].sort((x, y) => x[0] - y[0]).map(([, refs]) => refs);
}

describe('RefClusters: connected components of the pairs in typed arrays', () => {
  it('finds the components of random pairs over many files, in order of their smallest ref, members ascending', async () => {
    const random = seededRandom(5);
    const pairs: Array<[number, number]> = [];
    const files: string[] = [];
    for (let f = 0; f < 4; f++) {
      const path = join(dir, `band-${f}.pairs`);
      const w = await PairsFileWriter.create(path);
      for (let k = 0; k < 40; k++) {
        // Refs far apart in file number and ordinal, few enough that chains form.
        const ref = (): number => docRef(Math.floor(random() * 50) * 1000, Math.floor(random() * 8));
        const pair: [number, number] = [ref(), ref()];
        pairs.push(pair);
        await w.add(pair[0], pair[1], 0.9);
      }
      await w.close();
      files.push(path);
    }
    const clusters = await RefClusters.fromPairFiles(files);
    const expected = componentsByRelabelling(pairs);
    expect([...clusters.clusters()]).toEqual(expected);
    expect(clusters.clusterCount).toBe(expected.length);
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.some((c) => c.length > 5)).toBe(true);
  });

  it('has no clusters without pairs', async () => {
    const path = join(dir, 'empty.pairs');
    const w = await PairsFileWriter.create(path);
    await w.close();
    const clusters = await RefClusters.fromPairFiles([path]);
    expect([...clusters.clusters()]).toEqual([]);
  });
});
