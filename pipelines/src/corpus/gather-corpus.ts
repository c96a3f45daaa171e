import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseJsonLines } from '@jcp/core';
import { isProtocolRecordDrop, outputOf, readRunHistory, tokenizerName, type CorpusDrop, type CorpusGroup, type CorpusLoss, type CorpusReportData, type CorpusRun, type HistoryEntry } from '@jcp/stats';
import type { SupersededDoc } from '../run-folder/dedup-files.ts';
import { runJsonPath, statsPath, supersededPath } from '../run-folder/layout.ts';
import { listCorpusShards, readRunStats, shardsTable, sqlString, toCount, withDuckDB, type CheckedRunStats } from '../report/run-data.ts';

/**
 * Everything below a corpus root as one corpus: the run folders (any folder holding a `run.json`),
 * their stats.json ledgers, all their shards counted together by DuckDB less the documents later runs
 * superseded, the cross-subcorpus losses, and every history file.
 */

/** Folders never searched for runs: the index, the histories, and the insides of a run folder. */
const NOT_RUNS = new Set(['dedup-index', 'history', 'node_modules']);
/** How deep below the root run folders are looked for (`runs/<pipeline>/<run-id>` is depth 2). */
const MAX_DEPTH = 4;

export interface FoundRun {
  dir: string;
  /** null: the run has not written stats.json (running, or stopped before its stats stage). */
  stats: CheckedRunStats | null;
}

/** Run folders below `root`, sorted by path; a run folder is not searched further. */
export async function findRuns(root: string): Promise<FoundRun[]> {
  const dirs: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (await isFile(runJsonPath(dir))) {
      dirs.push(dir);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !NOT_RUNS.has(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
    }
  };
  await walk(root, 0);
  const out: FoundRun[] = [];
  for (const dir of dirs) out.push({ dir, stats: (await isFile(statsPath(dir))) ? await readRunStats(dir) : null });
  return out;
}

/** Every history line below the root (one file per pipeline and corpus folder), oldest first. */
async function readAllHistory(root: string, runDirs: string[]): Promise<HistoryEntry[]> {
  const files = new Set<string>();
  for (const dir of runDirs) {
    const historyDir = join(dir, '..', 'history');
    for (const f of await readdir(historyDir).catch(() => [] as string[])) if (f.endsWith('.jsonl')) files.add(join(historyDir, f));
  }
  const entries: HistoryEntry[] = [];
  for (const f of [...files].sort()) entries.push(...(await readRunHistory(f)));
  return entries.sort((a, b) => (a.recordedAt < b.recordedAt ? -1 : a.recordedAt > b.recordedAt ? 1 : 0));
}

/** The documents the runs superseded, each with the subcorpus of the run that superseded it. */
export async function readSupersessions(runs: FoundRun[]): Promise<Array<SupersededDoc & { by: string }>> {
  const out: Array<SupersededDoc & { by: string }> = [];
  for (const run of runs) {
    if (run.stats === null) continue;
    const text = await readFile(supersededPath(run.dir), 'utf8').catch(() => '');
    for (const doc of parseJsonLines<SupersededDoc>(text)) out.push({ ...doc, by: run.stats.subcorpus });
  }
  return out;
}

/** What a drop reason against an earlier run says about the winner: `…-of-earlier-run` (same subcorpus) or `…-of-earlier-<subcorpus>`. */
const EARLIER = /-of-earlier-(.+)$/;

export async function gatherCorpus(root: string): Promise<CorpusReportData> {
  const found = await findRuns(root);
  const finished = found.filter((r): r is FoundRun & { stats: CheckedRunStats } => r.stats !== null);
  const runs: CorpusRun[] = finished.map(({ dir, stats }) => {
    const kept = outputOf(stats.totals.write);
    return {
      path: relative(root, dir).split(sep).join('/') || '.',
      pipeline: stats.pipeline,
      runId: stats.runId,
      source: stats.source,
      subcorpus: stats.subcorpus,
      tokenizer: tokenizerName(stats.tokenizer),
      kept: { docs: kept.docs, chars: kept.chars, tokens: kept.tokens },
      tasks: stats.tasks,
    };
  });
  const superseded = await readSupersessions(finished);
  const shardPaths: string[] = [];
  for (const run of finished) for (const s of await listCorpusShards(run.dir)) shardPaths.push(join(run.dir, s));

  const counted = await withDuckDB(async (conn) => {
    await conn.run('CREATE TEMP TABLE superseded (id VARCHAR, loser VARCHAR, winner VARCHAR)');
    for (let i = 0; i < superseded.length; i += 500) {
      const values = superseded.slice(i, i + 500).map((s) => `(${sqlString(s.id)}, ${sqlString(s.subcorpus ?? '?')}, ${sqlString(s.by)})`);
      await conn.run(`INSERT INTO superseded VALUES ${values.join(', ')}`);
    }
    const kept = shardPaths.length === 0 ? null : `(SELECT * FROM ${shardsTable(shardPaths)} WHERE id NOT IN (SELECT id FROM superseded))`;
    const groups = async (by: string): Promise<CorpusGroup[]> => (kept === null ? [] : countGroups(conn, kept, by));
    const supersededCounts = shardPaths.length === 0 ? [] : await supersededByPair(conn, shardPaths);
    return { bySubcorpus: await groups('subcorpus'), bySource: await groups('source'), byCrawl: await groups('crawl'), supersededCounts };
  });

  const losses: CorpusLoss[] = [];
  const addLoss = (loss: CorpusLoss): void => {
    const same = losses.find((l) => l.loser === loss.loser && l.winner === loss.winner && l.how === loss.how);
    if (same) {
      same.docs += loss.docs;
      same.tokens += loss.tokens;
    } else losses.push({ ...loss });
  };
  const drops: CorpusDrop[] = [];
  for (const { stats } of finished) {
    for (const [stage, counts] of Object.entries(stats.totals)) {
      for (const [reason, d] of Object.entries(counts.drops)) {
        if (isProtocolRecordDrop(stage, reason)) continue; // a WARC request or metadata record is not a dropped document
        const same = drops.find((x) => x.subcorpus === stats.subcorpus && x.stage === stage && x.reason === reason);
        if (same) {
          same.docs += d.docs;
          same.tokens += d.tokens;
        } else drops.push({ subcorpus: stats.subcorpus, stage, reason, docs: d.docs, tokens: d.tokens });
        const earlier = stage === 'dedup' ? EARLIER.exec(reason) : null;
        if (earlier) addLoss({ loser: stats.subcorpus, winner: earlier[1] === 'run' ? stats.subcorpus : earlier[1]!, how: 'dropped', docs: d.docs, tokens: d.tokens });
      }
    }
  }
  for (const s of counted.supersededCounts) addLoss({ ...s, how: 'superseded' });
  const supersededTotal = counted.supersededCounts.reduce((a, s) => ({ docs: a.docs + s.docs, tokens: a.tokens + s.tokens }), { docs: 0, tokens: 0 });

  return {
    root,
    runs,
    unfinished: found.filter((r) => r.stats === null).map((r) => relative(root, r.dir).split(sep).join('/')),
    bySubcorpus: counted.bySubcorpus,
    bySource: counted.bySource,
    byCrawl: counted.byCrawl,
    superseded: supersededTotal,
    losses: losses.sort((a, b) => a.loser.localeCompare(b.loser) || a.winner.localeCompare(b.winner) || a.how.localeCompare(b.how)),
    drops,
    history: await readAllHistory(root, found.map((r) => r.dir)),
  };
}

async function countGroups(conn: DuckDBConnection, table: string, by: string): Promise<CorpusGroup[]> {
  const sql = `SELECT coalesce("${by}", '') AS k, count(*) AS docs, sum(length(text)) AS chars, sum(strlen(text)) AS bytes, sum(token_count) AS tokens
    FROM ${table} GROUP BY k ORDER BY k`;
  return (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => {
    const where = `corpus counts by ${by} '${String(r.k)}'`;
    return { key: { [by]: String(r.k) }, docs: toCount(r.docs, where), chars: toCount(r.chars, where), bytes: toCount(r.bytes, where), tokens: toCount(r.tokens, where) };
  });
}

/** The superseded docs found in the shards, counted per (their subcorpus, the superseding one). */
async function supersededByPair(conn: DuckDBConnection, shardPaths: string[]): Promise<Array<{ loser: string; winner: string; docs: number; tokens: number }>> {
  const sql = `SELECT s.loser, s.winner, count(*) AS docs, sum(d.token_count) AS tokens
    FROM (SELECT id, token_count FROM ${shardsTable(shardPaths)}) d JOIN superseded s ON d.id = s.id GROUP BY s.loser, s.winner ORDER BY s.loser, s.winner`;
  return (await conn.runAndReadAll(sql)).getRowObjectsJS().map((r) => ({
    loser: String(r.loser),
    winner: String(r.winner),
    docs: toCount(r.docs, 'superseded docs'),
    tokens: toCount(r.tokens, 'superseded tokens'),
  }));
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}
