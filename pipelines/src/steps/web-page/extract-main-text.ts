import { createHash } from 'node:crypto';
import { codePointLength, utf8Length } from '@jcp/core';
import { extractMainText as extract } from '@jcp/filters';
import type { Drop, Step, StepEnv } from '../step.ts';
import type { DecodedPage, PageText } from './items.ts';

/**
 * `extract`: the page's main text (boilerplate, navigation and scripts out), one paragraph per line,
 * and the document's identity: its id (from the WARC record id) and URL.
 */
export function extractMainText({ config }: StepEnv): Step<DecodedPage, PageText> {
  return {
    name: 'extract',
    apply(page): PageText | Drop {
      const extracted = extract(page.html, config.extract);
      if (extracted.text.length === 0) return { drop: 'no-main-text' };
      const headers = page.record.headers;
      const url = unbracket(headers.get('warc-target-uri') ?? '');
      const recordId = headers.get('warc-record-id') ?? '';
      return {
        record: page.record,
        origin: page.origin,
        captured: page.captured,
        id: docId(recordId || `${page.origin.warcFile}@${page.record.offset}`),
        url,
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

const utf8 = new TextEncoder();

/** 32 hex characters (128 bits) of SHA-256: collision-free at any corpus size, short in Parquet. */
export function docId(key: string): string {
  return createHash('sha256').update(utf8.encode(key)).digest('hex').slice(0, 32);
}

function unbracket(uri: string): string {
  // WARC/0.18 and some writers wrap the URI in angle brackets.
  return uri.startsWith('<') && uri.endsWith('>') ? uri.slice(1, -1) : uri;
}
