/**
 * `pnpm eval site-boilerplate --data <run-dir> [--min-pages 3] [--min-share 0.01] [--pages corpus|normalized]
 * [--split k]`: how much of a run's kept text is lines its host repeats on ≥ 3 pages, before and after
 * site-level repeated-line removal (packages/dedup/src/site-lines.ts) is applied to the kept documents
 * (or, with `--pages normalized`, to every normalised page the run judged).
 *
 * `--split k` also measures what counting across runs would bring: the pages, in shard order, are cut
 * into k consecutive batches taken as k nightly runs, and the removal is applied per batch twice — with
 * each batch counting only its own pages (what a run does today), and with the counts carried from the
 * earlier batches (what line hashes kept in the persistent index would give). Both are scored against
 * the same bar as one run over all pages: the kept lines still on ≥ 3 pages of their host, counted over
 * all batches.
 *
 * "Before" is the run as it is; "after" applies the removal with the given thresholds to the same
 * documents and counts again over the pages that still have text. A page whose every line is site
 * boilerplate is counted under `pages_emptied` (the pipeline drops such a page with its reason). The
 * measure is the bar of issue 17: no kept line on ≥ 3 pages of one host.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readParquetRows } from '@jcp/core';
import { DEFAULT_SITE_LINES_CONFIG, pageLineHashes, removeSiteLines, SiteLineCounter, type SiteLinesConfig } from '@jcp/dedup';
import { parseEvalArgs, printScores, round } from './_common.ts';

/** The bar the share is measured against: a line on this many pages of a host is site-repeated. */
const REPORT_MIN_PAGES = 3;

interface KeptPage {
  host: string;
  text: string;
}

/** The Parquet shards of a run folder's `corpus/` or `normalized/` (`<folder>/<lang>/<subcorpus>/*.parquet`), sorted. */
async function parquetShards(runDir: string, folder: 'corpus' | 'normalized'): Promise<string[]> {
  const root = join(runDir, folder);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new Error(`${runDir}: no ${folder}/ folder (is it a finished run folder${folder === 'normalized' ? ' that kept its normalised documents' : ''}?)`);
    throw e;
  });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.parquet'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Share of counted lines (over all pages) whose host has them on ≥ REPORT_MIN_PAGES pages. */
function repeatedShare(pages: KeptPage[], config: SiteLinesConfig): { lines: number; repeated: number; hostsWithRepeats: number } {
  const counter = new SiteLineCounter();
  const hashes = pages.map((p) => pageLineHashes(p.text, config));
  pages.forEach((p, i) => counter.addPage(p.host, hashes[i]!));
  const repeatedByHost = new Map(counter.hosts().map((h) => [h, counter.linesOnAtLeast(h, REPORT_MIN_PAGES)]));
  let lines = 0;
  let repeated = 0;
  pages.forEach((p, i) => {
    const set = repeatedByHost.get(p.host)!;
    for (const h of hashes[i]!) {
      lines++;
      if (set.has(h)) repeated++;
    }
  });
  const hostsWithRepeats = [...repeatedByHost.values()].filter((s) => s.size > 0).length;
  return { lines, repeated, hostsWithRepeats };
}

interface BatchedRemoval {
  /** Counted lines removed, over all batches. */
  removed: number;
  /** Counted lines kept. */
  kept: number;
  /** Kept lines on ≥ REPORT_MIN_PAGES pages of their host over all batches: what the removal missed. */
  missed: number;
  /** Removed lines one run over all pages would have kept (a partial count's lower relative threshold). */
  beyondOneRun: number;
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/**
 * The removal over `k` consecutive batches of `pages`, counted per batch, carried across batches, and
 * over all pages at once, each scored against the lines on ≥ 3 pages of their host over all pages.
 */
function acrossRuns(pages: KeptPage[], k: number, config: SiteLinesConfig): { perRun: BatchedRemoval; carried: BatchedRemoval; oneRun: BatchedRemoval } {
  const hashes = pages.map((p) => pageLineHashes(p.text, config));
  const all = new SiteLineCounter();
  pages.forEach((p, i) => all.addPage(p.host, hashes[i]!));
  const bar = new Map(all.hosts().map((h) => [h, all.linesOnAtLeast(h, REPORT_MIN_PAGES)]));
  const oneRunSets = new Map(all.hosts().map((h) => [h, all.repeatedLines(h, config)]));
  const size = Math.ceil(pages.length / k);
  const score = (removedFor: (batch: number, host: string) => ReadonlySet<string>): BatchedRemoval => {
    const out: BatchedRemoval = { removed: 0, kept: 0, missed: 0, beyondOneRun: 0 };
    pages.forEach((p, i) => {
      const removed = removedFor(Math.floor(i / size), p.host);
      for (const h of hashes[i]!) {
        if (removed.has(h)) {
          out.removed++;
          if (!oneRunSets.get(p.host)!.has(h)) out.beyondOneRun++;
        } else {
          out.kept++;
          if (bar.get(p.host)!.has(h)) out.missed++;
        }
      }
    });
    return out;
  };
  // Per batch, the lines each host loses: counted over that batch alone, and over every batch up to it
  // (the sets are taken when the batch is reached, before later batches add their pages).
  const perRun: Array<Map<string, Set<string>>> = [];
  const carried: Array<Map<string, Set<string>>> = [];
  const running = new SiteLineCounter();
  for (let start = 0; start < pages.length; start += size) {
    const own = new SiteLineCounter();
    for (let i = start; i < Math.min(pages.length, start + size); i++) {
      own.addPage(pages[i]!.host, hashes[i]!);
      running.addPage(pages[i]!.host, hashes[i]!);
    }
    perRun.push(new Map(own.hosts().map((h) => [h, own.repeatedLines(h, config)])));
    carried.push(new Map(running.hosts().map((h) => [h, running.repeatedLines(h, config)])));
  }
  return {
    perRun: score((b, host) => perRun[b]!.get(host)!),
    carried: score((b, host) => carried[b]!.get(host)!),
    oneRun: score((_b, host) => oneRunSets.get(host)!),
  };
}

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'site-boilerplate', 'a finished run folder (its corpus/ Parquet shards are read)', {
    'min-pages': { help: 'pages of a host a line must be on to be removed', default: String(DEFAULT_SITE_LINES_CONFIG.minPages) },
    'min-share': { help: "share of the host's pages a line must also be on", default: String(DEFAULT_SITE_LINES_CONFIG.minShare) },
    pages: { help: 'corpus (the kept documents) or normalized (every page the filters judged)', default: 'corpus' },
    split: { help: 'also compare per-run and carried-over counting over this many consecutive batches', default: '1' },
  });
  const config: SiteLinesConfig = {
    ...DEFAULT_SITE_LINES_CONFIG,
    minPages: Number(args['min-pages']),
    minShare: Number(args['min-share']),
  };
  if (!Number.isInteger(config.minPages) || config.minPages < 2) throw new Error(`--min-pages must be an integer ≥ 2, got ${args['min-pages']}`);
  if (!(config.minShare >= 0 && config.minShare <= 1)) throw new Error(`--min-share must be in [0, 1], got ${args['min-share']}`);

  const pageSet = args.pages;
  if (pageSet !== 'corpus' && pageSet !== 'normalized') throw new Error(`--pages must be corpus or normalized, got ${pageSet}`);
  const split = Number(args.split);
  if (!Number.isInteger(split) || split < 1) throw new Error(`--split must be a positive integer, got ${args.split}`);
  const pages: KeptPage[] = [];
  for (const shard of await parquetShards(args.data, pageSet)) {
    for await (const row of readParquetRows(shard)) pages.push({ host: String(row.host ?? ''), text: String(row.text ?? '') });
  }
  const before = repeatedShare(pages, config);

  const counter = new SiteLineCounter();
  for (const p of pages) counter.addPage(p.host, pageLineHashes(p.text, config));
  const repeatedByHost = new Map(counter.hosts().map((h) => [h, counter.repeatedLines(h, config)]));
  const after: KeptPage[] = [];
  let linesRemoved = 0;
  let charsRemoved = 0;
  let pagesEmptied = 0;
  for (const p of pages) {
    const out = removeSiteLines(p.text, repeatedByHost.get(p.host)!, config);
    linesRemoved += out.linesRemoved;
    charsRemoved += out.charsRemoved;
    if (out.text === '') pagesEmptied++;
    else after.push({ host: p.host, text: out.text });
  }
  const afterShare = repeatedShare(after, config);
  const totalChars = pages.reduce((n, p) => n + [...p.text].length, 0);

  console.log(`${pages.length} ${pageSet === 'corpus' ? 'kept' : 'normalised'} pages of ${counter.hosts().length} hosts; removal at ≥ ${config.minPages} pages and ≥ ${config.minShare} of a host's pages`);
  const batches = split > 1 ? acrossRuns(pages, split, config) : null;
  if (batches) {
    const line = (name: string, o: BatchedRemoval): string =>
      `  ${name}: ${o.removed} lines removed, ${o.missed} of ${o.kept} kept lines still on ≥ ${REPORT_MIN_PAGES} pages of their host (${(100 * ratio(o.missed, o.kept)).toFixed(1)} %)`;
    console.log(`${split} runs of ≤ ${Math.ceil(pages.length / split)} pages, in shard order:`);
    console.log(line('each run counting its own pages', batches.perRun));
    console.log(line('counts carried across runs     ', batches.carried));
    console.log(line('one run over all pages         ', batches.oneRun));
  }
  printScores({
    pages: pages.length,
    page_set: pageSet,
    hosts: counter.hosts().length,
    min_pages: config.minPages,
    min_share: config.minShare,
    lines_before: before.lines,
    repeated_share_before: before.lines ? round(before.repeated / before.lines) : 0,
    hosts_with_repeats_before: before.hostsWithRepeats,
    lines_removed: linesRemoved,
    chars_removed: charsRemoved,
    chars_removed_share: totalChars ? round(charsRemoved / totalChars) : 0,
    pages_emptied: pagesEmptied,
    lines_after: afterShare.lines,
    repeated_share_after: afterShare.lines ? round(afterShare.repeated / afterShare.lines) : 0,
    hosts_with_repeats_after: afterShare.hostsWithRepeats,
    ...(batches
      ? {
          split,
          per_run_lines_removed: batches.perRun.removed,
          per_run_repeated_share_after: round(ratio(batches.perRun.missed, batches.perRun.kept)),
          carried_lines_removed: batches.carried.removed,
          carried_repeated_share_after: round(ratio(batches.carried.missed, batches.carried.kept)),
          carried_removed_beyond_one_run: batches.carried.beyondOneRun,
          one_run_lines_removed: batches.oneRun.removed,
          one_run_repeated_share_after: round(ratio(batches.oneRun.missed, batches.oneRun.kept)),
        }
      : {}),
  });
}
