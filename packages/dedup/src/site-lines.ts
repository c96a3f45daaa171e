import { createHash } from 'node:crypto';

/**
 * Site-level repeated lines: a line that a host repeats on many of its pages (a shop's product blurb,
 * a footer, a byline) is boilerplate of that site, not text of the page. CCNet removes repeated
 * paragraphs by hash across a shard; here the unit is the host, so one site's lines never remove
 * another site's text.
 */
export interface SiteLinesConfig {
  /**
   * A line is boilerplate of a host when it occurs on at least this many distinct pages of it. 3 is the
   * smallest count that is "repeated across pages" rather than a pair (a pair is more often one page
   * and its print or mobile copy, which near-duplicate removal handles); it is the bar issue 17 sets
   * (no line on ≥ 3 kept pages of one host) and `pnpm eval site-boilerplate` measures its effect.
   */
  minPages: number;
  /**
   * …and on at least this share of the host's pages, so a large host keeps a sentence that a few of
   * its thousands of articles quote. 0.01 = 1 %: at ≤ 300 pages `minPages` alone decides, above it a
   * line must be on 1 % of the pages (CCNet's shard-level rule has no such floor; this is ours).
   */
  minShare: number;
  /**
   * Lines shorter than this (in code points, after normalisation) are never counted: "。", "1", "▲"
   * repeat on every page of every site and carry no boilerplate signal of their own.
   */
  minLineChars: number;
}

export const DEFAULT_SITE_LINES_CONFIG: SiteLinesConfig = { minPages: 3, minShare: 0.01, minLineChars: 2 };

/** The run's `siteLines` settings: the line rule, whether it runs, and how the counting is split. */
export interface SiteBoilerplateConfig extends SiteLinesConfig {
  /**
   * Remove site-repeated lines before the quality filters. On by default: on the ClueWeb09-ja excerpt
   * it takes the kept lines repeated on ≥ 3 pages of a host from 37.9 % to 0 % and on the fixtures it
   * removes no article line (docs/decisions.md, "Site-level repeated lines").
   */
  enabled: boolean;
  /**
   * Host partitions: one counting task each, whose memory is its hosts' distinct (host, line) pairs
   * (about 100 bytes each in the counting maps). A run uses min(this, its WARCs), so a partition holds
   * about WARCs / partitions WARCs' worth of lines: with 64, a 1,000-WARC run's partition holds ~16
   * WARCs' lines (~30 M pairs for 40,000-page Common Crawl WARCs of ~50 lines a page, ~3 GB); more
   * partitions, smaller tasks. Ours: no pipeline we follow counts per host.
   */
  partitions: number;
  /** Hosts listed by name in stats.json's `siteBoilerplate.topHosts` (by characters removed): bounded, like the samples. */
  topHosts: number;
}

export const DEFAULT_SITE_BOILERPLATE_CONFIG: SiteBoilerplateConfig = { ...DEFAULT_SITE_LINES_CONFIG, enabled: true, partitions: 64, topHosts: 20 };

/**
 * The form of a line that is compared: CCNet's normalisation for its line dedup (lower case, digits
 * to 0, whitespace removed), so `閲覧数:1,532` and `閲覧数:2,004` are the same line of a site.
 */
export function normalizeSiteLine(line: string): string {
  return line.toLowerCase().replace(/[0-9]/g, '0').replace(/\s+/g, '');
}

/** 64 bits of SHA-1 as 16 hex digits: collisions are negligible at 10^9 lines per host partition. */
export function siteLineHash(normalized: string): string {
  return createHash('sha1').update(normalized).digest('hex').slice(0, 16);
}

/** The distinct counted line hashes of one page's text, in first-seen order. */
export function pageLineHashes(text: string, config: SiteLinesConfig): string[] {
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const normalized = normalizeSiteLine(line);
    if ([...normalized].length < config.minLineChars) continue;
    seen.add(siteLineHash(normalized));
  }
  return [...seen];
}

/** How many pages a line must be on to count as boilerplate of a host with `hostPages` pages. */
export function repeatedLineThreshold(hostPages: number, config: SiteLinesConfig): number {
  return Math.max(config.minPages, Math.ceil(config.minShare * hostPages));
}

/**
 * Pages per (host, line hash) of one partition of hosts. Memory is one entry per distinct line of the
 * partition's hosts, so a stage bounds it by splitting hosts into partitions by hash.
 */
export class SiteLineCounter {
  private readonly pagesPerHost = new Map<string, number>();
  private readonly pagesPerLine = new Map<string, Map<string, number>>();

  /** Counts one page; `lineHashes` must be distinct (as `pageLineHashes` returns them). */
  addPage(host: string, lineHashes: Iterable<string>): void {
    this.pagesPerHost.set(host, (this.pagesPerHost.get(host) ?? 0) + 1);
    let lines = this.pagesPerLine.get(host);
    if (!lines) this.pagesPerLine.set(host, (lines = new Map()));
    for (const h of lineHashes) lines.set(h, (lines.get(h) ?? 0) + 1);
  }

  hosts(): string[] {
    return [...this.pagesPerHost.keys()].sort();
  }

  pagesOf(host: string): number {
    return this.pagesPerHost.get(host) ?? 0;
  }

  /** The line hashes of `host` on at least `minPages` pages (no share rule: for measuring). */
  linesOnAtLeast(host: string, minPages: number): Set<string> {
    const out = new Set<string>();
    for (const [h, n] of this.pagesPerLine.get(host) ?? []) if (n >= minPages) out.add(h);
    return out;
  }

  /** The boilerplate line hashes of `host` under `config` (absolute and relative threshold). */
  repeatedLines(host: string, config: SiteLinesConfig): Set<string> {
    return this.linesOnAtLeast(host, repeatedLineThreshold(this.pagesOf(host), config));
  }
}

export interface SiteLineRemoval {
  text: string;
  linesRemoved: number;
  /** Code points removed, newlines of removed lines included. */
  charsRemoved: number;
  /** The removed lines as they were, in page order (what an audit sample shows). */
  removed: string[];
}

/**
 * The page's text without the lines whose hash is in `repeated`. Lines too short to be counted always
 * stay (the quality filters judge them). A whitespace-only result comes back as '': the page was
 * nothing but site boilerplate, and the caller drops it with that reason rather than keep it empty.
 */
export function removeSiteLines(text: string, repeated: ReadonlySet<string>, config: SiteLinesConfig): SiteLineRemoval {
  if (repeated.size === 0) return { text, linesRemoved: 0, charsRemoved: 0, removed: [] };
  const kept: string[] = [];
  const removed: string[] = [];
  for (const line of text.split('\n')) {
    const normalized = normalizeSiteLine(line);
    if ([...normalized].length >= config.minLineChars && repeated.has(siteLineHash(normalized))) {
      removed.push(line);
      continue;
    }
    kept.push(line);
  }
  const linesRemoved = removed.length;
  if (linesRemoved === 0) return { text, linesRemoved: 0, charsRemoved: 0, removed };
  const out = kept.join('\n');
  // A page left with whitespace only is empty: count all its characters as removed.
  if (out.trim() === '') return { text: '', linesRemoved, charsRemoved: [...text].length, removed };
  return { text: out, linesRemoved, charsRemoved: [...text].length - [...out].length, removed };
}
