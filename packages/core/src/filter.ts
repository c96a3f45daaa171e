/**
 * The contract of a text filter (quality rule, toxicity scorer, ...). A filter is a pure function of the
 * text: it computes its scores, and says keep or drop with a named reason. It never counts: the runner
 * records the outcome in the ledger. Every score is kept on every document (kept or not) as a Parquet
 * column, so a user can retune a threshold without rerunning the pipeline.
 */
export interface FilterOutcome {
  keep: boolean;
  /** Set when `keep` is false: a short kebab-case reason, e.g. `too-short`, `low-hiragana-share`. */
  reason?: string;
  /** Every score the filter computed, by name; the names are the filter's `scoreNames`. */
  scores: Record<string, number>;
}

export interface TextFilter {
  /** kebab-case, unique in a pipeline, e.g. `length`, `char-classes`, `ng-words`. */
  readonly name: string;
  /** snake_case names of the scores `apply` always returns; each becomes a DOUBLE Parquet column. */
  readonly scoreNames: readonly string[];
  apply(text: string): FilterOutcome;
}
