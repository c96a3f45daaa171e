import type { TextPipelineDefinition } from '../run-folder/context.ts';
import { TEXT_STEPS } from './text-steps.ts';

/**
 * Any pre-extracted Japanese text collection (KAKEN summaries, a partner's crawl, an earlier corpus
 * version) as JSON Lines or Parquet, through the same steps as cc-ja after extraction. `--subcorpus` names its
 * partition (default `ja_text`); `--text-field`, `--id-field`, `--url-field` its fields.
 */
export const TEXT_JA: TextPipelineDefinition = {
  name: 'text-ja',
  description: 'a Japanese text collection: .jsonl, .jsonl.gz or .parquet (--subcorpus <name>)',
  source: 'text',
  subcorpus: 'ja_text',
  lang: 'ja',
  reads: 'text',
  steps: TEXT_STEPS,
  defaultInputs: [],
};
