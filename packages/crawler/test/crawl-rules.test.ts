import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../src/crawl/address-policy.ts';
import { DEFAULT_CRAWL_CONFIG } from '../src/crawl/config.ts';
import { retryWait } from '../src/crawl/crawl.ts';
import type { FetchFailure } from '../src/crawl/fetch.ts';
import { PinningResolver } from '../src/crawl/resolver.ts';
import { parseUrlList } from '../src/crawl/url-list.ts';

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'special'],
    ['192.0.2.7', 'special'],
    ['2001:db8::1', 'special'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.1.1', 'private'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
    ['[::1]', 'loopback'],
  ])('refuses %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '133.11.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2400:cb00::1'])(
    'allows the public address %s',
    (address) => {
      expect(classifyAddress(address)).toBeNull();
    },
  );

  it.each([
    // IPv4-translated (RFC 2765/6052 ::ffff:0:a.b.c.d), hex and dotted, bare and bracketed.
    ['::ffff:0:a9fe:a9fe', 'link-local'],
    ['[::ffff:0:a9fe:a9fe]', 'link-local'],
    ['::ffff:0:169.254.169.254', 'link-local'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:a00:1', 'private'],
    ['::ffff:0:0.0.0.0', 'unspecified'],
    // IPv4-compatible (deprecated ::a.b.c.d).
    ['::169.254.169.254', 'link-local'],
    ['::a9fe:a9fe', 'link-local'],
    ['::127.0.0.2', 'loopback'],
    ['::192.168.0.1', 'private'],
    // NAT64 well-known prefix 64:ff9b::/96.
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    // 6to4 2002:a.b.c.d::/48.
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:a00:1:2::3', 'private'],
  ])('classifies %s, an IPv6 form carrying an IPv4 address, by that IPv4 address (%s)', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each(['::8.8.8.8', '64:ff9b:0:0:1::a9fe:a9fe', '0:0:0:ffff:0:0:a9fe:a9fe', '::1:0:0:a9fe:a9fe'])(
    'refuses %s, outside the defined IPv4-carrying forms of the reserved ::/8, as special',
    (address) => {
      expect(classifyAddress(address)).toBe('special');
    },
  );

  it.each(['::ffff:0:8.8.8.8', '2002:808:808::1'])('allows %s, which carries a public IPv4 address', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });
});

describe('pinning resolver', () => {
  it('pins a host to its first allowed address and skips refused ones', async () => {
    const r = new PinningResolver(false, async () => [
      { address: '10.0.0.5', family: 4 },
      { address: '93.184.216.34', family: 4 },
    ]);
    expect(await r.resolve('mixed.example')).toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('resolves each name once, so a changed DNS answer (rebinding) is never used', async () => {
    const answers = ['93.184.216.34', '127.0.0.1'];
    let calls = 0;
    const r = new PinningResolver(false, async () => [{ address: answers[calls++] ?? '127.0.0.1', family: 4 }]);
    expect(await r.resolve('rebind.example')).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await r.resolve('REBIND.example')).toEqual({ address: '93.184.216.34', family: 4 });
    expect(calls).toBe(1);
    const viaConnect = await new Promise<string>((resolve, reject) =>
      r.connectLookup('rebind.example', { all: false }, (err, address) => (err ? reject(err) : resolve(String(address)))),
    );
    expect(viaConnect).toBe('93.184.216.34');
  });

  it('refuses a host whose every address is special, naming the address', async () => {
    const r = new PinningResolver(false, async () => [{ address: '169.254.169.254', family: 4 }]);
    expect(await r.resolve('metadata.example')).toEqual({
      reason: 'forbidden-address',
      detail: 'metadata.example resolves to 169.254.169.254, a link-local address',
    });
  });

  it('refuses the URL host [::ffff:0:a9fe:a9fe], the IPv4-translated cloud metadata address, without a lookup', async () => {
    let lookups = 0;
    const r = new PinningResolver(false, async () => {
      lookups++;
      return [{ address: '93.184.216.34', family: 4 }];
    });
    // The URL parser rewrites the dotted form to hex: both spellings reach the resolver as the same literal.
    const host = new URL('http://[::ffff:0:169.254.169.254]/latest/meta-data/').hostname;
    expect(host).toBe('[::ffff:0:a9fe:a9fe]');
    expect(await r.resolve(host)).toEqual({ reason: 'forbidden-address', detail: '::ffff:0:a9fe:a9fe is a link-local address' });
    expect(lookups).toBe(0);
  });

  it('reports a failed lookup as dns-error', async () => {
    const r = new PinningResolver(false, async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    });
    expect(await r.resolve('missing.example')).toEqual({ reason: 'dns-error', detail: 'missing.example: ENOTFOUND' });
  });
});

describe('URL list', () => {
  it('keeps URLs with their tab-separated fields and line numbers, skipping blanks and comments', () => {
    const list = parseUrlList('\uFEFF# header\nhttp://a.example/x\tid-1\t2024\n\n  https://b.example/  \r\n', 'urls.txt');
    expect(list.entries).toEqual([
      { url: 'http://a.example/x', line: 2, fields: ['id-1', '2024'] },
      { url: 'https://b.example/', line: 4, fields: [] },
    ]);
    expect(list.problems).toEqual([]);
    expect(list.lines).toBe(2);
  });

  it('reports non-URLs, other schemes, credentials and repeats with file and line', () => {
    const list = parseUrlList('nope\nmailto:a@b.example\nhttp://u:p@a.example/\nhttp://a.example/#top\nhttp://A.EXAMPLE/\n', 'list.txt');
    expect(list.entries.map((e) => e.url)).toEqual(['http://a.example/']);
    expect(list.problems.map((p) => `${p.file}:${p.line} ${p.reason}`)).toEqual([
      'list.txt:1 bad-url',
      'list.txt:2 bad-url',
      'list.txt:3 bad-url',
      'list.txt:5 duplicate',
    ]);
  });
});

describe('retry wait', () => {
  const config = { ...DEFAULT_CRAWL_CONFIG, retryBaseDelayMs: 5_000, maxRetries: 3, maxRetryWaitMs: 120_000 };
  const http = (status: number, retryAfterMs?: number): FetchFailure => ({ reason: `http-${status}`, detail: `HTTP ${status}`, status, retryAfterMs });

  it('doubles the backoff per retry, and waits longer only where Retry-After asks for longer', () => {
    expect([0, 1, 2].map((attempt) => retryWait(config, attempt, http(503)))).toEqual([5_000, 10_000, 20_000]);
    expect(retryWait(config, 0, http(429, 30_000))).toBe(30_000);
    expect(retryWait(config, 2, http(429, 1_000))).toBe(20_000);
    expect(retryWait(config, 1, { reason: 'connection-closed', detail: 'closed before the headers' })).toBe(10_000);
  });

  it('gives up on other failures at once, and on temporary ones after the last retry or past the longest wait, saying why', () => {
    const notFound = http(404);
    const timeout: FetchFailure = { reason: 'timeout', detail: 'whole request over 120 s' };
    expect(retryWait(config, 0, notFound)).toBeNull();
    expect(retryWait(config, 0, timeout)).toBeNull();
    expect([notFound.detail, timeout.detail]).toEqual(['HTTP 404', 'whole request over 120 s']);
    const last = http(503);
    expect(retryWait(config, 3, last)).toBeNull();
    expect(last.detail).toBe('HTTP 503 (after 3 retries)');
    const hour = http(503, 3_600_000);
    expect(retryWait(config, 0, hour)).toBeNull();
    expect(hour.detail).toBe('HTTP 503 (a retry would wait 3600 s, more than 120 s)');
  });
});
