import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../src/warc/byte-window.ts';
import { InputError } from '@jcp/core';
import { DEFAULT_WARC_READER_CONFIG, readWarcSource, type WarcItem, type WarcReaderConfig } from '../src/warc/reader.ts';
import { collect, errors, perRecordGzip, records, tempFile, warcRecord } from './warc-items.ts';
import { sharedData } from './shared-data.ts';

// The gzip reader keeps one zlib state and output buffer across a file's members (member-inflater.ts):
// these cases are where reusing them could go wrong, each checked for exact blocks and member offsets.

/** A source that hands out at most `chunk` bytes per read, as a network stream does. */
class ChunkedSource implements ByteSource {
  constructor(
    private readonly bytes: Buffer,
    private readonly chunk: number,
  ) {}
  async read(buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    const n = Math.max(0, Math.min(length, this.chunk, this.bytes.length - position));
    this.bytes.copy(buf, offset, position, position + n);
    return n;
  }
  async close(): Promise<void> {}
}

async function collectSource(source: ByteSource, config: WarcReaderConfig = DEFAULT_WARC_READER_CONFIG): Promise<WarcItem[]> {
  const out: WarcItem[] = [];
  for await (const item of readWarcSource(source, 'test.warc.gz', config)) out.push(item);
  return out;
}

/** A record whose block is `body` (any bytes), as the WARC writer lays it out. */
function binaryRecord(id: string, body: Buffer): Buffer {
  const header = Buffer.from(`WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:test:${id}>\r\nContent-Length: ${body.length}\r\n\r\n`);
  return Buffer.concat([header, body, Buffer.from('\r\n\r\n')]);
}

/** Small text records and large incompressible ones (members far past the reader's first 64 KiB look). */
function mixedBodies(): Buffer[] {
  return Array.from({ length: 12 }, (_, n) => (n % 3 === 1 ? randomBytes(90_000 + n * 10_000) : Buffer.from(`page ${n} `.repeat(50 + n * 40))));
}

function expectRecords(items: WarcItem[], bodies: Buffer[], offsets: number[], memberLengths: number[]): void {
  expect(errors(items)).toEqual([]);
  const recs = records(items);
  expect(recs.map((r) => r.headers.get('warc-record-id'))).toEqual(bodies.map((_, n) => `<urn:test:r${n}>`));
  recs.forEach((r, n) => {
    expect(Buffer.from(r.block).equals(bodies[n]!)).toBe(true);
    expect(r.offset).toBe(offsets[n]);
    expect(r.storedLength).toBe(memberLengths[n]);
  });
}

describe('readWarc over per-record gzip members', () => {
  const bodies = mixedBodies();
  const members = bodies.map((b, n) => gzipSync(binaryRecord(`r${n}`, b)));
  const bytes = Buffer.concat(members);
  const offsets = members.map((_, n) => members.slice(0, n).reduce((sum, m) => sum + m.length, 0));
  const lengths = members.map((m) => m.length);

  it('reads every block intact at its exact member offset, member boundaries falling inside reads of a stream', async () => {
    for (const chunk of [1_000, 4_099, 65_536]) {
      expectRecords(await collectSource(new ChunkedSource(bytes, chunk)), bodies, offsets, lengths);
    }
  });

  it('reads members larger than the read window (the window grows, the inflater asks for more input)', async () => {
    const small: WarcReaderConfig = { ...DEFAULT_WARC_READER_CONFIG, windowBytes: 8 * 1024 };
    expectRecords(await collectSource(new ChunkedSource(bytes, 3_000), small), bodies, offsets, lengths);
  });

  it('keeps records whose block is larger than the inflater output buffer, and earlier blocks unchanged', async () => {
    const big = [Buffer.from('tiny'), Buffer.from('大きなページ '.repeat(200_000)), randomBytes(1_500_000), Buffer.from('after')];
    const bigMembers = big.map((b, n) => gzipSync(binaryRecord(`r${n}`, b)));
    const items = await collectSource(new ChunkedSource(Buffer.concat(bigMembers), 65_536));
    expectRecords(
      items,
      big,
      bigMembers.map((_, n) => bigMembers.slice(0, n).reduce((sum, m) => sum + m.length, 0)),
      bigMembers.map((m) => m.length),
    );
  });

  it('names a record past the size limit and reads the next member', async () => {
    const limited: WarcReaderConfig = { ...DEFAULT_WARC_READER_CONFIG, maxRecordBytes: 200_000 };
    const list = [Buffer.from('first'), randomBytes(300_000), Buffer.from('third')];
    const { bytes: file, offsets: at } = perRecordGzip(list.map((b, n) => binaryRecord(`r${n}`, b)));
    const items = await collectSource(new ChunkedSource(file, 65_536), limited);
    expect(errors(items).map((e) => [e.reason, e.offset])).toEqual([['record-too-large', at[1]]]);
    expect(records(items).map((r) => [r.headers.get('warc-record-id'), r.offset])).toEqual([
      ['<urn:test:r0>', at[0]],
      ['<urn:test:r2>', at[2]],
    ]);
  });

  it('skips empty gzip members between records without an error or a shifted offset', async () => {
    const empty = gzipSync(Buffer.alloc(0));
    const recs = [0, 1, 2].map((n) => gzipSync(warcRecord(`r${n}`, `block ${n}`)));
    const file = Buffer.concat([empty, recs[0]!, empty, empty, recs[1]!, recs[2]!, empty]);
    const path = await tempFile('empties.warc.gz', file);
    const items = await collect(path);
    expect(errors(items)).toEqual([]);
    const e = empty.length;
    const r = recs.map((m) => m.length);
    expect(records(items).map((rec) => [rec.headers.get('warc-record-id'), rec.offset, rec.storedLength])).toEqual([
      ['<urn:test:r0>', e, r[0]],
      ['<urn:test:r1>', 3 * e + r[0]!, r[1]],
      ['<urn:test:r2>', 3 * e + r[0]! + r[1]!, r[2]],
    ]);
  });

  it.each([
    ['zlib rejects its deflate data', (member: Buffer) => (member[10] = 0x07), /invalid block type/],
    ['its trailer CRC does not match', (member: Buffer) => (member[member.length - 6] = member[member.length - 6]! ^ 0xff), /CRC or size/],
  ])('reports a corrupt member (%s) by file and offset, then reads the next members intact', async (_what, spoil, detail) => {
    const spoilt = members.map((m) => Buffer.from(m));
    const victim = 4;
    spoil(spoilt[victim]!);
    const path = await tempFile('spoilt.warc.gz', Buffer.concat(spoilt));
    const items = await collect(path);
    const errs = errors(items);
    expect(errs.map((e) => [e.reason, e.offset])).toEqual([['corrupt-gzip', offsets[victim]]]);
    expect(errs[0]?.message).toContain(path);
    expect(errs[0]?.message).toMatch(detail);
    const kept = records(items);
    expect(kept.map((r) => r.offset)).toEqual(offsets.filter((_, n) => n !== victim));
    kept.forEach((r) => {
      const n = offsets.indexOf(r.offset);
      expect(Buffer.from(r.block).equals(bodies[n]!)).toBe(true);
    });
  });
});

describe("readWarc with blocks valid until the next item (the process stage's mode)", () => {
  it('yields each block intact while it is current, from one reused buffer, through splits, corrupt and empty members', async () => {
    const bodies = mixedBodies();
    const recs = bodies.map((b, n) => binaryRecord(`r${n}`, b));
    // Record 5's block continues over two members (some writers split records so).
    const split = recs[5]!;
    const cut = split.length >> 1;
    const members = recs.map((r) => gzipSync(r));
    members.splice(5, 1, gzipSync(split.subarray(0, cut)), gzipSync(split.subarray(cut)));
    // Member 2 (record 2) corrupt in its deflate data; an empty member after record 8 (index 10 now).
    members[2]![10] = 0x07;
    members.splice(10, 0, gzipSync(Buffer.alloc(0)));
    const offsets = members.map((_, n) => members.slice(0, n).reduce((sum, m) => sum + m.length, 0));

    const seen: Array<[string, number]> = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const item of readWarcSource(new ChunkedSource(Buffer.concat(members), 4_099), 'test.warc.gz', DEFAULT_WARC_READER_CONFIG, 'until-next-item')) {
      if (item instanceof InputError) {
        seen.push([item.reason, item.offset]);
        continue;
      }
      const n = Number(/r(\d+)/.exec(item.headers.get('warc-record-id') ?? '')?.[1]);
      expect(Buffer.from(item.block).equals(bodies[n]!)).toBe(true); // checked while it is the current item
      seen.push([`r${n}`, item.offset]);
      if (n !== 5) buffers.add(item.block.buffer);
    }
    expect(seen).toEqual([
      ['r0', offsets[0]],
      ['r1', offsets[1]],
      ['corrupt-gzip', offsets[2]],
      ['r3', offsets[3]],
      ['r4', offsets[4]],
      ['r5', offsets[5]],
      ...[6, 7, 8].map((n): [string, number] => [`r${n}`, offsets[n + 1]!]),
      ...[9, 10, 11].map((n): [string, number] => [`r${n}`, offsets[n + 2]!]),
    ]);
    // The members were inflated into the inflater's buffer (it grows for the large ones), not fresh ones each.
    expect(buffers.size).toBeLessThan(4);
  });
});

describe('libdeflate and zlib read the same items', () => {
  const fixtures = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
  const gzipped = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.warc.gz')).map((n) => join(dir, n));
  const files = [
    ...gzipped(join(fixtures, 'warc')),
    ...gzipped(join(fixtures, 'bad')),
    ...['jwarc', 'resiliparse', 'warcio'].flatMap((d) => gzipped(sharedData(`warc/${d}`))),
  ];

  /** Every item as the process stage sees it: kind, offset, stored length, a digest of the block or the error message. */
  async function itemsUnder(engine: 'zlib' | 'default', path: string): Promise<string[]> {
    if (engine === 'zlib') process.env.JCP_INFLATE = 'zlib';
    try {
      const out: string[] = [];
      for await (const item of readWarcSource(new ChunkedSource(await readFile(path), 65_536), path, DEFAULT_WARC_READER_CONFIG, 'until-next-item')) {
        if (item instanceof InputError) out.push(`error ${item.reason} @${item.offset}: ${item.message}`);
        else out.push(`${item.type} @${item.offset}+${item.storedLength} ${createHash('sha1').update(item.block).digest('hex')}`);
      }
      return out;
    } finally {
      delete process.env.JCP_INFLATE;
    }
  }

  it('on every gzipped WARC of the fixtures (the bad ones too) and of the shared data', async () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    let errorsSeen = 0;
    for (const path of files) {
      const viaZlib = await itemsUnder('zlib', path);
      expect(await itemsUnder('default', path), path).toEqual(viaZlib);
      errorsSeen += viaZlib.filter((line) => line.startsWith('error')).length;
    }
    // The bad fixtures are in the set: their errors come out the same through both engines.
    expect(errorsSeen).toBeGreaterThan(0);
  });
});
