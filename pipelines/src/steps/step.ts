import { InputError } from '@jcp/core';
import type { LanguageDetector } from '@jcp/filters';
import type { AuditSampler, LedgerBuilder, StageCounter, TokenCounter } from '@jcp/stats';
import type { WebPageChainConfig } from '../chains/web-page-config.ts';
import { docId, isWarcRecord, recordDocId, targetUri } from './record-audit.ts';

/** A document's size as a step sees it: bytes (raw before decoding, UTF-8 of the text after), code points, tokens. */
export interface Size {
  bytes: number;
  chars: number;
  tokens: number;
}

/**
 * Where an item came from, whatever its source: the input file and its place in it (a WARC record's
 * byte offset, a text collection's line number). A WARC record is one; a source's items narrow it.
 */
export interface ItemPlace {
  file: string;
  offset: number;
}

/** What flows between steps: anything that knows its size and the record it came from. */
export interface StepItem {
  size: Size;
  record: ItemPlace;
}

/** What an audit sample shows of a dropped item, besides what the runner knows (step, reason, id, URL, WARC file, offset). */
export interface DropView {
  scores: Record<string, number>;
  /** A preview (the sampler cuts it): the text, or before decoding the raw bytes decoded leniently. */
  text: string;
  contentType?: string;
  duplicateOf?: string;
}

/**
 * A step's refusal. `size` when what is counted differs from what came in (the body of a page too large
 * to parse); `badInput` when the record itself was broken (one line in errors.jsonl and on stderr, named
 * by file and offset); `sample` what the audit sample shows, when the step computed it anyway (scores).
 */
export interface Drop {
  drop: string;
  size?: Size;
  badInput?: string;
  sample?: DropView;
}

export function isDrop(x: object): x is Drop {
  return 'drop' in x;
}

/** What a step may tell the runner besides its verdict: things it did to a document it kept. */
export interface StepEvents {
  event(name: string, n: number): void;
}

/**
 * One per-record step: one job, one contract. It returns the item for the next step, or a `Drop` with
 * its reason; it never counts: the runner keeps the ledger (documents, bytes, characters, tokens in and
 * out, drops by reason) and times it.
 */
export interface Step<In extends StepItem, Out extends StepItem> {
  /** Its ledger stage: `html`, `precheck`, ..., as in stats.json. */
  readonly name: string;
  apply(item: In, events: StepEvents): Out | Drop;
  /**
   * What the audit sample of a drop without `sample` shows (a preview of what the step judged). Called
   * only while the drop's reason still wants samples, so a costly preview is paid a bounded number of times.
   */
  sample?(item: In, previewChars: number): DropView;
  /** Score names it puts on the documents, in Parquet column order. */
  readonly scoreNames?: readonly string[];
}

/** What a step is made from: the chain's settings and the costly things a worker thread makes once. */
export interface StepEnv {
  config: WebPageChainConfig;
  detector: LanguageDetector;
  tokenCounter: TokenCounter;
}

export type StepFactory<In extends StepItem, Out extends StepItem> = (env: StepEnv) => Step<In, Out>;

/**
 * An ordered list of step factories whose types fit end to end: `steps(httpHtml).then(japaneseBytes)…`
 * reads as the list of the pipeline's steps and will not compile if one step's output is not the next
 * one's input.
 */
export class StepList<In extends StepItem, Out extends StepItem> {
  private constructor(readonly factories: ReadonlyArray<(env: StepEnv) => Step<StepItem, StepItem> | Array<Step<StepItem, StepItem>>>) {}

  static of<I extends StepItem, O extends StepItem>(first: StepFactory<I, O>): StepList<I, O> {
    return new StepList<I, O>([first as unknown as StepFactory<StepItem, StepItem>]);
  }

  then<Next extends StepItem>(step: StepFactory<Out, Next>): StepList<In, Next> {
    return new StepList<In, Next>([...this.factories, step as unknown as StepFactory<StepItem, StepItem>]);
  }

  /** Steps whose number the settings decide (a filter profile's steps), each from `Out` to `Out`. */
  thenEach(make: (env: StepEnv) => Array<Step<Out, Out>>): StepList<In, Out> {
    return new StepList<In, Out>([...this.factories, make as unknown as StepFactory<StepItem, StepItem>]);
  }

  build(env: StepEnv): Array<Step<StepItem, StepItem>> {
    return this.factories.flatMap((f) => f(env));
  }
}

export const steps = StepList.of;

/** Where the runner reports: the task's ledger, its audit samples, its bad-record list. */
export interface StepSinks {
  ledger: LedgerBuilder;
  sampler: AuditSampler;
  badInput(error: InputError): void;
}

/**
 * Runs a built step list over one item at a time and keeps the books of every step: its ledger stage
 * (in, out, drops by reason, events) and the milliseconds it took. The first drop ends the item.
 */
export class StepRunner<In extends StepItem, Out extends StepItem> {
  private readonly counters: StageCounter[];
  private readonly events: StepEvents[];
  /** Milliseconds spent in each step over every item so far. */
  readonly ms: Float64Array;
  private readonly taps: Array<((item: StepItem) => void) | undefined>;

  constructor(
    private readonly list: ReadonlyArray<Step<StepItem, StepItem>>,
    private readonly sinks: StepSinks,
  ) {
    this.counters = list.map((s) => sinks.ledger.stage(s.name));
    this.events = this.counters.map((c) => ({ event: (name: string, n: number) => c.event(name, n) }));
    this.ms = new Float64Array(list.length);
    this.taps = list.map(() => undefined);
  }

  /**
   * Hands every item that leaves step `name` to `take` as well (the process stage keeps the normalised
   * documents, so that a run can be re-filtered without its WARCs). Throws if the list has no such step.
   */
  tapAfter(name: string, take: (item: StepItem) => void): void {
    const i = this.list.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`no step '${name}' in this list (${this.list.map((s) => s.name).join(', ')})`);
    this.taps[i] = take;
  }

  /** Score names of every step, in column order. */
  get scoreNames(): string[] {
    return this.list.flatMap((s) => [...(s.scoreNames ?? [])]);
  }

  run(first: In): Out | null {
    let item: StepItem = first;
    for (let i = 0; i < this.list.length; i++) {
      const step = this.list[i]!;
      const counter = this.counters[i]!;
      counter.in(item.size.bytes, item.size.chars, item.size.tokens);
      const t0 = performance.now();
      const next = step.apply(item, this.events[i]!);
      this.ms[i] = this.ms[i]! + (performance.now() - t0);
      if (isDrop(next)) {
        const size = next.size ?? item.size;
        counter.drop(next.drop, size.bytes, size.chars, size.tokens);
        if (next.badInput !== undefined) this.sinks.badInput(new InputError(next.drop, item.record.file, item.record.offset, next.badInput));
        if (this.sinks.sampler.wants(next.drop)) this.offerSample(step, item, next);
        return null;
      }
      counter.out(next.size.bytes, next.size.chars, next.size.tokens);
      this.taps[i]?.(next);
      item = next;
    }
    return item as Out;
  }

  /**
   * Every drop reason gets samples (first N per task): a document's id and URL, or for a record not yet
   * a document the id it would have had and its WARC-Target-URI; where it sits; what the step showed.
   */
  private offerSample(step: Step<StepItem, StepItem>, item: StepItem, drop: Drop): void {
    const named = item as StepItem & { id?: string; url?: string };
    const record = item.record;
    const warc = isWarcRecord(record) ? record : null;
    const view = drop.sample ?? step.sample?.(item, this.sinks.sampler.previewChars) ?? { scores: {}, text: '' };
    this.sinks.sampler.offer({
      id: named.id ?? (warc ? recordDocId(warc) : docId(`${record.file}@${record.offset}`)),
      url: named.url ?? (warc ? targetUri(warc) : ''),
      reason: drop.drop,
      stage: step.name,
      warcFile: item.record.file,
      offset: item.record.offset,
      contentType: view.contentType,
      scores: view.scores,
      text: view.text,
      duplicateOf: view.duplicateOf,
    });
  }

  /** Milliseconds per step, rounded: what stats.json adds up over tasks. */
  timings(): Record<string, number> {
    const out: Record<string, number> = {};
    this.list.forEach((s, i) => (out[s.name] = Math.round(this.ms[i]!)));
    return out;
  }
}
