import { codePointLength } from '@jcp/core';
import { decodeBody } from '@jcp/crawler';
import type { Drop, Step, StepEnv } from '../step.ts';
import type { DecodedPage, HtmlPage } from './items.ts';
import { bodyView } from './page-preview.ts';

/**
 * `decode`: the body as text, in the charset the evidence supports (BOM, HTTP header, meta, bytes;
 * declarations lie). A page that is still mostly U+FFFD was decoded wrongly or is not text: bad input.
 */
export function decodeCharset({ config }: StepEnv): Step<HtmlPage, DecodedPage> {
  return {
    name: 'decode',
    sample: bodyView,
    apply(page): DecodedPage | Drop {
      const decoded = decodeBody(page.body, page.contentType);
      const chars = codePointLength(decoded.text);
      if (decoded.replacementChars > decoded.text.length * config.maxReplacementShare) {
        const declared = decoded.charsetDeclared ? `declared ${decoded.charsetDeclared}` : 'no charset declared';
        return {
          drop: 'undecodable',
          size: { bytes: page.body.length, chars, tokens: 0 },
          badInput: `${decoded.replacementChars} of ${decoded.text.length} characters undecodable as ${decoded.charset} (${declared})`,
        };
      }
      return {
        record: page.record,
        origin: page.origin,
        captured: page.captured,
        body: page.body,
        html: decoded.text,
        charset: decoded.charset,
        charsetDeclared: decoded.charsetDeclared,
        size: { bytes: page.body.length, chars, tokens: 0 },
      };
    },
  };
}
