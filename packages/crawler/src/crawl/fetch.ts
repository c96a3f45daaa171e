import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import type { CrawlConfig } from './config.ts';
import type { FailureReason } from './outcome.ts';
import { REFUSED_CODE, RefusedAddressError, type PinningResolver } from './resolver.ts';

/** One HTTP request and its complete response, as archived. */
export interface HttpExchange {
  url: URL;
  /** The address connected to (the resolver's pin). */
  ip: string;
  startedAt: Date;
  status: number;
  /** Reason phrase as sent (may be empty). */
  statusText: string;
  /** Response headers in wire order and case. */
  headers: Array<[string, string]>;
  /** Body after transfer decoding (chunking undone), content coding kept. */
  body: Buffer;
  /** The request as sent: request line, headers, blank line. */
  requestBlock: Buffer;
  /** The body stopped at the byte limit (only when `truncateAtLimit`). */
  truncated: boolean;
}

export interface FetchFailure {
  reason: FailureReason;
  detail: string;
  status?: number;
  /** From a Retry-After header, in ms from now. */
  retryAfterMs?: number | null;
}

/** What to do once the status line and headers are in: read the body, or stop with a failure. */
export type HeaderDecision = { read: true } | { read: false; failure: FetchFailure };

export interface FetchOptions {
  agent: Dispatcher;
  resolver: PinningResolver;
  config: CrawlConfig;
  accept: string;
  /** Overrides `config.acceptEncoding` (robots.txt is asked for uncompressed). */
  acceptEncoding?: string;
  maxBodyBytes: number;
  /** Keep the first `maxBodyBytes` and stop (robots.txt) instead of failing with `body-too-large`. */
  truncateAtLimit: boolean;
  onHeaders: (status: number, headers: Array<[string, string]>) => HeaderDecision;
  /** Aborts the request when the crawl shuts down. */
  signal?: AbortSignal;
}

/** Carries a failure through undici's abort path so the catch below can tell our aborts from network errors. */
class FetchAbort extends Error {
  constructor(readonly failure: FetchFailure) {
    super(`${failure.reason}: ${failure.detail}`);
  }
}

/**
 * The undici Agent of a crawl. Connections resolve through the pinning resolver, and the peer address of
 * every new socket is checked again before a byte of HTTP is written (which also covers IP-literal URLs,
 * for which `net.connect` does no lookup).
 */
export function createCrawlAgent(resolver: PinningResolver, config: CrawlConfig): Agent {
  const base = buildConnector({ timeout: config.connectTimeoutMs, lookup: resolver.connectLookup });
  const connect: buildConnector.connector = (options, callback) => {
    base(options, (err, socket) => {
      if (err || !socket) {
        callback(err ?? new Error('connect failed'), null);
        return;
      }
      const refusal = resolver.checkAddress(socket.remoteAddress ?? '0.0.0.0');
      if (refusal) {
        socket.destroy();
        callback(new RefusedAddressError(refusal), null);
        return;
      }
      callback(null, socket);
    });
  };
  return new Agent({
    connect,
    connections: config.perHostConnections,
    headersTimeout: config.headersTimeoutMs,
    bodyTimeout: config.bodyIdleTimeoutMs,
  });
}

/**
 * GETs one URL with the crawl's headers and limits. Never throws for network or HTTP trouble: the result
 * is the exchange or a failure with its reason.
 */
export async function fetchExchange(url: URL, opts: FetchOptions): Promise<HttpExchange | FetchFailure> {
  const { config } = opts;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { reason: 'unsupported-scheme', detail: `scheme '${url.protocol}' is not http or https` };
  }
  const pin = await opts.resolver.resolve(url.hostname);
  if ('reason' in pin) return { reason: pin.reason, detail: pin.detail };

  const requestHeaders: Array<[string, string]> = [
    ['User-Agent', config.userAgent],
    ['Accept', opts.accept],
    ['Accept-Language', config.acceptLanguage],
    ['Accept-Encoding', opts.acceptEncoding ?? config.acceptEncoding],
  ];
  // undici adds Host and Connection itself; the archived request names Host (Connection is hop-by-hop).
  const requestBlock = Buffer.from(
    `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${requestHeaders.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`,
    'latin1',
  );
  const startedAt = new Date();
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new FetchAbort({ reason: 'timeout', detail: `no complete response within ${config.totalTimeoutMs} ms` })),
    config.totalTimeoutMs,
  );
  const onOuterAbort = (): void => controller.abort(new FetchAbort({ reason: 'aborted', detail: 'crawl stopped' }));
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let headersIn = false;
  try {
    const res = await request(url, {
      dispatcher: opts.agent,
      method: 'GET',
      headers: Object.fromEntries(requestHeaders.map(([k, v]) => [k.toLowerCase(), v])),
      signal: controller.signal,
      responseHeaders: 'raw',
      headersTimeout: config.headersTimeoutMs,
      bodyTimeout: config.bodyIdleTimeoutMs,
    });
    headersIn = true;
    const headers = rawHeaderPairs(res.headers);
    const decision = opts.onHeaders(res.statusCode, headers);
    if (!decision.read) {
      // Destroying an unread body makes undici emit an AbortError on it: expected here, so swallowed.
      res.body.on('error', () => undefined);
      res.body.destroy();
      return decision.failure;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let truncated = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      if (total + chunk.length > opts.maxBodyBytes) {
        if (!opts.truncateAtLimit) {
          return { reason: 'body-too-large', detail: `body passed the ${opts.maxBodyBytes}-byte limit`, status: res.statusCode };
        }
        chunks.push(chunk.subarray(0, opts.maxBodyBytes - total));
        total = opts.maxBodyBytes;
        truncated = true;
        break; // leaving the loop destroys the body stream
      }
      chunks.push(chunk);
      total += chunk.length;
    }
    return {
      url,
      ip: pin.address,
      startedAt,
      status: res.statusCode,
      statusText: res.statusText,
      headers,
      body: Buffer.concat(chunks, total),
      requestBlock,
      truncated,
    };
  } catch (e) {
    return failureOf(e, headersIn, controller.signal.reason);
  } finally {
    clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** undici's `responseHeaders: 'raw'` gives a flat [name, value, name, value, ...] list. */
function rawHeaderPairs(raw: unknown): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (!Array.isArray(raw)) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([String(raw[i]), String(raw[i + 1])]);
  return out;
}

function failureOf(e: unknown, headersIn: boolean, abortReason: unknown): FetchFailure {
  if (e instanceof FetchAbort) return e.failure;
  if (abortReason instanceof FetchAbort) return abortReason.failure;
  if (e instanceof RefusedAddressError) return { reason: e.refusal.reason, detail: e.refusal.detail };
  const err: NodeJS.ErrnoException = e instanceof Error ? e : new Error(String(e));
  const cause = err.cause instanceof Error ? (err.cause as NodeJS.ErrnoException) : undefined;
  const code = err.code ?? cause?.code ?? '';
  const detail = `${code ? `${code}: ` : ''}${err.message}`;
  if (code === REFUSED_CODE) return { reason: 'forbidden-address', detail };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { reason: 'timeout', detail };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { reason: 'connection-reset', detail };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { reason: 'connect-error', detail };
  if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    // The server closed the connection: after the headers the body is short of its Content-Length.
    return headersIn ? { reason: 'truncated-body', detail } : { reason: 'connection-closed', detail };
  }
  if (code.startsWith('HPE_')) return { reason: 'bad-http', detail };
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return { reason: 'tls-error', detail };
  return { reason: 'fetch-error', detail };
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; ms from now, null when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** A header's value (first of that name, case-insensitive). */
export function headerValue(headers: Array<[string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}
