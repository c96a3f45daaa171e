import type { HttpFetchConfig } from './config.ts';

/** HTTP statuses worth another attempt: the server or a proxy is overloaded or briefly unavailable. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Pause before retry number `streak` (1 for the first retry after a failure): `base * 2^(streak-1)`
 * capped at `backoffMaxMs`, of which the `backoffJitter` share is random.
 */
export function backoffDelayMs(
  streak: number,
  config: Pick<HttpFetchConfig, 'backoffBaseMs' | 'backoffMaxMs' | 'backoffJitter'>,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.max(0, streak - 1));
  return Math.round(exponential * (1 - config.backoffJitter + config.backoffJitter * random()));
}

/**
 * Milliseconds a `Retry-After` value asks to wait: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * a date in the past gives 0; null when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates name their month ("Wed, 21 Oct 2015 07:28:00 GMT"); without that check Date.parse
  // takes "-5" for a year.
  const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
