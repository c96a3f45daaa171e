import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from '../http/config.ts';
import { COMMON_CRAWL_BASE_URL, trimSlashes, validateCrawlId, fetchPathsListing } from '../http/crawl-listing.ts';
import type { FetchStreamOptions } from '../http/fetch-stream.ts';
import { isHttpUrl } from '../http/warc-source.ts';
import { expandGlob, walk } from '../inputs.ts';

const PARQUET_FILE = /\.parquet$/;
const GLOB_CHARS = /[*?[]/;

/** `<baseUrl>/crawl-data/<crawlId>/cc-index-table.paths.gz`: Common Crawl's listing of a crawl's index files. */
export function crawlIndexListingUrl(crawlId: string, baseUrl: string = COMMON_CRAWL_BASE_URL): string {
  return `${trimSlashes(baseUrl)}/crawl-data/${validateCrawlId(crawlId)}/cc-index-table.paths.gz`;
}

export interface CrawlIndexOptions extends Omit<FetchStreamOptions, 'range'> {
  crawlId: string;
  baseUrl?: string;
  http?: HttpFetchConfig;
  /** Default `warc`: the successful captures (`crawldiagnostics` holds redirects and errors, `robotstxt` robots.txt). */
  subset?: string;
}

/** The URLs of a crawl's index part files of one subset, in listing order. */
export async function fetchCrawlIndexFiles(options: CrawlIndexOptions): Promise<string[]> {
  const base = trimSlashes(options.baseUrl ?? COMMON_CRAWL_BASE_URL);
  const url = crawlIndexListingUrl(options.crawlId, base);
  const subset = `/subset=${options.subset ?? 'warc'}/`;
  const all = await fetchPathsListing(url, base, options.http ?? DEFAULT_HTTP_FETCH_CONFIG, options);
  const files = all.filter((u) => u.includes(subset) && PARQUET_FILE.test(u));
  if (files.length === 0) throw new Error(`listing ${url} names no Parquet file under ${subset}`);
  return files;
}

/**
 * What `--index` names, as an ordered list of Parquet files: a file, a folder (its `*.parquet`,
 * recursively, sorted), a glob, or an http(s) URL (kept as it is). Duplicates are dropped.
 */
export async function resolveIndexFiles(items: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const add = (p: string): void => {
    const key = isHttpUrl(p) ? p : resolve(p);
    if (!out.includes(key)) out.push(key);
  };
  for (const item of items) {
    if (isHttpUrl(item)) add(item);
    else if (GLOB_CHARS.test(item)) {
      const matches = (await expandGlob(item)).filter((f) => PARQUET_FILE.test(f));
      if (matches.length === 0) throw new Error(`index glob '${item}' matches no .parquet file`);
      matches.forEach(add);
    } else {
      const info = await stat(item).catch(() => null);
      if (!info) throw new Error(`index '${item}' does not exist`);
      if (info.isDirectory()) {
        const files = (await walk(item)).filter((f) => PARQUET_FILE.test(f)).sort();
        if (files.length === 0) throw new Error(`index folder '${item}' holds no .parquet file`);
        files.forEach(add);
      } else add(item);
    }
  }
  return out;
}

/**
 * The local WARC for each `warc_filename` of the index, matched by file name (a site mirror keeps
 * Common Crawl's names, not its folders). Throws, naming both, when two inputs share a name.
 */
export function localWarcsByName(inputs: readonly string[]): Map<string, string> {
  const byName = new Map<string, string>();
  for (const input of inputs) {
    const name = basename(input);
    const other = byName.get(name);
    if (other !== undefined && other !== input) throw new Error(`two --input WARCs are named ${name} (${other} and ${input}): the index names WARCs by file name`);
    byName.set(name, input);
  }
  return byName;
}
