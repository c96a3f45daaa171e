/**
 * wiki-v1: Wikipedia as LLM-jp takes it. LLM-jp's ja_wiki (llm-jp-corpus v1 `scripts/data/ja_wiki`, and
 * the v2/v3 corpora's ja_wiki) is the dump's articles converted to text with no quality or toxicity
 * filter: an encyclopaedia's stubs, lists and section titles are what the web rules were written to drop
 * (jcp-v1 drops 2 of the 4 fixture articles: a one-line stub as `too-short`, and a river article whose
 * section titles bring the mean sentence length to 16.7 characters as `short-sentences`), and its
 * articles on crimes or sexuality are what the NG-word rules count. So every jcp-v1 rule is kept as a score column (a user can filter the
 * Parquet, or run `--filters jcp-v1`) and none drops.
 */
import { JCP_V1 } from './jcp-v1.ts';
import type { FilterProfile, FilterStepTable } from './profile.ts';

/** `profile` with every bound off: the same score columns, no document dropped. */
export function scoresOnly(profile: FilterProfile, name: string, description: string, why: string): FilterProfile {
  const steps: Record<string, FilterStepTable> = {};
  for (const [step, table] of Object.entries(profile.steps)) {
    const rules: FilterStepTable['rules'] = {};
    for (const [key, rule] of Object.entries(table.rules)) rules[key] = { ...rule, min: null, greaterThan: null, max: null, lessThan: null, source: `${why} (${profile.name}: ${rule.source})` };
    steps[step] = { ...table, rules };
  }
  return { name, description, steps };
}

export const WIKI_V1: FilterProfile = scoresOnly(
  JCP_V1,
  'wiki-v1',
  'a curated source (wiki-ja’s default): every jcp-v1 score kept as a column, no document dropped, as LLM-jp takes Wikipedia',
  'Off: LLM-jp filters no ja_wiki article',
);
