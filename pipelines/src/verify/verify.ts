import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { createTokenCounter, mergeLedgers, parseLedger, tokenizerName, unbalancedStages, type Ledger, type StageCounts } from '@jcp/stats';
import { WRITE_STAGE } from '../run-folder/names.ts';
import { readTaskResult } from '../run-folder/task-marker.ts';
import { listCorpusFiles, readRunStats, shardColumns, shardsTable, toCount, withDuckDB, type CheckedRunStats } from '../report/run-data.ts';

/**
 * `pnpm verify`: recounts a run's corpus from the Parquet shards themselves and holds stats.json to it.
 * The ledger is written by the tasks as they go; the shards are what a trainer reads. They must agree
 * on every document, code point, UTF-8 byte and token, in total, per subcorpus, per source and per WARC,
 * and every row's token_count must be what the run's tokenizer gives for its text.
 */

/** One disagreement: what (file, subcorpus, source, WARC, row), which field, and the two values. */
export interface Mismatch {
  what: string;
  field: string;
  /** The claim: stats.json, a marker, the column. */
  expected: { from: string; value: number | string };
  /** What was found: the recount, the file system, the tokenizer. */
  found: { from: string; value: number | string };
}

export function formatMismatch(m: Mismatch): string {
  return `MISMATCH ${m.what}: ${m.field}: ${m.expected.from} ${m.expected.value}, ${m.found.from} ${m.found.value}`;
}

export interface VerifySummary {
  ok: boolean;
  runDir: string;
  shards: number;
  docs: number;
  chars: number;
  bytes: number;
  tokens: number;
  /** Rows whose text was tokenised again. */
  retokenized: number;
  tokenizer: string;
  mismatches: number;
}

/** The four sizes a ledger's `write` stage puts out and a recount can count. */
interface Sizes {
  docs: number;
  chars: number;
  bytes: number;
  tokens: number;
}

const SIZE_FIELDS = [
  ['docs', 'docsOut'],
  ['chars', 'charsOut'],
  ['bytes', 'bytesOut'],
  ['tokens', 'tokensOut'],
] as const;

function zero(): Sizes {
  return { docs: 0, chars: 0, bytes: 0, tokens: 0 };
}

function addSizes(into: Sizes, from: Sizes): void {
  into.docs += from.docs;
  into.chars += from.chars;
  into.bytes += from.bytes;
  into.tokens += from.tokens;
}

function writeOut(ledger: Ledger): Sizes {
  const w = ledger.write;
  return w ? { docs: w.docsOut, chars: w.charsOut, bytes: w.bytesOut, tokens: w.tokensOut } : zero();
}

/** Required shard columns for the recount. */
const RECOUNT_COLUMNS = ['id', 'text', 'source', 'subcorpus', 'warc_file', 'token_count'] as const;

/** Runs every check; calls `report` for each mismatch as it is found, returns the summary. */
export async function verifyRun(runDir: string, report: (m: Mismatch) => void): Promise<VerifySummary> {
  let mismatches = 0;
  const mismatch = (m: Mismatch): void => {
    mismatches++;
    report(m);
  };
  const stats = await readRunStats(runDir);
  checkCompleteness(stats, mismatch);
  checkLedgerBalance(stats, mismatch);
  checkViaIndex(stats, mismatch);
  const shards = await checkShardFiles(runDir, stats, mismatch);
  const counter = await createTokenCounter(stats.tokenizer).catch((e: Error) => {
    throw new Error(`cannot load the tokenizer stats.json names (${JSON.stringify(stats.tokenizer)}): ${e.message}`);
  });
  const { total, retokenized } = await withDuckDB(async (conn) => {
    const paths = shards.map((s) => join(runDir, s));
    const columns = await shardColumns(conn, paths);
    const absent = RECOUNT_COLUMNS.filter((c) => !columns.has(c));
    if (paths.length > 0 && absent.length > 0) {
      for (const c of absent) mismatch({ what: 'shards', field: `column ${c}`, expected: { from: 'schema', value: 'present' }, found: { from: 'shards', value: 'absent' } });
      return { total: zero(), retokenized: 0 };
    }
    const total = await recount(conn, runDir, stats, shards, mismatch);
    const retokenized = await retokenize(conn, runDir, shards, (text) => counter.count(text), counter.name, mismatch);
    return { total, retokenized };
  });
  return {
    ok: mismatches === 0,
    runDir,
    shards: shards.length,
    ...total,
    retokenized,
    tokenizer: tokenizerName(stats.tokenizer),
    mismatches,
  };
}

function checkCompleteness(stats: CheckedRunStats, mismatch: (m: Mismatch) => void): void {
  if (stats.tasks.done !== stats.tasks.total) {
    mismatch({ what: 'run', field: 'tasks.done', expected: { from: 'tasks.total', value: stats.tasks.total }, found: { from: 'tasks.done', value: stats.tasks.done } });
  }
  if (stats.tasks.failed !== 0 || stats.failed.length !== 0) {
    mismatch({ what: 'run', field: 'tasks.failed', expected: { from: 'a finished run', value: 0 }, found: { from: 'stats.json', value: Math.max(stats.tasks.failed, stats.failed.length) } });
  }
}

const STAGE_FIELDS = ['docsIn', 'docsOut', 'bytesIn', 'bytesOut', 'charsIn', 'charsOut', 'tokensIn', 'tokensOut'] as const;
const DROP_FIELDS = ['docs', 'bytes', 'chars', 'tokens'] as const;

function dropped(s: StageCounts): number {
  return Object.values(s.drops).reduce((n, d) => n + d.docs, 0);
}

/**
 * The ledger against itself: every stage's docs in = out + drops (totals and every WARC); each stage
 * takes in what the one before put out; and the totals are exactly the sum of the per-WARC ledgers.
 */
function checkLedgerBalance(stats: CheckedRunStats, mismatch: (m: Mismatch) => void): void {
  const balance = (ledger: Ledger, where: string): void => {
    for (const stage of unbalancedStages(ledger)) {
      const s = ledger[stage]!;
      mismatch({ what: `ledger ${where}.${stage}`, field: 'docsIn', expected: { from: 'docsOut + Σ drops.docs', value: s.docsOut + dropped(s) }, found: { from: 'docsIn', value: s.docsIn } });
    }
    const stages = Object.entries(ledger);
    for (let i = 1; i < stages.length; i++) {
      const [prev, p] = stages[i - 1]!;
      const [name, s] = stages[i]!;
      if (p.docsOut !== s.docsIn) mismatch({ what: `ledger ${where}.${name}`, field: 'docsIn', expected: { from: `${prev}.docsOut`, value: p.docsOut }, found: { from: 'docsIn', value: s.docsIn } });
    }
  };
  balance(stats.totals, 'totals');
  for (const w of stats.byWarc) balance(w.ledger, `byWarc[${w.taskId}]`);

  const summed: Ledger = {};
  for (const w of stats.byWarc) mergeLedgers(summed, w.ledger);
  for (const stage of new Set([...Object.keys(summed), ...Object.keys(stats.totals)])) {
    const t = stats.totals[stage];
    const s = summed[stage];
    const what = `ledger totals.${stage}`;
    for (const f of STAGE_FIELDS) {
      const tv = t?.[f] ?? 0;
      const sv = s?.[f] ?? 0;
      if (tv !== sv) mismatch({ what, field: f, expected: { from: 'Σ byWarc', value: sv }, found: { from: 'totals', value: tv } });
    }
    for (const reason of new Set([...Object.keys(t?.drops ?? {}), ...Object.keys(s?.drops ?? {})])) {
      for (const f of DROP_FIELDS) {
        const tv = t?.drops[reason]?.[f] ?? 0;
        const sv = s?.drops[reason]?.[f] ?? 0;
        if (tv !== sv) mismatch({ what, field: `drops.${reason}.${f}`, expected: { from: 'Σ byWarc', value: sv }, found: { from: 'totals', value: tv } });
      }
    }
  }
}

/**
 * A `--via-index` run's scan against its ledger: the rows selected are the `index` step's output, their
 * languages add up to them, and the bytes fetched are the WARC tasks' sum.
 */
function checkViaIndex(stats: CheckedRunStats, mismatch: (m: Mismatch) => void): void {
  const v = stats.viaIndex;
  if (!v) return;
  const what = 'stats.json viaIndex';
  const selected = stats.totals.index?.docsOut ?? 0;
  // Until every WARC task has its `index` step (an unfinished run, an abandoned WARC) the ledger holds only part of the selection.
  const complete = stats.tasks.done === stats.tasks.total && stats.byWarc.every((w) => w.ledger.index !== undefined);
  if (complete && v.rowsSelected !== selected) mismatch({ what, field: 'rowsSelected', expected: { from: 'totals.index.docsOut', value: selected }, found: { from: 'viaIndex', value: v.rowsSelected } });
  const byLanguage = Object.values(v.selectedByLanguage).reduce((n, k) => n + k, 0);
  if (byLanguage !== v.rowsSelected) mismatch({ what, field: 'selectedByLanguage', expected: { from: 'rowsSelected', value: v.rowsSelected }, found: { from: 'Σ selectedByLanguage', value: byLanguage } });
  const fetched = stats.byWarc.reduce((n, w) => n + (w.bytesFetched ?? 0), 0);
  if (v.bytesFetched !== fetched) mismatch({ what, field: 'bytesFetched', expected: { from: 'Σ byWarc.bytesFetched', value: fetched }, found: { from: 'viaIndex', value: v.bytesFetched } });
}

/**
 * Every shard a `write/<task>.done` marker lists exists below `corpus/<lang>/<subcorpus>/`, nothing else
 * is there, and each output partition holds the number of shards stats.json says. Returns the shards
 * present (paths inside the run folder), which the recount reads.
 */
async function checkShardFiles(runDir: string, stats: CheckedRunStats, mismatch: (m: Mismatch) => void): Promise<string[]> {
  const present = await listCorpusFiles(runDir);
  const presentSet = new Set(present);
  const listed = new Set<string>();
  const keys = Object.keys(stats.output);
  for (const w of stats.byWarc) {
    const marker = `${WRITE_STAGE}/${w.taskId}.done`;
    let shards: string[];
    try {
      const done = await readTaskResult<unknown>(runDir, WRITE_STAGE, w.taskId);
      if (done === null) {
        mismatch({ what: `task ${w.taskId}`, field: marker, expected: { from: 'a finished run', value: 'present' }, found: { from: 'run folder', value: 'absent' } });
        continue;
      }
      shards = writeMarkerShards(done, join(runDir, marker));
    } catch (e) {
      mismatch({ what: `task ${w.taskId}`, field: marker, expected: { from: 'a write marker', value: 'JSON with a shards list' }, found: { from: 'file', value: (e as Error).message } });
      continue;
    }
    if (w.shards !== undefined && w.shards.join('\n') !== shards.join('\n')) {
      mismatch({ what: `task ${w.taskId}`, field: 'byWarc.shards', expected: { from: marker, value: shards.join(', ') || '(none)' }, found: { from: 'stats.json', value: w.shards.join(', ') || '(none)' } });
    }
    for (const shard of shards) {
      const where = keys.map((k) => `corpus/${k}/${shard}`).find((p) => presentSet.has(p));
      if (where) listed.add(where);
      else mismatch({ what: `shard ${shard} (listed in ${marker})`, field: 'file', expected: { from: 'listed', value: 'present' }, found: { from: `corpus/{${keys.join(',')}}/`, value: 'absent' } });
    }
  }
  for (const f of present) {
    if (!listed.has(f)) mismatch({ what: `file ${f}`, field: 'file', expected: { from: 'write markers', value: 'not listed' }, found: { from: 'corpus folder', value: 'present' } });
  }
  const shards = present.filter((f) => listed.has(f));
  for (const key of keys) {
    const n = present.filter((f) => f.startsWith(`corpus/${key}/`) && f.endsWith('.parquet')).length;
    const claimed = stats.output[key]!.shards;
    if (n !== claimed) mismatch({ what: `output ${key}`, field: 'shards', expected: { from: 'stats.json', value: claimed }, found: { from: `files in corpus/${key}/`, value: n } });
  }
  return shards;
}

function writeMarkerShards(done: unknown, where: string): string[] {
  const shards = typeof done === 'object' && done !== null && 'corpusShards' in done ? done.corpusShards : undefined;
  if (!Array.isArray(shards) || !shards.every((s): s is string => typeof s === 'string')) throw new Error(`${where}: no 'corpusShards' list of file names`);
  if ('ledger' in (done as object)) parseLedger((done as { ledger: unknown }).ledger, `${where}.ledger`);
  return shards;
}

/** Counts per shard file and WARC with DuckDB, rolls them up, and compares every level with stats.json. */
async function recount(conn: DuckDBConnection, runDir: string, stats: CheckedRunStats, shards: string[], mismatch: (m: Mismatch) => void): Promise<Sizes> {
  const total = zero();
  if (shards.length === 0) {
    compareSizes('total (stats.json totals.write)', writeOut(stats.totals), total, mismatch);
    return total;
  }
  const paths = shards.map((s) => join(runDir, s));
  const fileOf = new Map(paths.map((p, i) => [p, shards[i]!]));
  const sql = `SELECT filename, source, subcorpus, warc_file, count(*) AS docs, sum(length(text)) AS chars, sum(strlen(text)) AS bytes,
      sum(token_count) AS tokens, count(*) - count(token_count) AS null_tokens, count(*) - count(text) AS null_text
    FROM ${shardsTable(paths)} GROUP BY ALL ORDER BY ALL`;
  const rows = (await conn.runAndReadAll(sql)).getRowObjectsJS();
  const bySource = new Map<string, Sizes>();
  const bySubcorpus = new Map<string, Sizes>();
  const byWarcFile = new Map<string, Sizes>();
  const byOutput = new Map<string, Sizes>();
  const warcsOfFile = new Map<string, Set<string>>();
  const bump = (m: Map<string, Sizes>, key: string, s: Sizes): void => {
    const t = m.get(key) ?? zero();
    addSizes(t, s);
    m.set(key, t);
  };
  for (const r of rows) {
    const file = fileOf.get(String(r.filename)) ?? String(r.filename);
    const where = `shard ${file}`;
    const s: Sizes = { docs: toCount(r.docs, where), chars: toCount(r.chars, where), bytes: toCount(r.bytes, where), tokens: toCount(r.tokens, where) };
    const nullTokens = toCount(r.null_tokens, where);
    const nullText = toCount(r.null_text, where);
    if (nullTokens > 0) mismatch({ what: `shard ${file}`, field: 'token_count', expected: { from: 'every row', value: 'an integer' }, found: { from: 'null rows', value: nullTokens } });
    if (nullText > 0) mismatch({ what: `shard ${file}`, field: 'text', expected: { from: 'every row', value: 'a string' }, found: { from: 'null rows', value: nullText } });
    addSizes(total, s);
    bump(bySource, String(r.source), s);
    bump(bySubcorpus, String(r.subcorpus), s);
    bump(byWarcFile, String(r.warc_file), s);
    bump(byOutput, file.split('/').slice(1, -1).join('/'), s);
    const w = warcsOfFile.get(file) ?? new Set<string>();
    w.add(String(r.warc_file));
    warcsOfFile.set(file, w);
  }
  const kept = writeOut(stats.totals);
  compareSizes('total (stats.json totals.write)', kept, total, mismatch);
  for (const key of new Set([...Object.keys(stats.output), ...byOutput.keys()])) {
    const claimed = stats.output[key]?.docs ?? 0;
    const found = byOutput.get(key)?.docs ?? 0;
    if (claimed !== found) mismatch({ what: `output ${key}`, field: 'docs', expected: { from: 'stats.json', value: claimed }, found: { from: 'recount', value: found } });
  }
  // A run has one source and one subcorpus (stats.json names them): all it kept is theirs, nothing is anyone else's.
  for (const key of new Set([stats.subcorpus, ...bySubcorpus.keys()])) compareSizes(`subcorpus ${key}`, key === stats.subcorpus ? kept : zero(), bySubcorpus.get(key) ?? zero(), mismatch);
  for (const key of new Set([stats.source, ...bySource.keys()])) compareSizes(`source ${key}`, key === stats.source ? kept : zero(), bySource.get(key) ?? zero(), mismatch);
  const warcFiles = new Set<string>();
  for (const w of stats.byWarc) {
    warcFiles.add(w.warcFile);
    compareSizes(`warc ${w.warcFile} (task ${w.taskId})`, writeOut(w.ledger), byWarcFile.get(w.warcFile) ?? zero(), mismatch);
  }
  for (const [warc, s] of byWarcFile) if (!warcFiles.has(warc)) compareSizes(`warc ${warc} (not in stats.json byWarc)`, zero(), s, mismatch);
  // A shard holds the docs of the one WARC whose write task wrote it (its name starts with that task id).
  for (const [file, warcs] of warcsOfFile) {
    const name = file.split('/').pop() ?? file;
    const task = stats.byWarc.find((w) => name.startsWith(`${w.taskId}-`));
    const foreign = [...warcs].filter((x) => x !== task?.warcFile);
    if (task && foreign.length > 0) mismatch({ what: `shard ${file}`, field: 'warc_file', expected: { from: `task ${task.taskId}`, value: task.warcFile }, found: { from: 'rows', value: foreign.join(', ') } });
  }
  return total;
}

function compareSizes(what: string, ledger: Sizes, counted: Sizes, mismatch: (m: Mismatch) => void): void {
  for (const [k, ledgerField] of SIZE_FIELDS) {
    if (ledger[k] !== counted[k]) mismatch({ what, field: ledgerField, expected: { from: 'stats.json', value: ledger[k] }, found: { from: `recount (${RECOUNT_HOW[k]})`, value: counted[k] } });
  }
}

const RECOUNT_HOW: Record<keyof Sizes, string> = { docs: 'rows', chars: 'sum(length(text)), code points', bytes: 'sum(strlen(text)), UTF-8', tokens: 'sum(token_count)' };

/** Tokenises every row's text again (streamed, a chunk at a time) and compares with its token_count. Returns the rows seen. */
async function retokenize(
  conn: DuckDBConnection,
  runDir: string,
  shards: string[],
  count: (text: string) => number,
  tokenizer: string,
  mismatch: (m: Mismatch) => void,
): Promise<number> {
  if (shards.length === 0) return 0;
  const paths = shards.map((s) => join(runDir, s));
  const fileOf = new Map(paths.map((p, i) => [p, shards[i]!]));
  const result = await conn.stream(`SELECT filename, file_row_number, id, text, token_count FROM ${shardsTable(paths)} ORDER BY filename, file_row_number`);
  let rows = 0;
  for await (const chunk of result.yieldRowObjectJs()) {
    for (const r of chunk) {
      rows++;
      const file = fileOf.get(String(r.filename)) ?? String(r.filename);
      const what = `row ${file}#${String(r.file_row_number)} (id ${String(r.id)})`;
      if (typeof r.text !== 'string') continue; // null text: reported by the recount
      const stored = r.token_count === null ? null : toCount(r.token_count, what);
      const n = count(r.text);
      if (stored !== n) mismatch({ what, field: 'token_count', expected: { from: 'column', value: stored ?? 'null' }, found: { from: tokenizer, value: n } });
    }
  }
  return rows;
}
