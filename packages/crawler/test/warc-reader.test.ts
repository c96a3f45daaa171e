import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import { InputError } from '@jcp/core';
import { readWarc, type WarcItem } from '../src/warc/reader.ts';
import type { WarcRecord } from '../src/warc/record.ts';
import { sharedData } from './shared-data.ts';

async function collect(path: string): Promise<WarcItem[]> {
  const out: WarcItem[] = [];
  for await (const item of readWarc(path)) out.push(item);
  return out;
}

const records = (items: WarcItem[]): WarcRecord[] => items.filter((i): i is WarcRecord => !(i instanceof InputError));
const errors = (items: WarcItem[]): InputError[] => items.filter((i): i is InputError => i instanceof InputError);

/** warcio, the listed reference reader: (type, record id, block length) of every record. */
async function warcioRecords(path: string): Promise<Array<[string, string, number]>> {
  const out: Array<[string, string, number]> = [];
  for await (const record of WARCParser.iterRecords(createReadStream(path), { parseHttp: false })) {
    const block = await record.readFully(false);
    out.push([record.warcType ?? '', record.warcHeader('WARC-Record-ID') ?? '', block.length]);
  }
  return out;
}

describe('readWarc', () => {
  it.each([
    'warc/resiliparse/cc-main-2020-34-excerpt.warc.gz',
    'warc/resiliparse/clueweb09-ja-excerpt.warc.gz',
    'warc/warcio/example.warc.gz',
    'warc/warcio/example.warc',
    'warc/warcio/post-test.warc.gz',
    'warc/jwarc/gzip_extra_sl.warc.gz',
  ])('yields the same records as warcio for %s', async (file) => {
    const path = sharedData(file);
    const ours = records(await collect(path)).map((r) => [r.type, r.headers.get('warc-record-id') ?? '', r.block.length]);
    expect(ours).toEqual(await warcioRecords(path));
  });

  it('reports the compressed offset of each record, from which the record can be read alone', async () => {
    const path = sharedData('warc/resiliparse/cc-main-2020-34-excerpt.warc.gz');
    const recs = records(await collect(path));
    expect(recs.filter((r) => r.type === 'response')).toHaveLength(16);
    const fh = await open(path, 'r');
    try {
      for (const r of recs.slice(0, 10)) {
        expect(r.storedLength).toBeGreaterThan(0);
        const buf = Buffer.alloc(r.storedLength);
        await fh.read(buf, 0, r.storedLength, r.offset);
        const text = gunzipSync(buf).toString('latin1');
        expect(text.startsWith('WARC/1.0\r\n')).toBe(true);
        expect(text).toContain(r.headers.get('warc-record-id'));
      }
    } finally {
      await fh.close();
    }
  });

  it('reports a gzip member cut off mid-body with the file and offset, and keeps the records before it', async () => {
    const path = sharedData('warc/resiliparse/clipped.warc.gz');
    const items = await collect(path);
    const [err] = errors(items);
    expect(err?.reason).toBe('truncated-gzip');
    expect(err?.message).toContain(path);
    expect(err?.message).toMatch(/@\d+/);
  });

  it('reports a plain WARC record whose Content-Length lies and goes on with the next record', async () => {
    const items = await collect(sharedData('warc/warcio/example-trunc.warc'));
    const errs = errors(items);
    expect(errs.map((e) => e.reason)).toEqual(['content-length-mismatch']);
    expect(errs[0]?.offset).toBeGreaterThan(0);
    // warcinfo records before the bad record and the request after it are all read.
    expect(records(items).map((r) => r.type)).toEqual(['warcinfo', 'warcinfo', 'request']);
  });

  it('joins a record whose block continues over several gzip members', async () => {
    const items = await collect(sharedData('warc/warcio/example-wrong-chunks.warc.gz'));
    expect(errors(items)).toEqual([]);
    const response = records(items).find((r) => r.type === 'response');
    expect(response?.block.length).toBe(Number(response?.headers.get('content-length')));
  });

  it('names an ARC file as not a WARC instead of crashing', async () => {
    const items = await collect(sharedData('warc/warcio/example.arc'));
    expect(errors(items)[0]?.reason).toBe('bad-warc-header');
    expect(errors(items)[0]?.message).toContain("expected a 'WARC/1.x' version line");
  });

  it('skips a corrupt gzip member and resumes at the next member that inflates', async () => {
    const good = sharedData('warc/resiliparse/cc-main-2020-34-excerpt.warc.gz');
    const all = records(await collect(good));
    const { readFile, writeFile, mkdtemp } = await import('node:fs/promises');
    const bytes = await readFile(good);
    const victim = all[3]!;
    const corrupt = Buffer.from(bytes);
    // Scramble the deflate data in the middle of the fourth record's member.
    for (let i = victim.offset + 40; i < victim.offset + 60; i++) corrupt[i] = corrupt[i]! ^ 0x5a;
    const dir = await mkdtemp('/tmp/jcp-warc-');
    const path = `${dir}/corrupt.warc.gz`;
    await writeFile(path, corrupt);
    const items = await collect(path);
    expect(errors(items)).toHaveLength(1);
    expect(errors(items)[0]?.offset).toBe(victim.offset);
    expect(records(items)).toHaveLength(all.length - 1);
  });
});
