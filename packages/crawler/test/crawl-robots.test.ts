import { describe, expect, it } from 'vitest';
import { RobotsPolicy } from '../src/crawl/robots.ts';

const TOKEN = 'jcp-crawler';
const allowed = (robots: string, path: string): boolean => RobotsPolicy.parse(robots, TOKEN).isAllowed(path);

describe('robots.txt: which group applies', () => {
  const txt = ['User-agent: *', 'Disallow: /', '', 'User-agent: JCP-Crawler/2.0', 'Disallow: /private', '', 'User-agent: otherbot', 'Allow: /'].join('\n');

  it('uses the group naming our product token, case-insensitively and ignoring a version suffix', () => {
    expect(allowed(txt, '/public')).toBe(true);
    expect(allowed(txt, '/private/x')).toBe(false);
  });

  it('falls back to the * group when no group names us', () => {
    const star = 'User-agent: *\nDisallow: /\n\nUser-agent: otherbot\nAllow: /\n';
    expect(allowed(star, '/anything')).toBe(false);
  });

  it('merges several groups that name us', () => {
    const split = 'User-agent: jcp-crawler\nDisallow: /a\n\nUser-agent: *\nDisallow: /\n\nUser-agent: jcp-crawler\nDisallow: /b\n';
    expect([allowed(split, '/a'), allowed(split, '/b'), allowed(split, '/c')]).toEqual([false, false, true]);
  });

  it('lets consecutive User-agent lines share one group', () => {
    const shared = 'User-agent: otherbot\nUser-agent: jcp-crawler\nDisallow: /shared\n';
    expect(allowed(shared, '/shared/x')).toBe(false);
  });

  it('allows everything when no group applies or the file is empty', () => {
    expect(allowed('User-agent: otherbot\nDisallow: /\n', '/x')).toBe(true);
    expect(allowed('', '/x')).toBe(true);
  });
});

describe('robots.txt: rule matching (RFC 9309 §2.2.2)', () => {
  it('lets the longest matching pattern win', () => {
    const txt = 'User-agent: *\nDisallow: /shop\nAllow: /shop/public\n';
    expect([allowed(txt, '/shop/cart'), allowed(txt, '/shop/public/item')]).toEqual([false, true]);
  });

  it('prefers Allow when an Allow and a Disallow pattern are equally long', () => {
    expect(allowed('User-agent: *\nDisallow: /page\nAllow: /page\n', '/page')).toBe(true);
  });

  it('treats * as any run of characters and a final $ as the end of the path', () => {
    const txt = 'User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/print*/x\n';
    expect(allowed(txt, '/docs/a.pdf')).toBe(false);
    expect(allowed(txt, '/docs/a.pdf?download=1')).toBe(true);
    expect(allowed(txt, '/a/print-view/x')).toBe(false);
    expect(allowed(txt, '/a/view/x')).toBe(true);
  });

  it('matches the query string as part of the path', () => {
    expect(allowed('User-agent: *\nDisallow: /search?q=\n', '/search?q=abc')).toBe(false);
    expect(allowed('User-agent: *\nDisallow: /search?q=\n', '/search')).toBe(true);
  });

  it('ignores an empty Disallow and comments', () => {
    expect(allowed('User-agent: * # everyone\nDisallow:\n# Disallow: /\n', '/x')).toBe(true);
  });

  it('compares non-ASCII patterns with percent-encoded paths, hex case-insensitively', () => {
    const txt = 'User-agent: *\nDisallow: /日本\nDisallow: /%e3%81%82\n';
    expect(allowed(txt, new URL('http://x/日本語').pathname)).toBe(false);
    expect(allowed(txt, '/%E3%81%82')).toBe(false);
    expect(allowed(txt, '/%E3%81%84')).toBe(true);
  });

  it('always allows /robots.txt itself', () => {
    expect(allowed('User-agent: *\nDisallow: /\n', '/robots.txt')).toBe(true);
  });

  it('stays fast on patterns full of wildcards', () => {
    const txt = `User-agent: *\nDisallow: /${'*a'.repeat(50)}*b$\n`;
    const started = Date.now();
    expect(allowed(txt, `/${'a'.repeat(5000)}`)).toBe(true);
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('robots.txt: Crawl-delay and fetch outcomes', () => {
  it('reads Crawl-delay (seconds, decimals allowed) from the applicable group only', () => {
    const txt = 'User-agent: *\nCrawl-delay: 30\n\nUser-agent: jcp-crawler\nCrawl-delay: 1.5\nDisallow: /x\n';
    expect(RobotsPolicy.parse(txt, TOKEN).crawlDelayMs).toBe(1500);
    expect(RobotsPolicy.parse('User-agent: *\nCrawl-delay: soon\n', TOKEN).crawlDelayMs).toBeNull();
  });

  it('allows everything when robots.txt is unavailable (4xx) and nothing when unreachable (5xx)', () => {
    expect(RobotsPolicy.unavailable().isAllowed('/x')).toBe(true);
    expect(RobotsPolicy.unreachable().isAllowed('/x')).toBe(false);
  });
});
