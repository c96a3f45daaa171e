import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import type { Ledger } from '@jcp/stats';
import { buildRunStats } from '../stages/stats.ts';
import { loadRunContext } from '../run-folder/context.ts';
import { stageDir } from '../run-folder/layout.ts';
import { queueStates, readSubmissions } from './slurm-jobs.ts';
import { stagesOf } from '../stages/index.ts';

export interface StageStatus {
  stage: string;
  total: number;
  done: number;
  running: number;
  failed: number;
  pending: number;
  /** Of the pending ones, those waiting in the Slurm queue (submitted, not started). */
  queued: number;
  /** Task id → error, for the failed ones. */
  failures: Record<string, string>;
}

export interface RunStatus {
  runDir: string;
  pipeline: string;
  stages: StageStatus[];
  /** The ledger of every task done so far. */
  ledger: Ledger;
}

/** Which tasks of each stage are done, running or failed, from the markers in the run folder (any executor). */
export async function runStatus(runDir: string): Promise<RunStatus> {
  const ctx = await loadRunContext(runDir);
  const queue = await slurmQueue(runDir);
  const stages: StageStatus[] = [];
  for (const stage of stagesOf(ctx)) {
    const names = new Set(await readdir(stageDir(runDir, stage.name)).catch(() => [] as string[]));
    const s: StageStatus = { stage: stage.name, total: stage.count, done: 0, running: 0, failed: 0, pending: 0, queued: 0, failures: {} };
    for (let i = 0; i < stage.count; i++) {
      const id = stage.taskId(i);
      if (names.has(`${id}.done`)) s.done++;
      else if (names.has(`${id}.running`) && (await stillRunning(join(stageDir(runDir, stage.name), `${id}.running`), queue.jobs))) s.running++;
      else if (names.has(`${id}.running`)) {
        // Killed (scancel, time limit, out of memory, SIGKILL): its `finally` never removed the marker.
        s.failed++;
        s.failures[id] = 'interrupted: its process is gone';
      } else if (names.has(`${id}.failed`)) {
        s.failed++;
        const marker = JSON.parse(await readFile(join(stageDir(runDir, stage.name), `${id}.failed`), 'utf8')) as { error: string };
        s.failures[id] = marker.error;
      } else {
        s.pending++;
        if (queue.tasks.get(`${stage.name}/${i}`) === 'PENDING') s.queued++;
      }
    }
    stages.push(s);
  }
  const stats = await buildRunStats(ctx, []);
  return { runDir, pipeline: ctx.pipeline, stages, ledger: stats.totals };
}

/**
 * The Slurm queue as this run sees it: `tasks`, `<stage>/<task index>` → state, for this run's
 * submitted tasks still in the queue; `jobs`, `<array job>_<index>` → state.
 */
async function slurmQueue(runDir: string): Promise<{ tasks: Map<string, string>; jobs: Map<string, string> }> {
  const arrays = (await readSubmissions(runDir)).flatMap((s) => s.arrays);
  const out = new Map<string, string>();
  if (arrays.length === 0) return { tasks: out, jobs: new Map() };
  const states = await queueStates(arrays.map((a) => a.jobId));
  for (const a of arrays) {
    // A job's state is each of its tasks' (the ones already done are counted by their markers first).
    const mark = (k: number, state: string): void => {
      for (const t of a.slots[k] ?? []) out.set(`${t.stage}/${t.index}`, state);
    };
    a.slots.forEach((_, k) => {
      const state = states.get(`${a.jobId}_${k}`) ?? (k === 0 && a.slots.length === 1 ? states.get(a.jobId) : undefined);
      if (state) mark(k, state);
    });
    // A pending array shows as one line `<job>_[0-N]` until its tasks start.
    for (const [id, state] of states) {
      const m = new RegExp(`^${a.jobId}_\\[(\\d+)-(\\d+)`).exec(id);
      if (m) for (let k = Number(m[1]); k <= Number(m[2]); k++) mark(k, state);
    }
  }
  return { tasks: out, jobs: states };
}

/** Whether the task a `.running` marker names is still alive: its Slurm job is in the queue, or its process on this host exists. */
async function stillRunning(markerPath: string, jobs: Map<string, string>): Promise<boolean> {
  const marker = JSON.parse(await readFile(markerPath, 'utf8').catch(() => '{}')) as { host?: string; pid?: number; slurmJob?: string | null };
  if (marker.slurmJob) return jobs.has(marker.slurmJob);
  if (marker.host !== hostname() || marker.pid === undefined) return true; // another machine: trust the marker
  try {
    process.kill(marker.pid, 0);
    return true;
  } catch {
    return false;
  }
}
