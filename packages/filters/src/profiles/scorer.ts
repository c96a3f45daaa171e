/**
 * The contract of a scorer: a pure function of a document that computes named scores and decides
 * nothing. Decisions are rules over these scores (`rule.ts`), grouped into profiles (`profile.ts`), so the
 * same scores serve every profile, and every score becomes a Parquet column a run can be re-filtered on.
 */

/** What a scorer sees: the text, and the page URL when the document has one (rules on domains). */
export interface ScoringInput {
  text: string;
  url: string | null;
}

export interface Scorer {
  /** kebab-case family name, e.g. `length`, `swallow`, `llm-jp`. */
  readonly name: string;
  /** snake_case names of the scores `score` always returns, in Parquet column order. */
  readonly scoreNames: readonly string[];
  score(input: ScoringInput): Record<string, number>;
}
