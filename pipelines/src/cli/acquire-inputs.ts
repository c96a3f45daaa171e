import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fetchCrawlListing, parseShardSpec, runCrawl, COMMON_CRAWL_BASE_URL } from '@jcp/crawler';
import { positiveInteger } from './args.ts';
import { applyCrawlFlags, CRAWL_HELP, CRAWL_OPTIONS, placeholderContactWarning } from './crawl-options.ts';
import type { PipelineDefinition } from '../run/run-pipeline.ts';

/** The acquire options of `pnpm pipeline`, for `parseArgs`. */
export const ACQUIRE_OPTIONS = {
  crawl: { type: 'string' },
  'base-url': { type: 'string' },
  shard: { type: 'string' },
  limit: { type: 'string' },
  urls: { type: 'string' },
  'crawl-out': { type: 'string' },
  ...CRAWL_OPTIONS,
} as const;

export const ACQUIRE_HELP = `  --crawl <id>        Common Crawl crawl to read over HTTP, e.g. CC-MAIN-2024-10: its warc.paths.gz is
                      fetched and each selected WARC streamed (resumed with Range requests, retried with
                      backoff); a WARC that fails past its retries is listed as failed and retried by a rerun.
  --base-url <url>    Where the crawl lives. Default: ${COMMON_CRAWL_BASE_URL}.
  --shard <i/n>       Take every WARC whose listing position p has p % n == i (one slice per node).
  --limit <n>         At most n WARCs of the crawl (after --shard); with --crawl only (local WARCs are chosen
                      by --input).
  --urls <file>       (warp-ja) URL list to crawl into WARC files first (one URL a line, tab fields kept),
                      politely (robots.txt, per-host delay) and resumably; see pnpm crawl --help.
  --crawl-out <dir>   Where --urls crawls to. Default: <out>/crawl, or runs/<pipeline>/crawls/<list hash>.
  The crawler's own options apply to --urls:
${CRAWL_HELP}`;

type AcquireValues = { [K in keyof typeof ACQUIRE_OPTIONS]?: (typeof ACQUIRE_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/**
 * WARC inputs acquired from the network: the selected WARC URLs of a Common Crawl crawl (`--crawl`), or
 * the WARC folder a URL-list crawl (`--urls`) wrote. Empty when neither is asked for.
 */
export async function acquireInputs(def: PipelineDefinition, v: AcquireValues, out: string | undefined): Promise<string[]> {
  const inputs: string[] = [];
  if (v.crawl) {
    const limit = v.limit === undefined ? undefined : positiveInteger('--limit', v.limit);
    const urls = await fetchCrawlListing({
      crawlId: v.crawl,
      ...(v['base-url'] ? { baseUrl: v['base-url'] } : {}),
      ...(v.shard ? { shard: parseShardSpec(v.shard) } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
    if (urls.length === 0) throw new Error(`${v.crawl}: the selected slice of warc.paths.gz is empty`);
    process.stderr.write(`${def.name}: ${urls.length} WARC(s) of ${v.crawl} to stream\n`);
    inputs.push(...urls);
  }
  if (v.urls) {
    const list = resolve(v.urls);
    const listHash = createHash('sha256').update(await readFile(list)).digest('hex').slice(0, 12);
    const crawlOut = v['crawl-out'] ?? (out ? join(out, 'crawl') : join('runs', def.name, 'crawls', listHash));
    const config = applyCrawlFlags({}, v);
    const warning = placeholderContactWarning(config);
    if (warning) process.stderr.write(`${warning}\n`);
    const summary = await runCrawl({ urlsFile: list, outDir: crawlOut, config });
    process.stderr.write(`${def.name}: crawl ${JSON.stringify(summary.outcomes)} → ${summary.warcFiles.length} WARC file(s) in ${crawlOut}\n`);
    if (summary.pending > 0) throw new Error(`the crawl stopped with ${summary.pending} URL(s) pending; rerun the command to finish it`);
    inputs.push(...summary.warcFiles.map((f) => resolve(crawlOut, f)));
  }
  return inputs;
}
