/**
 * A filter profile is data: ordered steps (each a ledger stage), each an ordered table of rules over
 * scores. `compileProfile` turns one into runnable steps: each step runs the scorer families its rules
 * need that no earlier step ran, then checks every rule, so every score is known on every document and the
 * first failing rule, in table order, is the reason.
 */
import { checkRule, ruleFails, type Rule } from './rule.ts';
import { familyOfScore, ScorerPool, type ScorerSettings } from './scorers.ts';
import type { Scorer, ScoringInput } from './scorer.ts';
import { TEXT_TRANSFORMS, type TextTransformName } from './transforms.ts';

export interface FilterStepTable {
  /** A map of the text applied before this step's rules and kept as the document's text (llm-jp's `extract_japanese_text`). */
  transform?: TextTransformName | null;
  /** Rules in the order they are checked; the key names the rule (and is its reason unless `reason` says otherwise). */
  rules: Record<string, Rule>;
}

export interface FilterProfile {
  /** e.g. `jcp-v1`, `swallow-v1`, `llm-jp-v2`. */
  name: string;
  description: string;
  /** Ordered steps; each name is a ledger stage of the run (`quality`, `toxicity`, ...). */
  steps: Record<string, FilterStepTable>;
  /**
   * For a profile that reproduces a published filter: the reference's score names → ours, so `pnpm eval
   * reference` can compare every value the reference computed with ours.
   */
  referenceScores?: Record<string, string>;
}

/** One rule that failed on a document: its key in the table and the reason it is counted under. */
export interface FailedRule {
  rule: string;
  reason: string;
}

export interface StepVerdict {
  /** The text after the step's transform (the input text when it has none). */
  text: string;
  /** Every failing rule in table order; empty when the document is kept. */
  failed: FailedRule[];
}

export class CompiledFilterStep {
  /** Scores this step computes, in column order. */
  readonly scoreNames: readonly string[];
  private readonly transform: ((text: string) => string) | null;
  // Public: the filters bench times each family alone.
  private readonly rules: ReadonlyArray<{ key: string; reason: string; rule: Rule }>;

  constructor(
    readonly name: string,
    table: FilterStepTable,
    readonly scorers: readonly Scorer[],
  ) {
    this.scoreNames = scorers.flatMap((s) => [...s.scoreNames]);
    this.transform = table.transform ? TEXT_TRANSFORMS[table.transform] : null;
    this.rules = Object.entries(table.rules).map(([key, rule]) => ({ key, reason: rule.reason ?? key, rule }));
  }

  /** Scores `input` into `scores` (which already holds the earlier steps' scores) and checks every rule. */
  judge(input: ScoringInput, scores: Record<string, number>): StepVerdict {
    const text = this.transform ? this.transform(input.text) : input.text;
    const scored = text === input.text ? input : { text, url: input.url };
    for (const scorer of this.scorers) Object.assign(scores, scorer.score(scored));
    const failed: FailedRule[] = [];
    for (const { key, reason, rule } of this.rules) if (ruleFails(rule, scores[rule.score]!)) failed.push({ rule: key, reason });
    return { text, failed };
  }
}

/**
 * Builds the steps of `profile`. Throws, naming the step and rule, on a malformed rule, a score no
 * scorer computes, or a rule whose score only a later step computes.
 */
export function compileProfile(profile: FilterProfile, settings: ScorerSettings): CompiledFilterStep[] {
  const pool = new ScorerPool(settings);
  const scored = new Set<string>();
  const compiled: CompiledFilterStep[] = [];
  for (const [stepName, table] of Object.entries(profile.steps)) {
    const where = `filter profile ${profile.name}, step ${stepName}`;
    if (table.transform && !(table.transform in TEXT_TRANSFORMS)) {
      throw new Error(`${where}: unknown transform '${table.transform}' (known: ${Object.keys(TEXT_TRANSFORMS).join(', ')})`);
    }
    const families: Scorer[] = [];
    for (const [key, rule] of Object.entries(table.rules ?? {})) {
      checkRule(`${where}, rule ${key}`, rule);
      if (scored.has(rule.score)) continue; // an earlier step computed it (on the text before any transform)
      const family = familyOfScore(rule.score, `${where}, rule ${key}`);
      const scorer = pool.get(family);
      if (!families.includes(scorer)) families.push(scorer);
      for (const s of family.scoreNames) scored.add(s);
    }
    compiled.push(new CompiledFilterStep(stepName, table, families));
  }
  return compiled;
}

/** Every failing rule of every step on one text, as a reference run reports it (no step short-circuits). */
export interface ProfileVerdict {
  keep: boolean;
  failed: FailedRule[];
  scores: Record<string, number>;
  /** The text the profile would write out. */
  text: string;
}

export function judgeWithProfile(steps: readonly CompiledFilterStep[], input: ScoringInput): ProfileVerdict {
  const scores: Record<string, number> = {};
  const failed: FailedRule[] = [];
  let current = input;
  for (const step of steps) {
    const verdict = step.judge(current, scores);
    failed.push(...verdict.failed);
    current = verdict.text === current.text ? current : { text: verdict.text, url: current.url };
  }
  return { keep: failed.length === 0, failed, scores, text: current.text };
}
