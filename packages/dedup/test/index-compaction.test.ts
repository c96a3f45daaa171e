import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_DEDUP_CONFIG,
  DedupPlan,
  commitIndexSegment,
  compactIndex,
  dedupInProcess,
  findMember,
  listIndexSegments,
  memberNames,
  refOrd,
  removeIndexSegment,
  segmentsCommittedSince,
  tierOf,
  TIER_BASE,
  type TaskDedupFiles,
} from '../src/index.ts';
import { aozoraParagraphs, docId, writeTaskFiles } from './test-docs.ts';

const id = docId;
const CONFIG = { ...DEFAULT_DEDUP_CONFIG, indexFanIn: 4 };

let dir: string;
let paragraphs: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'compaction-'));
  paragraphs = await aozoraParagraphs(4, 10);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function writeTask(name: string, docs: Array<[string, string]>): Promise<TaskDedupFiles> {
  return writeTaskFiles(dir, name, docs.map(([docName, text]) => ({ name: docName, text })), CONFIG);
}

/** Run `r` commits paragraphs 2r and 2r+1 (nothing removed). */
async function commitRun(index: string, r: number): Promise<void> {
  const task = await writeTask(`run${r}`, [[`p${2 * r}`, paragraphs[2 * r]!], [`p${2 * r + 1}`, paragraphs[2 * r + 1]!]]);
  await commitIndexSegment(index, `run${r}`, new DedupPlan([task], []), () => new Set(), CONFIG, [2]);
}

/** What a new run holding copies of paragraphs `which` and one new paragraph loses to the index. */
async function dropsAgainst(index: string, which: number[], tag: string): Promise<Record<string, string>> {
  const task = await writeTask(`new-${tag}`, [...which.map((p): [string, string] => [`copy-${p}`, `${paragraphs[p]}\n関連記事`]), ['fresh', paragraphs[9]!]]);
  const plan = new DedupPlan([task], await listIndexSegments(index, CONFIG));
  const r = await dedupInProcess(plan, CONFIG, join(dir, `dedup-${tag}`));
  return Object.fromEntries(r.removals.map((x) => [x.id, x.duplicateOf]));
}

describe('persistent index compaction', () => {
  it('puts segments in size tiers growing by the fan-in', () => {
    expect(tierOf(10, 4)).toBe(0);
    expect(tierOf(TIER_BASE, 4)).toBe(1);
    expect(tierOf(TIER_BASE * 4 - 1, 4)).toBe(1);
    expect(tierOf(TIER_BASE * 4, 4)).toBe(2);
  });

  it('merges a full tier into one segment that dedups exactly as its sources did, and withdraws one run from it', async () => {
    const index = join(dir, 'index');
    const plain = join(dir, 'plain'); // the same commits, never compacted: the reference
    for (let r = 0; r < 4; r++) {
      await commitRun(index, r);
      await commitRun(plain, r);
      const merged = await compactIndex(index, CONFIG);
      expect(merged.length).toBe(r === 3 ? 1 : 0);
    }
    const segments = await listIndexSegments(index, CONFIG);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.name).toMatch(/^compact-/);
    expect(memberNames(segments)).toEqual(['run0', 'run1', 'run2', 'run3']);
    expect((await listIndexSegments(plain, CONFIG)).map((s) => s.name)).toEqual(['run0', 'run1', 'run2', 'run3']);

    const expected = { [id('copy-1')]: id('p1'), [id('copy-6')]: id('p6') };
    expect(await dropsAgainst(plain, [1, 6], 'plain')).toEqual(expected);
    expect(await dropsAgainst(index, [1, 6], 'compacted')).toEqual(expected);

    // Committing a run again finds it inside the merged segment: same contents, nothing written.
    const again = await writeTask('run2-again', [['p4', paragraphs[4]!], ['p5', paragraphs[5]!]]);
    expect(await commitIndexSegment(index, 'run2', new DedupPlan([again], []), () => new Set(), CONFIG, [2])).toEqual({ survivors: 2, segment: segments[0]!.name });
    await expect(commitIndexSegment(index, 'run2', new DedupPlan([again], []), () => new Set([0]), CONFIG, [2])).rejects.toThrow(/committed with other contents/);

    // A compaction is no news to a run whose plan saw its sources; an unseen run inside it is.
    expect(await segmentsCommittedSince(index, CONFIG, ['run0', 'run1', 'run2'], 'run3')).toEqual([]);
    expect(await segmentsCommittedSince(index, CONFIG, ['run0', 'run1'], 'run3')).toEqual([segments[0]!.name]);

    // run0 redone on changed inputs withdraws its commit: p1 is no longer in the index, p6 still is.
    expect(await removeIndexSegment(index, 'run0', CONFIG)).toBe(true);
    expect(memberNames(await listIndexSegments(index, CONFIG))).toEqual(['run1', 'run2', 'run3']);
    expect(await dropsAgainst(index, [1, 6], 'withdrawn')).toEqual({ [id('copy-6')]: id('p6') });
    expect(await findMember(index, CONFIG, 'run0')).toBeNull();
    expect(await removeIndexSegment(index, 'run0', CONFIG)).toBe(false);
  });

  it('leaves out, then removes, a source a crash left beside its committed merged segment', async () => {
    const index = join(dir, 'crash');
    for (let r = 0; r < 3; r++) await commitRun(index, r);
    await commitRun(index, 3);
    await cp(join(index, 'run1'), join(dir, 'run1-kept'), { recursive: true });
    const [merge] = await compactIndex(index, CONFIG);
    expect(merge!.merged).toEqual(['run0', 'run1', 'run2', 'run3']);
    // as if the compaction had died after committing the merged segment, before removing run1
    await cp(join(dir, 'run1-kept'), join(index, 'run1'), { recursive: true });
    expect((await listIndexSegments(index, CONFIG)).map((s) => s.name)).toEqual([merge!.segment]);
    expect(await compactIndex(index, CONFIG)).toEqual([]);
    expect(await stat(join(index, 'run1')).catch(() => null)).toBeNull();
  });
});

describe('dedup across subcorpora, by subcorpusPriority', () => {
  /** A run of `subcorpus` holding `docs`, deduplicated against the index, then committed to it. */
  async function night(index: string, name: string, subcorpus: string, docs: Array<[string, string]>) {
    const task = await writeTask(name, docs);
    const plan = new DedupPlan([task], await listIndexSegments(index, CONFIG), null, subcorpus);
    const r = await dedupInProcess(plan, CONFIG, join(dir, `dedup-${name}`));
    const removed = new Set(r.removals.map((x) => refOrd(x.ref)));
    await commitIndexSegment(index, name, plan, () => removed, CONFIG, [docs.length]);
    return r;
  }

  it('keeps the Wikipedia copy of a page Common Crawl published first, supersedes the published one, and names ja_wiki in later drops', async () => {
    const index = join(dir, 'subcorpora');
    await night(index, 'cc1', 'ja_cc', [['cc-a', paragraphs[0]!], ['cc-b', paragraphs[1]!]]);
    const wiki = await night(index, 'wiki1', 'ja_wiki', [['wiki-a', `${paragraphs[0]}\n出典`], ['wiki-new', paragraphs[2]!]]);
    // the wiki doc stays; the published ja_cc doc it duplicates is superseded, not dropped from its run
    expect(wiki.removals.toArray()).toEqual([]);
    expect(wiki.superseded).toEqual([expect.objectContaining({ id: id('cc-a'), subcorpus: 'ja_cc', duplicateOf: id('wiki-a') })]);
    const cc2 = await night(index, 'cc2', 'ja_cc', [['cc-a-again', `${paragraphs[0]}\n関連記事`], ['cc-b-again', `${paragraphs[1]}\n関連記事`]]);
    const reasons = Object.fromEntries(cc2.removals.map((x) => [x.id, [x.reason, x.duplicateOf]]));
    expect(reasons).toEqual({
      [id('cc-a-again')]: ['near-duplicate-of-earlier-ja_wiki', id('wiki-a')],
      [id('cc-b-again')]: ['near-duplicate-of-earlier-run', id('cc-b')],
    });
    expect(cc2.superseded).toEqual([]);
    expect(memberNames(await listIndexSegments(index, CONFIG))).toEqual(['cc1', 'cc2', 'wiki1']);
    expect((await listIndexSegments(index, CONFIG)).flatMap((s) => s.members!.map((m) => m.subcorpus))).toEqual(['ja_cc', 'ja_cc', 'ja_wiki']);
  });
});
