import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from './config.ts';
import { fetchStream, FetchFailedError, type ByteRange, type FetchStreamOptions } from './fetch-stream.ts';

/**
 * Bytes `[range.start, range.end)` of `url` as one Buffer, over as many ranged requests as it takes
 * (the retries, backoff and resume of `fetchStream`). Throws FetchFailedError, naming the range, when
 * the download gives up or the resource ends before the range does.
 */
export async function fetchRange(
  url: string,
  range: ByteRange,
  config: HttpFetchConfig = DEFAULT_HTTP_FETCH_CONFIG,
  options: Omit<FetchStreamOptions, 'range'> = {},
): Promise<Buffer> {
  const out = Buffer.allocUnsafe(range.end - range.start);
  let filled = 0;
  for await (const chunk of fetchStream(url, config, { ...options, range })) {
    chunk.copy(out, filled);
    filled += chunk.length;
  }
  if (filled !== out.length) {
    throw new FetchFailedError(url, range.start + filled, `range bytes=${range.start}-${range.end - 1} ended after ${filled} of ${out.length} bytes (the resource is shorter)`);
  }
  return out;
}
