import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DEDUP_CONFIG,
  DedupPlan,
  TaskSignatureWriter,
  candidateProbability,
  commitIndexSegment,
  dedupInProcess,
  exactTextKey,
  listIndexSegments,
  refFile,
  refOrd,
  type TaskDedupFiles,
} from '../src/index.ts';
import { aozoraParagraphs, docId, writeTaskFiles, type TestDoc } from './test-docs.ts';

const id = docId;
const writeTask = (dir: string, name: string, docs: TestDoc[]): Promise<TaskDedupFiles> => writeTaskFiles(dir, name, docs);

let dir: string;
let paragraphs: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lsh-'));
  paragraphs = await aozoraParagraphs(3, 12);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('MinHash LSH dedup', () => {
  it('the default banding targets a midpoint near 0.7 and keeps pairs at 0.9', () => {
    expect(candidateProbability(0.9, 16, 8)).toBeGreaterThan(0.999);
    expect(candidateProbability(0.5, 16, 8)).toBeLessThan(0.1);
    expect(DEFAULT_DEDUP_CONFIG.bands * DEFAULT_DEDUP_CONFIG.rows).toBe(DEFAULT_DEDUP_CONFIG.minhash.numPerm);
  });

  it('drops near and exact duplicates across tasks, keeping the earliest fetch, and the index carries over to the next run', async () => {
    expect(paragraphs.length).toBe(12);
    const [a, b, c, ...rest] = paragraphs as [string, string, string, ...string[]];
    // Same article with other boilerplate around it: true Jaccard well above 0.8.
    const aMirror = `トップページ > ニュース\n${a}\nこのサイトについて`;
    const t1 = await writeTask(dir, 't1', [
      { name: 'a', text: a, fetchedAt: '2024-01-02T00:00:00Z' },
      { name: 'b', text: b, fetchedAt: '2024-01-02T00:00:00Z' },
      ...rest.slice(0, 4).map((t, i) => ({ name: `r${i}`, text: t, fetchedAt: '2024-01-02T00:00:00Z' })),
    ]);
    const t2 = await writeTask(dir, 't2', [
      { name: 'a-mirror', text: aMirror, fetchedAt: '2024-01-01T00:00:00Z' },
      { name: 'b-copy', text: `  ${b}  `, fetchedAt: '2024-01-03T00:00:00Z' },
      { name: 'c', text: c, fetchedAt: '2024-01-03T00:00:00Z' },
      { name: 'tiny', text: 'あい', fetchedAt: '2024-01-03T00:00:00Z' },
    ]);
    const plan = new DedupPlan([t1, t2], []);
    const r = await dedupInProcess(plan, DEFAULT_DEDUP_CONFIG, join(dir, 'run1'));
    const got = r.removals.map((x) => ({ id: x.id, of: x.duplicateOf, reason: x.reason, file: refFile(x.ref), ord: refOrd(x.ref) }));
    expect(got).toEqual(
      expect.arrayContaining([
        // a-mirror was fetched first, so it survives and the earlier-written `a` goes.
        { id: id('a'), of: id('a-mirror'), reason: 'near-duplicate', file: 0, ord: 0 },
        { id: id('b-copy'), of: id('b'), reason: 'exact-duplicate', file: 1, ord: 1 },
      ]),
    );
    expect(got).toHaveLength(2);

    const removed = new Map<number, Set<number>>([[0, new Set([0])], [1, new Set([1])]]);
    await commitIndexSegment(join(dir, 'index'), 'run1', plan, (f) => removed.get(f) ?? new Set(), DEFAULT_DEDUP_CONFIG, [6, 4]);
    const segments = await listIndexSegments(join(dir, 'index'), DEFAULT_DEDUP_CONFIG);
    expect(segments.map((s) => s.name)).toEqual(['run1']);

    // The next night: one copy of `c` (kept last night) and a copy of `a` (dropped last night, so it
    // must match its survivor a-mirror, not itself).
    const t3 = await writeTask(dir, 't3', [
      { name: 'c-again', text: `${c}\n関連記事`, fetchedAt: '2023-12-01T00:00:00Z' },
      { name: 'a-again', text: a, fetchedAt: '2023-12-01T00:00:00Z' },
      { name: 'new', text: rest[5]!, fetchedAt: '2024-02-01T00:00:00Z' },
    ]);
    const plan2 = new DedupPlan([t3], segments);
    const r2 = await dedupInProcess(plan2, DEFAULT_DEDUP_CONFIG, join(dir, 'run2'));
    const got2 = Object.fromEntries(r2.removals.map((x) => [x.id, x.duplicateOf]));
    // Published docs always win over new ones, however early the new fetch.
    expect(got2).toEqual({ [id('c-again')]: id('c'), [id('a-again')]: id('a-mirror') });
  });

  it('refuses an index made with other settings', async () => {
    const other = { ...DEFAULT_DEDUP_CONFIG, minhash: { ...DEFAULT_DEDUP_CONFIG.minhash, seed: 1 } };
    await expect(listIndexSegments(join(dir, 'index'), other)).rejects.toThrow(/other MinHash\/LSH settings/);
  });
});

describe('docs the shingles cannot compare', () => {
  it('keeps texts shorter than one shingle out of the MinHash bands, counts them, and still finds their exact copies', async () => {
    const sub = join(dir, 'short');
    const files = [0, 1].map((t) => ({ signatures: join(sub, `s${t}.sig`), buckets: join(sub, `s${t}.bkt`) }));
    const tooShort: number[] = [];
    for (const [t, f] of files.entries()) {
      const w = await TaskSignatureWriter.create(f.signatures, f.buckets, DEFAULT_DEDUP_CONFIG);
      for (const text of ['はい', 'いいえ']) await w.add({ id: id(`${t}-${text}`), text, fetchedAt: `2024-01-0${t + 1}T00:00:00Z`, exactKey: exactTextKey(text) });
      tooShort.push(w.tooShort);
      await w.close();
    }
    expect(tooShort).toEqual([2, 2]);
    const r = await dedupInProcess(new DedupPlan(files, []), DEFAULT_DEDUP_CONFIG, join(sub, 'pairs'));
    // Only the exact band holds them: its pairs, no MinHash candidates.
    expect(r.bands.slice(0, DEFAULT_DEDUP_CONFIG.bands).every((b) => b.entries === 0)).toBe(true);
    expect(r.removals.map((x) => [x.id, x.duplicateOf, x.reason]).sort()).toEqual(
      [
        [id('1-はい'), id('0-はい'), 'exact-duplicate'],
        [id('1-いいえ'), id('0-いいえ'), 'exact-duplicate'],
      ].sort(),
    );
  });

  it('refuses an empty text with an error naming the doc', async () => {
    const w = await TaskSignatureWriter.create(join(dir, 'e.sig'), join(dir, 'e.bkt'), DEFAULT_DEDUP_CONFIG);
    await expect(w.add({ id: id('empty'), text: '', fetchedAt: '', exactKey: exactTextKey('') })).rejects.toThrow(`doc ${id('empty')}: empty text`);
    await w.abort();
  });
});

describe('clusters spanning many files', () => {
  it('clusters one page found in 300 WARCs, more files than the store keeps open, and keeps the earliest copy', async () => {
    const sub = join(dir, 'many');
    const text = paragraphs[0]!;
    const files: TaskDedupFiles[] = [];
    for (let t = 0; t < 300; t++) {
      const f = { signatures: join(sub, `m${t}.sig`), buckets: join(sub, `m${t}.bkt`) };
      const w = await TaskSignatureWriter.create(f.signatures, f.buckets, DEFAULT_DEDUP_CONFIG);
      const day = new Date(Date.UTC(2024, 0, 1) + (t === 123 ? -1 : t) * 86_400_000).toISOString();
      await w.add({ id: id(`copy-${t}`), text: `${text}\n転載${t}`, fetchedAt: day, exactKey: exactTextKey(`${text}\n転載${t}`) });
      await w.close();
      files.push(f);
    }
    const r = await dedupInProcess(new DedupPlan(files, []), DEFAULT_DEDUP_CONFIG, join(sub, 'pairs'));
    expect(r.removals).toHaveLength(299);
    expect(new Set(r.removals.map((x) => x.duplicateOf))).toEqual(new Set([id('copy-123')]));
  });
});
