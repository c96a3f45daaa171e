/**
 * Why a listed URL was not archived. Every failure is journaled and counted under exactly one of these;
 * a final HTTP status that is neither 2xx nor a followed redirect counts as `http-<status>`.
 */
export type FailureReason =
  | 'unsupported-scheme' // a redirect to something other than http(s)
  | 'forbidden-address' // the host resolves to loopback / private / link-local / special space
  | 'dns-error'
  | 'robots-disallowed'
  | 'robots-unreachable' // robots.txt answered 5xx or not at all: RFC 9309 says assume complete disallow
  | 'crawl-delay-too-long'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'bad-redirect' // 3xx without a usable Location
  | 'duplicate' // a redirect led to a URL this crawl already fetched or will fetch
  | 'content-type-not-allowed'
  | 'body-too-large'
  | 'timeout'
  | 'connection-reset'
  | 'connection-closed' // closed before the response headers
  | 'truncated-body' // closed before Content-Length bytes arrived
  | 'connect-error'
  | 'tls-error'
  | 'bad-http' // not parseable as HTTP/1.x
  | 'fetch-error'
  | 'aborted' // the crawl was stopped; never journaled, so the URL is fetched on the next run
  | `http-${number}`;

/** Counted per listed line: `ok`, a failure, or a problem of the list itself. */
export type OutcomeName = 'ok' | FailureReason | 'bad-url' | 'duplicate-in-list';
