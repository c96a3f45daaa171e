import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@jcp/core';
import { mergeBucketFiles } from './bucket-groups.ts';
import type { DedupConfig } from './config.ts';
import { segmentBucketPath } from './dedup-plan.ts';
import { dropSegment, findMember, readCommittedSegments, segmentCommittedPath, settingsOf, type CommittedSegment, type SegmentJson, type SegmentMember } from './persistent-index.ts';

/**
 * Size-tiered compaction of the persistent index. Every run commits one segment; left alone, a band
 * task of the 365th nightly run would open 365 segment bucket files. After each commit, segments are
 * put in size tiers (tier 0 below TIER_BASE bytes of band entries, then ×indexFanIn per tier) and any
 * tier holding `indexFanIn` segments is merged into one, which usually lands in the next tier: a band
 * task reads at most (indexFanIn − 1) segments per tier, O(log index size) files, and each band entry
 * is rewritten once per tier it climbs. Runs stay addressable as members of the merged segment, so a
 * run redone on changed inputs can still withdraw exactly its own commit.
 *
 * Crash safety: the merged segment is written and COMMITTED before its sources are removed, and it
 * names them in `replaces`, so until they are gone they are simply not listed (persistent-index.ts).
 * Callers hold the index lock.
 */

/** Band entries below this make tier 0: 1 MiB is 65,536 entries, about 3,800 documents' bands. */
export const TIER_BASE = 1 << 20;

export function tierOf(bucketBytes: number, fanIn: number): number {
  return bucketBytes < TIER_BASE ? 0 : 1 + Math.floor(Math.log(bucketBytes / TIER_BASE) / Math.log(fanIn));
}

export interface Compaction {
  /** The merged segment. */
  segment: string;
  merged: string[];
  tier: number;
  entries: number;
}

/** Merges tiers until none holds `indexFanIn` segments; returns what it merged, in order. */
export async function compactIndex(indexDir: string, config: DedupConfig): Promise<Compaction[]> {
  await removeReplacedSegments(indexDir, config);
  const done: Compaction[] = [];
  for (;;) {
    const segments = await readCommittedSegments(indexDir, config);
    const byTier = new Map<number, CommittedSegment[]>();
    for (const s of segments) {
      const tier = tierOf(s.bucketBytes, config.indexFanIn);
      byTier.set(tier, [...(byTier.get(tier) ?? []), s]);
    }
    const full = [...byTier.entries()].filter(([, list]) => list.length >= config.indexFanIn).sort((a, b) => a[0] - b[0])[0];
    if (full === undefined) return done;
    const [tier, sources] = full;
    const { name, entries } = await writeMerged(indexDir, sources, config);
    for (const s of sources) await dropSegment(indexDir, s.name);
    done.push({ segment: name, merged: sources.map((s) => s.name), tier, entries });
  }
}

/** Rewrites `segment` without run `memberName`'s entries (the other runs' stay as they were). */
export async function withdrawMember(indexDir: string, segment: CommittedSegment, memberName: string, config: DedupConfig): Promise<void> {
  const gone = segment.runs.find((m) => m.name === memberName);
  if (!gone) throw new Error(`${segment.dir}: holds no run segment '${memberName}'`);
  const end = gone.firstFile + gone.fileCount;
  await writeMerged(indexDir, [segment], config, {
    members: segment.runs.filter((m) => m !== gone),
    keep: (file) => file < gone.firstFile || file >= end,
  });
  await dropSegment(indexDir, segment.name);
}

/** Sources whose merged segment is committed but that a crash left on disk. */
async function removeReplacedSegments(indexDir: string, config: DedupConfig): Promise<void> {
  for (const s of await readCommittedSegments(indexDir, config)) {
    for (const old of s.json.replaces ?? []) {
      if (await stat(join(indexDir, old)).catch(() => null)) await dropSegment(indexDir, old);
    }
  }
}

/**
 * Writes one segment holding `sources` in order: their signature files linked under new local numbers,
 * their bucket files merged with the numbers shifted to match, their members listed with the new file
 * ranges. `withdraw` leaves out one member's band entries instead (its files keep their numbers, so
 * the other members' entries stay valid).
 */
async function writeMerged(
  indexDir: string,
  sources: CommittedSegment[],
  config: DedupConfig,
  withdraw?: { members: SegmentMember[]; keep: (file: number) => boolean },
): Promise<{ name: string; entries: number }> {
  const files: string[] = [];
  const links: Array<[string, string]> = [];
  const members: SegmentMember[] = [];
  const bases: number[] = [];
  for (const source of sources) {
    bases.push(files.length);
    for (const m of source.runs) members.push({ ...m, firstFile: m.firstFile + files.length });
    for (const f of source.files) {
      const local = `${String(files.length).padStart(6, '0')}.sig`;
      links.push([join(source.dir, 'sig', f), local]);
      files.push(local);
    }
  }
  const kept = withdraw?.members ?? members;
  const replaces = sources.map((s) => s.name);
  const name = `compact-${createHash('sha256').update(JSON.stringify({ members: kept.map((m) => m.name), replaces })).digest('hex').slice(0, 16)}`;
  const dir = join(indexDir, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'sig'), { recursive: true });
  for (const [from, local] of links) {
    const to = join(dir, 'sig', local);
    await link(from, to).catch(() => copyFile(from, to));
  }
  const entries = await mergeBucketFiles(
    sources.map((s, k) => ({ path: segmentBucketPath(s.dir), fileBase: bases[k]! })),
    config.bands + 1,
    segmentBucketPath(dir),
    config.mergeReadEntries,
    withdraw ? (file) => withdraw.keep(file) : undefined,
  );
  const seg: SegmentJson = {
    settings: settingsOf(config),
    files,
    docs: kept.reduce((a, m) => a + m.docs, 0),
    survivors: kept.reduce((a, m) => a + m.survivors, 0),
    members: kept,
    replaces,
  };
  await writeFileAtomic(join(dir, 'segment.json'), `${JSON.stringify(seg, null, 1)}\n`);
  await writeFileAtomic(segmentCommittedPath(indexDir, name), `${JSON.stringify({ survivors: seg.survivors, committedAt: new Date().toISOString() })}\n`);
  return { name, entries };
}

/**
 * Takes a run's segment out of the index (a run redone on changed inputs replaces what it committed).
 * Only under the index lock. A segment of its own: COMMITTED goes first, so a reader never lists a
 * segment whose files are gone. A member of a compacted segment: that segment is rewritten without it
 * (index-compaction.ts).
 */
export async function removeIndexSegment(indexDir: string, name: string, config: DedupConfig): Promise<boolean> {
  const found = await findMember(indexDir, config, name);
  if (found === null) return false;
  if (found.segment.runs.length === 1 && found.segment.name === name) {
    await dropSegment(indexDir, name);
    return true;
  }
  await withdrawMember(indexDir, found.segment, name, config);
  return true;
}
