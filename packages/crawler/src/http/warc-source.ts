import type { ByteSource } from '../warc/byte-window.ts';
import { DEFAULT_WARC_READER_CONFIG, readWarc, readWarcSource, type BlockLifetime, type WarcItem, type WarcReaderConfig } from '../warc/reader.ts';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from './config.ts';
import { fetchStream, type FetchRetryEvent, type FetchStreamOptions } from './fetch-stream.ts';

/**
 * A WARC on an HTTP(S) server as a forward-only ByteSource for the reader: the download streams (only
 * undici's read-ahead and the chunk being copied are held) and resumes by itself; when it gives up,
 * `read` throws FetchFailedError, which the reader reports as a `fetch-failed` InputError.
 */
export class HttpWarcSource implements ByteSource {
  /** Failed attempts so far (bounded by `maxTotalRetries`), for logs and the run's ledger. */
  readonly retries: FetchRetryEvent[] = [];
  private readonly chunks: AsyncGenerator<Buffer, void, undefined>;
  private chunk: Buffer | null = null;
  private chunkAt = 0;
  private position = 0;

  constructor(
    readonly url: string,
    config: HttpFetchConfig = DEFAULT_HTTP_FETCH_CONFIG,
    options: FetchStreamOptions = {},
  ) {
    this.chunks = fetchStream(url, config, {
      onRetry: (event) => {
        this.retries.push(event);
        options.onRetry?.(event);
      },
    });
  }

  /** Bytes delivered to the reader so far. */
  get bytesRead(): number {
    return this.position;
  }

  async read(buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    if (position !== this.position) {
      throw new Error(`HttpWarcSource reads forward only: asked for byte ${position} of ${this.url}, the next is ${this.position}`);
    }
    while (this.chunk === null || this.chunkAt >= this.chunk.length) {
      const next = await this.chunks.next();
      if (next.done) return 0;
      this.chunk = next.value;
      this.chunkAt = 0;
    }
    const n = Math.min(length, this.chunk.length - this.chunkAt);
    this.chunk.copy(buf, offset, this.chunkAt, this.chunkAt + n);
    this.chunkAt += n;
    this.position += n;
    return n;
  }

  async close(): Promise<void> {
    this.chunk = null;
    await this.chunks.return(undefined);
  }
}

export interface ReadWarcUrlOptions extends FetchStreamOptions {
  http?: HttpFetchConfig;
  reader?: WarcReaderConfig;
  /** How long a record's block stays valid (`BlockLifetime`); `kept` when absent. */
  blocks?: BlockLifetime;
}

/** `readWarc` for a URL: the same records and InputErrors, plus one `fetch-failed` if the download gives up. */
export function readWarcUrl(url: string, options: ReadWarcUrlOptions = {}): AsyncGenerator<WarcItem> {
  const source = new HttpWarcSource(url, options.http ?? DEFAULT_HTTP_FETCH_CONFIG, options);
  return readWarcSource(source, url, options.reader ?? DEFAULT_WARC_READER_CONFIG, options.blocks);
}

/** True for an `http://` or `https://` input (the rest are local paths). */
export function isHttpUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** One entry point for a task list that mixes local WARCs and URLs. */
export function readWarcInput(input: string, options: ReadWarcUrlOptions = {}): AsyncGenerator<WarcItem> {
  return isHttpUrl(input) ? readWarcUrl(input, options) : readWarc(input, options.reader ?? DEFAULT_WARC_READER_CONFIG, options.blocks);
}
