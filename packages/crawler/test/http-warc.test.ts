import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@jcp/core';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from '../src/http/config.ts';
import { readWarcUrl } from '../src/http/warc-source.ts';
import { readWarc } from '../src/warc/reader.ts';
import { FAST_HTTP } from './loopback/fast-http.ts';
import { collect, summarize } from './loopback/items.ts';
import { startLoopbackServer, type LoggedRequest, type LoopbackOptions, type LoopbackServer } from './loopback/server.ts';
import { sharedData } from './shared-data.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/warc/${name}`, import.meta.url));

/** Short pauses and timeouts so every misbehaviour costs well under a second or two. */
const FAST: HttpFetchConfig = FAST_HTTP;

const CC_EXCERPT = sharedData('warc/resiliparse/cc-main-2020-34-excerpt.warc.gz'); // 135 896 bytes, per-record gzip

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Serves `path` as `/<name>` with `options`, returns its URL. */
async function serve(path: string, options: Omit<LoopbackOptions, 'files'> = {}): Promise<string> {
  server = await startLoopbackServer({ ...options, files: { '/w': await readFile(path) } });
  return server.url('/w');
}

const requests = (): LoggedRequest[] => server?.requests ?? [];
const rangeStarts = (): Array<number | null> => requests().map((r) => r.rangeStart);
const statuses = (): number[] => requests().map((r) => r.status);

describe('readWarcUrl', () => {
  it.each([
    CC_EXCERPT,
    sharedData('warc/resiliparse/clueweb09-ja-excerpt.warc.gz'),
    sharedData('warc/warcio/example.warc'),
    sharedData('warc/jwarc/cc.warc.gz'),
    fixture('cc-fixture-ja.warc.gz'),
    fixture('cc-fixture-mixed.warc.gz'),
    fixture('cc-fixture-plain.warc'),
  ])('yields over HTTP exactly the records read from disk: %s', async (path) => {
    const url = await serve(path);
    const overHttp = await collect(readWarcUrl(url, { http: FAST }));
    expect(await summarize(toAsync(overHttp))).toEqual(await summarize(readWarc(path)));
    expect(overHttp.every((item) => (item instanceof InputError ? item.file : item.file) === url)).toBe(true);
    expect(rangeStarts()).toEqual([null]);
  });

  it('sends a user agent that names the project', async () => {
    const url = await serve(fixture('cc-fixture-plain.warc'));
    await summarize(readWarcUrl(url, { http: FAST }));
    expect(requests()[0]?.userAgent).toBe(DEFAULT_HTTP_FETCH_CONFIG.userAgent);
    expect(DEFAULT_HTTP_FETCH_CONFIG.userAgent).toMatch(/ja-corpus-pipeline\/\S+ \(.+\)/);
  });

  it('resumes after connection resets mid-body with Range from the first byte not received', async () => {
    const url = await serve(CC_EXCERPT, {
      faults: [
        { kind: 'reset', at: 50_000 },
        { kind: 'reset', at: 100_000 },
      ],
    });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    expect(rangeStarts()).toEqual([null, 50_000, 100_000]);
    expect(statuses()).toEqual([200, 206, 206]);
  });

  it('resumes a plain (uncompressed) WARC cut off by a connection that closes before its Content-Length', async () => {
    const path = fixture('cc-fixture-plain.warc');
    const url = await serve(path, { faults: [{ kind: 'end', at: 5_000 }] });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(path)));
    expect(rangeStarts()).toEqual([null, 5_000]);
  });

  it('waits as long as a 503 Retry-After in seconds asks before retrying', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'status', status: 503, retryAfter: '1' }] });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    expect(statuses()).toEqual([503, 200]);
    const [first, second] = requests();
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(950);
  });

  it('honours a 429 Retry-After given as an HTTP date', async () => {
    // HTTP dates have whole seconds: 2.2 s ahead is at least 1.2 s away once truncated.
    const url = await serve(CC_EXCERPT, {
      faults: [{ kind: 'status', status: 429, retryAfter: new Date(Date.now() + 2_200).toUTCString() }],
    });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    const [first, second] = requests();
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(1_000);
  });

  it('gives up at once with fetch-failed when Retry-After is beyond maxRetryAfterMs', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'status', status: 503, retryAfter: '3600' }] });
    const items = await collect(readWarcUrl(url, { http: { ...FAST, maxRetryAfterMs: 60_000 } }));
    expect(items).toHaveLength(1);
    const error = items[0] as InputError;
    expect(error.reason).toBe('fetch-failed');
    expect(error.message).toContain('HTTP 503');
    expect(error.message).toContain('Retry-After');
    expect(requests()).toHaveLength(1);
  });

  it('treats a drip quieter than the idle timeout as a failure and resumes from the last byte received', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'drip', at: 30_000, bytes: 7, gapMs: 3_000 }] });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    expect(rangeStarts()).toEqual([null, 30_007]);
  });

  it('retries a request whose response header does not come within the headers timeout', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'stall-headers' }] });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    expect(rangeStarts()).toEqual([null, null]);
  });

  it('finishes when Content-Length promised more than the file: the resume at the end gets 416 for exactly that size', async () => {
    const size = (await readFile(CC_EXCERPT)).length;
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'content-length', declared: size + 1_000 }] });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    expect(rangeStarts()).toEqual([null, size]);
    expect(statuses()).toEqual([200, 416]);
  });

  it('drops the bytes already received when the server ignores Range and answers 200', async () => {
    const url = await serve(CC_EXCERPT, { ignoreRange: true, faults: [{ kind: 'reset', at: 60_000 }] });
    expect(await summarize(readWarcUrl(url, { http: FAST }))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    expect(rangeStarts()).toEqual([null, 60_000]);
    expect(statuses()).toEqual([200, 200]);
  });

  it('fails clearly when the server ignores Range and onRangeIgnored is fail', async () => {
    const url = await serve(CC_EXCERPT, { ignoreRange: true, faults: [{ kind: 'reset', at: 60_000 }] });
    const items = await collect(readWarcUrl(url, { http: { ...FAST, onRangeIgnored: 'fail' } }));
    const error = items.at(-1) as InputError;
    expect(error.reason).toBe('fetch-failed');
    expect(error.offset).toBe(60_000);
    expect(error.message).toContain('ignored Range: bytes=60000-');
  });

  it('fails instead of splicing two versions when the ETag changes between attempts', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'reset', at: 50_000 }, { kind: 'etag', etag: '"v2"' }] });
    const items = await collect(readWarcUrl(url, { http: FAST }));
    const error = items.at(-1) as InputError;
    expect(error.reason).toBe('fetch-failed');
    expect(error.offset).toBe(50_000);
    expect(error.message).toContain('changed between attempts');
    expect(requests()).toHaveLength(2);
  });

  it('reports a truncated gzip served in full as truncated-gzip at the same offset as the local file', async () => {
    const path = sharedData('warc/resiliparse/clipped.warc.gz');
    const url = await serve(path);
    const overHttp = await collect(readWarcUrl(url, { http: FAST }));
    const local = await summarize(readWarc(path));
    expect(await summarize(toAsync(overHttp))).toEqual(local);
    expect(local.at(-1)).toMatchObject({ error: 'truncated-gzip' });
    expect((overHttp.at(-1) as InputError).message).toContain(url);
  });

  it('reports a truncated gzip when a server understates Content-Length (nothing says more bytes exist)', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'content-length', declared: 70_000 }] });
    const items = await summarize(readWarcUrl(url, { http: FAST }));
    expect(items.at(-1)).toMatchObject({ error: 'truncated-gzip' });
    expect(requests()).toHaveLength(1);
  });

  it('ends with one fetch-failed InputError naming the URL, the byte reached and the cause when retries run out', async () => {
    // Every attempt drops the connection at byte 100 000: the first brings bytes, the rest bring none.
    const url = await serve(CC_EXCERPT, { faults: () => ({ kind: 'reset', at: 100_000 }) });
    const items = await collect(readWarcUrl(url, { http: FAST }));
    const error = items.at(-1) as InputError;
    expect(error).toBeInstanceOf(InputError);
    expect(error.reason).toBe('fetch-failed');
    expect(error.file).toBe(url);
    expect(error.offset).toBe(100_000);
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/at byte 100000 of 135896 after 3 retries: .*(ECONNRESET|closed|UND_ERR)/);
    expect(requests()).toHaveLength(1 + FAST.maxRetries);
    expect(rangeStarts().slice(1)).toEqual(Array(FAST.maxRetries).fill(100_000));
  });

  it('yields the records before a failed download as from disk, short of the 64 KiB the reader was waiting for', async () => {
    const url = await serve(CC_EXCERPT, { faults: () => ({ kind: 'reset', at: 100_000 }) });
    const items = await summarize(readWarcUrl(url, { http: FAST }));
    const local = await summarize(readWarc(CC_EXCERPT));
    const before = items.slice(0, -1);
    expect(before).toEqual(local.slice(0, before.length));
    // The reader asks for 64 KiB ahead of each record, so every record starting before byte
    // 100 000 - 64 KiB is delivered; the rest wait for bytes that never come.
    const waitedFor = local.filter((r) => r.offset + 64 * 1024 <= 100_000);
    expect(before.length).toBeGreaterThanOrEqual(waitedFor.length);
    expect(waitedFor.length).toBeGreaterThan(0);
  });

  it('follows a redirect and names records by the URL asked for', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'redirect', to: '/w' }] });
    const moved = url.replace(/\/w$/, '/old');
    const items = await collect(readWarcUrl(moved, { http: FAST }));
    expect(await summarize(toAsync(items))).toEqual(await summarize(readWarc(CC_EXCERPT)));
    expect(requests().map((r) => [r.path, r.status])).toEqual([
      ['/old', 302],
      ['/w', 200],
    ]);
    expect(items.every((item) => item.file === moved)).toBe(true);
  });

  it('closes the download when the consumer stops reading early', async () => {
    // A slow server, so the download is still going when the consumer stops.
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'drip', at: 70_000, bytes: 100, gapMs: 20 }] });
    for await (const item of readWarcUrl(url, { http: FAST })) {
      expect(item).not.toBeInstanceOf(InputError);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests()).toHaveLength(1);
    expect(requests()[0]?.closedEarly).toBe(true);
  });

  it('yields one empty-warc InputError naming the URL at offset 0 for a 0-length body, as for a 0-byte file', async () => {
    server = await startLoopbackServer({ files: { '/empty.warc.gz': new Uint8Array(0) } });
    const url = server.url('/empty.warc.gz');
    const items = await collect(readWarcUrl(url, { http: FAST }));
    expect(items).toHaveLength(1);
    expect(items[0]).toBeInstanceOf(InputError);
    expect(items[0]).toMatchObject({ reason: 'empty-warc', file: url, offset: 0 });
    expect((items[0] as InputError).message).toContain(url);
    expect((items[0] as InputError).message).toMatch(/empty/);
    expect(statuses()).toEqual([200]);
  });

  it('fails at once, without retrying, on a 404', async () => {
    const url = await serve(CC_EXCERPT, { faults: [{ kind: 'status', status: 404 }] });
    const items = await collect(readWarcUrl(url, { http: FAST }));
    expect(items).toHaveLength(1);
    expect((items[0] as InputError).message).toContain('HTTP 404');
    expect(requests()).toHaveLength(1);
  });
});

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
