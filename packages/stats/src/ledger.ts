/** Counts of what one stage did: what came in, what went on, and each drop by its named reason. */
export interface StageCounts {
  docsIn: number;
  docsOut: number;
  bytesIn: number;
  bytesOut: number;
  charsIn: number;
  charsOut: number;
  /**
   * Tokens of the run's token counter. Counted once per doc, on the normalised text (the text the corpus
   * keeps), so they are 0 in the stages before `normalize` has put a doc out.
   */
  tokensIn: number;
  tokensOut: number;
  drops: Record<string, DocCounts>;
  /** Things a stage did to documents it kept (e.g. `pii-email` masked): name → occurrences. */
  events: Record<string, number>;
}

/** Documents and their size: what a stage dropped for one reason, or what a run kept. */
export interface DocCounts {
  docs: number;
  bytes: number;
  chars: number;
  tokens: number;
}

export function emptyDocCounts(): DocCounts {
  return { docs: 0, bytes: 0, chars: 0, tokens: 0 };
}

/** What a stage put out (for the `write` stage: what the run kept). */
export function outputOf(stage: StageCounts | undefined): DocCounts {
  return stage ? { docs: stage.docsOut, bytes: stage.bytesOut, chars: stage.charsOut, tokens: stage.tokensOut } : emptyDocCounts();
}

/** Stage name → counts, in pipeline order (JSON keeps insertion order). */
export type Ledger = Record<string, StageCounts>;

export function emptyStage(): StageCounts {
  return { docsIn: 0, docsOut: 0, bytesIn: 0, bytesOut: 0, charsIn: 0, charsOut: 0, tokensIn: 0, tokensOut: 0, drops: {}, events: {} };
}

/**
 * Records one stage's throughput. `bytes` are the document's bytes as the stage sees them (raw record
 * bytes before decoding, UTF-8 bytes of the text after), `chars` its characters (0 before decoding).
 */
export class StageCounter {
  constructor(readonly counts: StageCounts) {}

  in(bytes: number, chars: number, tokens = 0): void {
    this.counts.docsIn++;
    this.counts.bytesIn += bytes;
    this.counts.charsIn += chars;
    this.counts.tokensIn += tokens;
  }

  out(bytes: number, chars: number, tokens = 0): void {
    this.counts.docsOut++;
    this.counts.bytesOut += bytes;
    this.counts.charsOut += chars;
    this.counts.tokensOut += tokens;
  }

  /** Counts `n` occurrences of an event (no document is added or dropped). */
  event(name: string, n = 1): void {
    if (n !== 0) this.counts.events[name] = (this.counts.events[name] ?? 0) + n;
  }

  drop(reason: string, bytes: number, chars: number, tokens = 0): void {
    const d = (this.counts.drops[reason] ??= { docs: 0, bytes: 0, chars: 0, tokens: 0 });
    d.docs++;
    d.bytes += bytes;
    d.chars += chars;
    d.tokens += tokens;
  }
}

/** A ledger being filled by one task; stages appear in the order they are first asked for. */
export class LedgerBuilder {
  readonly ledger: Ledger = {};

  stage(name: string): StageCounter {
    return new StageCounter((this.ledger[name] ??= emptyStage()));
  }
}

/** Adds `b` into `a` exactly (integers only, so merging is order-independent). */
export function mergeLedgers(into: Ledger, from: Ledger): Ledger {
  for (const [name, s] of Object.entries(from)) {
    const t = (into[name] ??= emptyStage());
    t.docsIn += s.docsIn;
    t.docsOut += s.docsOut;
    t.bytesIn += s.bytesIn;
    t.bytesOut += s.bytesOut;
    t.charsIn += s.charsIn;
    t.charsOut += s.charsOut;
    t.tokensIn += s.tokensIn;
    t.tokensOut += s.tokensOut;
    for (const [reason, d] of Object.entries(s.drops)) {
      const td = (t.drops[reason] ??= { docs: 0, bytes: 0, chars: 0, tokens: 0 });
      td.docs += d.docs;
      td.bytes += d.bytes;
      td.chars += d.chars;
      td.tokens += d.tokens;
    }
    for (const [name, n] of Object.entries(s.events ?? {})) t.events[name] = (t.events[name] ?? 0) + n;
  }
  return into;
}

/** Every doc that entered a stage either went on or was dropped under a reason: returns the stages where that fails. */
export function unbalancedStages(ledger: Ledger): string[] {
  return Object.entries(ledger)
    .filter(([, s]) => s.docsIn !== s.docsOut + Object.values(s.drops).reduce((n, d) => n + d.docs, 0))
    .map(([name]) => name);
}
