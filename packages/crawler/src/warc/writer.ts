import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** A record to write; `WARC-Record-ID`, `Content-Length` and block digest are filled in. */
export interface WarcRecordSpec {
  type: 'warcinfo' | 'request' | 'response' | 'metadata' | 'resource' | 'revisit';
  date: string;
  block: Uint8Array;
  targetUri?: string;
  /** Default `application/http; msgtype=response|request` for HTTP records. */
  contentType?: string;
  /** Fixed id (tests and fixtures need reproducible files); a random urn:uuid otherwise. */
  recordId?: string;
  /** Extra header fields, written after the standard ones in the given order. */
  headers?: Array<[string, string]>;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `sha1:` + RFC 4648 base32, the digest form Common Crawl and wget write. */
export function sha1Base32(bytes: Uint8Array): string {
  const digest = createHash('sha1').update(bytes).digest();
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return `sha1:${out}`;
}

/** Where the HTTP header ends in a request/response block (the payload follows), or -1. */
function httpPayloadStart(block: Uint8Array): number {
  for (let i = 0; i + 3 < block.length; i++) {
    if (block[i] === 0x0d && block[i + 1] === 0x0a && block[i + 2] === 0x0d && block[i + 3] === 0x0a) return i + 4;
  }
  return -1;
}

/** Serialises one WARC/1.1 record, block and trailing CRLF CRLF included. */
export function serializeWarcRecord(spec: WarcRecordSpec): Buffer {
  const http = spec.type === 'response' || spec.type === 'request';
  const fields: Array<[string, string]> = [
    ['WARC-Type', spec.type],
    ['WARC-Record-ID', spec.recordId ?? `<urn:uuid:${randomUUID()}>`],
    ['WARC-Date', spec.date],
  ];
  if (spec.targetUri !== undefined) fields.push(['WARC-Target-URI', spec.targetUri]);
  fields.push(['Content-Type', spec.contentType ?? (http ? `application/http; msgtype=${spec.type}` : 'application/octet-stream')]);
  fields.push(['WARC-Block-Digest', sha1Base32(spec.block)]);
  if (http) {
    const start = httpPayloadStart(spec.block);
    if (start >= 0) fields.push(['WARC-Payload-Digest', sha1Base32(spec.block.subarray(start))]);
  }
  fields.push(...(spec.headers ?? []));
  fields.push(['Content-Length', String(spec.block.length)]);
  const head = `WARC/1.1\r\n${fields.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'utf8'), spec.block, Buffer.from('\r\n\r\n')]);
}

/** One gzip member per record, as Common Crawl writes them, so any record can be read from its offset alone. */
export function gzipRecord(serialized: Uint8Array): Buffer {
  return gzipSync(serialized);
}

/** An HTTP/1.1 response block: status line, headers, blank line, body. */
export function httpResponseBlock(status: number, reason: string, headers: Array<[string, string]>, body: Uint8Array): Buffer {
  const head = `HTTP/1.1 ${status} ${reason}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
