/**
 * `pnpm eval via-index`: what reading through Common Crawl's columnar index loses against a full scan of
 * the same WARCs. Runs cc-ja twice on them (every record; `--via-index`) and lists the documents the full
 * scan keeps and the index path does not, with their URL and the languages the index gives them (CLD2
 * missing Japanese is the usual cause), then the recall as JSON on the last line.
 *
 *   pnpm eval via-index --crawl <CRAWL> --sample <k> [--base-url URL]     (k WARCs of the crawl, over HTTP)
 *   pnpm eval via-index --index <parquet> --input <WARCs>                 (a local mirror)
 */
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, readParquetRows, type ParquetRow } from '@jcp/core';
import { fetchCrawlListing, readIndexFile, DEFAULT_INDEX_SELECTION, validateIndexSelection, type IndexSelection } from '@jcp/crawler';
import { CC_JA } from '../definitions/cc-ja.ts';
import { defaultRunOptions, localExecutor, runPipeline, type RunOptions } from '../run/run-pipeline.ts';
import { planViaIndex, type IndexOrigin } from '../run/via-index-plan.ts';
import { subcorpusDir } from '../run-folder/layout.ts';
import { readdir } from 'node:fs/promises';
import { printScores, round } from './_common.ts';

const HELP = `usage: pnpm eval via-index (--crawl <CRAWL> --sample <k> [--base-url URL] | --index <parquet> --input <WARCs>) --out <dir>
  --crawl <id>      Common Crawl crawl: its first k WARCs (--sample) and its columnar index, over HTTP.
  --sample <k>      How many WARCs of the crawl's listing.
  --base-url <url>  A mirror of data.commoncrawl.org.
  --index <spec>    Local index part files (file, folder or glob), with --input the WARCs they describe.
  --input <spec>    Local WARCs (file, folder, glob).
  --languages <l>   ISO 639-3 codes the index path selects. Default: ${DEFAULT_INDEX_SELECTION.languages.join(',')}.
  --out <dir>       Where the two runs go (<dir>/full, <dir>/via-index); rerunning resumes them.
The recall is printed as one JSON object on the last line.`;

/** A document's place: WARC file name and record offset, the key the index rows share. */
const placeOf = (warcFile: string, offset: number): string => `${basename(warcFile)}@${offset}`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      crawl: { type: 'string' },
      sample: { type: 'string' },
      'base-url': { type: 'string' },
      index: { type: 'string', multiple: true },
      input: { type: 'string', multiple: true },
      languages: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const local = values.index !== undefined && values.input !== undefined;
  const remote = values.crawl !== undefined && values.sample !== undefined;
  if (values.help || local === remote || values.out === undefined) {
    console.log(HELP);
    process.exit(values.help ? 0 : 2);
  }
  const selection: IndexSelection = values.languages
    ? validateIndexSelection({ ...DEFAULT_INDEX_SELECTION, languages: values.languages.split(',').map((l) => l.trim()) })
    : DEFAULT_INDEX_SELECTION;
  const baseUrl = values['base-url'];
  const inputs = local
    ? values.input!
    : await fetchCrawlListing({ crawlId: values.crawl!, limit: Number(values.sample), ...(baseUrl ? { baseUrl } : {}) });
  const origin: IndexOrigin = local ? { index: values.index! } : { crawl: values.crawl!, ...(baseUrl ? { baseUrl } : {}) };
  const plan = await planViaIndex('via-index eval', origin, selection, inputs, undefined);

  const base: RunOptions = { ...defaultRunOptions(), inputs, dedupIndex: null };
  const fullDir = join(values.out, 'full');
  const viaDir = join(values.out, 'via-index');
  for (const [dir, extra] of [[fullDir, {}], [viaDir, { viaIndex: { source: plan.source, plans: plan.plans, counts: plan.counts } }]] as const) {
    const summary = await runPipeline(CC_JA, { ...base, ...extra, out: dir }, localExecutor(base.workers));
    if (!summary.finished) throw new Error(`${dir}: the run did not finish (${summary.failures.length} failed task(s)); rerun to resume`);
  }

  // The index's languages for every row of these WARCs, by place (the misses are unselected rows, so no
  // row group is skipped here).
  const languagesAt = new Map<string, string>();
  for (const file of plan.source.indexFiles) {
    for await (const row of readIndexFile(file, selection, { skipByStatistics: false })) {
      if (!(row instanceof InputError)) languagesAt.set(placeOf(row.warcFilename, row.offset), row.languages.join(','));
    }
  }
  const full = await corpusDocs(fullDir);
  const via = new Set((await corpusDocs(viaDir)).map((d) => String(d.id)));
  const missed = full.filter((d) => !via.has(String(d.id)));
  for (const d of missed) {
    const languages = languagesAt.get(placeOf(String(d.warc_file), Number(d.warc_offset)));
    console.log(`missed ${String(d.url)}  index languages: ${languages === undefined ? '(no index row)' : languages || '(none)'}  ${String(d.warc_file)} @${String(d.warc_offset)}`);
  }
  const fullIds = new Set(full.map((d) => String(d.id)));
  printScores({
    fullDocs: full.length,
    viaIndexDocs: via.size,
    missed: missed.length,
    // Documents only the index path keeps (a near-duplicate whose twin the index did not select survives there).
    onlyViaIndex: [...via].filter((id) => !fullIds.has(id)).length,
    recall: round(full.length === 0 ? 1 : (full.length - missed.length) / full.length),
    selectedRecords: plan.scan.counts.rowsSelected,
    indexRowsScanned: plan.scan.counts.rowsScanned,
  });
}

async function corpusDocs(runDir: string): Promise<ParquetRow[]> {
  const dir = subcorpusDir(runDir, CC_JA.lang, CC_JA.subcorpus);
  const rows: ParquetRow[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.parquet')).sort()) {
    for await (const row of readParquetRows(join(dir, name))) rows.push(row);
  }
  return rows;
}
