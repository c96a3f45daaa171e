import { gunzipSync, inflateSync } from 'node:zlib';
import type { CrawlConfig } from './config.ts';
import { fetchExchange, headerValue, type FetchOptions } from './fetch.ts';
import type { RobotsJournalEntry } from './journal.ts';
import { RobotsPolicy } from './robots.ts';

/**
 * Fetches `<origin>/robots.txt` and turns the answer into the journal entry it is cached as (RFC 9309
 * §2.3.1): 2xx parsed; redirects followed up to the limit; 4xx "unavailable" (no restrictions); 429, 5xx,
 * network failures and too many redirects "unreachable" (complete disallow). 429 counts as unreachable
 * because the host is asking for less load, not saying there are no rules.
 */
export async function fetchRobots(
  origin: string,
  config: CrawlConfig,
  base: Pick<FetchOptions, 'agent' | 'resolver' | 'signal'>,
  onRequest: () => void,
): Promise<RobotsJournalEntry> {
  let url = new URL('/robots.txt', origin);
  const at = (): string => new Date().toISOString();
  for (let hop = 0; hop <= config.robotsMaxRedirects; hop++) {
    onRequest();
    const r = await fetchExchange(url, {
      ...base,
      config,
      accept: 'text/plain, */*;q=0.1',
      acceptEncoding: 'identity',
      maxBodyBytes: config.robotsMaxBytes,
      truncateAtLimit: true,
      onHeaders: () => ({ read: true }),
    });
    if ('reason' in r) return { kind: 'robots', origin, at: at(), state: 'unreachable', failure: { reason: r.reason, detail: r.detail } };
    if (r.status >= 200 && r.status < 300) {
      return { kind: 'robots', origin, at: at(), state: 'parsed', status: r.status, text: decodeBody(r.body, headerValue(r.headers, 'content-encoding'), config.robotsMaxBytes) };
    }
    if (r.status >= 300 && r.status < 400) {
      const location = headerValue(r.headers, 'location');
      let next: URL | null = null;
      try {
        next = location ? new URL(location, url) : null;
      } catch {
        next = null;
      }
      if (!next) return { kind: 'robots', origin, at: at(), state: 'unavailable', status: r.status };
      url = next;
      continue;
    }
    if (r.status >= 400 && r.status < 500 && r.status !== 429) return { kind: 'robots', origin, at: at(), state: 'unavailable', status: r.status };
    return { kind: 'robots', origin, at: at(), state: 'unreachable', status: r.status };
  }
  return { kind: 'robots', origin, at: at(), state: 'unreachable', failure: { reason: 'too-many-redirects', detail: `robots.txt redirected more than ${config.robotsMaxRedirects} times` } };
}

/** A server may compress even when asked not to; an undecodable (or bomb-sized) body is treated as empty (no rules). */
function decodeBody(body: Buffer, encoding: string | undefined, maxBytes: number): string {
  try {
    const enc = (encoding ?? '').trim().toLowerCase();
    const limit = { maxOutputLength: maxBytes };
    const bytes = enc === 'gzip' || enc === 'x-gzip' ? gunzipSync(body, limit) : enc === 'deflate' ? inflateSync(body, limit) : body;
    return bytes.toString('utf8');
  } catch {
    return '';
  }
}

/** Rebuilds the policy a journal entry describes. */
export function robotsPolicyOf(entry: RobotsJournalEntry, productToken: string): RobotsPolicy {
  if (entry.state === 'parsed') return RobotsPolicy.parse(entry.text ?? '', productToken);
  return entry.state === 'unavailable' ? RobotsPolicy.unavailable() : RobotsPolicy.unreachable();
}
