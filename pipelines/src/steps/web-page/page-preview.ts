import { decodeBody, parseHttpResponse } from '@jcp/crawler';
import { bytePreview, printable } from '../record-audit.ts';
import type { DropView } from '../step.ts';
import type { HtmlPage, ResponseRecord } from './items.ts';

/**
 * Audit views of pages dropped before they have text: what a reviewer needs to judge the drop without
 * opening the WARC. Each reads a bounded prefix, and the runner asks only for the first few per reason.
 */

/** A response record: its HTTP status line and headers and the start of its body, and its Content-Type. */
export function responseView(item: ResponseRecord, previewChars: number): DropView {
  // The whole block parses only to name the Content-Type; the body limit is the block, nothing is copied.
  const http = parseHttpResponse(item.record.block, item.record.block.length);
  const view: DropView = { scores: {}, text: bytePreview(item.record.block, previewChars) };
  const contentType = typeof http === 'string' ? undefined : http.headers.get('content-type');
  if (contentType !== undefined) view.contentType = contentType;
  return view;
}

/** An HTML body: its start decoded by the page's own charset evidence (BOM, header, meta), replacement characters for the rest. */
export function bodyView(page: HtmlPage, previewChars: number): DropView {
  const text = printable(decodeBody(page.body.subarray(0, previewChars * 4), page.contentType).text.slice(0, previewChars));
  return { scores: {}, text, contentType: page.contentType };
}
