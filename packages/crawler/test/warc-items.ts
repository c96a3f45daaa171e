import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '@jcp/core';
import { readWarc, type WarcItem } from '../src/warc/reader.ts';
import type { WarcRecord } from '../src/warc/record.ts';

/** Everything the reader yields for a file, records and errors in order. */
export async function collect(path: string): Promise<WarcItem[]> {
  const out: WarcItem[] = [];
  for await (const item of readWarc(path)) out.push(item);
  return out;
}

export const records = (items: WarcItem[]): WarcRecord[] => items.filter((i): i is WarcRecord => !(i instanceof InputError));
export const errors = (items: WarcItem[]): InputError[] => items.filter((i): i is InputError => i instanceof InputError);

/** One WARC record as written (header, block, CRLF CRLF); `declared` overrides the true Content-Length. */
export function warcRecord(id: string, block: string, declared = Buffer.byteLength(block)): Buffer {
  const header = `WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:test:${id}>\r\nContent-Type: text/plain\r\nContent-Length: ${declared}\r\n\r\n`;
  return Buffer.from(`${header}${block}\r\n\r\n`);
}

/** Writes `bytes` to a fresh temporary file called `name` and returns its path. */
export async function tempFile(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'jcp-warc-')), name);
  await writeFile(path, bytes);
  return path;
}

/** A `.warc.gz` of one gzip member per record, and each member's offset in it. */
export function perRecordGzip(recs: Buffer[]): { bytes: Buffer; offsets: number[] } {
  const members = recs.map((r) => gzipSync(r));
  const offsets: number[] = [];
  let at = 0;
  for (const m of members) {
    offsets.push(at);
    at += m.length;
  }
  return { bytes: Buffer.concat(members), offsets };
}
