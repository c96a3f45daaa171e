import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '@jcp/core';
import { emptyRangeCounts, readWarcRanges, type RangeFetchConfig } from '../src/cc-index/range-reader.ts';
import { contiguousRuns, groupByWarc, planSpans, type RecordRange } from '../src/cc-index/record-ranges.ts';
import { FAST_HTTP as FAST } from './loopback/fast-http.ts';
import { readWarc } from '../src/warc/reader.ts';
import { summarize, type ItemSummary } from './loopback/items.ts';
import { startLoopbackServer, type Fault, type LoopbackServer } from './loopback/server.ts';

const FIXTURE_JA = fileURLToPath(new URL('../../../fixtures/warc/cc-fixture-ja.warc.gz', import.meta.url));
const FIXTURE_PLAIN = fileURLToPath(new URL('../../../fixtures/warc/cc-fixture-plain.warc', import.meta.url));

let server: LoopbackServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Every response record of a full read, as the index would list it (offset and stored length). */
async function responseRanges(path: string): Promise<{ ranges: RecordRange[]; full: ItemSummary[] }> {
  const full = await summarize(readWarc(path));
  const ranges = full.flatMap((s) => ('type' in s && s.type === 'response' ? [{ offset: s.offset, length: s.storedLength }] : []));
  return { ranges, full };
}
const at = (full: ItemSummary[], ranges: RecordRange[]): ItemSummary[] => full.filter((s) => ranges.some((r) => r.offset === s.offset));

describe('planSpans', () => {
  const config = { maxGapBytes: 100, maxSpanBytes: 1_000 };

  it('fetches records closer than the gap threshold in one request, the gap included', () => {
    const spans = planSpans([{ offset: 0, length: 50 }, { offset: 150, length: 50 }, { offset: 301, length: 10 }], config);
    expect(spans.map((s) => [s.start, s.end, s.records.length])).toEqual([[0, 200, 2], [301, 311, 1]]);
  });

  it('starts a new request when a span would pass maxSpanBytes', () => {
    const spans = planSpans([{ offset: 0, length: 600 }, { offset: 600, length: 600 }], config);
    expect(spans.map((s) => [s.start, s.end])).toEqual([[0, 600], [600, 1_200]]);
  });

  it('refuses records that overlap, naming both', () => {
    expect(() => planSpans([{ offset: 0, length: 50 }, { offset: 40, length: 5 }], config)).toThrow('bytes 40-44 start inside the record at 0 (length 50)');
  });

  it('reads touching records of a span as one run and splits at gaps', () => {
    expect(contiguousRuns([{ offset: 0, length: 5 }, { offset: 5, length: 5 }, { offset: 20, length: 1 }])).toEqual([{ offset: 0, length: 10 }, { offset: 20, length: 1 }]);
  });
});

describe('groupByWarc', () => {
  it('groups by file in name order, sorts by offset and drops a row listed twice', () => {
    const grouped = groupByWarc([
      { warcFilename: 'b.warc.gz', offset: 30, length: 3 },
      { warcFilename: 'a.warc.gz', offset: 9, length: 1 },
      { warcFilename: 'b.warc.gz', offset: 10, length: 5 },
      { warcFilename: 'b.warc.gz', offset: 30, length: 3 },
    ]);
    expect([...grouped]).toEqual([
      ['a.warc.gz', [{ offset: 9, length: 1 }]],
      ['b.warc.gz', [{ offset: 10, length: 5 }, { offset: 30, length: 3 }]],
    ]);
  });
});

describe('readWarcRanges', () => {
  it.each([FIXTURE_JA, FIXTURE_PLAIN])('reads the records at the index offsets of %s as a full read does, offsets included', async (path) => {
    const { ranges, full } = await responseRanges(path);
    const picked = ranges.filter((_, i) => i % 2 === 0);
    const counts = emptyRangeCounts();
    const items = await summarize(readWarcRanges(path, picked, { counts }));
    expect(items).toEqual(at(full, picked));
    expect(counts.recordBytes).toBe(picked.reduce((n, r) => n + r.length, 0));
  });

  it('fetches neighbours in one request over HTTP and counts the gap bytes it fetched', async () => {
    const { ranges, full } = await responseRanges(FIXTURE_JA);
    const picked = ranges.filter((_, i) => i % 2 === 0);
    server = await startLoopbackServer({ files: { '/w': await readFile(FIXTURE_JA) } });
    const counts = emptyRangeCounts();
    const fetch: RangeFetchConfig = { maxGapBytes: 64 * 1024, maxSpanBytes: 8 * 1024 * 1024, inFlight: 4 };
    expect(await summarize(readWarcRanges(server.url('/w'), picked, { http: FAST, fetch, counts }))).toEqual(at(full, picked));
    expect(server.requests).toHaveLength(1);
    expect(counts.bytesFetched).toBeGreaterThan(counts.recordBytes);
  });

  it('sends the ranges of one WARC over kept-alive connections, at most one per request in flight', async () => {
    const { ranges, full } = await responseRanges(FIXTURE_JA);
    server = await startLoopbackServer({ files: { '/w': await readFile(FIXTURE_JA) } });
    // No coalescing: one request per record.
    const fetch: RangeFetchConfig = { maxGapBytes: 0, maxSpanBytes: 8 * 1024 * 1024, inFlight: 2 };
    expect(await summarize(readWarcRanges(server.url('/w'), ranges, { http: FAST, fetch }))).toEqual(at(full, ranges));
    expect(server.requests.length).toBe(ranges.length);
    expect(ranges.length).toBeGreaterThan(4);
    expect(new Set(server.requests.map((r) => r.connection)).size).toBeLessThanOrEqual(2);
  });

  it('survives a reset inside a range and a 503 with Retry-After, several requests in flight', async () => {
    const { ranges, full } = await responseRanges(FIXTURE_JA);
    const bytes = await readFile(FIXTURE_JA);
    const faults = new Map<number, Fault>([
      [0, { kind: 'reset', at: ranges[0]!.offset + 100 }],
      [2, { kind: 'status', status: 503, retryAfter: '0' }],
    ]);
    server = await startLoopbackServer({ files: { '/w': bytes }, faults: (n) => faults.get(n) });
    const fetch: RangeFetchConfig = { maxGapBytes: 0, maxSpanBytes: 8 * 1024 * 1024, inFlight: 3 };
    const retries: string[] = [];
    const items = await summarize(readWarcRanges(server.url('/w'), ranges, { http: FAST, fetch, onRetry: (e) => retries.push(e.cause) }));
    expect(items).toEqual(at(full, ranges));
    expect(retries).toHaveLength(2);
    // The reset range resumed from the byte it reached, not from its start.
    expect(server.requests.some((r) => r.rangeStart === ranges[0]!.offset + 100)).toBe(true);
  });

  it('reports a range that cannot be fetched as one fetch-failed naming the range, and reads the other ranges', async () => {
    const { ranges, full } = await responseRanges(FIXTURE_JA);
    server = await startLoopbackServer({ files: { '/w': await readFile(FIXTURE_JA) }, faults: (n) => (n === 1 ? { kind: 'status', status: 404 } : undefined) });
    const fetch: RangeFetchConfig = { maxGapBytes: 0, maxSpanBytes: 8 * 1024 * 1024, inFlight: 1 };
    const counts = emptyRangeCounts();
    const items = await summarize(readWarcRanges(server.url('/w'), ranges, { http: FAST, fetch, counts }));
    const failed = ranges[1]!;
    expect(items).toEqual([...at(full, [ranges[0]!]), { error: 'fetch-failed', offset: failed.offset }, ...at(full, ranges.slice(2))]);
    expect(counts.failedSpans).toBe(1);
  });

  it('names the file and offset when the index points into the middle of a record', async () => {
    const { ranges } = await responseRanges(FIXTURE_JA);
    const wrong = { offset: ranges[0]!.offset + 7, length: 100 };
    const items: unknown[] = [];
    for await (const item of readWarcRanges(FIXTURE_JA, [wrong])) items.push(item);
    expect(items[0]).toBeInstanceOf(InputError);
    expect((items[0] as InputError).message).toContain(`${FIXTURE_JA} @${wrong.offset}:`);
  });
});
