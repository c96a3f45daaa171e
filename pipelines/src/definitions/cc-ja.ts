import { fileURLToPath } from 'node:url';
import type { PipelineDefinition } from '../run-folder/context.ts';
import { WEB_PAGE_STEPS } from './web-page-steps.ts';

/** Japanese text out of Common Crawl WARCs, as LLM-jp's `ja_cc` subcorpus. */
export const CC_JA: PipelineDefinition = {
  name: 'cc-ja',
  description: 'Japanese web text from Common Crawl WARC files',
  source: 'cc',
  subcorpus: 'ja_cc',
  lang: 'ja',
  steps: WEB_PAGE_STEPS,
  defaultInputs: [fileURLToPath(new URL('../../../fixtures/warc/', import.meta.url))],
};
