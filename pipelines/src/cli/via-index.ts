import { basename } from 'node:path';
import {
  DEFAULT_INDEX_SELECTION,
  fetchCrawlIndexFiles,
  resolveIndexFiles,
  resolveWarcInputs,
  selectFromIndex,
  validateIndexSelection,
  warcNameFilter,
  type IndexSelection,
  type IndexStepCounts,
} from '@jcp/crawler';
import type { WarcIndexPlan } from '../run-folder/index-plan.ts';
import type { ViaIndexRun } from '../run/run-pipeline.ts';
import { UsageError } from './args.ts';

/** The `--via-index` options of `pnpm pipeline`, for `parseArgs`. */
export const VIA_INDEX_OPTIONS = {
  'via-index': { type: 'boolean' },
  index: { type: 'string', multiple: true },
  languages: { type: 'string' },
} as const;

export const VIA_INDEX_HELP = `  --via-index         Read only the records Common Crawl's columnar index selects (languages, fetch_status
                      200, HTML), each by byte range, instead of every record: with --crawl the crawl's
                      index (cc-index-table.paths.gz, subset=warc) over HTTP; with --index local part files
                      describing the --input WARCs (matched by file name).
  --index <spec>      (--via-index) Index Parquet: a file, a folder (its *.parquet), a glob, or a URL; repeatable.
  --languages <list>  (--via-index) ISO 639-3 codes a page's content_languages must include, comma-separated.
                      Default: ${DEFAULT_INDEX_SELECTION.languages.join(',')}.`;

interface ViaIndexValues {
  crawl?: string;
  'base-url'?: string;
  index?: string[];
  languages?: string;
}

/**
 * Reads the index and fixes what each WARC task reads: the selected byte ranges of every input (an
 * input the index names no row of reads nothing). Prints one line of what the scan did and each row it
 * could not use.
 */
export async function planViaIndex(pipeline: string, v: ViaIndexValues, inputs: string[], pathsBase: string | undefined): Promise<ViaIndexRun> {
  const selection = indexSelection(v.languages);
  const warcs = await resolveWarcInputs(inputs, pathsBase);
  const indexFiles = v.index
    ? await resolveIndexFiles(v.index.flatMap((s) => s.split(',')).filter(Boolean))
    : await fetchCrawlIndexFiles({ crawlId: v.crawl ?? '', ...(v['base-url'] ? { baseUrl: v['base-url'] } : {}) });
  const result = await selectFromIndex(indexFiles, selection, { keepWarc: warcNameFilter(warcs) });
  for (const e of result.errors) process.stderr.write(`error: ${e.message}\n`);
  process.stderr.write(`${pipeline}: ${describeIndexScan(result.counts)}\n`);
  const byName = new Map([...result.byWarc.keys()].map((k) => [basename(k), k]));
  const countsByName = new Map([...result.perWarc].map(([k, c]) => [basename(k), c]));
  const plans = new Map<string, WarcIndexPlan>();
  for (const warc of warcs) {
    const key = byName.get(basename(warc));
    plans.set(warc, {
      ranges: key === undefined ? [] : (result.byWarc.get(key) ?? []),
      counts: countsByName.get(basename(warc)) ?? { scanned: 0, selected: 0, skipped: { 'index-status': 0, 'index-mime': 0, 'index-language': 0 } },
    });
  }
  return { source: { indexFiles, selection }, plans };
}

function indexSelection(languages: string | undefined): IndexSelection {
  if (languages === undefined) return DEFAULT_INDEX_SELECTION;
  try {
    return validateIndexSelection({ ...DEFAULT_INDEX_SELECTION, languages: languages.split(',').map((l) => l.trim().toLowerCase()).filter(Boolean) });
  } catch (e) {
    throw new UsageError(`--languages: ${(e as Error).message}`);
  }
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
