import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { ByteSourceError } from '../warc/byte-window.ts';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from './config.ts';
import { backoffDelayMs, parseRetryAfter, RETRYABLE_STATUS } from './retry.ts';

/** A download that failed for good: retries exhausted, or an answer no retry can fix (404, a changed file). */
export class FetchFailedError extends ByteSourceError {
  constructor(
    readonly url: string,
    offset: number,
    detail: string,
  ) {
    super('fetch-failed', offset, detail);
    this.name = 'FetchFailedError';
    this.message = `${url} @${offset}: fetch-failed: ${detail}`;
  }
}

/** One failed attempt, told before the pause that precedes the next one. */
export interface FetchRetryEvent {
  url: string;
  /** 1 for the first retry of this download. */
  retry: number;
  /** Bytes received so far: the next attempt asks for `Range: bytes=<offset>-`. */
  offset: number;
  cause: string;
  delayMs: number;
}

export interface FetchStreamOptions {
  onRetry?: (event: FetchRetryEvent) => void;
  /**
   * Only the bytes `[start, end)` of the resource (a record or a Parquet column chunk), asked for with
   * `Range: bytes=start-(end-1)` and resumed from where a broken attempt stopped, under the same rules
   * as a whole download. Default: the whole resource.
   */
  range?: ByteRange;
  /**
   * The connections to use (`connectionPool`): many ranged requests to one host reuse their TCP/TLS
   * connections instead of opening one each. The caller destroys it. Default: a pool of this call's own.
   */
  dispatcher?: Dispatcher;
}

/**
 * A keep-alive connection pool for many requests to the same servers (the byte ranges of one WARC, the
 * column chunks of one index file): pass it as `dispatcher` and destroy it when done. `perOrigin` caps
 * the connections to one server (requests beyond it wait for a free one); default: no cap.
 */
export function connectionPool(config: HttpFetchConfig = DEFAULT_HTTP_FETCH_CONFIG, perOrigin?: number): Agent {
  return new Agent({ connect: { timeout: config.connectTimeoutMs }, ...(perOrigin === undefined ? {} : { connections: perOrigin }) });
}

/** Bytes `[start, end)` of a resource. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What the download knows across attempts. */
interface DownloadState {
  /** First byte wanted (0 for a whole download). */
  start: number;
  /** Byte after the last one wanted, or null for "to the end". */
  end: number | null;
  /** Bytes received so far, from `start`. */
  received: number;
  /** Size of the resource, once a response has said it. */
  total: number | null;
  etag: string | null;
}

type Attempt =
  | { kind: 'body'; body: Dispatcher.ResponseData['body']; skip: number }
  | { kind: 'complete' }
  | { kind: 'retry'; cause: string; retryAfterMs: number | null }
  | { kind: 'fail'; cause: string };

/**
 * The bytes of `url`, in order, as one stream over as many HTTP requests as it takes: a dropped
 * connection, a premature end, a stall or a 5xx is retried with backoff and resumed with
 * `Range: bytes=<received>-`. Holds no more than undici's read-ahead. Throws FetchFailedError (with the
 * byte offset reached) when it gives up.
 */
export async function* fetchStream(
  url: string,
  config: HttpFetchConfig = DEFAULT_HTTP_FETCH_CONFIG,
  options: FetchStreamOptions = {},
): AsyncGenerator<Buffer, void, undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchFailedError(url, 0, 'not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchFailedError(url, 0, `unsupported protocol '${parsed.protocol}'`);

  const own = options.dispatcher ? null : connectionPool(config);
  const dispatcher = (options.dispatcher ?? own!).compose(interceptors.redirect({ maxRedirections: config.maxRedirections }));
  const range = options.range;
  if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end > range.start)) {
    throw new FetchFailedError(url, range.start, `bad byte range [${range.start}, ${range.end})`);
  }
  const state: DownloadState = { start: range?.start ?? 0, end: range?.end ?? null, received: 0, total: null, etag: null };
  let streak = 0; // failures in a row without a new byte
  let retries = 0;
  try {
    for (;;) {
      const attempt = await openAttempt(url, state, config, dispatcher);
      let cause: string;
      let retryAfterMs: number | null = null;
      if (attempt.kind === 'complete') return;
      if (attempt.kind === 'fail') throw new FetchFailedError(url, state.received, describeFailure(attempt.cause, state, retries));
      if (attempt.kind === 'retry') {
        cause = attempt.cause;
        retryAfterMs = attempt.retryAfterMs;
      } else {
        const before = state.received;
        const error = yield* streamBody(attempt.body, attempt.skip, state);
        if (error === null) {
          const wanted = wantedBytes(state);
          if (wanted === null || state.received >= wanted) return;
          cause = `the body ended early (premature end at byte ${state.received} of ${wanted}${state.start > 0 ? ` from byte ${state.start}` : ''})`;
        } else cause = error;
        if (state.received > before) streak = 0;
      }
      streak++;
      retries++;
      if (streak > config.maxRetries || retries > config.maxTotalRetries) {
        throw new FetchFailedError(url, state.received, describeFailure(`${cause}; gave up`, state, retries - 1));
      }
      if (retryAfterMs !== null && retryAfterMs > config.maxRetryAfterMs) {
        const asked = `${cause} asking to retry after ${Math.round(retryAfterMs / 1000)} s (Retry-After), beyond maxRetryAfterMs ${config.maxRetryAfterMs} ms`;
        throw new FetchFailedError(url, state.received, describeFailure(asked, state, retries - 1));
      }
      // Retry-After is a floor set by the server; the backoff still grows if the server keeps refusing.
      const delayMs = Math.max(retryAfterMs ?? 0, backoffDelayMs(streak, config));
      options.onRetry?.({ url, retry: retries, offset: state.received, cause, delayMs });
      await sleep(delayMs);
    }
  } finally {
    await own?.destroy().catch(() => undefined);
  }
}

/** Bytes the download must deliver: the range's length, else the resource's size once known. */
function wantedBytes(state: DownloadState): number | null {
  return state.end !== null ? state.end - state.start : state.total;
}

function describeFailure(cause: string, state: DownloadState, retries: number): string {
  const wanted = wantedBytes(state);
  const range = state.end !== null ? ` of range bytes=${state.start}-${state.end - 1}` : '';
  const where = wanted === null ? `at byte ${state.received}` : `at byte ${state.received} of ${wanted}${range}`;
  return `GET failed ${where} after ${retries} ${retries === 1 ? 'retry' : 'retries'}: ${cause}`;
}

/** Sends one GET (ranged when resuming) and judges the response header. */
async function openAttempt(url: string, state: DownloadState, config: HttpFetchConfig, dispatcher: Dispatcher): Promise<Attempt> {
  const headers: Record<string, string> = { 'user-agent': config.userAgent };
  const from = state.start + state.received;
  if (from > 0 || state.end !== null) headers.range = `bytes=${from}-${state.end === null ? '' : state.end - 1}`;
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      dispatcher,
      method: 'GET',
      headers,
      headersTimeout: config.headersTimeoutMs,
      bodyTimeout: config.bodyIdleTimeoutMs,
      highWaterMark: config.highWaterMarkBytes,
    });
  } catch (e) {
    const cause = describeError(e);
    return isPermanent(e) ? { kind: 'fail', cause } : { kind: 'retry', cause, retryAfterMs: null };
  }
  const { statusCode, body } = response;
  const header = (name: string): string | undefined => {
    const v = response.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  if (statusCode !== 200 && statusCode !== 206) {
    discard(body);
    if (statusCode === 416) {
      // A resume from exactly the end of the file: the server confirms there is nothing after it (this is
      // how a Content-Length that promised more than the file turns out harmless).
      const size = /^bytes \*\/(\d+)$/.exec(header('content-range') ?? '');
      if (size && state.end === null && state.received > 0 && Number(size[1]) === from) return { kind: 'complete' };
      return { kind: 'fail', cause: `HTTP 416 for ${headers.range ?? 'no range'} (Content-Range '${header('content-range') ?? ''}')` };
    }
    const cause = `HTTP ${statusCode}`;
    if (RETRYABLE_STATUS.has(statusCode)) return { kind: 'retry', cause, retryAfterMs: parseRetryAfter(header('retry-after'), Date.now()) };
    return { kind: 'fail', cause };
  }

  const etag = header('etag') ?? null;
  let total: number | null;
  let skip = 0;
  if (statusCode === 206) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header('content-range') ?? '');
    if (!range) return failWith(body, `206 without a usable Content-Range ('${header('content-range') ?? ''}')`);
    if (Number(range[1]) !== from) {
      return failWith(body, `asked for ${headers.range ?? ''} but the server sent bytes ${range[1]}-${range[2]}`);
    }
    total = range[3] === '*' ? null : Number(range[3]);
  } else {
    const length = header('content-length');
    total = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
    if (from > 0) {
      if (config.onRangeIgnored === 'fail') {
        return failWith(body, `the server ignored Range: ${headers.range ?? ''} (answered 200 with the whole resource)`);
      }
      skip = from;
    }
  }
  if (state.etag !== null && etag !== null && etag !== state.etag) {
    return failWith(body, `the resource changed between attempts (ETag ${state.etag} became ${etag})`);
  }
  if (state.total !== null && total !== null && total !== state.total) {
    return failWith(body, `the resource changed between attempts (size ${state.total} became ${total} bytes)`);
  }
  state.total ??= total;
  state.etag ??= etag;
  return { kind: 'body', body, skip };
}

function failWith(body: Dispatcher.ResponseData['body'], cause: string): Attempt {
  discard(body);
  return { kind: 'fail', cause };
}

/** Drops a response body unread; undici reports that as an 'error' event, which nobody needs. */
function discard(body: Dispatcher.ResponseData['body']): void {
  if (body.destroyed) return;
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * Yields one response body, dropping its first `skip` bytes (a server that ignored Range); returns null
 * when the body ended cleanly, else what broke it. Counts every byte yielded in `state.received`.
 */
async function* streamBody(
  body: Dispatcher.ResponseData['body'],
  skip: number,
  state: DownloadState,
): AsyncGenerator<Buffer, string | null, undefined> {
  const chunks: AsyncIterator<unknown> = body[Symbol.asyncIterator]();
  let toSkip = skip;
  // A ranged download stops at its end even when the server sends more (a 200 that ignored Range).
  const limit = state.end === null ? Number.POSITIVE_INFINITY : state.end - state.start;
  try {
    for (;;) {
      let step: IteratorResult<unknown>;
      try {
        step = await chunks.next();
      } catch (e) {
        return describeError(e);
      }
      if (step.done) return null;
      const value = step.value;
      if (!Buffer.isBuffer(value)) return `the response body yielded a ${typeof value}, not bytes`;
      let chunk: Buffer = value;
      if (toSkip > 0) {
        if (chunk.length <= toSkip) {
          toSkip -= chunk.length;
          continue;
        }
        chunk = chunk.subarray(toSkip);
        toSkip = 0;
      }
      const room = limit - state.received;
      if (chunk.length > room) chunk = chunk.subarray(0, room);
      state.received += chunk.length;
      if (chunk.length > 0) yield chunk;
      if (state.received >= limit) return null;
    }
  } finally {
    discard(body);
  }
}

/** Errors that another attempt cannot fix. */
export function isPermanent(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_URL' || code === 'UND_ERR_NOT_SUPPORTED';
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  return typeof e.code === 'string' ? e.code : undefined;
}

/** `CODE: message`, with the underlying cause undici wraps (a socket's ECONNRESET, say). */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = errorCode(e);
  let text = code ? `${code}: ${e.message}` : e.message;
  const inner = e.cause;
  if (inner instanceof Error && !text.includes(inner.message)) text += ` (${errorCode(inner) ?? inner.name}: ${inner.message})`;
  return text;
}
