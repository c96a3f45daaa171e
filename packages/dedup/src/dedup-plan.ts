import { join } from 'node:path';
import type { BucketSource } from './band-merge.ts';

/** A task's two dedup files. */
export interface TaskDedupFiles {
  signatures: string;
  buckets: string;
}

/** A committed segment of the persistent index: one earlier run's survivors. */
export interface IndexSegment {
  name: string;
  dir: string;
  /** Signature file names (under `<dir>/sig/`), in the segment's local file order. */
  files: string[];
  /** The runs' commits it holds (more than one after a compaction); absent in plans written before compaction: one, the segment itself. */
  members?: IndexMember[];
}

/** One run's commit in a segment: its name, its subcorpus and its slice of the segment's files. */
export interface IndexMember {
  name: string;
  /** null: committed before subcorpora were recorded. */
  subcorpus: string | null;
  firstFile: number;
  fileCount: number;
}

/** The run commits a plan's index segments hold. */
export function memberNames(segments: IndexSegment[]): string[] {
  return segments.flatMap((s) => (s.members ?? [{ name: s.name }]).map((m) => m.name));
}

/**
 * Numbers every signature file a dedup can see: this run's tasks first (0..T-1, in task order), then
 * each index segment's files in segment order. The numbering is the same on every rerun, so refs in a
 * band's pairs file stay valid when the clustering runs later or elsewhere.
 */
export class DedupPlan {
  private readonly segmentBases: number[] = [];
  readonly fileCount: number;

  constructor(
    readonly tasks: TaskDedupFiles[],
    readonly segments: IndexSegment[],
    /** Bucket files that each merged a group of the tasks' (bucket-groups.ts), read instead of the tasks'; null: none. */
    readonly groups: string[] | null = null,
    /** This run's subcorpus (all its tasks'); null: not recorded. */
    readonly subcorpus: string | null = null,
  ) {
    let base = tasks.length;
    for (const s of segments) {
      this.segmentBases.push(base);
      base += s.files.length;
    }
    this.fileCount = base;
  }

  /** Every bucket file of a band merge, with the base that maps its local file numbers to this plan's. */
  sources(): BucketSource[] {
    return [...this.taskSources(), ...this.segments.map((s, k) => ({ path: segmentBucketPath(s.dir), fileBase: this.segmentBases[k]! }))];
  }

  /** The bucket files of this run's tasks: the group files when the tasks were merged in groups (their file numbers are global already). */
  taskSources(): BucketSource[] {
    return this.groups ? this.groups.map((path) => ({ path, fileBase: 0 })) : this.tasks.map((t, i) => ({ path: t.buckets, fileBase: i }));
  }

  isIndexed = (file: number): boolean => file >= this.tasks.length;

  /** The subcorpus of the docs in signature file `file`: this run's, or that of the run that committed it. */
  subcorpusOf = (file: number): string | null => {
    if (file < this.tasks.length) return this.subcorpus;
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const local = file - this.segmentBases[k]!;
      if (local < 0) continue;
      const member = this.segments[k]!.members?.find((m) => local >= m.firstFile && local < m.firstFile + m.fileCount);
      return member?.subcorpus ?? null;
    }
    return null;
  };

  pathOf = (file: number): string => {
    if (file < this.tasks.length) return this.tasks[file]!.signatures;
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const base = this.segmentBases[k]!;
      if (file >= base) {
        const name = this.segments[k]!.files[file - base];
        if (name === undefined) break;
        return join(this.segments[k]!.dir, 'sig', name);
      }
    }
    throw new Error(`no signature file number ${file} in this dedup (${this.fileCount} files)`);
  };
}

export function segmentBucketPath(segmentDir: string): string {
  return join(segmentDir, 'buckets.bkt');
}
