import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ledger } from '@jcp/stats';
import { buildRunStats } from '../tasks/stats-task.ts';
import { loadRunContext } from './run-context.ts';
import { stageDir } from './run-folder.ts';
import { stagesOf } from './stages.ts';

export interface StageStatus {
  stage: string;
  total: number;
  done: number;
  running: number;
  failed: number;
  pending: number;
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
  const stages: StageStatus[] = [];
  for (const stage of stagesOf(ctx)) {
    const names = new Set(await readdir(stageDir(runDir, stage.name)).catch(() => [] as string[]));
    const s: StageStatus = { stage: stage.name, total: stage.count, done: 0, running: 0, failed: 0, pending: 0, failures: {} };
    for (let i = 0; i < stage.count; i++) {
      const id = stage.taskId(i);
      if (names.has(`${id}.done`)) s.done++;
      else if (names.has(`${id}.running`)) s.running++;
      else if (names.has(`${id}.failed`)) {
        s.failed++;
        const marker = JSON.parse(await readFile(join(stageDir(runDir, stage.name), `${id}.failed`), 'utf8')) as { error: string };
        s.failures[id] = marker.error;
      } else s.pending++;
    }
    stages.push(s);
  }
  const stats = await buildRunStats(ctx, []);
  return { runDir, pipeline: ctx.pipeline, stages, ledger: stats.totals };
}
