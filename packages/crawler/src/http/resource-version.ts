import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from './config.ts';
import { describeError, FetchFailedError, isPermanent } from './fetch-stream.ts';
import { backoffDelayMs, parseRetryAfter, RETRYABLE_STATUS } from './retry.ts';

/**
 * What a server says about the version of a resource, without its body: how a run tells that a WARC
 * it read over HTTP was replaced under the same URL (a mirror re-synced, a file re-uploaded). Null
 * fields are what the server did not say; a server that says nothing cannot be checked.
 */
export interface ResourceVersion {
  url: string;
  size: number | null;
  etag: string | null;
  lastModified: string | null;
}

/**
 * The resource's version from a HEAD request (a GET whose body is dropped unread when HEAD is not
 * allowed), retried on the same terms as a download: backoff, Retry-After, the retryable statuses.
 */
export async function resourceVersion(url: string, config: HttpFetchConfig = DEFAULT_HTTP_FETCH_CONFIG): Promise<ResourceVersion> {
  const agent = new Agent({ connect: { timeout: config.connectTimeoutMs } });
  const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: config.maxRedirections }));
  let method: 'HEAD' | 'GET' = 'HEAD';
  try {
    for (let attempt = 1; ; attempt++) {
      let cause: string;
      let retryAfterMs: number | null = null;
      try {
        const response = await request(url, { dispatcher, method, headers: { 'user-agent': config.userAgent }, headersTimeout: config.headersTimeoutMs });
        dropBody(response.body);
        const header = (name: string): string | null => {
          const v = response.headers[name];
          return (Array.isArray(v) ? v[0] : v) ?? null;
        };
        if (response.statusCode === 200) {
          const length = header('content-length');
          return { url, size: length !== null && /^\d+$/.test(length) ? Number(length) : null, etag: header('etag'), lastModified: header('last-modified') };
        }
        if ((response.statusCode === 405 || response.statusCode === 501) && method === 'HEAD') {
          method = 'GET';
          continue;
        }
        cause = `HTTP ${response.statusCode}`;
        if (!RETRYABLE_STATUS.has(response.statusCode)) throw new FetchFailedError(url, 0, `${method} failed: ${cause}`);
        retryAfterMs = parseRetryAfter(header('retry-after') ?? undefined, Date.now());
      } catch (e) {
        if (e instanceof FetchFailedError) throw e;
        if (isPermanent(e)) throw new FetchFailedError(url, 0, `${method} failed: ${describeError(e)}`);
        cause = describeError(e);
      }
      if (attempt > config.maxRetries) throw new FetchFailedError(url, 0, `${method} failed after ${attempt - 1} retries: ${cause}`);
      await sleep(Math.max(retryAfterMs ?? 0, backoffDelayMs(attempt, config)));
    }
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

/**
 * Why `recorded` no longer describes the resource, or null: ETag first (the server's own version
 * name), then size and Last-Modified, each compared only when both answers have it.
 */
export function resourceChange(recorded: ResourceVersion, now: ResourceVersion): string | null {
  if (recorded.etag !== null && now.etag !== null) return recorded.etag === now.etag ? null : `ETag ${recorded.etag} → ${now.etag}`;
  if (recorded.size !== null && now.size !== null && recorded.size !== now.size) return `size ${recorded.size} → ${now.size} bytes`;
  if (recorded.lastModified !== null && now.lastModified !== null && recorded.lastModified !== now.lastModified) {
    return `Last-Modified ${recorded.lastModified} → ${now.lastModified}`;
  }
  return null;
}

function dropBody(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}
