import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from './config.ts';
import { fetchStream, type FetchStreamOptions } from './fetch-stream.ts';

const gunzipAsync = promisify(gunzip);

/** Where Common Crawl serves its files over HTTPS (CloudFront in front of the `commoncrawl` S3 bucket). */
export const COMMON_CRAWL_BASE_URL = 'https://data.commoncrawl.org';

/** Shard `index` of `count` (0-based): one machine's part of a crawl. */
export interface ShardSpec {
  index: number;
  count: number;
}

export interface CrawlListingOptions extends FetchStreamOptions {
  /** `CC-MAIN-YYYY-WW`, e.g. `CC-MAIN-2024-10`. */
  crawlId: string;
  /** Default COMMON_CRAWL_BASE_URL; a mirror or a loopback server in tests. */
  baseUrl?: string;
  /** Default: the whole listing (`0/1`). */
  shard?: ShardSpec;
  /** At most this many WARCs, taken after the shard. */
  limit?: number;
  http?: HttpFetchConfig;
}

/** Throws, naming the expected form, unless `crawlId` is a main crawl id `CC-MAIN-YYYY-WW` (week 01-53). */
export function validateCrawlId(crawlId: string): string {
  const m = /^CC-MAIN-(\d{4})-(\d{2})$/.exec(crawlId);
  const week = m ? Number(m[2]) : 0;
  if (!m || week < 1 || week > 53) {
    throw new Error(`crawl id '${crawlId}' is not of the form CC-MAIN-YYYY-WW with week 01-53 (e.g. CC-MAIN-2024-10; see https://commoncrawl.org/overview)`);
  }
  return crawlId;
}

/** `<baseUrl>/crawl-data/<crawlId>/warc.paths.gz`. */
export function crawlListingUrl(crawlId: string, baseUrl: string = COMMON_CRAWL_BASE_URL): string {
  return `${trimSlashes(baseUrl)}/crawl-data/${validateCrawlId(crawlId)}/warc.paths.gz`;
}

/** Parses `--shard i/n` (0 <= i < n); throws naming what is wrong. */
export function parseShardSpec(spec: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new Error(`shard '${spec}' is not of the form i/n (e.g. 0/4 for the first of four shards)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`shard '${spec}': the shard count must be at least 1`);
  if (index >= count) throw new Error(`shard '${spec}': the index must be below the count (0-based: 0/${count} to ${count - 1}/${count})`);
  return { index, count };
}

/**
 * The items at positions p with `p % count === index`, then the first `limit` of them.
 *
 * Round-robin rather than contiguous blocks: the listing is ordered by segment, so blocks would hand
 * one machine whole segments while every machine's slice here spans the crawl; shard sizes differ by
 * at most one WARC; a path's shard depends only on its position, so `--shard i/n --limit N` over the
 * shards never overlap; and a small `--limit` still samples the whole crawl instead of its first segment.
 */
export function selectShard<T>(items: readonly T[], shard: ShardSpec = { index: 0, count: 1 }, limit?: number): T[] {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new Error(`limit ${limit} is not a whole number >= 0`);
  const out: T[] = [];
  for (let p = shard.index; p < items.length && (limit === undefined || out.length < limit); p += shard.count) out.push(items[p]!);
  return out;
}

/**
 * Downloads (with the same retries as a WARC) and gunzips a crawl's `warc.paths.gz`, and returns the full
 * URLs of this shard's WARCs, in listing order. Throws, naming the listing URL, when it cannot be read.
 */
export async function fetchCrawlListing(options: CrawlListingOptions): Promise<string[]> {
  const base = trimSlashes(options.baseUrl ?? COMMON_CRAWL_BASE_URL);
  const urls = await fetchPathsListing(crawlListingUrl(options.crawlId, base), base, options.http ?? DEFAULT_HTTP_FETCH_CONFIG, options);
  return selectShard(urls, options.shard, options.limit);
}

/**
 * Downloads (with the same retries as a WARC) and gunzips a `*.paths.gz` listing, and returns its
 * entries as full URLs under `base`, in listing order. Throws, naming the listing URL, when it cannot be
 * read or lists nothing.
 */
export async function fetchPathsListing(url: string, base: string, http: HttpFetchConfig, options: FetchStreamOptions = {}): Promise<string[]> {
  const parts: Buffer[] = [];
  for await (const chunk of fetchStream(url, http, options)) parts.push(chunk);
  let text: string;
  try {
    text = (await gunzipAsync(Buffer.concat(parts))).toString('utf8');
  } catch (e) {
    throw new Error(`listing ${url} is not a complete gzip file: ${(e as Error).message}`);
  }
  const paths = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (paths.length === 0) throw new Error(`listing ${url} lists nothing`);
  return paths.map((p) => (/^https?:\/\//i.test(p) ? p : `${trimSlashes(base)}/${p.replace(/^\/+/, '')}`));
}

export function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
