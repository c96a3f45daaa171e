import type { PipelineDefinition } from '../run-folder/context.ts';
import { WEB_PAGE_STEPS } from './web-page-steps.ts';

/**
 * Japanese text from pages crawled off a WARP-style URL list (the list the National Diet Library's
 * WARP project provided to LLM-jp), as llm-jp-corpus's `ja_warp` subcorpus. `--urls` crawls the list
 * into WARC files first (politely, resumably); `--input` takes WARCs crawled before.
 */
export const WARP_JA: PipelineDefinition = {
  name: 'warp-ja',
  description: 'Japanese web text crawled from a WARP-style URL list (--urls <file>)',
  source: 'warp',
  subcorpus: 'ja_warp',
  lang: 'ja',
  steps: WEB_PAGE_STEPS,
  defaultInputs: [],
};
