import { codePointLength, utf8Length } from '@jcp/core';
import { compileProfile, profileOfSettings, type CompiledFilterStep } from '@jcp/filters';
import type { Drop, Step, StepEnv } from '../step.ts';
import type { PageText } from './items.ts';

/**
 * The filter profile's steps (`quality`, `toxicity` in jcp-v1; the reference's own groups in swallow-v1
 * and llm-jp-v2), each one ledger stage: every rule is checked, so every score is known and becomes a
 * Parquet column, and the first failing rule in table order gives the reason. A step with a transform
 * (llm-jp's extract_japanese_text) rewrites the kept text, which is recounted.
 */
export function profileFilters({ config, tokenCounter }: StepEnv): Array<Step<PageText, PageText>> {
  return compileProfile(profileOfSettings(config.filters), config.filters.scorers).map((step) => filterStep(step, tokenCounter));
}

function filterStep(step: CompiledFilterStep, tokenCounter: StepEnv['tokenCounter']): Step<PageText, PageText> {
  return {
    name: step.name,
    scoreNames: step.scoreNames,
    apply(doc): PageText | Drop {
      const verdict = step.judge({ text: doc.text, url: doc.url || null }, doc.scores);
      const first = verdict.failed[0];
      if (first) return { drop: first.reason, sample: { scores: pick(doc.scores, step.scoreNames), text: doc.text } };
      if (verdict.text !== doc.text) {
        doc.text = verdict.text;
        doc.size = { bytes: utf8Length(doc.text), chars: codePointLength(doc.text), tokens: tokenCounter.count(doc.text) };
      }
      return doc;
    },
  };
}

/** The scores the step computed (an audit sample shows what the step judged on). */
function pick(scores: Record<string, number>, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = scores[n]!;
  return out;
}
