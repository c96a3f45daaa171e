import { readFile, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { parquetRowCount, writeFileAtomic } from '@jcp/core';
import type { InputFingerprint } from './input-fingerprint.ts';
import { taskDonePath } from './layout.ts';

/** A file a task wrote; `rows` for a Parquet file (its footer must say as many). */
export interface TaskOutput {
  path: string;
  rows?: number;
}

/** What a task hands back to the runner: its result (what later stages and stats.json read) and the files it wrote. */
export interface TaskOutcome<R> {
  result: R;
  outputs: TaskOutput[];
}

/** An output as the runner found it when the task finished; `path` relative to the run folder when inside it. */
export interface RecordedOutput {
  path: string;
  bytes: number;
  rows?: number;
}

const MARKER_SCHEMA = 'jcp-task/1';

/**
 * `<stage>/<task>.done`: written by the runner, never by a task, and only after it checked what the task
 * wrote. It vouches for the outputs as they were (size, Parquet row count) and records the external
 * inputs the task read, so a later run can tell a marker that no longer holds from one that does.
 */
export interface TaskMarker<R = unknown> {
  schema: typeof MARKER_SCHEMA;
  result: R;
  inputs: InputFingerprint[];
  outputs: RecordedOutput[];
  finishedAt: string;
}

export type TaskState<R = unknown> = { kind: 'pending' } | { kind: 'done'; marker: TaskMarker<R> } | { kind: 'invalid'; why: string };

/**
 * Checks every output of a finished task, then writes its marker (atomically, last): a task whose
 * Parquet footer is unreadable or holds another row count than the writer counted fails instead of
 * being vouched for.
 */
export async function writeTaskMarker<R>(runDir: string, stage: string, taskId: string, outcome: TaskOutcome<R>, inputs: InputFingerprint[]): Promise<TaskMarker<R>> {
  const outputs: RecordedOutput[] = [];
  for (const out of outcome.outputs) {
    const found = await inspectOutput(out.path, out.rows !== undefined);
    if (typeof found === 'string') throw new Error(`${stage} ${taskId}: its output ${out.path} ${found}`);
    if (out.rows !== undefined && found.rows !== out.rows) throw new Error(`${stage} ${taskId}: ${out.path} holds ${found.rows} rows, the task wrote ${out.rows}`);
    outputs.push({ path: inRunDir(runDir, out.path), ...found });
  }
  const marker: TaskMarker<R> = { schema: MARKER_SCHEMA, result: outcome.result, inputs, outputs, finishedAt: new Date().toISOString() };
  await writeFileAtomic(taskDonePath(runDir, stage, taskId), `${JSON.stringify(marker, null, 1)}\n`);
  return marker;
}

/** The marker as written, without checking its outputs (stats and later stages read results this way); null if absent or unreadable. */
export async function readTaskMarker<R>(runDir: string, stage: string, taskId: string): Promise<TaskMarker<R> | null> {
  const text = await readFile(taskDonePath(runDir, stage, taskId), 'utf8').catch(() => null);
  if (text === null) return null;
  const marker = parseMarker<R>(text);
  return typeof marker === 'string' ? null : marker;
}

/**
 * Whether a task is done and its marker still holds: each output it vouches for exists with the size
 * recorded, and each Parquet footer is readable with its row count. Reading the markers only (not the
 * Parquet data) keeps this cheap enough to run for every task on every resume.
 */
export async function taskState<R>(runDir: string, stage: string, taskId: string): Promise<TaskState<R>> {
  const path = taskDonePath(runDir, stage, taskId);
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return { kind: 'pending' };
  const marker = parseMarker<R>(text);
  if (typeof marker === 'string') return { kind: 'invalid', why: `${path}: ${marker}` };
  for (const out of marker.outputs) {
    const full = isAbsolute(out.path) ? out.path : join(runDir, out.path);
    const found = await inspectOutput(full, out.rows !== undefined);
    if (typeof found === 'string') return { kind: 'invalid', why: `${full} ${found}` };
    if (found.bytes !== out.bytes) return { kind: 'invalid', why: `${full} has ${found.bytes} bytes, its task wrote ${out.bytes}` };
    if (out.rows !== undefined && found.rows !== out.rows) return { kind: 'invalid', why: `${full} holds ${found.rows} rows, its task wrote ${out.rows}` };
  }
  return { kind: 'done', marker };
}

/**
 * The task's state, with an invalid marker removed (and said so on stderr, once, naming the file):
 * the task is then simply pending and is redone. The executors call this before deciding what to run.
 */
export async function taskStateRepairing<R>(runDir: string, stage: string, taskId: string, log: (line: string) => void): Promise<TaskState<R>> {
  const state = await taskState<R>(runDir, stage, taskId);
  if (state.kind !== 'invalid') return state;
  log(`${stage} ${taskId}: its .done marker no longer holds (${state.why}); redoing the task`);
  await rm(taskDonePath(runDir, stage, taskId), { force: true });
  return { kind: 'pending' };
}

function parseMarker<R>(text: string): TaskMarker<R> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON (a torn or foreign file)';
  }
  const m = value as Partial<TaskMarker<R>>;
  if (m.schema !== MARKER_SCHEMA || !Array.isArray(m.outputs) || !Array.isArray(m.inputs)) return `not a ${MARKER_SCHEMA} marker (written by an older version?)`;
  return m as TaskMarker<R>;
}

async function inspectOutput(path: string, isParquet: boolean): Promise<{ bytes: number; rows?: number } | string> {
  const s = await stat(path).catch(() => null);
  if (!s) return 'is missing';
  if (!isParquet) return { bytes: s.size };
  try {
    return { bytes: s.size, rows: await parquetRowCount(path) };
  } catch (e) {
    return `is not a readable Parquet file (${e instanceof Error ? e.message : String(e)})`;
  }
}

function inRunDir(runDir: string, path: string): string {
  const rel = relative(runDir, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** A finished task's result (what later stages and stats.json read), or null if it has not finished. */
export async function readTaskResult<R>(runDir: string, stage: string, taskId: string): Promise<R | null> {
  return (await readTaskMarker<R>(runDir, stage, taskId))?.result ?? null;
}
