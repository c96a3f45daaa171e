/**
 * One row of a profile's rule table: a bound on one score, with the ledger reason it drops under and the
 * source of its value. A bound set to `null` (or absent) is off; a rule with every bound off keeps its
 * score column and drops nothing. The four bound kinds exist because the anchors' conditions differ in
 * strictness (Swallow drops `num_letters < 400` but keeps only `ng_fraction < 0.05`), and an exact
 * reproduction needs both sides of the equality.
 */
export interface Rule {
  /** The score column this rule bounds (a scorer's score name). */
  score: string;
  /** Keep when score ≥ min. */
  min?: number | null;
  /** Keep when score > greaterThan. */
  greaterThan?: number | null;
  /** Keep when score ≤ max. */
  max?: number | null;
  /** Keep when score < lessThan. */
  lessThan?: number | null;
  /** Ledger reason when the rule drops; default: the rule's key in its table. */
  reason?: string;
  /** Where the bound comes from: paper or file and function, and why this value. */
  source: string;
  /**
   * The rule of an anchor profile this one reproduces or departs from (`profile:rule`), when it is not
   * that rule itself: the row it shares in the rule × profile table of docs/filters.md.
   */
  anchor?: string;
}

/**
 * True when `value` breaks a bound. Comparisons are written as the anchors write their drop conditions,
 * so a NaN score (a rule that cannot apply, such as a domain rule on a text without URL) drops nothing,
 * as a Python comparison with NaN is false.
 */
export function ruleFails(rule: Rule, value: number): boolean {
  return (
    (rule.min != null && value < rule.min) ||
    (rule.greaterThan != null && value <= rule.greaterThan) ||
    (rule.max != null && value > rule.max) ||
    (rule.lessThan != null && value >= rule.lessThan)
  );
}

/** True when at least one bound is on. */
export function ruleIsOn(rule: Rule): boolean {
  return rule.min != null || rule.greaterThan != null || rule.max != null || rule.lessThan != null;
}

/** The kept range as text, e.g. `≥ 400`, `< 0.05`, `20 ≤ · ≤ 90`, `off`. */
export function keptRange(rule: Rule): string {
  const lower = rule.min != null ? `${rule.min} ≤` : rule.greaterThan != null ? `${rule.greaterThan} <` : '';
  const upper = rule.max != null ? `≤ ${rule.max}` : rule.lessThan != null ? `< ${rule.lessThan}` : '';
  if (lower && upper) return `${lower} · ${upper}`;
  if (lower) return lower.endsWith('≤') ? `≥ ${rule.min}` : `> ${rule.greaterThan}`;
  return upper || 'off';
}

const BOUND_KEYS = ['min', 'greaterThan', 'max', 'lessThan'] as const;
const RULE_KEYS = new Set<string>(['score', ...BOUND_KEYS, 'reason', 'source', 'anchor']);

/** Checks a rule read from a config file; the error names the rule and what is wrong. */
export function checkRule(where: string, rule: Rule): void {
  if (typeof rule !== 'object' || rule === null) throw new Error(`${where}: a rule should be an object`);
  for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) throw new Error(`${where}: unknown field '${key}' (fields: ${[...RULE_KEYS].join(', ')})`);
  if (typeof rule.score !== 'string' || rule.score === '') throw new Error(`${where}: 'score' should name a score`);
  for (const key of BOUND_KEYS) {
    const v = rule[key];
    if (v != null && (typeof v !== 'number' || Number.isNaN(v))) throw new Error(`${where}: '${key}' should be a number or null, got ${JSON.stringify(v)}`);
  }
  if (rule.min != null && rule.greaterThan != null) throw new Error(`${where}: set 'min' or 'greaterThan', not both`);
  if (rule.max != null && rule.lessThan != null) throw new Error(`${where}: set 'max' or 'lessThan', not both`);
}
