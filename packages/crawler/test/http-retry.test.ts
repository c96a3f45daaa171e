import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_FETCH_CONFIG } from '../src/http/config.ts';
import { backoffDelayMs, parseRetryAfter } from '../src/http/retry.ts';

describe('backoffDelayMs', () => {
  const config = { backoffBaseMs: 100, backoffMaxMs: 1_000, backoffJitter: 0.5 };

  it('doubles with each failure in a row, up to the cap, when the random share is at its top', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, config, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('keeps the fixed share when the random share is at its bottom (equal jitter)', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, config, () => 0))).toEqual([50, 100, 200]);
  });

  it('has no random part with backoffJitter 0', () => {
    expect(backoffDelayMs(3, { ...config, backoffJitter: 0 }, () => 0.123)).toBe(400);
  });

  it('sums to about a minute of pauses over the default retries', () => {
    let most = 0;
    for (let n = 1; n <= DEFAULT_HTTP_FETCH_CONFIG.maxRetries; n++) most += backoffDelayMs(n, DEFAULT_HTTP_FETCH_CONFIG, () => 1);
    expect(most).toBe(61_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
  });

  it('gives 0 for a date already past', () => {
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('gives null for a missing or unreadable header', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});
