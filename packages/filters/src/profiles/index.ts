/**
 * Filter profiles: rule tables over scores. `jcp-v1` is our default; `swallow-v1` and `llm-jp-v2`
 * reproduce the Swallow corpus v1 and llm-jp-corpus v2.0.0 filters exactly (checked by `pnpm eval
 * reference` against their own code's decisions).
 */
import { JCP_V1 } from './jcp-v1.ts';
import { LLM_JP_V2 } from './llm-jp-v2.ts';
import { SWALLOW_V1 } from './swallow-v1.ts';
import { WIKI_V1 } from './wiki-v1.ts';
import type { FilterProfile, FilterStepTable } from './profile.ts';
import type { Rule } from './rule.ts';
import { DEFAULT_SCORER_SETTINGS, type ScorerSettings } from './scorers.ts';

export { checkRule, keptRange, ruleFails, ruleIsOn, type Rule } from './rule.ts';
export type { Scorer, ScoringInput } from './scorer.ts';
export { DEFAULT_SCORER_SETTINGS, familyOfScore, scoreCatalogue, type ScorerSettings } from './scorers.ts';
export {
  compileProfile,
  judgeWithProfile,
  CompiledFilterStep,
  type FailedRule,
  type FilterProfile,
  type FilterStepTable,
  type ProfileVerdict,
  type StepVerdict,
} from './profile.ts';
export { TEXT_TRANSFORMS, type TextTransformName } from './transforms.ts';
export { JCP_V1 } from './jcp-v1.ts';
export { LLM_JP_V2 } from './llm-jp-v2.ts';
export { SWALLOW_V1 } from './swallow-v1.ts';
export { WIKI_V1 } from './wiki-v1.ts';
export { createSwallowScorer, SWALLOW_SCORES, type SwallowConfig } from './swallow/index.ts';
export { createLlmJpScorer, extractJapaneseText, LLM_JP_SCORES, type LlmJpConfig } from './llm-jp/index.ts';
export { profilesMarkdown } from './table.ts';

export const FILTER_PROFILES: readonly FilterProfile[] = [JCP_V1, SWALLOW_V1, LLM_JP_V2, WIKI_V1];

export const DEFAULT_FILTER_PROFILE = JCP_V1.name;

export function filterProfileNamed(name: string): FilterProfile {
  const profile = FILTER_PROFILES.find((p) => p.name === name);
  if (!profile) throw new Error(`unknown filter profile '${name}' (profiles: ${FILTER_PROFILES.map((p) => p.name).join(', ')})`);
  return profile;
}

/**
 * The filter part of a run's settings: the profile's name (recorded in run.json), its rule table
 * (overridable rule by rule with `--config`) and the scorers' parameters.
 */
export interface FilterSettings {
  profile: string;
  steps: Record<string, FilterStepTable>;
  scorers: ScorerSettings;
}

/**
 * A profile as run settings. Every rule gets all four bounds (`null` when off) and its reason spelt out,
 * so a config file can set any of them on any rule (`--config` accepts only keys the defaults have).
 */
export function filterSettingsOf(profile: FilterProfile, scorers: ScorerSettings = DEFAULT_SCORER_SETTINGS): FilterSettings {
  const steps: Record<string, FilterStepTable> = {};
  for (const [name, table] of Object.entries(profile.steps)) {
    const rules: Record<string, Rule> = {};
    for (const [key, rule] of Object.entries(table.rules)) {
      rules[key] = { min: null, greaterThan: null, max: null, lessThan: null, ...structuredClone(rule), reason: rule.reason ?? key };
    }
    steps[name] = { transform: table.transform ?? null, rules };
  }
  return { profile: profile.name, steps, scorers: structuredClone(scorers) };
}

/** The profile a run's settings describe (its steps may differ from the named profile's by `--config`). */
export function profileOfSettings(settings: FilterSettings): FilterProfile {
  return { name: settings.profile, description: filterProfileNamed(settings.profile).description, steps: settings.steps };
}

/** The drop rule on the learned classifier's score: the model file's threshold, chosen by cross-validation at training. */
export const TOXICITY_CLASSIFIER_RULE = 'toxic';

/**
 * Adds the learned classifier to `settings` (`--toxicity-model`): the model path, and a rule in the
 * `toxicity` step dropping at the model's threshold (documents with `toxicity_prob ≥ threshold`).
 */
export function withToxicityModel(settings: FilterSettings, modelPath: string, threshold: number): FilterSettings {
  const next = structuredClone(settings);
  next.scorers.toxicityClassifier.modelPath = modelPath;
  const step = (next.steps.toxicity ??= { rules: {} });
  step.rules[TOXICITY_CLASSIFIER_RULE] = {
    score: 'toxicity_prob',
    lessThan: threshold,
    source: `${modelPath}: threshold chosen by cross-validation when the model was trained (pnpm train toxicity). Opt-in: see docs/filters.md.`,
  };
  return next;
}
