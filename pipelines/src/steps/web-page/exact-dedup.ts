import { exactTextKey } from '@jcp/dedup';
import type { Drop, Step } from '../step.ts';
import type { PageText } from './items.ts';

/**
 * `exact-dedup`: the first document of each normalised text within one task (one WARC) goes on; its
 * copies are dropped naming it. The cheap half of the dedup, before any MinHash; the run-wide dedup
 * does the rest. A new one is made per task: its memory is one WARC's keys.
 */
export function exactDedup(): Step<PageText, PageText> {
  const firstWithText = new Map<string, string>();
  return {
    name: 'exact-dedup',
    apply(doc): PageText | Drop {
      const key = exactTextKey(doc.text);
      const first = firstWithText.get(key);
      if (first !== undefined) return { drop: 'exact-duplicate', sample: { scores: { similarity: 1 }, text: doc.text, duplicateOf: first } };
      firstWithText.set(key, doc.id);
      doc.exactKey = key;
      return doc;
    },
  };
}
