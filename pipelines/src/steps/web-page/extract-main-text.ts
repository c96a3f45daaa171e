import { codePointLength, utf8Length } from '@jcp/core';
import { extractMainText as extract } from '@jcp/filters';
import { recordDocId, targetUri } from '../record-audit.ts';
import type { Drop, Step, StepEnv } from '../step.ts';
import type { DecodedPage, PageText } from './items.ts';

/**
 * `extract`: the page's main text (boilerplate, navigation and scripts out), one paragraph per line,
 * and the document's identity: its id (from the WARC record id) and URL.
 */
export function extractMainText({ config }: StepEnv): Step<DecodedPage, PageText> {
  return {
    name: 'extract',
    // The decoded HTML the extractor found no main text in.
    sample: (page, previewChars) => ({ scores: {}, text: page.html.slice(0, previewChars) }),
    apply(page): PageText | Drop {
      const extracted = extract(page.html, config.extract);
      if (extracted.text.length === 0) return { drop: 'no-main-text' };
      return {
        record: page.record,
        origin: page.origin,
        captured: page.captured,
        id: recordDocId(page.record, page.origin.warcFile),
        url: targetUri(page.record),
        title: extracted.title,
        text: extracted.text,
        charset: page.charset,
        charsetDeclared: page.charsetDeclared,
        lang: '',
        langScore: 0,
        scores: {},
        exactKey: '',
        size: { bytes: utf8Length(extracted.text), chars: codePointLength(extracted.text), tokens: 0 },
      };
    },
  };
}
