import { codePointLength, utf8Length } from '@jcp/core';
import { createNormalizer, createPiiMasker } from '@jcp/filters';
import type { Drop, Step, StepEnv } from '../step.ts';
import type { PageText } from './items.ts';

/**
 * `normalize`: NFKC except where it damages text, white space, invisible characters; e-mail, phone and
 * IPv4 masking, each counted as an event. Then the document's one tokenisation: the text from here on
 * is the text the corpus keeps.
 */
export function normalizeText({ config, tokenCounter }: StepEnv): Step<PageText, PageText> {
  const normalizer = createNormalizer(config.filters.normalize);
  const masker = createPiiMasker(config.filters.pii);
  return {
    name: 'normalize',
    // The text before normalisation: what normalisation emptied.
    sample: (doc, previewChars) => ({ scores: {}, text: doc.text.slice(0, previewChars) }),
    apply(doc, events): PageText | Drop {
      const normalized = normalizer(doc.text);
      const masked = masker(normalized.text);
      const stats = normalized.stats;
      events.event('nfkc-changed', stats.nfkcChanged);
      events.event('surrogates-replaced', stats.replacedSurrogates);
      events.event('invisible-removed', stats.removedInvisible);
      events.event('punctuation-rewritten', stats.rewrittenPunctuation);
      for (const [kind, n] of Object.entries(masked.counts)) events.event(`pii-${kind}-masked`, n);
      const clean = masked.text;
      const size = { bytes: utf8Length(clean), chars: codePointLength(clean), tokens: 0 };
      if (clean.trim().length === 0) return { drop: 'empty-after-normalize', size };
      size.tokens = tokenCounter.count(clean);
      doc.text = clean;
      doc.size = size;
      return doc;
    },
  };
}
