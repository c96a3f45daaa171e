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
