/**
 * `pnpm eval site-boilerplate --data <run-dir> [--min-pages 3] [--min-share 0.01]`: how much of a run's
 * kept text is lines its host repeats on ≥ 3 pages, before and after site-level repeated-line removal
 * (packages/dedup/src/site-lines.ts) is applied to the kept documents.
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

/** The corpus Parquet shards of a run folder (`corpus/<lang>/<subcorpus>/*.parquet`), sorted. */
async function corpusShards(runDir: string): Promise<string[]> {
  const root = join(runDir, 'corpus');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new Error(`${runDir}: no corpus/ folder (is it a finished run folder?)`);
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

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(argv, 'site-boilerplate', 'a finished run folder (its corpus/ Parquet shards are read)', {
    'min-pages': { help: 'pages of a host a line must be on to be removed', default: String(DEFAULT_SITE_LINES_CONFIG.minPages) },
    'min-share': { help: "share of the host's pages a line must also be on", default: String(DEFAULT_SITE_LINES_CONFIG.minShare) },
  });
  const config: SiteLinesConfig = {
    ...DEFAULT_SITE_LINES_CONFIG,
    minPages: Number(args['min-pages']),
    minShare: Number(args['min-share']),
  };
  if (!Number.isInteger(config.minPages) || config.minPages < 2) throw new Error(`--min-pages must be an integer ≥ 2, got ${args['min-pages']}`);
  if (!(config.minShare >= 0 && config.minShare <= 1)) throw new Error(`--min-share must be in [0, 1], got ${args['min-share']}`);

  const pages: KeptPage[] = [];
  for (const shard of await corpusShards(args.data)) {
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

  console.log(`${pages.length} kept pages of ${counter.hosts().length} hosts; removal at ≥ ${config.minPages} pages and ≥ ${config.minShare} of a host's pages`);
  printScores({
    pages: pages.length,
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
  });
}
