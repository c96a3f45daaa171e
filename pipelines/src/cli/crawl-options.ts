import { DEFAULT_CONTACT_URL, DEFAULT_CRAWL_CONFIG, type CrawlConfig } from '@jcp/crawler';
import { UsageError } from './args.ts';

const D = DEFAULT_CRAWL_CONFIG;

/**
 * The URL-list crawler's flags, declared once for `pnpm crawl` and for `pnpm pipeline warp-ja --urls`
 * (which crawls first): their parseArgs types, their help lines and what each sets in the CrawlConfig.
 */
export const CRAWL_OPTIONS = {
  'allow-private': { type: 'boolean' },
  'max-warc-bytes': { type: 'string' },
  concurrency: { type: 'string' },
  'per-host': { type: 'string' },
  'delay-ms': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'max-redirects': { type: 'string' },
  'max-retries': { type: 'string' },
  'retry-base-ms': { type: 'string' },
  'progress-ms': { type: 'string' },
  contact: { type: 'string' },
  'user-agent': { type: 'string' },
} as const;

export type CrawlFlagValues = { [K in keyof typeof CRAWL_OPTIONS]?: (typeof CRAWL_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

export const CRAWL_HELP = `  --allow-private         Allow hosts that resolve to loopback/private/link-local addresses (off: refused).
  --max-warc-bytes <n>    Rotate WARC files before this size. Default ${D.maxWarcBytes}.
  --concurrency <n>       Requests in flight over all hosts. Default ${D.concurrency}.
  --per-host <n>          Requests in flight per host. Default ${D.perHostConnections}.
  --delay-ms <n>          Least delay between requests to one host (robots.txt Crawl-delay can lengthen it). Default ${D.perHostDelayMs}.
  --timeout-ms <n>        Whole-request deadline. Default ${D.totalTimeoutMs}.
  --max-body-bytes <n>    Abort bodies past this size (body-too-large). Default ${D.maxBodyBytes}.
  --max-redirects <n>     Default ${D.maxRedirects}.
  --max-retries <n>       Retries of 429/5xx and connection resets. Default ${D.maxRetries}.
  --retry-base-ms <n>     First retry backoff (doubles; Retry-After can lengthen it). Default ${D.retryBaseDelayMs}.
  --progress-ms <n>       Progress line interval. Default ${D.progressIntervalMs}.
  --contact <url>         Contact URL put into the default user agent (replace the placeholder for real crawls).
  --user-agent <string>   Full user agent (overrides --contact).`;

function count(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} expects a number >= 0, got '${value}'`);
  return n;
}

/** `config` with the crawl flags given applied on top (flags win over a config file). */
export function applyCrawlFlags(config: Partial<CrawlConfig>, v: CrawlFlagValues): Partial<CrawlConfig> {
  const out = { ...config };
  if (v['allow-private']) out.allowPrivateAddresses = true;
  if (v['max-warc-bytes']) out.maxWarcBytes = count('--max-warc-bytes', v['max-warc-bytes']);
  if (v.concurrency) out.concurrency = count('--concurrency', v.concurrency);
  if (v['per-host']) out.perHostConnections = count('--per-host', v['per-host']);
  if (v['delay-ms']) out.perHostDelayMs = count('--delay-ms', v['delay-ms']);
  if (v['timeout-ms']) out.totalTimeoutMs = count('--timeout-ms', v['timeout-ms']);
  if (v['max-body-bytes']) out.maxBodyBytes = count('--max-body-bytes', v['max-body-bytes']);
  if (v['max-redirects']) out.maxRedirects = count('--max-redirects', v['max-redirects']);
  if (v['max-retries']) out.maxRetries = count('--max-retries', v['max-retries']);
  if (v['retry-base-ms']) out.retryBaseDelayMs = count('--retry-base-ms', v['retry-base-ms']);
  if (v['progress-ms']) out.progressIntervalMs = count('--progress-ms', v['progress-ms']);
  if (v.contact) out.userAgent = (out.userAgent ?? D.userAgent).replace(DEFAULT_CONTACT_URL, v.contact);
  if (v['user-agent']) out.userAgent = v['user-agent'];
  return out;
}

/** Said when a crawl would still name the placeholder contact: a real crawl must say who to reach. */
export function placeholderContactWarning(config: Partial<CrawlConfig>): string | null {
  return (config.userAgent ?? D.userAgent).includes(DEFAULT_CONTACT_URL)
    ? `crawl: the user agent still names the placeholder contact ${DEFAULT_CONTACT_URL}; pass --contact <url> for a real crawl`
    : null;
}
