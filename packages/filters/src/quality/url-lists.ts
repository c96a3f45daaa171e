/**
 * Rules on the page URL: its top-level domain in an allow-list (llm-jp-corpus v2 `has_valid_domain`,
 * `scripts/dict/ja_valid_domains.txt`) and its host or URL in a blocklist (Swallow v1's URL rule, built
 * from the UT1 blocklist categories: a file the user supplies, as Swallow's `url.json.gz` is not public).
 * A document without a URL scores NaN: the rules do not apply to it, and NaN fails no bound.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Scorer } from '../profiles/scorer.ts';

const NG_WORDS_DIR = fileURLToPath(new URL('../../data/ngwords/', import.meta.url));

export const URL_SCORES = ['tld_allowed', 'url_blocklisted'] as const;

export interface UrlListsConfig {
  /** Allowed top-level domains, one per line (default: llm-jp-corpus v2's 13, shipped in data/ngwords/). */
  tldAllowListPath: string;
  /**
   * Blocked hosts (`example.com` blocks it and its subdomains) or URL prefixes (a line with a `/`), one
   * per line, `#` comments; `null`: no blocklist, `url_blocklisted` is NaN. UT1's `domains` and `urls`
   * files concatenated have this shape.
   */
  blocklistPath: string | null;
}

export const DEFAULT_URL_LISTS: UrlListsConfig = {
  tldAllowListPath: `${NG_WORDS_DIR}ja_valid_domains.txt`,
  blocklistPath: null,
};

function readList(path: string, what: string): string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`url rules: cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
  return content
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** The host of `url` in lower case, or null when it does not parse. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** The last label of the URL's host ("jp" for https://www.example.co.jp/), as llm-jp's has_valid_domain compares. */
export function topLevelDomain(url: string): string | null {
  const host = hostOf(url);
  if (host === null) return null;
  const dot = host.lastIndexOf('.');
  return dot < 0 ? host : host.slice(dot + 1);
}

export function createUrlScorer(config: UrlListsConfig): Scorer {
  const allowed = new Set(readList(config.tldAllowListPath, 'top-level-domain list').map((d) => d.toLowerCase().replace(/^\./, '')));
  const blocked = config.blocklistPath === null ? null : readList(config.blocklistPath, 'URL blocklist');
  const blockedHosts = new Set((blocked ?? []).filter((l) => !l.includes('/')).map((l) => l.toLowerCase()));
  const blockedPrefixes = (blocked ?? []).filter((l) => l.includes('/')).map((l) => l.replace(/^https?:\/\//, ''));
  return {
    name: 'url',
    scoreNames: URL_SCORES,
    score({ url }) {
      if (!url) return { tld_allowed: Number.NaN, url_blocklisted: Number.NaN };
      const tld = topLevelDomain(url);
      let listed = Number.NaN;
      if (blocked !== null) {
        const host = hostOf(url);
        let hit = false;
        for (let h = host; h && !hit; h = h.includes('.') ? h.slice(h.indexOf('.') + 1) : null) hit = blockedHosts.has(h);
        const bare = url.replace(/^https?:\/\//, '');
        if (!hit) hit = blockedPrefixes.some((p) => bare.startsWith(p));
        listed = hit ? 1 : 0;
      }
      return { tld_allowed: tld !== null && allowed.has(tld) ? 1 : 0, url_blocklisted: listed };
    },
  };
}
