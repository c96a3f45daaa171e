import { basename } from 'node:path';
import {
  fetchCrawlIndexFiles,
  resolveIndexFiles,
  resolveWarcInputs,
  selectFromIndex,
  warcNameFilter,
  type IndexSelection,
  type IndexSelectionResult,
  type IndexStepCounts,
} from '@jcp/crawler';
import type { WarcIndexPlan } from '../run-folder/index-plan.ts';
import type { ViaIndexRun } from './run-pipeline.ts';

/** Where the index comes from: the crawl's own (over HTTP), or part files given by the user. */
export type IndexOrigin = { crawl: string; baseUrl?: string } | { index: string[] };

/**
 * Reads the index and fixes what each WARC task reads: the selected byte ranges of every input (an
 * input the index names no row of reads nothing). Logs one line of what the scan did and each row it
 * could not use. Also returns the scan itself, for reports (`pnpm eval via-index`).
 */
export async function planViaIndex(
  pipeline: string,
  origin: IndexOrigin,
  selection: IndexSelection,
  inputs: string[],
  pathsBase: string | undefined,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ViaIndexRun & { scan: IndexSelectionResult }> {
  const warcs = await resolveWarcInputs(inputs, pathsBase);
  const indexFiles =
    'index' in origin
      ? await resolveIndexFiles(origin.index)
      : await fetchCrawlIndexFiles({ crawlId: origin.crawl, ...(origin.baseUrl ? { baseUrl: origin.baseUrl } : {}) });
  const scan = await selectFromIndex(indexFiles, selection, { keepWarc: warcNameFilter(warcs) });
  for (const e of scan.errors) log(`error: ${e.message}`);
  log(`${pipeline}: ${describeIndexScan(scan.counts)}`);
  const byName = new Map([...scan.byWarc.keys()].map((k) => [basename(k), k]));
  const countsByName = new Map([...scan.perWarc].map(([k, c]) => [basename(k), c]));
  const plans = new Map<string, WarcIndexPlan>();
  for (const warc of warcs) {
    const key = byName.get(basename(warc));
    plans.set(warc, {
      ranges: key === undefined ? [] : (scan.byWarc.get(key) ?? []),
      counts: countsByName.get(basename(warc)) ?? { scanned: 0, selected: 0, skipped: { 'index-status': 0, 'index-mime': 0, 'index-language': 0 } },
    });
  }
  return { source: { indexFiles, selection }, plans, counts: scan.counts, scan };
}

/** `index: 22 rows scanned (1 of 5 row groups skipped by statistics), 12 selected (jpn 11, eng 1), 17,182 bytes of index read`. */
export function describeIndexScan(c: IndexStepCounts): string {
  const languages = Object.entries(c.selectedByLanguage)
    .sort((a, b) => b[1] - a[1])
    .map(([l, n]) => `${l} ${n.toLocaleString('en')}`)
    .join(', ');
  const bad = c.badRows > 0 ? `, ${c.badRows} bad row(s)` : '';
  return (
    `index: ${c.rowsScanned.toLocaleString('en')} rows scanned (${c.rowGroupsSkipped} of ${c.rowGroups} row groups skipped by statistics), ` +
    `${c.rowsSelected.toLocaleString('en')} selected${languages ? ` (${languages})` : ''}${bad}, ${c.bytesRead.toLocaleString('en')} bytes of index read from ${c.files} file(s)`
  );
}
