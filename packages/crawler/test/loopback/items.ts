import { createHash } from 'node:crypto';
import { InputError } from '@jcp/core';
import type { WarcItem } from '../../src/warc/reader.ts';

/** What must be equal between two reads of one WARC: every record's place, id and block, every error's reason and place. */
export type ItemSummary =
  | { offset: number; storedLength: number; type: string; id: string; blockSha1: string }
  | { error: string; offset: number };

export async function summarize(items: AsyncIterable<WarcItem>): Promise<ItemSummary[]> {
  const out: ItemSummary[] = [];
  for await (const item of items) {
    if (item instanceof InputError) out.push({ error: item.reason, offset: item.offset });
    else {
      out.push({
        offset: item.offset,
        storedLength: item.storedLength,
        type: item.type,
        id: item.headers.get('warc-record-id') ?? '',
        blockSha1: createHash('sha1').update(item.block).digest('hex'),
      });
    }
  }
  return out;
}

/** All items, for the tests that look at an error's message or a record's file name. */
export async function collect(items: AsyncIterable<WarcItem>): Promise<WarcItem[]> {
  const out: WarcItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}
