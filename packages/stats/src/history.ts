import { open, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdirp, writeFileAtomic } from '@jcp/core';
import { emptyDocCounts, emptyStage, mergeLedgers, outputOf, type DocCounts, type Ledger, type StageCounts } from './ledger.ts';
import type { TokenCounterConfig } from './tokens/config.ts';

/**
 * The run history: `<runs folder>/history.jsonl`, one line per run, so a nightly crawl can be followed
 * run by run (what each kept, in which units) and summed exactly. The README documents the line schema.
 */
export const HISTORY_SCHEMA = 'jcp-history/1';
/**
 * A run's history file: one per corpus root (the folder holding the run folders: `runs/cc-ja/` by
 * default, the parent of `--out` otherwise) and pipeline, so a cc-ja and a warp-ja run written under one
 * folder keep separate histories.
 */
export function runHistoryPath(runDir: string, pipeline: string): string {
  return join(dirname(runDir), 'history', `${pipeline}.jsonl`);
}

/** Input names a history line keeps (the first few; the count is always whole). */
const HISTORY_INPUT_NAMES = 3;

/** The part of stats.json a history line is made from (the pipeline's `RunStats` is assignable to it). */
export interface HistoryRunStats {
  schema: string;
  pipeline: string;
  runId: string;
  source: string;
  subcorpus: string;
  tokenizer: TokenCounterConfig;
  tasks: TaskCounts;
  totals: Ledger;
  output: Record<string, OutputCounts>;
  byWarc: ReadonlyArray<{ crawl: string; ledger: Ledger; warcFile?: string }>;
  /** The filter profile (absent in runs before profiles). */
  filterProfile?: string;
}

export interface TaskCounts {
  total: number;
  done: number;
  failed: number;
}

export interface OutputCounts {
  docs: number;
  shards: number;
}

/** One line of history.jsonl. */
export interface HistoryEntry {
  schema: typeof HISTORY_SCHEMA;
  /** The key: writing the same run id again replaces its line (a resumed run), in place. */
  runId: string;
  pipeline: string;
  /** When this line was (last) written, ISO 8601 UTC. */
  recordedAt: string;
  /** stats.json's `schema`, so a reader knows which ledger semantics the counts follow. */
  statsSchema: string;
  source: string;
  subcorpus: string;
  /** The token counter's name (`sentencepiece:<model file>`, `kuromoji`, `chars`, `bytes`): the unit of every token count. */
  tokenizer: string;
  /** The filter profile; null for a line written before profiles. */
  filterProfile: string | null;
  /** How many inputs (WARCs) the run had, and the names of the first few. */
  inputs: { count: number; first: string[] };
  tasks: TaskCounts;
  kept: DocCounts;
  /** Kept counts per document source (`cc`, `warp`, ...). */
  bySource: Record<string, DocCounts>;
  /** Kept counts per crawl id, from the per-WARC ledgers. */
  byCrawl: Record<string, DocCounts>;
  output: Record<string, OutputCounts>;
  /** The run's whole ledger (stats.json `totals`). */
  totals: Ledger;
}

/** Several runs added up; only runs counted in the same token unit can be. */
export interface HistoryTotals extends Pick<HistoryEntry, 'tokenizer' | 'tasks' | 'kept' | 'bySource' | 'byCrawl' | 'output' | 'totals'> {
  runs: number;
  runIds: string[];
}

/** The name a token counter of this config reports (the same string `createTokenCounter(config).name` gives). */
export function tokenizerName(config: TokenCounterConfig): string {
  return config.kind === 'sentencepiece' ? `sentencepiece:${basename(config.modelPath)}` : config.kind;
}


/** The history line of a run. */
export function historyEntryOf(stats: HistoryRunStats, recordedAt: Date = new Date()): HistoryEntry {
  const byCrawl: Record<string, DocCounts> = {};
  for (const w of stats.byWarc) addKept((byCrawl[w.crawl] ??= emptyDocCounts()), outputOf(w.ledger.write), `crawl ${w.crawl}`);
  const kept = outputOf(stats.totals.write);
  const entry: HistoryEntry = {
    schema: HISTORY_SCHEMA,
    runId: stats.runId,
    pipeline: stats.pipeline,
    recordedAt: recordedAt.toISOString(),
    statsSchema: stats.schema,
    source: stats.source,
    subcorpus: stats.subcorpus,
    tokenizer: tokenizerName(stats.tokenizer),
    filterProfile: stats.filterProfile ?? null,
    inputs: { count: stats.byWarc.length, first: stats.byWarc.slice(0, HISTORY_INPUT_NAMES).map((w) => basename(w.warcFile ?? '')) },
    tasks: { ...stats.tasks },
    kept,
    bySource: { [stats.source]: { ...kept } },
    byCrawl,
    output: structuredClone(stats.output),
    totals: structuredClone(stats.totals),
  };
  checkEntryCounts(entry, `run ${stats.runId}`);
  return entry;
}

/** Reads history.jsonl; a missing file is an empty history. Throws naming the line that does not parse. */
export async function readRunHistory(historyPath: string): Promise<HistoryEntry[]> {
  const text = await readFile(historyPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return '';
    throw e;
  });
  const entries: HistoryEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const where = `${historyPath}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(`${where}: not JSON (${(e as Error).message})`);
    }
    entries.push(parseHistoryEntry(value, where));
  }
  return entries;
}

/**
 * Writes the run's line into history.jsonl: replaces the line with the same run id (a resumed or redone
 * run is one run), else appends. The file is rewritten whole under a temporary name and renamed, under
 * a lock file, so concurrent runs sharing a runs folder neither tear the file nor lose each other's line.
 */
export async function appendRunHistory(historyPath: string, stats: HistoryRunStats, recordedAt: Date = new Date()): Promise<HistoryEntry[]> {
  const entry = historyEntryOf(stats, recordedAt);
  await mkdirp(dirname(historyPath));
  return withLock(`${historyPath}.lock`, async () => {
    const entries = await readRunHistory(historyPath);
    const at = entries.findIndex((e) => e.runId === entry.runId);
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
    await writeFileAtomic(historyPath, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return entries;
  });
}

/** Adds one run into `into`, exactly: every count is an integer and every sum must stay one. */
export function mergeRunStats(into: HistoryTotals, entry: HistoryEntry): HistoryTotals {
  if (into.runs > 0 && into.tokenizer !== entry.tokenizer) {
    throw new Error(`run ${entry.runId} counts tokens as ${entry.tokenizer}, the runs before it as ${into.tokenizer}: token counts in different units do not add up`);
  }
  checkEntryCounts(entry, `run ${entry.runId}`);
  const where = `history totals after run ${entry.runId}`;
  into.runs++;
  into.runIds.push(entry.runId);
  into.tokenizer = entry.tokenizer;
  into.tasks.total = add(into.tasks.total, entry.tasks.total, where);
  into.tasks.done = add(into.tasks.done, entry.tasks.done, where);
  into.tasks.failed = add(into.tasks.failed, entry.tasks.failed, where);
  addKept(into.kept, entry.kept, where);
  for (const [k, v] of Object.entries(entry.bySource)) addKept((into.bySource[k] ??= emptyDocCounts()), v, where);
  for (const [k, v] of Object.entries(entry.byCrawl)) addKept((into.byCrawl[k] ??= emptyDocCounts()), v, where);
  for (const [k, v] of Object.entries(entry.output)) {
    const o = (into.output[k] ??= { docs: 0, shards: 0 });
    o.docs = add(o.docs, v.docs, where);
    o.shards = add(o.shards, v.shards, where);
  }
  mergeLedgers(into.totals, entry.totals);
  // The addends were non-negative safe integers, so a safe-integer sum means every partial sum was exact.
  checkLedgerCounts(into.totals, where);
  return into;
}

export function emptyHistoryTotals(): HistoryTotals {
  return { runs: 0, runIds: [], tokenizer: '', tasks: { total: 0, done: 0, failed: 0 }, kept: emptyDocCounts(), bySource: {}, byCrawl: {}, output: {}, totals: {} };
}

/** All the runs added up, in history order; throws when they count tokens in different units. */
export function historyTotals(entries: readonly HistoryEntry[]): HistoryTotals {
  const totals = emptyHistoryTotals();
  for (const e of entries) mergeRunStats(totals, e);
  return totals;
}

function add(a: number, b: number, where: string): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new Error(`${where}: ${a} + ${b} is not an exact integer`);
  return sum;
}

function addKept(into: DocCounts, from: DocCounts, where: string): void {
  into.docs = add(into.docs, from.docs, where);
  into.bytes = add(into.bytes, from.bytes, where);
  into.chars = add(into.chars, from.chars, where);
  into.tokens = add(into.tokens, from.tokens, where);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function checkCount(v: unknown, where: string): void {
  if (!isCount(v)) throw new Error(`${where}: expected a non-negative integer, found ${JSON.stringify(v)}`);
}

const STAGE_FIELDS = ['docsIn', 'docsOut', 'bytesIn', 'bytesOut', 'charsIn', 'charsOut', 'tokensIn', 'tokensOut'] as const;
const DROP_FIELDS = ['docs', 'bytes', 'chars', 'tokens'] as const;

function checkLedgerCounts(ledger: Ledger, where: string): void {
  for (const [name, s] of Object.entries(ledger)) {
    for (const f of STAGE_FIELDS) checkCount(s[f], `${where}: ${name}.${f}`);
    for (const [reason, d] of Object.entries(s.drops)) for (const f of DROP_FIELDS) checkCount(d[f], `${where}: ${name}.drops.${reason}.${f}`);
    for (const [event, n] of Object.entries(s.events)) checkCount(n, `${where}: ${name}.events.${event}`);
  }
}

function checkKept(k: DocCounts, where: string): void {
  for (const f of DROP_FIELDS) checkCount(k[f], `${where}.${f}`);
}

function checkEntryCounts(e: HistoryEntry, where: string): void {
  checkCount(e.tasks.total, `${where}: tasks.total`);
  checkCount(e.tasks.done, `${where}: tasks.done`);
  checkCount(e.tasks.failed, `${where}: tasks.failed`);
  checkKept(e.kept, `${where}: kept`);
  for (const [k, v] of Object.entries(e.bySource)) checkKept(v, `${where}: bySource.${k}`);
  for (const [k, v] of Object.entries(e.byCrawl)) checkKept(v, `${where}: byCrawl.${k}`);
  for (const [k, v] of Object.entries(e.output)) {
    checkCount(v.docs, `${where}: output.${k}.docs`);
    checkCount(v.shards, `${where}: output.${k}.shards`);
  }
  checkLedgerCounts(e.totals, where);
}

// ---- parsing a line read back from disk: JSON is unknown until each field is checked ----

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, where: string): Json {
  if (!isObject(v)) throw new Error(`${where}: expected an object`);
  return v;
}

function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Error(`${where}: ${key}: expected a string, found ${JSON.stringify(v)}`);
  return v;
}

function count(o: Json, key: string, where: string): number {
  const v = o[key];
  checkCount(v, `${where}: ${key}`);
  return v as number;
}

function record<T>(v: unknown, where: string, each: (value: unknown, where: string) => T): Record<string, T> {
  const o = obj(v, where);
  const out: Record<string, T> = {};
  for (const [k, x] of Object.entries(o)) out[k] = each(x, `${where}.${k}`);
  return out;
}

function parseKept(v: unknown, where: string): DocCounts {
  const o = obj(v, where);
  return { docs: count(o, 'docs', where), bytes: count(o, 'bytes', where), chars: count(o, 'chars', where), tokens: count(o, 'tokens', where) };
}

function parseDrop(v: unknown, where: string): DocCounts {
  return parseKept(v, where);
}

function parseStage(v: unknown, where: string): StageCounts {
  const o = obj(v, where);
  const s = emptyStage();
  for (const f of STAGE_FIELDS) s[f] = count(o, f, where);
  s.drops = record(o.drops, `${where}.drops`, parseDrop);
  s.events = record(o.events ?? {}, `${where}.events`, (x, w) => {
    checkCount(x, w);
    return x as number;
  });
  return s;
}

/** Checks a ledger read from JSON (stats.json, a `.done` marker, a history line): every count a non-negative integer. */
export function parseLedger(value: unknown, where: string): Ledger {
  return record(value, where, parseStage);
}

function parseInputs(value: unknown, where: string): HistoryEntry['inputs'] {
  if (value === undefined) return { count: 0, first: [] };
  const o = obj(value, where);
  const first = o.first;
  if (!Array.isArray(first) || !first.every((x) => typeof x === 'string')) throw new Error(`${where}: first should be a list of names`);
  return { count: count(o, 'count', where), first };
}

/** Checks one parsed history line field by field; `where` names the file and line. */
export function parseHistoryEntry(value: unknown, where: string): HistoryEntry {
  const o = obj(value, where);
  if (o.schema !== HISTORY_SCHEMA) throw new Error(`${where}: schema ${JSON.stringify(o.schema)}, expected "${HISTORY_SCHEMA}"`);
  const tasks = obj(o.tasks, `${where}: tasks`);
  return {
    schema: HISTORY_SCHEMA,
    runId: str(o, 'runId', where),
    pipeline: str(o, 'pipeline', where),
    recordedAt: str(o, 'recordedAt', where),
    statsSchema: str(o, 'statsSchema', where),
    source: str(o, 'source', where),
    subcorpus: str(o, 'subcorpus', where),
    tokenizer: str(o, 'tokenizer', where),
    // Both absent in lines written before they were recorded.
    filterProfile: typeof o.filterProfile === 'string' ? o.filterProfile : null,
    inputs: parseInputs(o.inputs, `${where}: inputs`),
    tasks: { total: count(tasks, 'total', `${where}: tasks`), done: count(tasks, 'done', `${where}: tasks`), failed: count(tasks, 'failed', `${where}: tasks`) },
    kept: parseKept(o.kept, `${where}: kept`),
    bySource: record(o.bySource, `${where}: bySource`, parseKept),
    byCrawl: record(o.byCrawl, `${where}: byCrawl`, parseKept),
    output: record(o.output, `${where}: output`, (x, w) => {
      const r = obj(x, w);
      return { docs: count(r, 'docs', w), shards: count(r, 'shards', w) };
    }),
    totals: parseLedger(o.totals, `${where}: totals`),
  };
}

// ---- a lock file, so two runs finishing together do not both rewrite the history from the same old copy ----

/** A lock older than this is left over from a crashed process: a history rewrite takes milliseconds. */
const STALE_LOCK_MS = 60_000;
const LOCK_RETRY_MS = 25;
const LOCK_WAIT_MS = 120_000;

async function withLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const held = await stat(lockPath).catch(() => null);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockPath}: still locked after ${LOCK_WAIT_MS / 1000} s (remove it if no run is writing the history)`);
      await sleep(LOCK_RETRY_MS);
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
