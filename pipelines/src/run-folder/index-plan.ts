import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@jcp/core';
import type { IndexSelection, IndexStepCounts, RecordRange, WarcIndexCounts } from '@jcp/crawler';
import { indexPlanPath, indexScanPath } from './layout.ts';

/** How a `--via-index` run chose its records: part of the run's identity and of its context. */
export interface ViaIndexSource {
  /** The index part files read (paths or URLs), in order. */
  indexFiles: string[];
  selection: IndexSelection;
}

/** What one WARC task reads when the run goes through the index: its records' byte ranges and its share of the scan. */
export interface WarcIndexPlan {
  ranges: RecordRange[];
  counts: WarcIndexCounts;
}

/**
 * Writes a task's plan unless the run folder already holds it: the selection is fixed when the run is
 * first prepared, so a rerun (which reads the index again to find its run) reads what the first read.
 */
export async function writeIndexPlan(runDir: string, taskId: string, plan: WarcIndexPlan): Promise<void> {
  const path = indexPlanPath(runDir, taskId);
  const existing = await readFile(path, 'utf8').catch(() => null);
  const text = `${JSON.stringify(plan)}\n`;
  if (existing === text) return;
  if (existing !== null) throw new Error(`${path} holds another selection for this WARC than the index gives now; the index changed since the run started: give another --out or --run-id`);
  await writeFileAtomic(path, text);
}

export async function readIndexPlan(runDir: string, taskId: string): Promise<WarcIndexPlan> {
  const path = indexPlanPath(runDir, taskId);
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new Error(`${path}: the task's index selection cannot be read (${e.message}); rerun the pipeline command, which writes it`);
  });
  return JSON.parse(text) as WarcIndexPlan;
}

/**
 * The index scan that fixed the run's selection (`index/scan.json`): row groups skipped, rows scanned and
 * selected by language, index bytes read. Written when the run is first prepared, like the task plans;
 * a rerun's own scan is not recorded (with an unchanged index it is the same).
 */
export async function writeIndexScan(runDir: string, counts: IndexStepCounts): Promise<void> {
  const path = indexScanPath(runDir);
  if ((await readFile(path, 'utf8').catch(() => null)) !== null) return;
  await writeFileAtomic(path, `${JSON.stringify(counts)}\n`);
}

/** The run's index scan, or null when the run folder holds none (a full-scan run). */
export async function readIndexScan(runDir: string): Promise<IndexStepCounts | null> {
  const text = await readFile(indexScanPath(runDir), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as IndexStepCounts);
}
