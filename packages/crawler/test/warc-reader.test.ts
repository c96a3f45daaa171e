import { createReadStream } from 'node:fs';
import { mkdtemp, open, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import { InputError } from '@jcp/core';
import type { WarcItem } from '../src/warc/reader.ts';
import { sharedData } from './shared-data.ts';
import { collect, errors, perRecordGzip, records, tempFile, warcRecord } from './warc-items.ts';


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

  it('names a file that is neither WARC nor ARC as a bad WARC header instead of crashing', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'jcp-notwarc-')), 'notes.warc');
    await writeFile(path, 'just some text\n\nnot a record\n');
    const items = await collect(path);
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

const ids = (items: WarcItem[]): string[] => records(items).map((r) => r.headers.get('warc-record-id') ?? '');
const block = (n: number): string => `record ${n}: ${'本文 '.repeat(20 + n)}`;

describe('readWarc on an empty file', () => {
  it.each(['x.warc.gz', 'x.warc'])('yields one empty-warc InputError at offset 0 for a 0-byte %s', async (name) => {
    const path = await tempFile(name, new Uint8Array(0));
    const items = await collect(path);
    expect(items).toHaveLength(1);
    const [err] = errors(items);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ reason: 'empty-warc', file: path, offset: 0 });
    expect(err?.message).toContain(path);
    expect(err?.message).toMatch(/empty/);
  });

  it('yields one empty-warc InputError for a .warc.gz whose only gzip member inflates to nothing', async () => {
    const path = await tempFile('x.warc.gz', gzipSync(Buffer.alloc(0)));
    const items = await collect(path);
    expect(items).toHaveLength(1);
    expect(errors(items)[0]).toMatchObject({ reason: 'empty-warc', file: path, offset: 0 });
  });
});

describe('readWarc on a gzip member whose record Content-Length disagrees with the member', () => {
  const GOOD = 30;
  const VICTIM = 12; // 0-based index of the record whose Content-Length is too small

  it('reports a Content-Length shorter than its member as one content-length-mismatch and does not read the leftover bytes as a record', async () => {
    // The leftover of the member looks like a record of its own: it must not be counted (30 records, not 31).
    const smuggled = warcRecord('smuggled', 'not a record of this file').toString('latin1');
    const shortBlock = block(VICTIM);
    const recs = Array.from({ length: GOOD }, (_, n) =>
      n === VICTIM ? warcRecord(`r${n}`, `${shortBlock}\r\n\r\n${smuggled}tail of the real block`, Buffer.byteLength(shortBlock)) : warcRecord(`r${n}`, block(n)),
    );
    const { bytes, offsets } = perRecordGzip(recs);
    const path = await tempFile('lying.warc.gz', bytes);
    const items = await collect(path);

    expect(items).toHaveLength(GOOD);
    expect(ids(items)).toEqual(Array.from({ length: GOOD }, (_, n) => `<urn:test:r${n}>`).filter((_, n) => n !== VICTIM));
    const errs = errors(items);
    expect(errs).toHaveLength(1);
    const held = recs[VICTIM]!.length - recs[VICTIM]!.indexOf('\r\n\r\n') - 4;
    expect(errs[0]).toMatchObject({ reason: 'content-length-mismatch', file: path, offset: offsets[VICTIM] });
    expect(errs[0]?.message).toContain(`Content-Length ${Buffer.byteLength(shortBlock)}`);
    expect(errs[0]?.message).toContain(`${held} bytes`);
    // The error stands where the record stood, and every later member is read normally, at its own offset.
    expect(items[VICTIM]).toBe(errs[0]);
    expect(records(items).map((r) => r.offset)).toEqual(offsets.filter((_, n) => n !== VICTIM));
  });

  it('reports a Content-Length shorter than its member by plain block bytes as one error, without the truncated record', async () => {
    const recs = Array.from({ length: GOOD }, (_, n) => warcRecord(`r${n}`, block(n), n === VICTIM ? Buffer.byteLength(block(n)) - 50 : undefined));
    const { bytes, offsets } = perRecordGzip(recs);
    const path = await tempFile('short.warc.gz', bytes);
    const items = await collect(path);

    expect(items).toHaveLength(GOOD);
    expect(errors(items).map((e) => [e.reason, e.offset])).toEqual([['content-length-mismatch', offsets[VICTIM]]]);
    expect(ids(items)).not.toContain(`<urn:test:r${VICTIM}>`);
    expect(records(items)).toHaveLength(GOOD - 1);
    expect(records(items).every((r) => r.block.length === Number(r.headers.get('content-length')))).toBe(true);
  });

  it.each([
    ['in the middle of the file', VICTIM],
    ['in the last member', GOOD - 1],
  ])('reports a Content-Length longer than its member (%s) as one content-length-mismatch and reads the next member', async (_where, victim) => {
    const recs = Array.from({ length: GOOD }, (_, n) => warcRecord(`r${n}`, block(n), n === victim ? Buffer.byteLength(block(n)) + 500 : undefined));
    const { bytes, offsets } = perRecordGzip(recs);
    const path = await tempFile('long.warc.gz', bytes);
    const items = await collect(path);

    expect(items).toHaveLength(GOOD);
    const errs = errors(items);
    expect(errs.map((e) => [e.reason, e.offset])).toEqual([['content-length-mismatch', offsets[victim]]]);
    expect(errs[0]?.message).toContain(`Content-Length ${Buffer.byteLength(block(victim)) + 500}`);
    expect(ids(items)).toEqual(Array.from({ length: GOOD }, (_, n) => `<urn:test:r${n}>`).filter((_, n) => n !== victim));
  });

  it('still reads every record of a whole-file gzip (one member holding many records)', async () => {
    const recs = Array.from({ length: 5 }, (_, n) => warcRecord(`r${n}`, block(n)));
    const path = await tempFile('whole.warc.gz', gzipSync(Buffer.concat(recs)));
    const items = await collect(path);
    expect(errors(items)).toEqual([]);
    expect(ids(items)).toEqual(recs.map((_, n) => `<urn:test:r${n}>`));
    expect(records(items).every((r) => r.offset === 0)).toBe(true);
  });
});
