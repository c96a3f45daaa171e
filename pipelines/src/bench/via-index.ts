import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RANGE_FETCH_CONFIG, emptyRangeCounts, readWarcRanges, DEFAULT_INDEX_SELECTION, type RangeFetchConfig, type RecordRange } from '@jcp/crawler';
import { createLanguageDetector } from '@jcp/filters';
import { createTokenCounter } from '@jcp/stats';
import { runWarcTask, type WarcTaskInput, type WarcTaskTools } from '../stages/process.ts';
import { DEFAULT_RUN_SETTINGS } from '../run/run-pipeline.ts';
import { planViaIndex } from '../run/via-index-plan.ts';
import { mixedWarc } from './_mix-warc.ts';
import { mixIndex } from './_mix-index.ts';
import { peakRssMB } from './_measure.ts';
import { startRangeServer, type RangeServer } from './_range-server.ts';
import { tempRunDir } from './_temp.ts';
import { benchWarcTask } from './_warc-task.ts';

const HELP = `usage: pnpm bench via-index [--mb <HTML MB, default 200>] [--ja-share <0.045>] [--latency-ms <0>] [--connect-ms <0>] [--passes <2>] [--sweep]
  A Common Crawl-like WARC (the bench-pipeline mix) and a columnar index of it (Common Crawl's columns,
  content_languages from cld3 run on each page), served by a loopback server that honours Range.
  Measures the process stage of a full scan (every record streamed over HTTP) against --via-index (the
  index read over HTTP, the selected records by byte range), on one core: bytes read, wall time, CPU
  time, kept docs, docs per core-second. --latency-ms delays every response (loopback has no round trip), --connect-ms
  the first response on each new connection (a TCP + TLS handshake's round trips).
  --sweep times the range fetches alone for gap / span / in-flight settings of the coalescing.`;

/**
 * `pnpm bench via-index`: what reading through Common Crawl's columnar index saves against a full scan
 * of the same crawl. Both paths run the process stage (read → ... → exact dedup, the ~99 % of a
 * snapshot's CPU in docs/scaling.md) in this process on one thread, the server in another process, so
 * process.cpuUsage is the pipeline's CPU alone. The run-wide dedup and write stages act on the kept
 * documents, the same in both paths, and are left out. Last line: one JSON object.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      mb: { type: 'string', default: '200' },
      'ja-share': { type: 'string', default: '0.045' },
      'latency-ms': { type: 'string', default: '0' },
      'connect-ms': { type: 'string', default: '0' },
      passes: { type: 'string', default: '2' },
      sweep: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const latencyMs = Number(values['latency-ms']);
  const warc = await mixedWarc({ targetBytes: Number(values.mb) * 1e6, japaneseShare: Number(values['ja-share']) });
  const detector = await createLanguageDetector(DEFAULT_RUN_SETTINGS.chain.langid);
  const tools: WarcTaskTools = { detector, tokenCounter: await createTokenCounter(DEFAULT_RUN_SETTINGS.tokens) };
  const index = await mixIndex(warc, detector);
  const warcPath = `/crawl-data/${basename(warc)}`;
  const indexPath = '/cc-index/part-00000.parquet';
  const connectMs = Number(values['connect-ms']);
  const server = await startRangeServer({ [warcPath]: warc, [indexPath]: index.path }, latencyMs, connectMs);
  try {
    const url = server.url(warcPath);
    const passes = Number(values.passes);
    let full: PathResult | null = null;
    let via: PathResult | null = null;
    // Alternating passes, best of each: noise from the other core hits both alike; the first pass also
    // pays JIT warm-up and loading the filters' models.
    for (let p = 0; p < passes; p++) {
      full = best(full, await measure(server, () => runPass(url, null, tools)));
      via = best(via, await measure(server, () => runViaIndex(url, server.url(indexPath), tools)));
    }
    report(warc, index, latencyMs, connectMs, full!, via!);
    if (values.sweep) await sweep(server, url, server.url(indexPath), latencyMs);
  } finally {
    server.close();
  }
}

interface PathResult {
  wallSeconds: number;
  cpuSeconds: number;
  bytesRead: number;
  requests: number;
  /** Connections the requests came over (fewer than requests when kept alive). */
  connections: number;
  kept: number;
  responses: number;
  /** Selected index rows (via-index only). */
  selected: number;
  indexBytes: number;
  /** Milliseconds in each per-record step, and `index-scan` for reading the index: where the CPU goes. */
  stepMs: Record<string, number>;
}

type PassValue = Pick<PathResult, 'kept' | 'responses' | 'selected' | 'indexBytes' | 'stepMs'>;

async function measure(server: RangeServer, pass: () => Promise<PassValue>): Promise<PathResult> {
  await server.reset();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await pass();
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const served = await server.counts();
  return { ...value, wallSeconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytesRead: served.bytesSent, requests: served.requests, connections: served.connections };
}

function best(a: PathResult | null, b: PathResult): PathResult {
  return a === null || b.cpuSeconds < a.cpuSeconds ? b : a;
}

/** The process stage on one WARC, every record (`plan` null) or the index's ranges. */
async function runPass(url: string, plan: WarcTaskInput['index'], tools: WarcTaskTools): Promise<PassValue> {
  const runDir = await tempRunDir('bench-via-index');
  try {
    const input = benchWarcTask(runDir, url, plan);
    const { result } = await runWarcTask(input, tools, () => undefined);
    const l = result.ledger;
    return { kept: l['exact-dedup']?.docsOut ?? 0, responses: l.html?.docsIn ?? 0, selected: 0, indexBytes: 0, stepMs: result.stepMs };
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
}

/** The index read over HTTP and the selection planned as `pnpm pipeline --via-index` plans it, then the process stage on the ranges. */
async function runViaIndex(url: string, indexUrl: string, tools: WarcTaskTools): Promise<PassValue> {
  const t0 = process.hrtime.bigint();
  const planned = await planViaIndex('bench', { index: [indexUrl] }, DEFAULT_INDEX_SELECTION, [url], undefined, () => undefined);
  const scanMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const plan = planned.plans.get(url);
  if (!plan) throw new Error(`the index names no record of ${url}`);
  const pass = await runPass(url, plan, tools);
  return { ...pass, selected: planned.scan.counts.rowsSelected, indexBytes: planned.scan.counts.bytesRead, stepMs: { 'index-scan': scanMs, ...pass.stepMs } };
}

function report(warc: string, index: { rows: number; byLanguage: Record<string, number> }, latencyMs: number, connectMs: number, full: PathResult, via: PathResult): void {
  const perCore = (r: PathResult): number => r.kept / r.cpuSeconds;
  const jpn = index.byLanguage.jpn ?? 0;
  const languages = Object.entries(index.byLanguage)
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${l} ${n}`)
    .join(', ');
  console.log(`crawl: ${warc} (${(full.bytesRead / 1e6).toFixed(1)} MB, ${full.responses} responses); index: ${index.rows} rows, cld3 says ${languages} (jpn ${pct(jpn / index.rows)})`);
  console.log(`served from loopback with ${latencyMs} ms per response (+${connectMs} ms on a new connection); one core; best of the passes by CPU`);
  for (const [name, r] of [['full scan', full], ['via index', via]] as const) {
    console.log(
      `${name.padEnd(9)}: read ${(r.bytesRead / 1e6).toFixed(2)} MB in ${r.requests} requests over ${r.connections} connections, wall ${r.wallSeconds.toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s, ` +
        `kept ${r.kept} docs, ${perCore(r).toFixed(1)} docs per core-second`,
    );
  }
  for (const [name, r] of [['full scan', full], ['via index', via]] as const) {
    const steps = Object.entries(r.stepMs).sort((a, b) => b[1] - a[1]);
    const inSteps = steps.reduce((n, [, ms]) => n + ms, 0);
    console.log(
      `${name.padEnd(9)} steps (ms): ${steps.map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(', ')}; outside them (reading, gunzip, staging): ${(r.wallSeconds * 1e3 - inSteps).toFixed(0)} of ${(r.wallSeconds * 1e3).toFixed(0)} wall`,
    );
  }
  console.log(
    `via index / full scan: bytes ${ratio(via.bytesRead / full.bytesRead)} (1/${(full.bytesRead / via.bytesRead).toFixed(1)}; index ${(via.indexBytes / 1e3).toFixed(0)} kB + records), ` +
      `wall ${ratio(via.wallSeconds / full.wallSeconds)}, docs per core-second ×${(perCore(via) / perCore(full)).toFixed(1)}, kept docs ${via.kept}/${full.kept}`,
  );
  console.log(`peak RSS: ${peakRssMB().toFixed(0)} MB`);
  console.log(
    JSON.stringify({
      crawl_mb: round(full.bytesRead / 1e6, 1),
      responses: full.responses,
      index_rows: index.rows,
      index_jpn_rows: jpn,
      selected_rows: via.selected,
      latency_ms: latencyMs,
      connect_ms: connectMs,
      full_bytes: full.bytesRead,
      via_bytes: via.bytesRead,
      via_index_bytes: via.indexBytes,
      bytes_ratio: round(via.bytesRead / full.bytesRead, 4),
      full_wall_s: round(full.wallSeconds, 3),
      via_wall_s: round(via.wallSeconds, 3),
      full_cpu_s: round(full.cpuSeconds, 3),
      via_cpu_s: round(via.cpuSeconds, 3),
      full_kept: full.kept,
      via_kept: via.kept,
      full_docs_per_core_s: round(perCore(full), 1),
      via_docs_per_core_s: round(perCore(via), 1),
      docs_per_core_s_ratio: round(perCore(via) / perCore(full), 2),
      via_requests: via.requests,
      via_connections: via.connections,
      full_step_ms: roundAll(full.stepMs),
      via_step_ms: roundAll(via.stepMs),
      peak_rss_mb: Math.round(peakRssMB()),
    }),
  );
}

/**
 * The range fetches alone (records read, nothing processed) for coalescing settings around the
 * defaults: the gap that merges neighbours, the largest span, and the requests in flight.
 */
async function sweep(server: RangeServer, url: string, indexUrl: string, latencyMs: number): Promise<void> {
  const planned = await planViaIndex('bench', { index: [indexUrl] }, DEFAULT_INDEX_SELECTION, [url], undefined, () => undefined);
  const ranges = planned.plans.get(url)!.ranges;
  const KiB = 1024;
  const d = DEFAULT_RANGE_FETCH_CONFIG;
  const settings: RangeFetchConfig[] = [
    ...[0, 16 * KiB, 64 * KiB, 256 * KiB, 1024 * KiB, 4096 * KiB].map((g) => ({ ...d, maxGapBytes: g })),
    ...[1, 2, 4, 16, 32].map((n) => ({ ...d, inFlight: n })),
    ...[1024 * KiB, 32 * 1024 * KiB].map((s) => ({ ...d, maxSpanBytes: s, maxGapBytes: 1024 * KiB })),
  ];
  console.log(`sweep (range fetches only, ${ranges.length} records, ${latencyMs} ms per response): gap KiB | span MiB | in flight | requests | MB fetched | wall s | MB/s of records`);
  const rows: Array<Record<string, number>> = [];
  for (const config of settings) {
    const r = await timeRanges(server, url, ranges, config);
    rows.push({ gap_kib: config.maxGapBytes / KiB, span_mib: config.maxSpanBytes / (1024 * KiB), in_flight: config.inFlight, ...r });
    console.log(
      `  ${String(config.maxGapBytes / KiB).padStart(5)} | ${String(config.maxSpanBytes / (1024 * KiB)).padStart(3)} | ${String(config.inFlight).padStart(2)} | ` +
        `${String(r.requests).padStart(5)} | ${(r.bytes / 1e6).toFixed(2)} | ${r.seconds.toFixed(3)} | ${(r.recordBytes / 1e6 / r.seconds).toFixed(1)}`,
    );
  }
  console.log(JSON.stringify({ sweep_latency_ms: latencyMs, records: ranges.length, rows }));
}

async function timeRanges(server: RangeServer, url: string, ranges: RecordRange[], config: RangeFetchConfig): Promise<{ requests: number; bytes: number; recordBytes: number; seconds: number }> {
  let seconds = Infinity;
  let result = { requests: 0, bytes: 0, recordBytes: 0 };
  for (let i = 0; i < 2; i++) {
    await server.reset();
    const counts = emptyRangeCounts();
    const t0 = process.hrtime.bigint();
    for await (const item of readWarcRanges(url, ranges, { fetch: config, counts })) if (item instanceof Error) throw item;
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - t0) / 1e9);
    const served = await server.counts();
    result = { requests: served.requests, bytes: served.bytesSent, recordBytes: counts.recordBytes };
  }
  return { ...result, seconds: round(seconds, 3) };
}

const roundAll = (o: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const ratio = (x: number): string => x.toFixed(3);
function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
