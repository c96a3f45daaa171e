/** One dropped document (or record) as a reviewer sees it in `samples/<reason>.jsonl`. */
export interface AuditSample {
  /** The document id, or for a record dropped before it became a document the id it would have had. */
  id: string;
  url: string;
  reason: string;
  /** The stage that dropped it. */
  stage: string;
  /** The WARC file and the byte offset of its record (gzip member start): where to find it again. */
  warcFile: string;
  offset: number;
  /** The HTTP Content-Type (or, for a non-response record, the WARC one), when the dropping step knew it. */
  contentType?: string;
  /** Every score the dropping stage computed. */
  scores: Record<string, number>;
  /** The first `previewChars` characters of the text (before decoding: the raw bytes, decoded leniently). */
  text: string;
  /** For duplicates: the id of the document kept in this one's place. */
  duplicateOf?: string;
  /** For lines removed as site boilerplate: the host that repeats them (`text` holds the lines). */
  host?: string;
}

/**
 * Keeps the first `perReason` dropped documents of each reason, in arrival order: bounded memory and
 * the same sample for the same input, so a rerun shows the reviewer the same documents.
 */
export class AuditSampler {
  readonly byReason = new Map<string, AuditSample[]>();

  constructor(
    private readonly perReason: number,
    readonly previewChars: number,
  ) {}

  /** False once `reason` has its `perReason` samples: a caller checks first, so a full reason costs no preview. */
  wants(reason: string): boolean {
    return (this.byReason.get(reason)?.length ?? 0) < this.perReason;
  }

  offer(sample: AuditSample): void {
    let list = this.byReason.get(sample.reason);
    if (!list) this.byReason.set(sample.reason, (list = []));
    if (list.length >= this.perReason) return;
    const kept: AuditSample = { ...sample, text: sample.text.slice(0, this.previewChars) };
    if (kept.contentType === undefined) delete kept.contentType;
    if (kept.duplicateOf === undefined) delete kept.duplicateOf;
    list.push(kept);
  }

  /** All samples, reasons in first-seen order. */
  all(): AuditSample[] {
    return [...this.byReason.values()].flat();
  }
}
