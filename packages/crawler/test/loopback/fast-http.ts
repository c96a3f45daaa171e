import { DEFAULT_HTTP_FETCH_CONFIG, type HttpFetchConfig } from '../../src/http/config.ts';

/** Short pauses and timeouts so every misbehaviour of the loopback server costs well under a second. */
export const FAST_HTTP: HttpFetchConfig = {
  ...DEFAULT_HTTP_FETCH_CONFIG,
  backoffBaseMs: 5,
  backoffMaxMs: 40,
  maxRetries: 3,
  headersTimeoutMs: 400,
  bodyIdleTimeoutMs: 400,
};
