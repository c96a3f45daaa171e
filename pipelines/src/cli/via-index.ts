import { DEFAULT_INDEX_SELECTION, validateIndexSelection, type IndexSelection } from '@jcp/crawler';
import { planViaIndex } from '../run/via-index-plan.ts';
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

/** `pnpm pipeline --via-index`: the index named by the flags, read with the selection they give. */
export async function viaIndexFromFlags(pipeline: string, v: ViaIndexValues, inputs: string[], pathsBase: string | undefined): Promise<ViaIndexRun> {
  const origin = v.index
    ? { index: v.index.flatMap((s) => s.split(',')).filter(Boolean) }
    : { crawl: v.crawl ?? '', ...(v['base-url'] ? { baseUrl: v['base-url'] } : {}) };
  const { source, plans, counts } = await planViaIndex(pipeline, origin, indexSelection(v.languages), inputs, pathsBase);
  return { source, plans, counts };
}

/** The default selection with `--languages` applied; a bad code is a usage error. */
export function indexSelection(languages: string | undefined): IndexSelection {
  if (languages === undefined) return DEFAULT_INDEX_SELECTION;
  try {
    return validateIndexSelection({ ...DEFAULT_INDEX_SELECTION, languages: languages.split(',').map((l) => l.trim().toLowerCase()).filter(Boolean) });
  } catch (e) {
    throw new UsageError(`--languages: ${(e as Error).message}`);
  }
}
