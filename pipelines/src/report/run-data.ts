import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseLedger, type ReportDedupSummary, type ReportRunStats, type TokenCounterConfig, type TokenCounterKind } from '@jcp/stats';
import { statsPath } from '../run-folder/layout.ts';

/**
 * What the report and `verify` read from a run folder: stats.json checked field by field (a hand-edited
 * or truncated file fails here with the field's name, not later with a NaN), the corpus shards on disk,
 * and DuckDB to count them.
 */

/**
 * stats.json as the report and `verify` use it; per WARC also the task's staged shard names and its
 * corpus shard names (`shards`; absent in stats.json written before issue 17).
 */
export interface CheckedRunStats extends ReportRunStats {
  byWarc: Array<ReportRunStats['byWarc'][number] & { stagedShards: string[]; shards?: string[]; bytesFetched?: number }>;
  /** A `--via-index` run's scan counts that the ledger also holds (the rest of stats.json `viaIndex` is not checked). */
  viaIndex: { rowsSelected: number; selectedByLanguage: Record<string, number>; bytesFetched: number } | null;
}

type Json = Record<string, unknown>;

function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: expected an object, found ${JSON.stringify(v)}`);
  return v as Json;
}

function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${where}: expected an array, found ${JSON.stringify(v)}`);
  return v;
}

function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Error(`${where}.${key}: expected a string, found ${JSON.stringify(v)}`);
  return v;
}

function num(o: Json, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}.${key}: expected a number, found ${JSON.stringify(v)}`);
  return v;
}

function count(o: Json, key: string, where: string): number {
  const v = num(o, key, where);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${where}.${key}: expected a non-negative integer, found ${v}`);
  return v;
}

/** A list of file names. */
/** `{ name: count, ... }` */
function counts(v: unknown, where: string): Record<string, number> {
  const o = obj(v, where);
  return Object.fromEntries(Object.keys(o).map((k) => [k, count(o, k, where)]));
}

function names(v: unknown, where: string): string[] {
  return arr(v, where).map((s, j) => {
    if (typeof s !== 'string') throw new Error(`${where}[${j}]: expected a string`);
    return s;
  });
}

const TOKENIZER_KINDS: readonly TokenCounterKind[] = ['sentencepiece', 'kuromoji', 'chars', 'bytes'];

function parseTokenizer(v: unknown, where: string): TokenCounterConfig {
  const o = obj(v, where);
  const kind = str(o, 'kind', where);
  const known = TOKENIZER_KINDS.find((k) => k === kind);
  if (!known) throw new Error(`${where}.kind: '${kind}', expected one of ${TOKENIZER_KINDS.join(', ')}`);
  return { kind: known, modelPath: str(o, 'modelPath', where) };
}

function parseDedup(v: unknown, where: string): ReportDedupSummary | null {
  if (v === null) return null;
  const o = obj(v, where);
  const segs = arr(o.indexSegments, `${where}.indexSegments`).map((s, i) => {
    if (typeof s !== 'string') throw new Error(`${where}.indexSegments[${i}]: expected a string`);
    return s;
  });
  const committed = o.committedAs;
  if (committed !== null && typeof committed !== 'string') throw new Error(`${where}.committedAs: expected a string or null`);
  return {
    bands: count(o, 'bands', where),
    rows: count(o, 'rows', where),
    threshold: num(o, 'threshold', where),
    shingleChars: count(o, 'shingleChars', where),
    indexSegments: segs,
    committedAs: committed,
    clusters: count(o, 'clusters', where),
    clusteredDocs: count(o, 'clusteredDocs', where),
    // absent in stats written before cross-subcorpus dedup
    superseded: o.superseded === undefined ? {} : counts(o.superseded, `${where}.superseded`),
    perBand: arr(o.perBand, `${where}.perBand`).map((b, i) => {
      const w = `${where}.perBand[${i}]`;
      const p = obj(b, w);
      if (typeof p.exact !== 'boolean') throw new Error(`${w}.exact: expected a boolean`);
      return { section: count(p, 'section', w), exact: p.exact, entries: count(p, 'entries', w), groups: count(p, 'groups', w), candidates: count(p, 'candidates', w), pairs: count(p, 'pairs', w) };
    }),
  };
}

/** Checks parsed stats.json; `where` is its path. */
export function parseRunStats(value: unknown, where: string): CheckedRunStats {
  const o = obj(value, where);
  const schema = str(o, 'schema', where);
  if (!/^jcp-stats\/\d+$/.test(schema)) throw new Error(`${where}.schema: '${schema}' is not a jcp-stats schema`);
  const tasks = obj(o.tasks, `${where}.tasks`);
  const samples = obj(o.samples, `${where}.samples`);
  return {
    schema,
    pipeline: str(o, 'pipeline', where),
    runId: str(o, 'runId', where),
    source: str(o, 'source', where),
    subcorpus: str(o, 'subcorpus', where),
    tokenizer: parseTokenizer(o.tokenizer, `${where}.tokenizer`),
    tasks: { total: count(tasks, 'total', `${where}.tasks`), done: count(tasks, 'done', `${where}.tasks`), failed: count(tasks, 'failed', `${where}.tasks`) },
    totals: parseLedger(o.totals, `${where}.totals`),
    output: Object.fromEntries(
      Object.entries(obj(o.output, `${where}.output`)).map(([k, x]) => {
        const w = `${where}.output.${k}`;
        const p = obj(x, w);
        return [k, { docs: count(p, 'docs', w), shards: count(p, 'shards', w) }];
      }),
    ),
    byWarc: arr(o.byWarc, `${where}.byWarc`).map((x, i) => {
      const w = `${where}.byWarc[${i}]`;
      const p = obj(x, w);
      const shards = p.shards === undefined ? {} : { shards: names(p.shards, `${w}.shards`) };
      const fetched = p.bytesFetched === undefined ? {} : { bytesFetched: count(p, 'bytesFetched', w) };
      return {
        ...shards,
        ...fetched,
        taskId: str(p, 'taskId', w),
        warcFile: str(p, 'warcFile', w),
        crawl: str(p, 'crawl', w),
        inputBytes: count(p, 'inputBytes', w),
        ledger: parseLedger(p.ledger, `${w}.ledger`),
        errors: count(p, 'errors', w),
        stagedShards: names(p.stagedShards, `${w}.stagedShards`),
      };
    }),
    dedup: parseDedup(o.dedup ?? null, `${where}.dedup`),
    failed: arr(o.failed, `${where}.failed`).map((x, i) => {
      const p = obj(x, `${where}.failed[${i}]`);
      return { taskId: str(p, 'taskId', `${where}.failed[${i}]`), error: str(p, 'error', `${where}.failed[${i}]`) };
    }),
    samples: Object.fromEntries(Object.keys(samples).map((k) => [k, count(samples, k, `${where}.samples`)])),
    viaIndex: parseViaIndex(o.viaIndex ?? null, `${where}.viaIndex`),
  };
}

function parseViaIndex(v: unknown, where: string): CheckedRunStats['viaIndex'] {
  if (v === null) return null;
  const o = obj(v, where);
  return { rowsSelected: count(o, 'rowsSelected', where), selectedByLanguage: counts(o.selectedByLanguage, `${where}.selectedByLanguage`), bytesFetched: count(o, 'bytesFetched', where) };
}

export async function readRunStats(runDir: string): Promise<CheckedRunStats> {
  const path = statsPath(runDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read (${(e as Error).message}); is ${runDir} a run folder?`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`);
  }
  return parseRunStats(value, path);
}

/** The corpus folder of a run (`corpus/<lang>/<subcorpus>/` below it). */
export function corpusRoot(runDir: string): string {
  return join(runDir, 'corpus');
}

/** Every file below `corpus/`, as paths relative to the run folder with `/` separators, sorted. */
export async function listCorpusFiles(runDir: string): Promise<string[]> {
  const root = corpusRoot(runDir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    throw e;
  });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(runDir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** The corpus shards: the `.parquet` files below `corpus/`. */
export async function listCorpusShards(runDir: string): Promise<string[]> {
  return (await listCorpusFiles(runDir)).filter((f) => f.endsWith('.parquet'));
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * The shards as one table, with `filename` and `file_row_number` (DuckDB's virtual columns) so every
 * count can name its file and row; `union_by_name` so a shard missing a score column still reads.
 */
export function shardsTable(paths: readonly string[]): string {
  return `read_parquet([${paths.map(sqlString).join(', ')}], union_by_name = true, filename = true, file_row_number = true)`;
}

/** Opens an in-memory DuckDB for the duration of `fn`. */
export async function withDuckDB<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** A DuckDB count or sum (BIGINT / HUGEINT come back as bigint) as an exact JS integer; null (sum of nothing) is 0. */
export function toCount(v: unknown, where: string): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isSafeInteger(n) || (typeof v === 'bigint' && BigInt(n) !== v)) throw new Error(`${where}: ${String(v)} is not an exact integer`);
  return n;
}

/** A DuckDB DOUBLE (or integer) as a JS number; null stays null. */
export function toNumber(v: unknown, where: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new Error(`${where}: expected a number, found ${String(v)}`);
}

/** The columns the shards have (union over all shards). */
export async function shardColumns(conn: DuckDBConnection, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const rows = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${shardsTable(paths)}`)).getRowObjectsJS();
  return new Set(rows.map((r) => String(r.column_name)));
}
