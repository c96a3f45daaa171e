import { readFile } from 'node:fs/promises';
import { parseJsonLines } from '@jcp/core';
import { DedupPlan, type IndexSegment } from '@jcp/dedup';
import { dedupPlanPath, removedPath } from './layout.ts';
import { PLAN_STAGE } from './names.ts';

/** `dedup/plan.json`: fixed when the dedup first starts, so a resumed dedup sees the same files and index segments. */
export interface DedupPlanJson {
  tasks: Array<{ taskId: string; signatures: string; buckets: string; docs: number }>;
  /** The persistent index the run reads and commits to (null: none). */
  index: string | null;
  segments: IndexSegment[];
  /** Bucket files merging the tasks' in groups (more tasks than dedup.mergeFanIn); absent: the tasks' are read. */
  groups?: Array<{ taskStart: number; taskEnd: number; buckets: string }>;
  /** The run's subcorpus; absent in plans written before it was recorded. */
  subcorpus?: string;
}

export function planOf(json: DedupPlanJson): DedupPlan {
  return new DedupPlan(
    json.tasks.map((t) => ({ signatures: t.signatures, buckets: t.buckets })),
    json.segments,
    json.groups ? json.groups.map((g) => g.buckets) : null,
    json.subcorpus ?? null,
  );
}

export async function readDedupPlan(runDir: string): Promise<DedupPlanJson | null> {
  const text = await readFile(dedupPlanPath(runDir), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as DedupPlanJson);
}

/** The plan, which every dedup stage after the plan needs. */
export async function requiredDedupPlan(runDir: string): Promise<DedupPlanJson> {
  const plan = await readDedupPlan(runDir);
  if (!plan) throw new Error(`${runDir}: no dedup/plan.json; the ${PLAN_STAGE} stage has not run`);
  return plan;
}

/** One line of `dedup/removed/<task>.jsonl`. */
export interface RemovedDoc {
  /** Row number of the doc across the task's staged shards (= its signature ordinal). */
  ord: number;
  id: string;
  reason: string;
  duplicateOf: string;
  similarity: number;
}

/** One line of `dedup/superseded.jsonl`: a doc an earlier run published, superseded by one of this run. */
export interface SupersededDoc {
  id: string;
  /** The published doc's subcorpus (null: its commit predates subcorpora in the index). */
  subcorpus: string | null;
  /** This run's doc kept in its place. */
  supersededBy: string;
  similarity: number;
}

/** A WARC task's removed docs, by ordinal. */
export async function readRemovedDocs(runDir: string, taskId: string): Promise<Map<number, RemovedDoc>> {
  const text = await readFile(removedPath(runDir, taskId), 'utf8');
  const out = new Map<number, RemovedDoc>();
  for (const r of parseJsonLines<RemovedDoc>(text)) out.set(r.ord, r);
  return out;
}
