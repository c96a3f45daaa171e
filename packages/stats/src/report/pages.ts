import { emptyDocCounts, type DocCounts, type Ledger, type StageCounts } from '../ledger.ts';
import type { FunnelStep } from './svg.ts';

/**
 * Pages versus WARC records. The read step takes every WARC record in and passes on the response
 * records; the others (warcinfo, request, metadata, revisit, …) are written to the ledger as `read`
 * drops named `warc-<type>` so that records in = records out + Σ drops holds. They are protocol records,
 * not pages anyone filtered out: a Common Crawl WARC has about one request and one metadata record per
 * response, so counting them as drops shows a loss of two thirds before any page is looked at. The
 * report (and the closing summary of `pnpm pipeline`) count them apart and start the funnel at pages.
 * stats.json keeps them as drops: other tools read its ledger as it is.
 */

/** The ledger stage whose input is WARC records and whose output is pages. */
export const READ_STAGE = 'read';

/** The prefix of the read step's drop reason for a record that is not a response: `warc-<WARC-Type>`. */
const PROTOCOL_RECORD = /^warc-/;

/**
 * `warc-abandoned` shares the prefix but is a WARC given up on after its retries, a real loss (the
 * pipeline records it as an event today; a drop of that name would still be a drop).
 */
const NOT_PROTOCOL = new Set(['warc-abandoned']);

/** Whether a drop of `stage` is a WARC protocol record (not a page) rather than a dropped page. */
export function isProtocolRecordDrop(stage: string, reason: string): boolean {
  return stage === READ_STAGE && PROTOCOL_RECORD.test(reason) && !NOT_PROTOCOL.has(reason);
}

/** A stage's drops split into protocol records (`notPages`) and dropped pages (`drops`). */
export interface PageCounts {
  /** Pages in: the stage's docs in less its protocol records (for every stage but `read`, its docs in). */
  docsIn: number;
  docsOut: number;
  /** Records in as the ledger has them (WARC records for `read`). */
  recordsIn: number;
  notPages: Record<string, DocCounts>;
  notPagesTotal: DocCounts;
  drops: Record<string, DocCounts>;
  droppedDocs: number;
}

export function pageCounts(stage: string, c: StageCounts): PageCounts {
  const notPages: Record<string, DocCounts> = {};
  const drops: Record<string, DocCounts> = {};
  const notPagesTotal = emptyDocCounts();
  let droppedDocs = 0;
  for (const [reason, d] of Object.entries(c.drops)) {
    if (isProtocolRecordDrop(stage, reason)) {
      notPages[reason] = d;
      notPagesTotal.docs += d.docs;
      notPagesTotal.bytes += d.bytes;
      notPagesTotal.chars += d.chars;
      notPagesTotal.tokens += d.tokens;
    } else {
      drops[reason] = d;
      droppedDocs += d.docs;
    }
  }
  return { docsIn: c.docsIn - notPagesTotal.docs, docsOut: c.docsOut, recordsIn: c.docsIn, notPages, notPagesTotal, drops, droppedDocs };
}

/** Pages in, out and dropped per stage, from the pages the read step found (protocol records left out). */
export function documentFunnel(ledger: Ledger): FunnelStep[] {
  return Object.entries(ledger).map(([name, c]) => {
    const p = pageCounts(name, c);
    return { name, in: p.docsIn, out: p.docsOut };
  });
}

/**
 * Tokens in and out per stage, from the first stage that puts tokens out. Tokens are counted once per
 * document on the normalised text, so that stage has none in (its in is 0, its out the first count);
 * its step is drawn as what it put out, and the stages before it, with no tokens at all, are left out.
 */
export function tokenFunnel(ledger: Ledger): { steps: FunnelStep[]; countedAt: string | null } {
  const stages = Object.entries(ledger);
  const first = stages.findIndex(([, c]) => c.tokensIn > 0 || c.tokensOut > 0);
  if (first < 0) return { steps: [], countedAt: null };
  const steps = stages.slice(first).map(([name, c], i) => ({ name, in: i === 0 && c.tokensIn === 0 ? c.tokensOut : c.tokensIn, out: c.tokensOut }));
  return { steps, countedAt: stages[first]![1].tokensIn === 0 ? stages[first]![0] : null };
}
