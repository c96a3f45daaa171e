import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRAWL_CONFIG } from '../src/crawl/config.ts';
import { createCrawlAgent } from '../src/crawl/fetch.ts';
import { PinningResolver, REFUSED_CODE } from '../src/crawl/resolver.ts';
import {
  crawlList,
  drip,
  failFirst,
  hugeChunked,
  page,
  redirect,
  resetMidBody,
  robots,
  shortContentLength,
  status,
  text,
  useCrawlServer,
} from './crawl-server.ts';

const serve = useCrawlServer();

describe('crawl: servers that misbehave', () => {
  it('retries a connection reset mid-body, and reports connection-reset when it keeps happening', async () => {
    const resetOnce = failFirst(1, resetMidBody(), page());
    const s = await serve((_host, path) =>
      path === '/always-reset' ? resetMidBody() : path === '/reset-once' ? resetOnce : path === '/robots.txt' ? status(404) : undefined,
    );
    const { outcomes } = await crawlList([s.url('a.test', '/always-reset'), s.url('b.test', '/reset-once')], { maxRetries: 2 });
    expect(outcomes.get(s.url('a.test', '/always-reset'))?.outcome).toBe('connection-reset');
    expect(s.hits('a.test', '/always-reset')).toHaveLength(3);
    expect(outcomes.get(s.url('b.test', '/reset-once'))?.outcome).toBe('ok');
    expect(s.hits('b.test', '/reset-once')).toHaveLength(2);
  });

  it('waits at least Retry-After before retrying a 503, and stops at the retry bound', async () => {
    const busyOnce = failFirst(1, status(503, { 'Retry-After': '1' }), page());
    const s = await serve((_host, path) => {
      if (path === '/busy-once') return busyOnce;
      if (path === '/always-503') return status(503);
      if (path === '/come-back-in-an-hour') return status(503, { 'Retry-After': '3600' });
      if (path === '/robots.txt') return status(404);
      return undefined;
    });
    const { outcomes } = await crawlList(
      [s.url('a.test', '/busy-once'), s.url('b.test', '/always-503'), s.url('c.test', '/come-back-in-an-hour')],
      { maxRetries: 2, maxRetryWaitMs: 5_000 },
    );
    const busy = s.hits('a.test', '/busy-once');
    expect(outcomes.get(s.url('a.test', '/busy-once'))?.outcome).toBe('ok');
    expect(busy).toHaveLength(2);
    expect((busy[1]?.at ?? 0) - (busy[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(outcomes.get(s.url('b.test', '/always-503'))?.outcome).toBe('http-503');
    expect(s.hits('b.test', '/always-503')).toHaveLength(3);
    const hour = outcomes.get(s.url('c.test', '/come-back-in-an-hour'));
    expect(hour?.outcome).toBe('http-503');
    expect(hour?.detail).toMatch(/would wait 3600 s/);
    expect(s.hits('c.test', '/come-back-in-an-hour')).toHaveLength(1);
  });

  it('abandons a body that drips slower than the whole-request deadline', async () => {
    const s = await serve((_host, path) => (path === '/drip' ? drip(20) : path === '/robots.txt' ? status(404) : undefined));
    const started = Date.now();
    const { outcomes } = await crawlList([s.url('a.test', '/drip')], { totalTimeoutMs: 400, bodyIdleTimeoutMs: 5_000 });
    expect(outcomes.get(s.url('a.test', '/drip'))?.outcome).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('detects a redirect loop without fetching any URL twice, and caps long redirect chains', async () => {
    const s = await serve((host, path) => {
      if (path === '/robots.txt') return status(404);
      if (path === '/loop-a') return redirect('/loop-b');
      if (path === '/loop-b') return redirect(`http://${host}:${s.port}/loop-a`, 301);
      const hop = /^\/hop(\d+)$/.exec(path);
      if (hop) return redirect(`/hop${Number(hop[1]) + 1}`);
      return undefined;
    });
    const { outcomes } = await crawlList([s.url('a.test', '/loop-a'), s.url('b.test', '/hop0')], { maxRedirects: 3 });
    const loop = outcomes.get(s.url('a.test', '/loop-a'));
    expect(loop?.outcome).toBe('redirect-loop');
    expect(loop?.detail).toBe(`${s.url('a.test', '/loop-a')} -> ${s.url('a.test', '/loop-b')} -> ${s.url('a.test', '/loop-a')}`);
    expect(s.hits('a.test', '/loop-a')).toHaveLength(1);
    expect(s.hits('a.test', '/loop-b')).toHaveLength(1);
    expect(outcomes.get(s.url('b.test', '/hop0'))?.outcome).toBe('too-many-redirects');
    expect(s.seen.filter((r) => r.host === 'b.test' && r.path.startsWith('/hop')).map((r) => r.path)).toEqual(['/hop0', '/hop1', '/hop2', '/hop3']);
  });

  it('never requests what robots.txt disallows, and fetches robots.txt once per host', async () => {
    const s = await serve((_host, path) => {
      if (path === '/robots.txt') return robots('User-agent: *\nDisallow: /private\nAllow: /private/ok$\n');
      return page();
    });
    const urls = ['/private/secret', '/private/ok', '/private/ok/not', '/public', '/public?x=1'].map((p) => s.url('a.test', p));
    const { outcomes } = await crawlList(urls);
    expect(urls.map((u) => outcomes.get(u)?.outcome)).toEqual(['robots-disallowed', 'ok', 'robots-disallowed', 'ok', 'ok']);
    expect(s.hits('a.test', '/private/secret')).toHaveLength(0);
    expect(s.hits('a.test', '/private/ok/not')).toHaveLength(0);
    expect(s.hits('a.test', '/robots.txt')).toHaveLength(1);
    expect(s.seen.every((r) => r.userAgent.startsWith('jcp-crawler/'))).toBe(true);
  });

  it('spaces requests to a host by its robots.txt Crawl-delay', async () => {
    const s = await serve((_host, path) => (path === '/robots.txt' ? robots('User-agent: jcp-crawler\nCrawl-delay: 0.25\n\nUser-agent: *\nDisallow: /\n') : page()));
    const { outcomes } = await crawlList(['/1', '/2', '/3'].map((p) => s.url('a.test', p)), { perHostConnections: 2, concurrency: 8 });
    expect([...outcomes.values()].map((e) => e.outcome)).toEqual(['ok', 'ok', 'ok']);
    const times = s.seen.map((r) => r.at);
    expect(s.seen.map((r) => r.path)).toEqual(['/robots.txt', '/1', '/2', '/3']);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(240);
  });

  it('aborts a body past maxBodyBytes, whether announced by Content-Length or not', async () => {
    const s = await serve((_host, path) => {
      if (path === '/robots.txt') return status(404);
      if (path === '/huge-chunked') return hugeChunked(64 * 1024 * 1024);
      if (path === '/huge-declared') return (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': String(64 * 1024 * 1024) });
        res.write('<html>');
      };
      return undefined;
    });
    const started = Date.now();
    const { outcomes, summary } = await crawlList([s.url('a.test', '/huge-chunked'), s.url('b.test', '/huge-declared')], { maxBodyBytes: 256 * 1024 });
    expect(outcomes.get(s.url('a.test', '/huge-chunked'))?.outcome).toBe('body-too-large');
    expect(outcomes.get(s.url('b.test', '/huge-declared'))?.outcome).toBe('body-too-large');
    expect(outcomes.get(s.url('b.test', '/huge-declared'))?.detail).toMatch(/^Content-Length 67108864/);
    expect(summary.thisRun.warcBytes).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reports a body shorter than its Content-Length as truncated-body and archives nothing', async () => {
    const s = await serve((_host, path) => (path === '/short' ? shortContentLength() : path === '/robots.txt' ? status(404) : undefined));
    const { outcomes, summary } = await crawlList([s.url('a.test', '/short')]);
    expect(outcomes.get(s.url('a.test', '/short'))?.outcome).toBe('truncated-body');
    expect(s.hits('a.test', '/short')).toHaveLength(1);
    expect(summary.thisRun.warcBytes).toBe(0);
  });

  it('refuses content types outside the allowlist at the headers', async () => {
    const s = await serve((_host, path) => {
      if (path === '/robots.txt') return status(404);
      if (path === '/paper.pdf') return text('application/pdf', '%PDF-1.4');
      if (path === '/page.xhtml') return text('Application/XHTML+XML; charset=utf-8', '<html/>');
      if (path === '/no-type') return (_req, res) => res.end('<html/>');
      return undefined;
    });
    const { outcomes } = await crawlList(['/paper.pdf', '/page.xhtml', '/no-type'].map((p) => s.url('a.test', p)));
    expect(outcomes.get(s.url('a.test', '/paper.pdf'))?.outcome).toBe('content-type-not-allowed');
    expect(outcomes.get(s.url('a.test', '/paper.pdf'))?.detail).toBe("Content-Type 'application/pdf'");
    expect(outcomes.get(s.url('a.test', '/page.xhtml'))?.outcome).toBe('ok');
    expect(outcomes.get(s.url('a.test', '/no-type'))?.outcome).toBe('content-type-not-allowed');
  });

  it('refuses loopback hosts, by name or literal, without connecting, unless allowPrivateAddresses', async () => {
    const s = await serve(() => page());
    const urls = [s.url('site.test', '/'), s.url('127.0.0.1', '/'), `http://[::1]:${s.port}/`, s.url('10.1.2.3', '/')];
    const refused = await crawlList(urls, { allowPrivateAddresses: false });
    expect(urls.map((u) => refused.outcomes.get(u)?.outcome)).toEqual(['forbidden-address', 'forbidden-address', 'forbidden-address', 'forbidden-address']);
    expect(refused.outcomes.get(urls[0] ?? '')?.detail).toBe('site.test resolves to 127.0.0.1, a loopback address');
    expect(s.seen).toHaveLength(0);
    expect(refused.summary.thisRun.requests).toBe(0);
    const allowed = await crawlList(urls.slice(0, 2), { allowPrivateAddresses: true });
    expect(urls.slice(0, 2).map((u) => allowed.outcomes.get(u)?.outcome)).toEqual(['ok', 'ok']);
  });

  it('checks the peer address of every new connection, so even a socket opened without a lookup is refused', async () => {
    const s = await serve(() => page());
    const agent = createCrawlAgent(new PinningResolver(false), DEFAULT_CRAWL_CONFIG);
    try {
      // Straight through the agent, skipping the fetcher's own check of IP literals.
      await expect(request(s.url('127.0.0.1', '/'), { dispatcher: agent })).rejects.toMatchObject({ code: REFUSED_CODE });
      expect(s.seen).toHaveLength(0);
    } finally {
      await agent.close();
    }
  });

  it('reports bad lines with file and line number, counts every line under one outcome, and goes on', async () => {
    const s = await serve((_host, path) => (path === '/robots.txt' ? status(404) : path === '/gone' ? status(404) : page()));
    const lines = [
      '# a WARP-style list',
      `${s.url('a.test', '/one')}\tcollection-1\t2024-01-01`,
      'not a url',
      '',
      'ftp://a.test/file',
      s.url('a.test', '/one#fragment'),
      s.url('a.test', '/gone'),
    ];
    const { summary, log, outcomes } = await crawlList(lines);
    expect(summary.outcomes).toEqual({ ok: 1, 'bad-url': 2, 'duplicate-in-list': 1, 'http-404': 1 });
    expect(summary.listedLines).toBe(5);
    expect(log.filter((l) => l.startsWith('crawl: bad-url')).map((l) => l.replace(/^crawl: bad-url .*urls\.txt:/, ''))).toEqual([
      "3: 'not a url' is not an absolute URL",
      "5: scheme 'ftp:' is not http or https",
    ]);
    expect(log).toContain(`crawl: http-404 ${s.url('a.test', '/gone')}: HTTP 404`);
    expect(outcomes.get(s.url('a.test', '/one'))?.fields).toEqual(['collection-1', '2024-01-01']);
  });
});
