import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from '../src/http/config.ts';
import { crawlListingUrl, fetchCrawlListing, parseShardSpec, selectShard } from '../src/http/crawl-listing.ts';
import { startLoopbackServer, type Fault, type LoopbackServer } from './loopback/server.ts';

const FAST: HttpFetchConfig = { ...DEFAULT_HTTP_FETCH_CONFIG, backoffBaseMs: 5, backoffMaxMs: 40, maxRetries: 3 };
const CRAWL = 'CC-MAIN-2024-10';
const LISTING_PATH = `/crawl-data/${CRAWL}/warc.paths.gz`;

/** Ten entries, in the shape of a real listing (segment folders, then the WARC's name). */
const ENTRIES = Array.from(
  { length: 10 },
  (_, p) =>
    `crawl-data/${CRAWL}/segments/1707947473347.${p < 5 ? 0 : 1}/warc/CC-MAIN-20240220211055-20240221001055-0000${p}.warc.gz`,
);

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serveListing(body: Uint8Array, faults: Fault[] = []): Promise<string> {
  server = await startLoopbackServer({ files: { [LISTING_PATH]: body }, faults });
  return server.url('');
}

const listing = gzipSync(`${ENTRIES.join('\n')}\n`);

describe('fetchCrawlListing', () => {
  it('fetches <base>/crawl-data/<crawl>/warc.paths.gz and returns full URLs in listing order', async () => {
    const base = await serveListing(listing);
    const urls = await fetchCrawlListing({ crawlId: CRAWL, baseUrl: `${base}/`, http: FAST });
    expect(urls).toEqual(ENTRIES.map((e) => `${base}/${e}`));
    expect(server?.requests.map((r) => r.path)).toEqual([LISTING_PATH]);
  });

  it('takes, for shard i/n, every path whose position p has p % n === i', async () => {
    const base = await serveListing(listing);
    const urls = await fetchCrawlListing({ crawlId: CRAWL, baseUrl: base, shard: { index: 1, count: 3 }, http: FAST });
    expect(urls).toEqual([1, 4, 7].map((p) => `${base}/${ENTRIES[p]}`));
  });

  it('applies the limit after the shard', async () => {
    const base = await serveListing(listing);
    const urls = await fetchCrawlListing({ crawlId: CRAWL, baseUrl: base, shard: { index: 0, count: 2 }, limit: 3, http: FAST });
    expect(urls).toEqual([0, 2, 4].map((p) => `${base}/${ENTRIES[p]}`));
  });

  it('retries a 503 on the listing like on a WARC', async () => {
    const base = await serveListing(listing, [{ kind: 'status', status: 503, retryAfter: '0' }]);
    expect(await fetchCrawlListing({ crawlId: CRAWL, baseUrl: base, http: FAST })).toHaveLength(10);
    expect(server?.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('fails naming the listing URL when the listing is a truncated gzip', async () => {
    const base = await serveListing(listing.subarray(0, listing.length - 20));
    await expect(fetchCrawlListing({ crawlId: CRAWL, baseUrl: base, http: FAST })).rejects.toThrow(
      `listing ${base}${LISTING_PATH} is not a complete gzip file`,
    );
  });

  it('fails naming the listing URL and the status when the crawl has no listing', async () => {
    const base = await serveListing(listing);
    await expect(fetchCrawlListing({ crawlId: 'CC-MAIN-2019-04', baseUrl: base, http: FAST })).rejects.toThrow(
      /crawl-data\/CC-MAIN-2019-04\/warc\.paths\.gz @0: fetch-failed: .*HTTP 404/,
    );
  });

  it('rejects a malformed crawl id before any request', async () => {
    const base = await serveListing(listing);
    for (const bad of ['CC-MAIN-2024-1', 'cc-main-2024-10', 'CC-NEWS-2024-10', 'CC-MAIN-2024-54', '../etc']) {
      await expect(fetchCrawlListing({ crawlId: bad, baseUrl: base, http: FAST })).rejects.toThrow(
        `crawl id '${bad}' is not of the form CC-MAIN-YYYY-WW`,
      );
    }
    expect(server?.requests).toEqual([]);
  });
});

describe('crawlListingUrl', () => {
  it('defaults to data.commoncrawl.org', () => {
    expect(crawlListingUrl(CRAWL)).toBe(`https://data.commoncrawl.org/crawl-data/${CRAWL}/warc.paths.gz`);
  });
});

describe('selectShard', () => {
  it('splits a listing into disjoint shards that together hold every path once', () => {
    const items = Array.from({ length: 103 }, (_, i) => i);
    const shards = [0, 1, 2, 3].map((index) => selectShard(items, { index, count: 4 }));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(items);
    expect(shards.map((s) => s.length)).toEqual([26, 26, 26, 25]);
  });

  it('rejects a negative or fractional limit', () => {
    expect(() => selectShard([1, 2], { index: 0, count: 1 }, -1)).toThrow('limit -1');
    expect(() => selectShard([1, 2], { index: 0, count: 1 }, 1.5)).toThrow('limit 1.5');
  });
});

describe('parseShardSpec', () => {
  it('reads i/n', () => {
    expect(parseShardSpec('3/8')).toEqual({ index: 3, count: 8 });
  });

  it.each([
    ['3', 'is not of the form i/n'],
    ['a/b', 'is not of the form i/n'],
    ['-1/4', 'is not of the form i/n'],
    ['0/0', 'count must be at least 1'],
    ['4/4', 'index must be below the count'],
  ])('rejects %s', (spec, message) => {
    expect(() => parseShardSpec(spec)).toThrow(message);
  });
});
