import { codePointLength, utf8Length } from '@jcp/core';
import { hostKeyString, removeSiteLines, type RepeatedSiteLines, type SiteLinesConfig } from '@jcp/dedup';
import type { TokenCounter } from '@jcp/stats';
import type { Drop, Step } from '../step.ts';
import type { PageText } from './items.ts';

/** The drop reason of a page whose every counted line its host repeats: nothing of its own is left. */
export const ONLY_SITE_BOILERPLATE = 'only-site-boilerplate';

/** What was removed from the pages of one host. */
export interface HostRemoval {
  host: string;
  /** Pages that lost at least one line (emptied pages included). */
  pages: number;
  lines: number;
  chars: number;
  tokens: number;
}

/** What the step tells its task besides the ledger: per-host totals and the removed lines, for samples. */
export interface SiteBoilerplateSink {
  removed(page: PageText, host: string, removal: { lines: readonly string[]; chars: number; tokens: number }): void;
}

/**
 * `site-boilerplate`: removes the lines the page's host repeats on many pages (counted by the
 * `site-lines` stage over every normalised page of the run), before the filters judge the page. Its
 * events are the lines, characters and tokens removed; a page left with nothing is dropped with
 * `only-site-boilerplate`. Not in a pipeline's step list: the filter task that has the counts puts it
 * in front of the steps after `normalize`.
 */
export function siteBoilerplateStep(repeated: RepeatedSiteLines, hostOf: (url: string) => string, config: SiteLinesConfig, tokenCounter: TokenCounter, sink: SiteBoilerplateSink): Step<PageText, PageText> {
  return {
    name: 'site-boilerplate',
    sample: (doc, previewChars) => ({ scores: {}, text: doc.text.slice(0, previewChars) }),
    apply(doc, events): PageText | Drop {
      const host = hostOf(doc.url);
      const lines = repeated.get(hostKeyString(host));
      if (!lines) return doc;
      const out = removeSiteLines(doc.text, lines, config);
      if (out.linesRemoved === 0) return doc;
      const size = out.text === '' ? { bytes: 0, chars: 0, tokens: 0 } : { bytes: utf8Length(out.text), chars: codePointLength(out.text), tokens: tokenCounter.count(out.text) };
      const tokens = doc.size.tokens - size.tokens;
      sink.removed(doc, host, { lines: out.removed, chars: out.charsRemoved, tokens });
      events.event('lines-removed', out.linesRemoved);
      events.event('chars-removed', out.charsRemoved);
      events.event('tokens-removed', tokens);
      // The ledger counts the dropped page at its size before the removal, like every other drop.
      if (out.text === '') return { drop: ONLY_SITE_BOILERPLATE };
      doc.text = out.text;
      doc.size = size;
      return doc;
    },
  };
}

/**
 * Per-host totals of a task's removals, of which stats.json lists the top hosts: a task keeps every
 * host it saw (the hosts of one WARC) and hands on the `limit` largest by characters.
 */
export class HostRemovalTally {
  private readonly byHost = new Map<string, HostRemoval>();

  add(host: string, lines: number, chars: number, tokens: number): void {
    let h = this.byHost.get(host);
    if (!h) this.byHost.set(host, (h = { host, pages: 0, lines: 0, chars: 0, tokens: 0 }));
    h.pages++;
    h.lines += lines;
    h.chars += chars;
    h.tokens += tokens;
  }

  top(limit: number): HostRemoval[] {
    return topHostRemovals([...this.byHost.values()], limit);
  }
}

/** The `limit` hosts with the most characters removed (ties by name), summing rows of the same host first. */
export function topHostRemovals(rows: Iterable<HostRemoval>, limit: number): HostRemoval[] {
  const merged = new Map<string, HostRemoval>();
  for (const r of rows) {
    const m = merged.get(r.host);
    if (m) {
      m.pages += r.pages;
      m.lines += r.lines;
      m.chars += r.chars;
      m.tokens += r.tokens;
    } else merged.set(r.host, { ...r });
  }
  return [...merged.values()].sort((a, b) => b.chars - a.chars || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)).slice(0, limit);
}
