import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@jcp/core';
import { bandPairsPath, commitIndexSegment, segmentCommittedPath, segmentsCommittedSince, DedupPlan, listIndexSegments, refFile, refOrd, runBand, runClustering, type BandPairsResult, type DedupConfig, type IndexSegment } from '@jcp/dedup';
import { bucketPath, dedupPlanPath, pairsDir, removedPath, signaturePath } from '../run/run-folder.ts';
import { readTaskMarker, type TaskOutcome } from '../run/task-marker.ts';
import type { WarcTaskResult } from './warc-task.ts';
import type { RemovedDoc } from './write-task.ts';

/** `dedup/plan.json`: fixed when the dedup first starts, so a resumed dedup sees the same files and index segments. */
export interface DedupPlanJson {
  tasks: Array<{ taskId: string; signatures: string; buckets: string; docs: number }>;
  /** The persistent index the run reads and commits to (null: none). */
  index: string | null;
  segments: IndexSegment[];
}

export function planOf(json: DedupPlanJson): DedupPlan {
  return new DedupPlan(
    json.tasks.map((t) => ({ signatures: t.signatures, buckets: t.buckets })),
    json.segments,
  );
}

export async function readDedupPlan(runDir: string): Promise<DedupPlanJson | null> {
  const text = await readFile(dedupPlanPath(runDir), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as DedupPlanJson);
}

export interface BandTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  section: number;
  plan: DedupPlanJson;
  dedup: DedupConfig;
}

export interface BandTaskResult extends BandPairsResult {
  taskId: string;
  section: number;
  exact: boolean;
}

/**
 * `JCP_FAULT_BAND=<section>:<entries>` makes the band task's worker die after merging that many band
 * entries: the resume test's crash in the middle of a band. Never set in normal runs.
 */
function faultAfter(section: number): number | null {
  const spec = process.env.JCP_FAULT_BAND;
  if (!spec) return null;
  const [s, n] = spec.split(':').map(Number);
  return s === section ? (n ?? 0) : null;
}

export async function runBandTask(input: BandTaskInput): Promise<TaskOutcome<BandTaskResult>> {
  const fault = faultAfter(input.section);
  const onEntry =
    fault === null
      ? undefined
      : (entries: number): void => {
          if (entries >= fault) process.exit(70);
        };
  const out = bandPairsPath(pairsDir(input.runDir), input.section);
  const r = await runBand(planOf(input.plan), input.dedup, input.section, out, onEntry);
  const result: BandTaskResult = { taskId: input.taskId, section: input.section, exact: input.section === input.dedup.bands, ...r };
  return { result, outputs: [{ path: out }] };
}

export interface ClusterTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  plan: DedupPlanJson;
  dedup: DedupConfig;
}

export interface ClusterTaskResult {
  taskId: string;
  clusters: number;
  clusteredDocs: number;
  removed: Record<string, number>;
}

/** Clusters every band's pairs and writes, for each WARC task, the docs it must drop (an empty file when none). */
export async function runClusterTask(input: ClusterTaskInput): Promise<TaskOutcome<ClusterTaskResult>> {
  const plan = planOf(input.plan);
  const pairFiles = Array.from({ length: input.dedup.bands + 1 }, (_, s) => bandPairsPath(pairsDir(input.runDir), s));
  const r = await runClustering(plan, input.dedup, pairFiles);
  const byTask = input.plan.tasks.map((): RemovedDoc[] => []);
  const removed: Record<string, number> = {};
  for (const x of r.removals) {
    byTask[refFile(x.ref)]!.push({ ord: refOrd(x.ref), id: x.id, reason: x.reason, duplicateOf: x.duplicateOf, similarity: x.similarity });
    removed[x.reason] = (removed[x.reason] ?? 0) + 1;
  }
  const outputs = [];
  for (let i = 0; i < byTask.length; i++) {
    const lines = byTask[i]!.sort((a, b) => a.ord - b.ord).map((d) => `${JSON.stringify(d)}\n`);
    const path = removedPath(input.runDir, input.plan.tasks[i]!.taskId);
    await writeFileAtomic(path, lines.join(''));
    outputs.push({ path });
  }
  const result: ClusterTaskResult = { taskId: input.taskId, clusters: r.clusters, clusteredDocs: r.clusteredDocs, removed };
  return { result, outputs };
}

/** The ordinals each task's removed file lists, for the index commit. */
export async function removedOrdinals(runDir: string, taskId: string): Promise<Set<number>> {
  const text = await readFile(removedPath(runDir, taskId), 'utf8');
  return new Set(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as RemovedDoc).ord),
  );
}

export interface PlanTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  /** The run's WARC task ids, in task order (= signature file order). */
  taskIds: string[];
  /** The stage whose markers say how many docs each WARC staged. */
  processStage: string;
  dedupIndex: string | null;
  /** This run's own index segment, never read back by the run itself. */
  segmentName: string;
  dedup: DedupConfig;
}

/**
 * Writes `dedup/plan.json` the first time the dedup starts; a resumed dedup reads it back unchanged,
 * so it sees the same files and the same index segments even if other runs committed since.
 */
export async function runPlanTask(input: PlanTaskInput): Promise<TaskOutcome<{ taskId: string; docs: number; segments: string[] }>> {
  let plan = await readDedupPlan(input.runDir);
  if (!plan) {
    const tasks: DedupPlanJson['tasks'] = [];
    for (const taskId of input.taskIds) {
      const done = await readTaskMarker<WarcTaskResult>(input.runDir, input.processStage, taskId);
      if (done === null) throw new Error(`${taskId}: the process stage has not finished this WARC`);
      tasks.push({ taskId, signatures: signaturePath(input.runDir, taskId), buckets: bucketPath(input.runDir, taskId), docs: done.result.staged });
    }
    // A segment of this very run (its folder was deleted and the run redone) must not dedup the run against itself.
    const segments = input.dedupIndex ? (await listIndexSegments(input.dedupIndex, input.dedup)).filter((s) => s.name !== input.segmentName) : [];
    plan = { tasks, index: input.dedupIndex, segments };
    await writeFileAtomic(dedupPlanPath(input.runDir), `${JSON.stringify(plan, null, 1)}\n`);
  }
  const result = { taskId: input.taskId, docs: plan.tasks.reduce((n, t) => n + t.docs, 0), segments: plan.segments.map((s) => s.name) };
  return { result, outputs: [{ path: dedupPlanPath(input.runDir) }] };
}

export interface IndexTaskInput {
  runDir: string;
  stage: string;
  taskId: string;
  plan: DedupPlanJson;
  dedupIndex: string;
  segmentName: string;
  dedup: DedupConfig;
}

/**
 * Commits this run's survivors to the persistent index as one segment (idempotent). Refused when
 * another run committed after this run's plan: this run's dedup never saw those documents, and
 * committing would publish them twice (the rerun redoes the dedup against them, reconcile.ts).
 */
export async function runIndexTask(input: IndexTaskInput): Promise<TaskOutcome<{ taskId: string; segment: string; index: string; survivors: number }>> {
  const since = await segmentsCommittedSince(input.dedupIndex, input.dedup, input.plan.segments.map((s) => s.name), input.segmentName);
  if (since.length) {
    throw new Error(`${input.dedupIndex}: ${since.length} segment(s) were committed after this run's dedup plan (${since.join(', ')}); rerun the command: the dedup is redone against them`);
  }
  const removed = await Promise.all(input.plan.tasks.map((t) => removedOrdinals(input.runDir, t.taskId)));
  const r = await commitIndexSegment(input.dedupIndex, input.segmentName, planOf(input.plan), (f) => removed[f]!, input.dedup, input.plan.tasks.map((t) => t.docs));
  const result = { taskId: input.taskId, segment: input.segmentName, index: input.dedupIndex, survivors: r.survivors };
  return { result, outputs: [{ path: segmentCommittedPath(input.dedupIndex, input.segmentName) }] };
}
