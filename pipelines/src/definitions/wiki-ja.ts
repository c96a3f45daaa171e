import type { WikiPipelineDefinition } from '../run-folder/context.ts';
import { WIKI_STEPS } from './wiki-steps.ts';

/**
 * Japanese Wikipedia (LLM-jp's ja_wiki) from a MediaWiki XML export: `jawiki-*-pages-articles*.xml.bz2`
 * (or `.xml`), a multistream dump split into parts by its index. Articles only (namespace 0, no
 * redirects), as plain text with section titles. Filter profile `wiki-v1` by default: every score of
 * jcp-v1 recorded, none dropping, as LLM-jp takes Wikipedia unfiltered (docs/decisions.md).
 */
export const WIKI_JA: WikiPipelineDefinition = {
  name: 'wiki-ja',
  description: 'a Wikipedia dump: jawiki-*-pages-articles*.xml.bz2 (multistream: split by its index)',
  source: 'wiki',
  subcorpus: 'ja_wiki',
  lang: 'ja',
  reads: 'wiki',
  steps: WIKI_STEPS,
  filterProfile: 'wiki-v1',
  defaultInputs: ['fixtures/wiki/jawiki-20240301-pages-articles-multistream.xml.bz2'],
};
