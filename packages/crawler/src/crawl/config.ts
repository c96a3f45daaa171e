/** Everything that makes the crawler polite and safe, in one place. Durations in ms, sizes in bytes. */
export interface CrawlConfig {
  /** Sent on every request; must name the crawler and a contact URL. */
  userAgent: string;
  /** The product token matched against robots.txt `User-agent` lines (case-insensitive). */
  robotsProductToken: string;
  /** `Accept-Language`: the corpus is Japanese, so ask multilingual sites for their Japanese pages. */
  acceptLanguage: string;
  /** `Accept-Encoding`; the payload is archived as received (still encoded), as Common Crawl does. */
  acceptEncoding: string;
  /** Media types (no parameters, lower case) archived; any other response is aborted at its headers. */
  allowedContentTypes: string[];

  /** Largest robots.txt read; the rest is ignored. */
  robotsMaxBytes: number;
  /** How long a fetched robots.txt is trusted (also across restarts, via the journal). */
  robotsCacheTtlMs: number;
  /** Redirects followed when fetching robots.txt. */
  robotsMaxRedirects: number;
  /** A Crawl-delay above this is not shortened: the host's URLs are reported as `crawl-delay-too-long`. */
  maxCrawlDelayMs: number;

  /** Least time from the start, and from the end, of one request to a host to the start of the next. */
  perHostDelayMs: number;
  /** Simultaneous connections (requests in flight) per host name. */
  perHostConnections: number;
  /** Requests in flight over all hosts. */
  concurrency: number;

  /** Redirect hops followed for one listed URL. */
  maxRedirects: number;
  /** Body bytes (as transferred) past which the download is aborted as `body-too-large`. */
  maxBodyBytes: number;
  /** TCP (+TLS) connect. */
  connectTimeoutMs: number;
  /** From sending the request to the end of the response headers. */
  headersTimeoutMs: number;
  /** Longest silence between two body chunks. */
  bodyIdleTimeoutMs: number;
  /** Whole request, headers and body: what stops a server that drips one byte at a time. */
  totalTimeoutMs: number;

  /** HTTP statuses retried (with backoff, honouring Retry-After). */
  retryStatuses: number[];
  /** Retries per URL after the first attempt (HTTP statuses above and connection resets). */
  maxRetries: number;
  /** First backoff; doubled per retry. A Retry-After header lengthens it, never shortens it. */
  retryBaseDelayMs: number;
  /** A retry that would have to wait longer than this (backoff or Retry-After) is not made. */
  maxRetryWaitMs: number;

  /** Let hosts resolve to loopback, private, link-local and other special addresses (tests, intranets). */
  allowPrivateAddresses: boolean;

  /** A WARC file is closed, and a new one begun, before it would grow past this. */
  maxWarcBytes: number;
  /** WARC files are named `<prefix>-00000.warc.gz`, `<prefix>-00001.warc.gz`, ... */
  warcPrefix: string;

  /** Interval of the progress lines. */
  progressIntervalMs: number;
}

/** The contact placeholder of the default user agent; the CLI warns while it is still in use. */
export const DEFAULT_CONTACT_URL = 'https://example.org/jcp-crawler-contact';

export const DEFAULT_CRAWL_CONFIG: CrawlConfig = {
  // Product token, version, then "+URL" in parentheses: the form Googlebot, CCBot and Heritrix use, so a
  // webmaster's log tools recognise it. Replace the placeholder contact (`--contact`) before a real crawl.
  userAgent: `jcp-crawler/0.1 (+${DEFAULT_CONTACT_URL}; Japanese text corpus research)`,
  robotsProductToken: 'jcp-crawler',
  acceptLanguage: 'ja, en;q=0.5',
  // gzip only: every server speaks it, it cuts the host's bandwidth ~4x on HTML, and parseHttpResponse undoes it.
  acceptEncoding: 'gzip',
  // What the pipeline turns into text (web-page-config.ts htmlContentTypes); anything else would be dropped there.
  allowedContentTypes: ['text/html', 'application/xhtml+xml'],

  // RFC 9309 §2.5: crawlers must parse at least the first 500 KiB.
  robotsMaxBytes: 512 * 1024,
  // RFC 9309 §2.4: a cached robots.txt should not be used for more than 24 hours.
  robotsCacheTtlMs: 24 * 60 * 60 * 1000,
  // RFC 9309 §2.3.1.2: follow at least five consecutive redirects.
  robotsMaxRedirects: 5,
  // A site asking for more than one request a minute is asking not to be crawled; honour that by skipping it.
  maxCrawlDelayMs: 60_000,

  // One request every 2 s per host at most: wget's `--wait` advice for mirroring and below most Crawl-delay values.
  perHostDelayMs: 2_000,
  // One connection per host, as Heritrix and CCBot default to: a small site never sees parallel load from us.
  perHostConnections: 1,
  // Fetching is I/O-bound; 16 sockets keep 2 cores busy with gzip and digests without a deep queue of buffered bodies.
  concurrency: 16,

  // RFC 2068 §10.3 suggested five; real-world chains (http→https→www→canonical) rarely need more than three.
  maxRedirects: 5,
  // The pipeline drops HTML over 5 MiB (web-page-config.ts maxHtmlBytes), so a larger download only costs the host.
  maxBodyBytes: 5 * 1024 * 1024,
  // 10 s: undici's own connect default; a host that cannot finish a handshake in that time is down.
  connectTimeoutMs: 10_000,
  // 30 s for headers and between body chunks: generous for slow shared hosting, short enough to free the slot.
  headersTimeoutMs: 30_000,
  bodyIdleTimeoutMs: 30_000,
  // 2 min for a page of at most 5 MiB is ~40 KB/s, slower than any real site that is not dripping on purpose.
  totalTimeoutMs: 120_000,

  // The statuses RFC 9110 marks as temporary (429 Too Many Requests, 5xx gateway/unavailable).
  retryStatuses: [429, 500, 502, 503, 504],
  // Three retries at 5, 10, 20 s ride out a restart or a short overload without hammering a sick host.
  maxRetries: 3,
  retryBaseDelayMs: 5_000,
  // A host asking us to come back in more than 2 min is not coming back within this crawl's patience.
  maxRetryWaitMs: 120_000,

  // SSRF protection: a public URL list must not make us fetch from our own network.
  allowPrivateAddresses: false,

  // 1 GB: Common Crawl's and the IIPC's customary WARC file size.
  maxWarcBytes: 1_000_000_000,
  warcPrefix: 'crawl',

  // Often enough to see a stall, rare enough not to flood a log.
  progressIntervalMs: 5_000,
};

/** Checks a (merged) config, throwing a message that names the field. */
export function validateCrawlConfig(config: CrawlConfig): CrawlConfig {
  const positive: Array<keyof CrawlConfig> = [
    'robotsMaxBytes',
    'perHostConnections',
    'concurrency',
    'maxBodyBytes',
    'connectTimeoutMs',
    'headersTimeoutMs',
    'bodyIdleTimeoutMs',
    'totalTimeoutMs',
    'maxWarcBytes',
    'progressIntervalMs',
  ];
  const nonNegative: Array<keyof CrawlConfig> = [
    'robotsCacheTtlMs',
    'robotsMaxRedirects',
    'maxCrawlDelayMs',
    'perHostDelayMs',
    'maxRedirects',
    'maxRetries',
    'retryBaseDelayMs',
    'maxRetryWaitMs',
  ];
  for (const key of positive) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`crawl config: ${key} must be a positive number, got ${String(v)}`);
  }
  for (const key of nonNegative) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`crawl config: ${key} must be a number >= 0, got ${String(v)}`);
  }
  if (!config.userAgent.trim()) throw new Error('crawl config: userAgent must not be empty');
  if (!/^[A-Za-z_-]+$/.test(config.robotsProductToken)) {
    throw new Error(`crawl config: robotsProductToken '${config.robotsProductToken}' must be letters, '_' and '-' only (RFC 9309 §2.2.1)`);
  }
  if (!/^[A-Za-z0-9._-]+$/.test(config.warcPrefix)) throw new Error(`crawl config: warcPrefix '${config.warcPrefix}' must be a plain file-name stem`);
  if (config.allowedContentTypes.length === 0) throw new Error('crawl config: allowedContentTypes must not be empty');
  return config;
}
