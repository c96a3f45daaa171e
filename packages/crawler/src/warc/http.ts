import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { findHeaderEnd } from './record.ts';

/** The HTTP response inside a WARC `response` record, with transfer and content codings undone. */
export interface HttpResponse {
  status: number;
  /** Lower-case names. */
  headers: Map<string, string>;
  body: Uint8Array;
}

const headerDecoder = new TextDecoder('latin1');

/** Parses status line, headers and body; returns a message instead when the block is not an HTTP response. */
export function parseHttpResponse(block: Uint8Array, maxBodyBytes: number): HttpResponse | string {
  const headerEnd = findHeaderEnd(block, 0, block.length);
  if (headerEnd < 0) return 'no blank line ends the HTTP header';
  const lines = headerDecoder.decode(block.subarray(0, headerEnd)).split(/\r?\n/);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(lines[0] ?? '');
  if (!status) return `not an HTTP status line: '${(lines[0] ?? '').slice(0, 60)}'`;
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body: Uint8Array = block.subarray(headerEnd);
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) body = dechunk(body) ?? body;
  body = undoContentEncoding(body, headers.get('content-encoding') ?? '', maxBodyBytes);
  return { status: Number(status[1]), headers, body };
}

/**
 * Undoes chunked transfer coding. Common Crawl keeps the header but often stores the body already
 * dechunked, so a body that does not parse as chunks is returned as null and used as it is.
 */
export function dechunk(body: Uint8Array): Uint8Array | null {
  const parts: Uint8Array[] = [];
  let total = 0;
  let p = 0;
  for (;;) {
    let lineEnd = p;
    while (lineEnd < body.length && body[lineEnd] !== 0x0a) lineEnd++;
    if (lineEnd >= body.length) return null;
    const sizeText = headerDecoder.decode(body.subarray(p, lineEnd)).trim().split(';')[0] ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return null;
    const size = parseInt(sizeText, 16);
    p = lineEnd + 1;
    if (size === 0) break;
    if (p + size > body.length) return null;
    parts.push(body.subarray(p, p + size));
    total += size;
    p += size;
    if (body[p] === 0x0d) p++;
    if (body[p] === 0x0a) p++;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** Decompresses gzip/deflate/br bodies; a body that is not really compressed (a lying header) is kept as is. */
function undoContentEncoding(body: Uint8Array, coding: string, maxBodyBytes: number): Uint8Array {
  const c = coding.toLowerCase();
  const options = { maxOutputLength: maxBodyBytes };
  try {
    if ((c.includes('gzip') || c.includes('x-gzip')) && body[0] === 0x1f && body[1] === 0x8b) return gunzipSync(body, options);
    if (c.includes('deflate')) {
      // Servers send both zlib-wrapped and raw deflate under this name.
      return (body[0] ?? 0) % 0x10 === 8 ? inflateSync(body, options) : inflateRawSync(body, options);
    }
    if (c === 'br') return brotliDecompressSync(body, options);
  } catch {
    return body;
  }
  return body;
}
