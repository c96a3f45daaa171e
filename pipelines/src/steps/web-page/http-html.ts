import { parseHttpResponse } from '@jcp/crawler';
import type { Drop, Step, StepEnv } from '../step.ts';
import type { HtmlPage, ResponseRecord } from './items.ts';
import { responseView } from './page-preview.ts';

/**
 * `html`: an HTTP 2xx response whose Content-Type is HTML and whose body is text of a sane size. A
 * broken HTTP header, a body over the limit and binary data labelled text/html are bad input (named
 * by file and offset); a redirect or a PDF merely is not a page.
 */
export function httpHtml({ config: c }: StepEnv): Step<ResponseRecord, HtmlPage> {
  return {
    name: 'html',
    sample: responseView,
    apply(item): HtmlPage | Drop {
      const http = parseHttpResponse(item.record.block, c.maxHtmlBytes + 1);
      if (typeof http === 'string') return { drop: 'bad-http-response', badInput: http };
      if (http.status < 200 || http.status > 299) return { drop: `http-${Math.floor(http.status / 100)}xx` };
      const contentType = http.headers.get('content-type') ?? '';
      const mime = (contentType.split(';')[0] ?? '').trim().toLowerCase();
      if (!c.htmlContentTypes.includes(mime)) return { drop: 'not-html' };
      const body = http.body;
      if (body.length === 0) return { drop: 'empty-body' };
      const bodySize = { bytes: body.length, chars: 0, tokens: 0 };
      if (body.length > c.maxHtmlBytes) {
        return { drop: 'html-too-large', size: bodySize, badInput: `HTML body of ${body.length} bytes exceeds the ${c.maxHtmlBytes}-byte limit` };
      }
      if (looksBinary(body, c.binaryProbeBytes, c.maxControlByteShare)) {
        return { drop: 'binary-body', size: bodySize, badInput: `body labelled ${mime} holds binary data (control bytes in the first ${c.binaryProbeBytes})` };
      }
      return { record: item.record, origin: item.origin, captured: item.captured, body, contentType, size: bodySize };
    },
  };
}

/**
 * Binary data served as text/html: control bytes in the first few KB. UTF-16 (BOM) is text with NULs,
 * so it is let through to the decoder.
 */
export function looksBinary(body: Uint8Array, probeBytes: number, maxControlShare: number): boolean {
  if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) return false;
  const n = Math.min(body.length, probeBytes);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = body[i]!;
    // Tab, LF, FF, CR and ESC (ISO-2022-JP shifts) are text.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  return control > n * maxControlShare;
}
