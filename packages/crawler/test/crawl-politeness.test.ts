import { describe, expect, it } from 'vitest';
import { crawlList, page, robots, status, useCrawlServer, type Behaviour } from './crawl-server.ts';

const serve = useCrawlServer();

describe('crawl: politeness', () => {
  it('keeps to the per-host connection limit and the global concurrency limit', async () => {
    const inFlight = new Map<string, number>();
    let total = 0;
    let maxTotal = 0;
    let maxPerHost = 0;
    const slow: Behaviour = (req, res) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      inFlight.set(host, (inFlight.get(host) ?? 0) + 1);
      total++;
      maxTotal = Math.max(maxTotal, total);
      maxPerHost = Math.max(maxPerHost, inFlight.get(host) ?? 0);
      setTimeout(() => {
        inFlight.set(host, (inFlight.get(host) ?? 1) - 1);
        total--;
        page()(req, res);
      }, 40);
    };
    const s = await serve((_host, path) => (path === '/robots.txt' ? status(404) : slow));
    const urls = ['a', 'b', 'c', 'd'].flatMap((h) => [1, 2, 3].map((i) => s.url(`${h}.test`, `/${i}`)));
    const { summary } = await crawlList(urls, { perHostConnections: 1, concurrency: 3 });
    expect(summary.outcomes).toEqual({ ok: 12 });
    expect(maxPerHost).toBe(1);
    expect(maxTotal).toBe(3);
  });

  it('waits the configured per-host delay between requests to one host, but not across hosts', async () => {
    const s = await serve((_host, path) => (path === '/robots.txt' ? status(404) : page()));
    await crawlList([s.url('a.test', '/1'), s.url('a.test', '/2'), s.url('b.test', '/1')], { perHostDelayMs: 300 });
    const a = s.seen.filter((r) => r.host === 'a.test').map((r) => r.at);
    const b = s.seen.filter((r) => r.host === 'b.test').map((r) => r.at);
    expect(a).toHaveLength(3); // robots.txt, /1, /2
    expect((a[1] ?? 0) - (a[0] ?? 0)).toBeGreaterThanOrEqual(290);
    expect((a[2] ?? 0) - (a[1] ?? 0)).toBeGreaterThanOrEqual(290);
    expect((b[0] ?? 0) - (a[0] ?? 0)).toBeLessThan(200);
  });

  it('sends a user agent that names the crawler and a contact URL', async () => {
    const s = await serve((_host, path) => (path === '/robots.txt' ? status(404) : page()));
    await crawlList([s.url('a.test', '/')]);
    expect(s.seen.map((r) => r.userAgent)).toEqual([expect.stringMatching(/^jcp-crawler\/\S+ \(\+https?:\/\/\S+;/), expect.any(String)]);
  });

  it('treats a 4xx robots.txt as no restrictions and a 5xx one as complete disallow', async () => {
    const s = await serve((host, path) => (path === '/robots.txt' ? status(host === 'gone.test' ? 410 : 500) : page()));
    const { outcomes } = await crawlList([s.url('gone.test', '/x'), s.url('broken.test', '/x')]);
    expect(outcomes.get(s.url('gone.test', '/x'))?.outcome).toBe('ok');
    expect(outcomes.get(s.url('broken.test', '/x'))?.outcome).toBe('robots-unreachable');
    expect(s.hits('broken.test', '/x')).toHaveLength(0);
  });

  it('skips a host whose Crawl-delay is longer than maxCrawlDelayMs rather than shortening it', async () => {
    const s = await serve((_host, path) => (path === '/robots.txt' ? robots('User-agent: *\nCrawl-delay: 3600\n') : page()));
    const { outcomes } = await crawlList([s.url('slow.test', '/1'), s.url('slow.test', '/2')], { maxCrawlDelayMs: 60_000 });
    expect([...outcomes.values()].map((e) => e.outcome)).toEqual(['crawl-delay-too-long', 'crawl-delay-too-long']);
    expect(s.seen.map((r) => r.path)).toEqual(['/robots.txt']);
  });
});
