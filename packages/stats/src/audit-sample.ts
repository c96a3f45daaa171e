/** One dropped document as a reviewer sees it in `samples/<reason>.jsonl`. */
export interface AuditSample {
  id: string;
  url: string;
  reason: string;
  /** The stage that dropped it. */
  stage: string;
  /** Every score the dropping stage computed. */
  scores: Record<string, number>;
  /** The first `previewChars` characters of the text. */
  text: string;
  /** For duplicates: the id of the document kept in this one's place. */
  duplicateOf?: string;
}

/**
 * Keeps the first `perReason` dropped documents of each reason, in arrival order: bounded memory and
 * the same sample for the same input, so a rerun shows the reviewer the same documents.
 */
export class AuditSampler {
  readonly byReason = new Map<string, AuditSample[]>();

  constructor(
    private readonly perReason: number,
    private readonly previewChars: number,
  ) {}

  offer(stage: string, reason: string, id: string, url: string, scores: Record<string, number>, text: string, duplicateOf?: string): void {
    let list = this.byReason.get(reason);
    if (!list) this.byReason.set(reason, (list = []));
    if (list.length >= this.perReason) return;
    const sample: AuditSample = { id, url, reason, stage, scores, text: text.slice(0, this.previewChars) };
    if (duplicateOf !== undefined) sample.duplicateOf = duplicateOf;
    list.push(sample);
  }

  /** All samples, reasons in first-seen order. */
  all(): AuditSample[] {
    return [...this.byReason.values()].flat();
  }
}
