import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docRef, SignatureFileWriter, SignatureStore } from '../src/index.ts';

const NUM_PERM = 16;
const DOCS = [300, 5, 40];
let dir: string;
let store: SignatureStore;

const idOf = (file: number, ord: number): string => (file * 1000 + ord).toString(16).padStart(32, '0');
const sigOf = (file: number, ord: number): Uint32Array => Uint32Array.from({ length: NUM_PERM }, (_, k) => (file * 7919 + ord * 104729 + k * 15485863) >>> 0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jcp-sigrec-'));
  for (const [file, docs] of DOCS.entries()) {
    const w = await SignatureFileWriter.create(join(dir, `${file}.sig`), NUM_PERM);
    for (let ord = 0; ord < docs; ord++) await w.append({ id: idOf(file, ord), exactKey: 'cd'.repeat(8), fetchedAtMs: ord, chars: ord + 1, flags: ord % 2 }, sigOf(file, ord));
    await w.close();
  }
  store = new SignatureStore((file) => join(dir, `${file}.sig`), NUM_PERM);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SignatureStore.records: the sorted pass', () => {
  it('gives every asked record as meta() and signature() do, whatever the order, repeats, neighbours and gaps', async () => {
    // Unsorted, repeated, adjacent, within and beyond the coalescing gap, the first and last record of each file.
    const asked = [
      docRef(2, 39), docRef(0, 0), docRef(0, 1), docRef(0, 17), docRef(0, 299), docRef(0, 150), docRef(0, 17),
      docRef(1, 4), docRef(1, 0), docRef(2, 0), docRef(0, 34), docRef(0, 51), docRef(0, 52),
    ];
    const got = await store.records(asked);
    expect([...got.keys()].sort((a, b) => a - b)).toEqual([...new Set(asked)].sort((a, b) => a - b));
    for (const ref of asked) {
      const file = Math.floor(ref / 2 ** 24);
      const ord = ref % 2 ** 24;
      const record = got.get(ref)!;
      expect(record.meta).toEqual(await store.meta(file, ord));
      expect(record.meta.id).toBe(idOf(file, ord));
      expect(Array.from(record.sig)).toEqual(Array.from(await store.signature(file, ord)));
      expect(Array.from(record.sig)).toEqual(Array.from(sigOf(file, ord)));
    }
  });

  it('reads every record of a file in one go and names a record past its end', async () => {
    const all = Array.from({ length: 300 }, (_, ord) => docRef(0, ord));
    const got = await store.records(all);
    expect(got.size).toBe(300);
    expect(got.get(docRef(0, 123))!.meta.chars).toBe(124);
    await expect(store.records([docRef(1, 3), docRef(1, 9)])).rejects.toThrow(`${join(dir, '1.sig')}: no records 3-9 (file ends at byte`);
  });
});
