/** Everything that shapes how a WARC or a listing is downloaded: one place, each default with its reason. */
export interface HttpFetchConfig {
  /** Sent with every request. */
  userAgent: string;
  /** TCP (and TLS) connection set-up. */
  connectTimeoutMs: number;
  /** From sending the request to receiving the whole response header. */
  headersTimeoutMs: number;
  /** Longest silence while the reader waits for body bytes; a slower drip is a failed attempt and resumes. */
  bodyIdleTimeoutMs: number;
  /** Failed attempts in a row that brought no new byte before giving up (progress resets the count). */
  maxRetries: number;
  /** Failed attempts over the whole download, progress or not, before giving up. */
  maxTotalRetries: number;
  /** First backoff pause; it doubles with each failure in a row. */
  backoffBaseMs: number;
  /** Cap on one backoff pause. */
  backoffMaxMs: number;
  /** Share (0-1) of each backoff pause that is random. */
  backoffJitter: number;
  /** A Retry-After longer than this fails the download instead of blocking the worker for it. */
  maxRetryAfterMs: number;
  /** When a resume's `Range` is ignored (200, whole body): re-read and drop the bytes already received, or fail. */
  onRangeIgnored: 'skip' | 'fail';
  /** Redirects followed per request. */
  maxRedirections: number;
  /** Bytes buffered from the socket ahead of the reader (undici's stream highWaterMark). */
  highWaterMarkBytes: number;
}

export const DEFAULT_HTTP_FETCH_CONFIG: HttpFetchConfig = {
  // Names the project and what it does, so Common Crawl's operators can tell the traffic apart and reach
  // the owner instead of blocking it (their terms ask for identifiable, well-behaved clients).
  userAgent: 'ja-corpus-pipeline/0.1 (Japanese pretraining corpus research; Common Crawl WARC reader; undici)',
  // undici's own default; TCP + TLS to CloudFront takes well under a second, so 10 s means a dead path.
  connectTimeoutMs: 10_000,
  // CloudFront/S3 answer a GET's header in well under a second; undici's 300 s default would park a worker.
  headersTimeoutMs: 30_000,
  // 30 s without a byte is a stalled connection; reconnecting with Range costs one round trip, not the
  // bytes already read. The clock only runs while the reader is waiting (a slow consumer is not a stall).
  bodyIdleTimeoutMs: 30_000,
  // 1 + 2 + 4 + 8 + 16 + 30 s ≈ a minute of pauses rides out a CloudFront 503 "Slow Down" burst or a
  // short outage; longer than that the WARC is counted failed and the run goes on.
  maxRetries: 6,
  // A ~1 GB download that drops a handful of times is normal; fifty drops means a server that sends a
  // little and hangs up forever, which must not loop without end.
  maxTotalRetries: 50,
  // Exponential backoff starting at 1 s (AWS's advice for S3 503 SlowDown: back off, then retry).
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  // "Equal jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter"): half of each pause random so
  // workers that failed together do not retry together, half fixed so no retry comes immediately.
  backoffJitter: 0.5,
  // Beyond 5 minutes a Retry-After announces a planned outage: fail this WARC, rerun it later.
  maxRetryAfterMs: 5 * 60_000,
  // Correct bytes first: Common Crawl's servers honour Range, so re-reading a prefix is a rare mirror case.
  onRangeIgnored: 'skip',
  // data.commoncrawl.org serves directly; a mirror or an S3 URL may redirect once or twice.
  maxRedirections: 5,
  // 1 MiB read-ahead: the download alone ran ~1.5-2.5x faster than with undici's 64 KiB default on
  // loopback (`pnpm bench fetch --read-ahead-kb 64`), though through the inflate-bound reader both were
  // level; it is small against the reader's own 4 MiB window.
  highWaterMarkBytes: 1024 * 1024,
};
