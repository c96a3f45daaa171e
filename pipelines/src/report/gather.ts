import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { readRunHistory, runHistoryPath, type FileLink, type Histogram, type ReportData, type SampleLink, type ShardGroup, type TaskFileLink } from '@jcp/stats';
import { PROCESS_STAGE } from '../run-folder/names.ts';
import { removedPath, runSamplesPath, taskErrorsPath } from '../run-folder/layout.ts';
import { DEFAULT_REPORT_CONFIG, type HistogramSpec, type ReportConfig } from './config.ts';
import { listCorpusShards, readRunStats, shardColumns, shardsTable, toCount, toNumber, withDuckDB } from './run-data.ts';

/** Everything the report shows, read from the run folder: stats.json, the shards (DuckDB), the files it links to. */
export async function gatherReport(runDir: string, outFile: string, config: ReportConfig = DEFAULT_REPORT_CONFIG): Promise<ReportData> {
  const stats = await readRunStats(runDir);
  const shardNames = await listCorpusShards(runDir);
  const shardPaths = shardNames.map((s) => join(runDir, s));
  const outDir = dirname(outFile);
  const fileLink = async (path: string): Promise<FileLink> => ({ href: hrefFrom(outDir, path), label: relative(runDir, path).split(sep).join('/'), exists: await isFile(path) });

  const { bySourceSubcorpus, lengthHistograms, scoreHistograms } = await withDuckDB(async (conn) => {
    const columns = await shardColumns(conn, shardPaths);
    for (const c of ['text', 'source', 'subcorpus', 'token_count']) {
      if (shardPaths.length > 0 && !columns.has(c)) throw new Error(`${join(runDir, 'corpus')}: the shards have no '${c}' column`);
    }
    const hist = async (specs: HistogramSpec[]): Promise<Histogram[]> => {
      const out: Histogram[] = [];
      for (const spec of specs) out.push(await histogram(conn, shardPaths, columns, spec, config.histogramBins));
      return out;
    };
    return {
      bySourceSubcorpus: await groupCounts(conn, shardPaths, ['source', 'subcorpus']),
      lengthHistograms: await hist(config.lengthHistograms),
      scoreHistograms: await hist(config.scoreHistograms),
    };
  });

  const samples: SampleLink[] = [];
  for (const [reason, count] of Object.entries(stats.samples)) {
    const path = runSamplesPath(runDir, reason);
    samples.push({ ...(await fileLink(path)), reason, count, first: await firstSample(path, config.previewChars) });
  }
  const errorFiles: TaskFileLink[] = [];
  const removedFiles: TaskFileLink[] = [];
  for (const w of stats.byWarc) {
    const errors = taskErrorsPath(runDir, PROCESS_STAGE, w.taskId);
    if (await isFile(errors)) errorFiles.push({ ...(await fileLink(errors)), taskId: w.taskId, count: w.errors });
    const removed = removedPath(runDir, w.taskId);
    const dedupDrops = Object.values(w.ledger.dedup?.drops ?? {}).reduce((n, d) => n + d.docs, 0);
    if (await isFile(removed)) removedFiles.push({ ...(await fileLink(removed)), taskId: w.taskId, count: dedupDrops });
  }
  const historyPath = runHistoryPath(runDir, stats.pipeline);
  const historyExists = await isFile(historyPath);
  return {
    stats,
    shards: shardNames,
    bySourceSubcorpus,
    lengthHistograms,
    scoreHistograms,
    samples,
    errorFiles,
    removedFiles,
    history: historyExists ? await readRunHistory(historyPath) : [],
    historyFile: historyExists ? { href: hrefFrom(outDir, historyPath), label: relative(dirname(runDir), historyPath).split(sep).join('/'), exists: true } : null,
  };
}

/** A relative URL from the report's folder to a file, each path segment percent-encoded. */
export function hrefFrom(fromDir: string, target: string): string {
  return relative(fromDir, target).split(sep).map(encodeURIComponent).join('/');
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** Kept docs, code points, UTF-8 bytes and tokens, grouped by shard columns. */
export async function groupCounts(conn: DuckDBConnection, shardPaths: readonly string[], by: readonly string[]): Promise<ShardGroup[]> {
  if (shardPaths.length === 0) return [];
  const keys = by.map((c) => `"${c}"`).join(', ');
  const sql = `SELECT ${keys}, count(*) AS docs, sum(length(text)) AS chars, sum(strlen(text)) AS bytes, sum(token_count) AS tokens
    FROM ${shardsTable(shardPaths)} GROUP BY ${keys} ORDER BY ${keys}`;
  const rows = (await conn.runAndReadAll(sql)).getRowObjectsJS();
  return rows.map((r) => {
    const key: Record<string, string> = {};
    for (const c of by) key[c] = String(r[c] ?? '');
    const where = `shard counts ${JSON.stringify(key)}`;
    return { key, docs: toCount(r.docs, where), chars: toCount(r.chars, where), bytes: toCount(r.bytes, where), tokens: toCount(r.tokens, where) };
  });
}

/**
 * Bins one value per kept doc in DuckDB (the values never come to JS, so a corpus of millions of docs
 * costs one scan per histogram). Bin i holds f(x) in [lo + i·w, lo + (i+1)·w), f = ln for log scale;
 * values outside a fixed range go to the end bins, so Σ counts = non-null values.
 */
async function histogram(conn: DuckDBConnection, shardPaths: readonly string[], columns: Set<string>, spec: HistogramSpec, bins: number): Promise<Histogram> {
  const base = { name: spec.name, description: spec.description, scale: spec.scale, integer: spec.integer };
  if (shardPaths.length === 0 || !columns.has(spec.column)) {
    return { ...base, edges: [], counts: [], nulls: 0, values: 0, missing: shardPaths.length > 0 };
  }
  const x = `(${spec.expr ?? `"${spec.column}"`})::DOUBLE`;
  const table = shardsTable(shardPaths);
  const where = `histogram ${spec.name}`;
  const s = (await conn.runAndReadAll(`SELECT count(*) AS n_rows, count(${x}) AS n, min(${x}) AS lo, max(${x}) AS hi, min(${x}) FILTER (WHERE ${x} > 0) AS pos_lo FROM ${table}`)).getRowObjectsJS()[0]!;
  const rows = toCount(s.n_rows, where);
  const n = toCount(s.n, where);
  if (n === 0) return { ...base, edges: [], counts: [], nulls: rows, values: 0, missing: false };
  let lo = spec.range?.[0] ?? toNumber(s.lo, where)!;
  const hi = spec.range?.[1] ?? toNumber(s.hi, where)!;
  // Log bins need a positive lower edge; zeros (if any) land in the first bin.
  const log = spec.scale === 'log' && (toNumber(s.pos_lo, where) ?? 0) > 0;
  if (log && lo <= 0) lo = toNumber(s.pos_lo, where)!;
  const f = (v: number): number => (log ? Math.log(v) : v);
  const fx = log ? `ln(greatest(${x}, ${lo}::DOUBLE))` : x;
  const width = (f(hi) - f(lo)) / bins;
  const nBins = width > 0 ? bins : 1;
  const binSql = width > 0 ? `least(${bins - 1}, greatest(0, floor((${fx} - ${f(lo)}::DOUBLE) / ${width}::DOUBLE)))::INTEGER` : '0';
  const counted = (await conn.runAndReadAll(`SELECT ${binSql} AS bin, count(*) AS c FROM ${table} WHERE ${x} IS NOT NULL GROUP BY bin`)).getRowObjectsJS();
  const counts = new Array<number>(nBins).fill(0);
  for (const r of counted) counts[toCount(r.bin, where)] = toCount(r.c, where);
  const edges = Array.from({ length: nBins + 1 }, (_, i) => {
    if (i === nBins) return hi;
    const v = f(lo) + i * (width > 0 ? width : 0);
    return log ? Math.exp(v) : v;
  });
  return { ...base, scale: log ? 'log' : 'linear', edges, counts, nulls: rows - n, values: n, missing: false };
}

/** The first line of a samples file (a run keeps at most 100 short previews per reason), its text cut to `previewChars` code points; null when unreadable. */
async function firstSample(path: string, previewChars: number): Promise<SampleLink['first']> {
  const text = await readFile(path, 'utf8').catch(() => null);
  const line = text?.split('\n').find((l) => l.trim() !== '');
  if (!line) return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  return {
    id: typeof o.id === 'string' ? o.id : '',
    url: typeof o.url === 'string' ? o.url : '',
    text: typeof o.text === 'string' ? Array.from(o.text).slice(0, previewChars).join('') : '',
  };
}
