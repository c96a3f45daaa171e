import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DOC_COLUMNS, type ColumnType } from '@jcp/core';
import { parseLedger } from '@jcp/stats';
import { listCorpusShards, shardsTable, sqlString } from '../report/run-data.ts';
import { dedupDir, runJsonPath, statsPath } from '../run-folder/layout.ts';

/**
 * The views `pnpm query` defines over a run folder, or over every run folder below a corpus root: the
 * corpus shards (`docs`), the dedup removals (`removed`), the audit samples (`samples`) and stats.json's
 * totals as rows (`ledger`). Every view has a `run` column, so the same SQL works on one run and on many.
 */

/** The command was pointed at something that is not a run folder or corpus root: exit 2, not 1. */
export class QueryUsageError extends Error {
  override name = 'QueryUsageError';
}

export interface QueryRun {
  /** The run's folder name (relative to the corpus root, `/`-separated): the `run` column. */
  run: string;
  dir: string;
}

export interface ViewColumn {
  name: string;
  type: string;
  description: string;
}

export type ViewName = 'docs' | 'removed' | 'samples' | 'ledger';

export interface ViewSpec {
  name: ViewName;
  /** Which files of a run folder it reads. */
  files: string;
  description: string;
  columns: ViewColumn[];
}

const RUN_COLUMN: ViewColumn = { name: 'run', type: 'VARCHAR', description: 'run folder name (below the corpus root)' };

const DUCKDB_TYPE: Record<ColumnType, string> = { UTF8: 'VARCHAR', INT64: 'BIGINT', DOUBLE: 'DOUBLE', TIMESTAMP_MILLIS: 'TIMESTAMP' };

/** One place for the views' shapes: `--help` prints them and an empty view is typed from them. */
export const VIEWS: readonly ViewSpec[] = [
  {
    name: 'docs',
    files: 'corpus/<lang>/<subcorpus>/*.parquet',
    description: 'one row per kept document: every Parquet column (README § Parquet schema), the filter scores of the run’s profile after token_count',
    columns: [
      RUN_COLUMN,
      ...DOC_COLUMNS.map((c) => ({ name: c.name, type: DUCKDB_TYPE[c.type], description: c.description })),
      { name: 'filename', type: 'VARCHAR', description: 'the shard the row is in' },
      { name: 'file_row_number', type: 'BIGINT', description: 'its row in that shard (0-based)' },
    ],
  },
  {
    name: 'removed',
    files: 'dedup/removed/*.jsonl',
    description: 'one row per document the dedup dropped, with the document kept in its place (join docs on id = duplicate_of; it may be in an earlier run of the same index)',
    columns: [
      RUN_COLUMN,
      { name: 'task', type: 'VARCHAR', description: 'WARC task whose staged shard held the dropped doc' },
      { name: 'id', type: 'VARCHAR', description: 'the dropped doc' },
      { name: 'reason', type: 'VARCHAR', description: 'exact-duplicate or near-duplicate' },
      { name: 'duplicate_of', type: 'VARCHAR', description: 'id of the doc kept in its place' },
      { name: 'similarity', type: 'DOUBLE', description: 'verified Jaccard (1 for exact duplicates)' },
      { name: 'ord', type: 'BIGINT', description: 'its row across the task’s staged shards' },
      { name: 'filename', type: 'VARCHAR', description: 'the removed/<task>.jsonl file' },
    ],
  },
  {
    name: 'samples',
    files: 'samples/<reason>.jsonl',
    description: 'the audit samples: the first dropped documents (or records) of each reason at every step, text cut to a preview',
    columns: [
      RUN_COLUMN,
      { name: 'reason', type: 'VARCHAR', description: 'drop reason (the file name)' },
      { name: 'stage', type: 'VARCHAR', description: 'step that dropped it' },
      { name: 'id', type: 'VARCHAR', description: 'document id (before extract: the id the record would have had)' },
      { name: 'url', type: 'VARCHAR', description: 'WARC-Target-URI' },
      { name: 'warc_file', type: 'VARCHAR', description: 'the WARC file holding the record' },
      { name: 'warc_offset', type: 'BIGINT', description: 'byte offset of the record in it (gzip member start)' },
      { name: 'content_type', type: 'VARCHAR', description: 'HTTP Content-Type (WARC Content-Type for non-response records), when the step knew it' },
      { name: 'duplicate_of', type: 'VARCHAR', description: 'for duplicates: the doc kept in its place' },
      { name: 'scores', type: 'JSON', description: "every score of the dropping step (scores->>'char_count')" },
      { name: 'text', type: 'VARCHAR', description: 'text preview (before decode: the raw bytes decoded leniently; a broken record: the error)' },
      { name: 'filename', type: 'VARCHAR', description: 'the samples/<reason>.jsonl file' },
    ],
  },
  {
    name: 'ledger',
    files: 'stats.json, its totals',
    description:
      "stats.json's totals, one row per step and kind: kind 'in' and 'out' (reason NULL) are what entered and left the step, kind 'drop' one row per drop reason; in = out + the step's drops",
    columns: [
      RUN_COLUMN,
      { name: 'step_no', type: 'INTEGER', description: 'position of the step in the pipeline (1 = read): ORDER BY step_no for the funnel' },
      { name: 'step', type: 'VARCHAR', description: 'read, html, precheck, ..., dedup, write' },
      { name: 'kind', type: 'VARCHAR', description: "'in', 'out' or 'drop'" },
      { name: 'reason', type: 'VARCHAR', description: "drop reason (NULL for 'in' and 'out')" },
      { name: 'docs', type: 'BIGINT', description: 'documents' },
      { name: 'bytes', type: 'BIGINT', description: 'bytes as the step sees them (raw record bytes before decode, UTF-8 after)' },
      { name: 'chars', type: 'BIGINT', description: 'code points (0 before decode)' },
      { name: 'tokens', type: 'BIGINT', description: "tokens of the run's counter (0 before normalize)" },
    ],
  },
];

function spec(name: ViewName): ViewSpec {
  return VIEWS.find((v) => v.name === name)!;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** A run folder has run.json from its first moment (stats.json only once it finished). */
async function isRunFolder(dir: string): Promise<boolean> {
  return (await exists(runJsonPath(dir))) || (await exists(statsPath(dir)));
}

/**
 * How deep below a corpus root run folders are looked for: 2 so that `runs/` (holding
 * `<pipeline>/<run-id>/`) works as well as `runs/cc-ja/`; never below a run folder, so a large
 * corpus costs one readdir per run, not one per shard.
 */
const MAX_ROOT_DEPTH = 2;

/** The run folder `dir`, or every run folder below it; a usage error naming `dir` when there is none. */
export async function findRuns(dir: string): Promise<{ runs: QueryRun[]; root: boolean }> {
  const st = await stat(dir).catch(() => null);
  if (!st) throw new QueryUsageError(`${dir}: no such folder`);
  if (!st.isDirectory()) throw new QueryUsageError(`${dir}: not a folder (expected a run folder or a folder of run folders)`);
  if (await isRunFolder(dir)) return { runs: [{ run: basename(dir), dir }], root: false };
  const runs: QueryRun[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const child = join(d, e.name);
      if (await isRunFolder(child)) runs.push({ run: relative(dir, child).split(sep).join('/'), dir: child });
      else if (depth < MAX_ROOT_DEPTH) await walk(child, depth + 1);
    }
  };
  await walk(dir, 1);
  if (runs.length === 0) throw new QueryUsageError(`${dir}: not a run folder (no run.json or stats.json) and no run folders below it`);
  runs.sort((a, b) => (a.run < b.run ? -1 : a.run > b.run ? 1 : 0));
  return { runs, root: true };
}

/** The views the SQL names (as a word, any case): binding `docs` reads every shard's footer, so unnamed views are not defined. */
export function viewsNamedIn(sql: string): ViewName[] {
  return VIEWS.map((v) => v.name).filter((name) => new RegExp(`\\b${name}\\b`, 'i').test(sql));
}

/** What a defined view could not read: folders (or files) without any data, and files left out with the reason. */
export interface ViewGaps {
  /** view → what it found nothing in, one line per run (shown when a query returns no rows). */
  missing: Map<ViewName, string[]>;
  /** The views that found no file in any run. */
  empty: Set<ViewName>;
  /** Runs left out of a view because their file is unreadable (always shown). */
  warnings: string[];
}

/** An empty SELECT with the view's columns and types, for a view with no files at all. */
function emptySelect(view: ViewSpec): string {
  return `SELECT ${view.columns.map((c) => `NULL::${c.type} AS "${c.name}"`).join(', ')} WHERE false`;
}

/** The `.jsonl` files directly in `dir`, sorted; none when it does not exist. */
async function jsonlFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return names
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((n) => join(dir, n));
}

function readJson(paths: readonly string[], columns: Record<string, string>): string {
  const cols = Object.entries(columns)
    // Quoted: a JSON key may be an SQL keyword (`offset`).
    .map(([k, t]) => `"${k}": '${t}'`)
    .join(', ');
  // Explicit columns: an empty file (a task that removed nothing) and a key a later version adds both read.
  return `read_json([${paths.map(sqlString).join(', ')}], format = 'newline_delimited', columns = {${cols}}, filename = true)`;
}

/** The file name without `.jsonl`: the task of a removed file, the reason of a samples file. */
const FILE_STEM = `regexp_extract(filename, '([^/\\\\]+)\\.jsonl$', 1)`;

type PartBuilder = (run: QueryRun) => Promise<{ select: string | null; missing: string | null }>;

async function defineUnion(conn: DuckDBConnection, name: ViewName, runs: readonly QueryRun[], part: PartBuilder, gaps: ViewGaps): Promise<void> {
  const selects: string[] = [];
  const missing: string[] = [];
  for (const r of runs) {
    const p = await part(r);
    if (p.select) selects.push(p.select);
    if (p.missing) missing.push(p.missing);
  }
  if (missing.length > 0) gaps.missing.set(name, missing);
  if (selects.length === 0) gaps.empty.add(name);
  // BY NAME: runs of different filter profiles have different score columns.
  const body = selects.length > 0 ? selects.join('\nUNION ALL BY NAME\n') : emptySelect(spec(name));
  await conn.run(`CREATE VIEW ${name} AS ${body}`);
}

const docsPart: PartBuilder = async (r) => {
  const shards = await listCorpusShards(r.dir);
  if (shards.length === 0) return { select: null, missing: `${join(r.dir, 'corpus')} holds no .parquet shard` };
  return { select: `SELECT ${sqlString(r.run)} AS run, * FROM ${shardsTable(shards.map((s) => join(r.dir, s)))}`, missing: null };
};

const removedPart: PartBuilder = async (r) => {
  const folder = join(dedupDir(r.dir), 'removed');
  const files = await jsonlFiles(folder);
  if (files.length === 0) return { select: null, missing: `${folder} holds no .jsonl file` };
  const table = readJson(files, { ord: 'BIGINT', id: 'VARCHAR', reason: 'VARCHAR', duplicateOf: 'VARCHAR', similarity: 'DOUBLE' });
  return {
    select: `SELECT ${sqlString(r.run)} AS run, ${FILE_STEM} AS task, id, reason, duplicateOf AS duplicate_of, similarity, ord, filename FROM ${table}`,
    missing: null,
  };
};

const samplesPart: PartBuilder = async (r) => {
  const folder = join(r.dir, 'samples');
  const files = await jsonlFiles(folder);
  if (files.length === 0) return { select: null, missing: `${folder} holds no .jsonl file` };
  // scores as JSON, not a STRUCT: each reason's step has its own scores, and a STRUCT would be the union of all.
  const table = readJson(files, {
    id: 'VARCHAR',
    url: 'VARCHAR',
    reason: 'VARCHAR',
    stage: 'VARCHAR',
    warcFile: 'VARCHAR',
    offset: 'BIGINT',
    contentType: 'VARCHAR',
    scores: 'JSON',
    text: 'VARCHAR',
    duplicateOf: 'VARCHAR',
  });
  return {
    select: `SELECT ${sqlString(r.run)} AS run, coalesce(reason, ${FILE_STEM}) AS reason, stage, id, url, warcFile AS warc_file, "offset" AS warc_offset, contentType AS content_type, duplicateOf AS duplicate_of, scores, text, filename FROM ${table}`,
    missing: null,
  };
};

interface LedgerRow {
  run: string;
  stepNo: number;
  step: string;
  kind: 'in' | 'out' | 'drop';
  reason: string | null;
  docs: number;
  bytes: number;
  chars: number;
  tokens: number;
}

/** stats.json's totals as rows; null when the run has no stats.json yet. Throws naming the file when it is unreadable. */
async function ledgerRows(r: QueryRun): Promise<LedgerRow[] | null> {
  const path = statsPath(r.dir);
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw new Error(`${path}: cannot read (${e.message})`);
  });
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`);
  }
  const totals = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).totals : undefined;
  const ledger = parseLedger(totals, `${path}: totals`);
  const rows: LedgerRow[] = [];
  Object.entries(ledger).forEach(([step, s], i) => {
    const base = { run: r.run, stepNo: i + 1, step };
    rows.push({ ...base, kind: 'in', reason: null, docs: s.docsIn, bytes: s.bytesIn, chars: s.charsIn, tokens: s.tokensIn });
    rows.push({ ...base, kind: 'out', reason: null, docs: s.docsOut, bytes: s.bytesOut, chars: s.charsOut, tokens: s.tokensOut });
    for (const [reason, d] of Object.entries(s.drops)) rows.push({ ...base, kind: 'drop', reason, ...d });
  });
  return rows;
}

async function defineLedger(conn: DuckDBConnection, runs: readonly QueryRun[], gaps: ViewGaps): Promise<void> {
  const view = spec('ledger');
  await conn.run(`CREATE TABLE ledger (${view.columns.map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
  const appender = await conn.createAppender('ledger');
  const missing: string[] = [];
  for (const r of runs) {
    let rows: LedgerRow[] | null;
    try {
      rows = await ledgerRows(r);
    } catch (e) {
      // One broken stats.json should not stop the queries of the shards or of the other runs.
      gaps.warnings.push(`ledger leaves run ${r.run} out: ${(e as Error).message}`);
      continue;
    }
    if (rows === null) {
      missing.push(`${statsPath(r.dir)} does not exist: the run has not finished (pnpm status ${r.dir})`);
      continue;
    }
    for (const row of rows) {
      appender.appendVarchar(row.run);
      appender.appendInteger(row.stepNo);
      appender.appendVarchar(row.step);
      appender.appendVarchar(row.kind);
      if (row.reason === null) appender.appendNull();
      else appender.appendVarchar(row.reason);
      // parseLedger checked every count is a safe non-negative integer.
      for (const n of [row.docs, row.bytes, row.chars, row.tokens]) appender.appendBigInt(BigInt(n));
      appender.endRow();
    }
  }
  appender.closeSync();
  if (missing.length > 0) gaps.missing.set('ledger', missing);
  if (missing.length === runs.length) gaps.empty.add('ledger');
}

/** Defines the views named in `names` over `runs` on `conn`. */
export async function defineViews(conn: DuckDBConnection, runs: readonly QueryRun[], names: readonly ViewName[]): Promise<ViewGaps> {
  const gaps: ViewGaps = { missing: new Map(), empty: new Set(), warnings: [] };
  for (const name of names) {
    try {
      if (name === 'docs') await defineUnion(conn, name, runs, docsPart, gaps);
      else if (name === 'removed') await defineUnion(conn, name, runs, removedPart, gaps);
      else if (name === 'samples') await defineUnion(conn, name, runs, samplesPart, gaps);
      else await defineLedger(conn, runs, gaps);
    } catch (e) {
      throw new Error(`cannot define the view ${name}: ${(e as Error).message}`);
    }
  }
  return gaps;
}
