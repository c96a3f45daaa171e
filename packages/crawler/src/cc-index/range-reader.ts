import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '@jcp/core';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from '../http/config.ts';
import { fetchRange } from '../http/fetch-range.ts';
import { connectionPool, describeError, type FetchStreamOptions } from '../http/fetch-stream.ts';
import { isHttpUrl } from '../http/warc-source.ts';
import type { ByteSource } from '../warc/byte-window.ts';
import { DEFAULT_WARC_READER_CONFIG, readWarcSource, type BlockLifetime, type WarcItem, type WarcReaderConfig } from '../warc/reader.ts';
import { contiguousRuns, planSpans, type FetchSpan, type RecordRange, type SpanPlanConfig } from './record-ranges.ts';

export interface RangeFetchConfig extends SpanPlanConfig {
  /** Spans fetched at once per WARC; with maxSpanBytes it bounds the memory: inFlight × maxSpanBytes. */
  inFlight: number;
}

export const DEFAULT_RANGE_FETCH_CONFIG: RangeFetchConfig = {
  // See docs/decisions.md ("Byte-range fetches"): the gap at which one request for the gap's bytes costs
  // less than a second request's round trip.
  maxGapBytes: 64 * 1024,
  // 8 MiB: a few hundred Japanese records when they cluster, small against a worker's 215 MB.
  maxSpanBytes: 8 * 1024 * 1024,
  // 8 requests in flight per task hide the round trip of small ranged GETs (~30 KB a record).
  inFlight: 8,
};

/** Bytes fetched for one WARC, against its records' own bytes (the gaps coalescing fetched too). */
export interface RangeReadCounts {
  spans: number;
  bytesFetched: number;
  recordBytes: number;
  failedSpans: number;
}

export interface ReadWarcRangesOptions extends Omit<FetchStreamOptions, 'range'> {
  http?: HttpFetchConfig;
  reader?: WarcReaderConfig;
  /** How long a record's block stays valid (`BlockLifetime`); `kept` when absent. */
  blocks?: BlockLifetime;
  fetch?: RangeFetchConfig;
  counts?: RangeReadCounts;
}

export function emptyRangeCounts(): RangeReadCounts {
  return { spans: 0, bytesFetched: 0, recordBytes: 0, failedSpans: 0 };
}

/**
 * The records at `records` (sorted by offset, from the index) of the WARC `warc` (a local path or a
 * URL), read by the WARC reader from their byte ranges, in offset order, with the offsets and names a
 * full read of the file gives. Neighbouring ranges are fetched together, several requests at once, and
 * at most `inFlight` spans are held. A span that cannot be fetched is one `fetch-failed` InputError at
 * its first byte, naming the range; the other spans are still read.
 */
export async function* readWarcRanges(warc: string, records: readonly RecordRange[], options: ReadWarcRangesOptions = {}): AsyncGenerator<WarcItem> {
  const config = options.fetch ?? DEFAULT_RANGE_FETCH_CONFIG;
  const counts = options.counts ?? emptyRangeCounts();
  const spans = planSpans(records, config);
  const fetcher = await spanFetcher(warc, options);
  try {
    const pending: Array<Promise<Buffer | Error>> = [];
    let next = 0;
    const launch = (): void => {
      const span = spans[next++]!;
      pending.push(fetcher.fetch(span).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    };
    while (next < spans.length && pending.length < config.inFlight) launch();
    for (const span of spans) {
      const bytes = await pending.shift()!;
      if (next < spans.length) launch();
      counts.spans++;
      if (bytes instanceof Error) {
        counts.failedSpans++;
        yield new InputError('fetch-failed', warc, span.start, `range bytes=${span.start}-${span.end - 1} (${span.records.length} record(s)): ${describeError(bytes)}`);
        continue;
      }
      counts.bytesFetched += bytes.length;
      for (const run of contiguousRuns(span.records)) {
        counts.recordBytes += run.length;
        const slice = bytes.subarray(run.offset - span.start, run.offset - span.start + run.length);
        yield* shifted(readWarcSource(new BufferByteSource(slice), warc, options.reader ?? DEFAULT_WARC_READER_CONFIG, options.blocks), run.offset);
      }
    }
  } finally {
    await fetcher.close();
  }
}

/** The reader's items with offsets moved from the slice's coordinates to the file's. */
async function* shifted(items: AsyncGenerator<WarcItem>, base: number): AsyncGenerator<WarcItem> {
  for await (const item of items) {
    if (item instanceof InputError) {
      const prefix = `${item.file} @${item.offset}: ${item.reason}: `;
      const detail = item.message.startsWith(prefix) ? item.message.slice(prefix.length) : item.message;
      yield new InputError(item.reason, item.file, item.offset + base, detail);
    } else yield { ...item, offset: item.offset + base };
  }
}

interface SpanFetcher {
  fetch(span: FetchSpan): Promise<Buffer>;
  close(): Promise<void>;
}

async function spanFetcher(warc: string, options: ReadWarcRangesOptions): Promise<SpanFetcher> {
  if (isHttpUrl(warc)) {
    const http = options.http ?? DEFAULT_HTTP_FETCH_CONFIG;
    // One pool for the WARC's spans: they go to one server, so they share kept-alive connections, one
    // per request in flight.
    const pool = connectionPool(http, (options.fetch ?? DEFAULT_RANGE_FETCH_CONFIG).inFlight);
    const fetchOptions: Omit<FetchStreamOptions, 'range'> = { dispatcher: pool, ...(options.onRetry ? { onRetry: options.onRetry } : {}) };
    return {
      fetch: (span) => fetchRange(warc, { start: span.start, end: span.end }, http, fetchOptions),
      close: () => pool.destroy().catch(() => undefined),
    };
  }
  const fh: FileHandle = await open(warc, 'r');
  return {
    fetch: async (span) => {
      const buf = Buffer.allocUnsafe(span.end - span.start);
      const { bytesRead } = await fh.read(buf, 0, buf.length, span.start);
      if (bytesRead !== buf.length) throw new Error(`the file ends at byte ${span.start + bytesRead}, inside the range the index gives`);
      return buf;
    },
    close: () => fh.close(),
  };
}

/** Bytes already in memory as a ByteSource. */
class BufferByteSource implements ByteSource {
  constructor(private readonly bytes: Buffer) {}
  async read(buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    const n = Math.max(0, Math.min(length, this.bytes.length - position));
    this.bytes.copy(buf, offset, position, position + n);
    return n;
  }
  async close(): Promise<void> {}
}
