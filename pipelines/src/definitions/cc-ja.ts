import { fileURLToPath } from 'node:url';
import type { PipelineDefinition } from '../run-folder/context.ts';

/** Japanese text out of Common Crawl WARCs, as LLM-jp's `ja_cc` subcorpus. */
export const CC_JA: PipelineDefinition = {
  name: 'cc-ja',
  description: 'Japanese web text from Common Crawl WARC files',
  source: 'cc',
  subcorpus: 'ja_cc',
  lang: 'ja',
  defaultInputs: [fileURLToPath(new URL('../../../fixtures/warc/', import.meta.url))],
};
