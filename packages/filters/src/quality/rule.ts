/** Small helpers shared by the rule modules: thresholds may be `null` (rule off). */
import type { FilterOutcome } from '@jcp/core';

/** True when the rule is on and `value` exceeds its upper bound. */
export function above(value: number, max: number | null): boolean {
  return max !== null && value > max;
}

/** True when the rule is on and `value` is under its lower bound. */
export function below(value: number, min: number | null): boolean {
  return min !== null && value < min;
}

export function kept(scores: Record<string, number>): FilterOutcome {
  return { keep: true, scores };
}

export function dropped(reason: string, scores: Record<string, number>): FilterOutcome {
  return { keep: false, reason, scores };
}
