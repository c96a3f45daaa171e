import { rm } from 'node:fs/promises';
import { mapLimit } from '@jcp/core';
import { memberNames, removeIndexSegment, segmentsCommittedSince } from '@jcp/dedup';
import { readDedupPlan } from '../run-folder/dedup-files.ts';
import { inputChange, inputName } from '../run-folder/input-fingerprint.ts';
import type { RunContext } from '../run-folder/context.ts';
import { dedupPlanPath, taskDonePath } from '../run-folder/layout.ts';
import { indexSegmentName, INDEX_STAGE, PLAN_STAGE, PROCESS_STAGE, warcStageOf } from '../run-folder/names.ts';
import type { StagePlan } from '../stages/index.ts';
import { readTaskMarker } from '../run-folder/task-marker.ts';

/**
 * Before a run resumes, its finished work is checked against the world as it is now; what no longer
 * holds is redone, never silently reused. Two things can move under a finished task: an input file
 * (a WARC re-downloaded in place) and the dedup index (another run committed after this run's plan).
 */

/** Input checks at once: 32 HEAD requests or stats overlap their latency; a snapshot's 90,000 WARCs take minutes, not hours. */
const INPUT_CHECKS_IN_FLIGHT = 32;

export interface ChangedInput {
  taskId: string;
  path: string;
  why: string;
}

/**
 * The finished process tasks whose WARC changed since they read it. Without `rerunChanged` the run is
 * refused with the files named; with it, those tasks and every stage after the process stage (the dedup
 * is run-wide, so any changed WARC changes it) are redone, and a segment this run already committed to
 * the index is withdrawn (the caller holds the index lock when there is an index).
 */
export async function redoChangedInputs(ctx: RunContext, stages: StagePlan[], rerunChanged: boolean, log: (line: string) => void): Promise<ChangedInput[]> {
  // The stage that reads the WARCs: `process`, or `pages` with site-line removal.
  const warcStage = warcStageOf(ctx);
  const reading = stageNamed(stages, warcStage);
  const perTask = await mapLimit(Array.from({ length: reading.count }, (_, i) => reading.taskId(i)), INPUT_CHECKS_IN_FLIGHT, async (taskId) => {
    const marker = await readTaskMarker(ctx.runDir, warcStage, taskId);
    const found: ChangedInput[] = [];
    for (const input of marker?.inputs ?? []) {
      const why = await inputChange(input, ctx.verifyInputs, ctx.settings.http);
      if (why) found.push({ taskId, path: inputName(input), why });
    }
    return found;
  });
  const changed = perTask.flat();
  if (changed.length === 0) return changed;
  const list = changed.slice(0, 10).map((c) => `  ${c.path}: ${c.why}`).join('\n');
  const more = changed.length > 10 ? `\n  … and ${changed.length - 10} more` : '';
  if (!rerunChanged) {
    throw new Error(
      `${ctx.runDir}: ${changed.length} input file(s) changed since their task finished:\n${list}${more}\n` +
        'their documents would be missing or stale; rerun with --rerun-changed to redo those WARCs and everything after them',
    );
  }
  log(`${ctx.pipeline}: --rerun-changed: redoing ${changed.length} changed WARC(s) and the stages after ${warcStage}:\n${list}${more}`);
  for (const c of changed) await rm(taskDonePath(ctx.runDir, warcStage, c.taskId), { force: true });
  await forgetStagesAfter(ctx, stages, warcStage);
  if (ctx.dedupIndex && (await removeIndexSegment(ctx.dedupIndex, indexSegmentName(ctx), ctx.settings.dedup))) {
    log(`${ctx.pipeline}: withdrew this run's segment ${indexSegmentName(ctx)} from ${ctx.dedupIndex}; it is committed again when the dedup is redone`);
  }
  return changed;
}

/**
 * Index segments committed since this run fixed its dedup plan (another run finished in between, e.g.
 * while this one was stopped before its commit). The run's dedup did not see them, so its survivors may
 * duplicate their documents: the dedup stages are forgotten and redone against the index as it is now.
 * Called under the index lock, before the dedup stages run; returns the segments that moved.
 */
export async function redoDedupIfIndexMoved(ctx: RunContext, stages: StagePlan[], log: (line: string) => void): Promise<string[]> {
  const plan = await readDedupPlan(ctx.runDir);
  if (!plan || !ctx.dedupIndex) return [];
  if ((await readTaskMarker(ctx.runDir, INDEX_STAGE, 'commit')) !== null) return [];
  const moved = await segmentsSincePlan(ctx);
  if (moved.length === 0) return [];
  log(`${ctx.pipeline}: ${moved.length} index segment(s) were committed to ${ctx.dedupIndex} after this run's dedup plan (${moved.join(', ')}); redoing the dedup against them`);
  await forgetStagesAfter(ctx, stages, PROCESS_STAGE);
  return moved;
}

/** Committed segments of the run's index that its plan does not list (its own excluded). */
export async function segmentsSincePlan(ctx: RunContext): Promise<string[]> {
  const plan = await readDedupPlan(ctx.runDir);
  if (!plan || !ctx.dedupIndex) return [];
  return segmentsCommittedSince(ctx.dedupIndex, ctx.settings.dedup, memberNames(plan.segments), indexSegmentName(ctx));
}

/** Removes the markers of every stage after `stage` and the dedup plan, so they run again from what `stage` left. */
async function forgetStagesAfter(ctx: RunContext, stages: StagePlan[], stage: string): Promise<void> {
  const from = stages.findIndex((s) => s.name === stage) + 1;
  for (const later of stages.slice(from)) {
    for (let i = 0; i < later.count; i++) await rm(taskDonePath(ctx.runDir, later.name, later.taskId(i)), { force: true });
  }
  // The plan task reuses an existing plan.json (so a resumed dedup sees what it saw); a redone dedup must make a new one.
  if (stages.slice(from).some((s) => s.name === PLAN_STAGE)) await rm(dedupPlanPath(ctx.runDir), { force: true });
}

function stageNamed(stages: StagePlan[], name: string): StagePlan {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage '${name}' in this run`);
  return s;
}
