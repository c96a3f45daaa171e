import type { Drop, Step, StepEnv } from '../step.ts';
import type { PageText } from './items.ts';

/** `langid`: cld3 on the main text; anything but the chain's language, or too unsure, is dropped with a preview sample. */
export function detectLanguage({ config: c, detector }: StepEnv): Step<PageText, PageText> {
  return {
    name: 'langid',
    apply(doc): PageText | Drop {
      const guess = detector.detect(doc.text);
      const reason = guess.lang !== c.lang ? `not-${c.lang}` : guess.score < c.minLangScore ? `low-${c.lang}-score` : null;
      if (reason) {
        // Only a preview is kept: slicing first avoids copying every non-Japanese text into a new string.
        const preview = doc.text.slice(0, c.filters.auditPreviewChars);
        return { drop: reason, sample: { scores: { lang_score: guess.score }, text: `[${guess.lang}] ${preview}` } };
      }
      doc.lang = guess.lang;
      doc.langScore = guess.score;
      return doc;
    },
  };
}
