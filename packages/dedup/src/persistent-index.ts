import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@jcp/core';
import { mergeBucketFiles } from './bucket-groups.ts';
import type { DedupConfig } from './config.ts';
import { SIGNATURE_SCHEME } from './minhash.ts';
import { segmentBucketPath, type DedupPlan, type IndexSegment } from './dedup-plan.ts';

/**
 * The persistent index across runs: a folder of segments, one per run that finished its dedup, each
 * holding that run's signature files and one bucket file of its survivors only. A later run merges the
 * segments' bucket sections with its own, so it is deduplicated against everything kept before without
 * reading a single earlier Parquet file.
 *
 *   <index>/<segment>/segment.json   settings the signatures were made with, and the file list
 *   <index>/<segment>/sig/<i>.sig    signature files (hard links to the run's when on the same disk)
 *   <index>/<segment>/buckets.bkt    survivors' band entries
 *   <index>/<segment>/COMMITTED      written last; segments without it are ignored
 *
 * Segments are compacted (index-compaction.ts): several merge into one whose `members` are the runs'
 * segments it holds, each a contiguous slice of its `files`. A run's segment is then found by member
 * name, wherever it lives; `replaces` names the segments a compaction merged, so a crash between
 * committing the merged segment and removing those leaves nothing listed twice.
 */
export interface SegmentJson {
  settings: IndexSettings;
  files: string[];
  docs: number;
  survivors: number;
  /** The runs' segments this one holds, in file order; absent in a segment no compaction made (its own only). */
  members?: SegmentMember[];
  /** Segments this one was merged from: ignored while they are still on disk. */
  replaces?: string[];
  /** The committing run's subcorpus (a segment no compaction made; merged ones keep it per member). */
  subcorpus?: string | null;
}

/** One run's commit inside a segment: its files are `files[firstFile, firstFile + fileCount)`. */
export interface SegmentMember {
  name: string;
  firstFile: number;
  fileCount: number;
  docs: number;
  survivors: number;
  fingerprint: string;
  /** The subcorpus of the run's docs; null in segments committed before it was recorded. */
  subcorpus: string | null;
}

interface CommittedJson {
  survivors: number;
  fingerprint?: string;
  committedAt?: string;
}

/** A committed segment as read from disk: its description and the runs it holds. */
export interface CommittedSegment extends Omit<IndexSegment, 'members'> {
  json: SegmentJson;
  runs: SegmentMember[];
  /** Size of its bucket file: what the compaction tiers go by. */
  bucketBytes: number;
}

/** The file whose presence makes a segment part of the index. */
export function segmentCommittedPath(indexDir: string, name: string): string {
  return join(indexDir, name, 'COMMITTED');
}

/** `scheme`: the MinHash estimator (minhash.ts); segments written before it was recorded have none and hold per-permutation signatures. */
type IndexSettings = Pick<DedupConfig, 'bands' | 'rows'> & DedupConfig['minhash'] & { scheme: string };

export function settingsOf(c: DedupConfig): IndexSettings {
  return { bands: c.bands, rows: c.rows, ...c.minhash, scheme: SIGNATURE_SCHEME };
}

/** The committed segments, by name; throws if one was made with other signature settings (they would never match). */
export async function listIndexSegments(indexDir: string, config: DedupConfig): Promise<IndexSegment[]> {
  return (await readCommittedSegments(indexDir, config)).map(({ name, dir, files, runs }) => ({
    name,
    dir,
    files,
    members: runs.map((m) => ({ name: m.name, subcorpus: m.subcorpus, firstFile: m.firstFile, fileCount: m.fileCount })),
  }));
}

/**
 * The committed segments with their descriptions. A segment another committed segment `replaces` is
 * left out (a compaction stopped before removing its sources).
 */
export async function readCommittedSegments(indexDir: string, config: DedupConfig): Promise<CommittedSegment[]> {
  const names = (await readdir(indexDir).catch(() => [] as string[])).sort();
  const out: CommittedSegment[] = [];
  const want = JSON.stringify(settingsOf(config));
  for (const name of names) {
    const dir = join(indexDir, name);
    const committed = await readFile(segmentCommittedPath(indexDir, name), 'utf8').catch(() => null);
    if (committed === null) continue;
    const seg = JSON.parse(await readFile(join(dir, 'segment.json'), 'utf8')) as SegmentJson;
    if (seg.settings.scheme !== SIGNATURE_SCHEME) {
      throw new Error(
        `${dir}: index segment made with the earlier per-permutation MinHash (its signatures never match this version's ${SIGNATURE_SCHEME}); ` +
          `start a fresh index: --dedup-index <new folder>, or remove ${indexDir} (its runs' corpora stay as they are)`,
      );
    }
    if (JSON.stringify(seg.settings) !== want) {
      throw new Error(`${dir}: index segment made with other MinHash/LSH settings (${JSON.stringify(seg.settings)}); use another --dedup-index`);
    }
    const runs = seg.members ?? [
      {
        name,
        firstFile: 0,
        fileCount: seg.files.length,
        docs: seg.docs,
        survivors: seg.survivors,
        fingerprint: (JSON.parse(committed) as CommittedJson).fingerprint ?? '',
        subcorpus: seg.subcorpus ?? null,
      },
    ];
    const bucketBytes = (await stat(segmentBucketPath(dir))).size;
    out.push({ name, dir, files: seg.files, json: seg, runs, bucketBytes });
  }
  const replaced = new Set(out.flatMap((s) => s.json.replaces ?? []));
  return out.filter((s) => !replaced.has(s.name));
}

/** The committed segment holding run segment `member`, or null. */
export async function findMember(indexDir: string, config: DedupConfig, member: string): Promise<{ segment: CommittedSegment; member: SegmentMember } | null> {
  for (const segment of await readCommittedSegments(indexDir, config)) {
    const found = segment.runs.find((m) => m.name === member);
    if (found) return { segment, member: found };
  }
  return null;
}

/**
 * Adds this run's survivors to the index as segment `name`. Idempotent: a half-written segment (no
 * COMMITTED) is removed and rebuilt. `removed(file)` gives the ordinals dropped from this run's task file.
 */
export async function commitIndexSegment(
  indexDir: string,
  name: string,
  plan: DedupPlan,
  removed: (file: number) => Set<number>,
  config: DedupConfig,
  docsPerTask: number[],
  subcorpus: string | null = plan.subcorpus,
): Promise<{ survivors: number; segment: string }> {
  const dir = join(indexDir, name);
  const removedSets = plan.tasks.map((_, i) => removed(i));
  // What the segment holds, in one hash: a segment committed under this name with other contents (the
  // run folder was deleted and the run redone with other results) must not be taken for this one.
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ docsPerTask, removed: removedSets.map((r) => [...r].sort((a, b) => a - b)) }))
    .digest('hex');
  const already = await findMember(indexDir, config, name);
  if (already !== null) {
    if (already.member.fingerprint !== fingerprint) {
      throw new Error(`${already.segment.dir}: index segment '${name}' was committed with other contents (an earlier run in the same folder); remove it to commit this run`);
    }
    return { survivors: already.member.survivors, segment: already.segment.name };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'sig'), { recursive: true });
  const files = plan.tasks.map((_, i) => `${String(i).padStart(6, '0')}.sig`);
  for (let i = 0; i < plan.tasks.length; i++) {
    const to = join(dir, 'sig', files[i]!);
    // A hard link costs nothing; a run folder on another disk than the index gets a copy.
    await link(plan.tasks[i]!.signatures, to).catch(() => copyFile(plan.tasks[i]!.signatures, to));
  }
  // The survivors' band entries only: a removed doc can never be a later run's survivor.
  await mergeBucketFiles(plan.taskSources(), config.bands + 1, segmentBucketPath(dir), config.mergeReadEntries, (file, ord) => !removedSets[file]!.has(ord));
  const docs = docsPerTask.reduce((a, b) => a + b, 0);
  const survivors = docs - removedSets.reduce((a, r) => a + r.size, 0);
  const seg: SegmentJson = { settings: settingsOf(config), files, docs, survivors, subcorpus };
  await writeFileAtomic(join(dir, 'segment.json'), `${JSON.stringify(seg, null, 1)}\n`);
  await writeFileAtomic(segmentCommittedPath(indexDir, name), `${JSON.stringify({ survivors, fingerprint, committedAt: new Date().toISOString() })}\n`);
  return { survivors, segment: name };
}

/** Removes a segment's folder, COMMITTED first. */
export async function dropSegment(indexDir: string, name: string): Promise<void> {
  await rm(segmentCommittedPath(indexDir, name), { force: true });
  await rm(join(indexDir, name), { recursive: true, force: true });
}

/**
 * Committed segments holding a run's commit that is neither in `known` (the run segments a dedup plan
 * saw) nor `own`: what was committed after a run fixed its plan. By member, so a compaction that merely
 * merged known segments is not news.
 */
export async function segmentsCommittedSince(indexDir: string, config: DedupConfig, known: string[], own: string): Promise<string[]> {
  const seen = new Set(known);
  return (await readCommittedSegments(indexDir, config)).filter((s) => s.runs.some((m) => !seen.has(m.name) && m.name !== own)).map((s) => s.name);
}
