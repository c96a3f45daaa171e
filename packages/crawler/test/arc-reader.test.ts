import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readWarc, type WarcItem } from '../src/warc/reader.ts';
import { sharedData } from './shared-data.ts';
import { collect, errors, records } from './warc-items.ts';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));


/** URL → (WARC-Date, HTTP block) of every response record. */
function responses(items: WarcItem[]): Map<string, [string, string]> {
  return new Map(
    records(items)
      .filter((r) => r.type === 'response')
      .map((r) => [r.headers.get('warc-target-uri') ?? '', [r.headers.get('warc-date') ?? '', Buffer.from(r.block).toString('latin1')]]),
  );
}

async function tempFile(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'jcp-arc-')), name);
  await writeFile(path, bytes);
  return path;
}

const VERSION_BLOCK = '1 0 test\nURL IP-address Archive-date Content-type Archive-length\n';
const filedesc = (name: string): string => `filedesc://${name} 0.0.0.0 20090101000000 text/plain ${VERSION_BLOCK.length}\n${VERSION_BLOCK}\n`;
const httpBlock = (body: string): string => `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${body}`;
const arcRecord = (url: string, block: string, length = Buffer.byteLength(block)): string =>
  `${url} 192.0.2.1 20090102030405 text/html ${length}\n${block}\n`;

describe('readWarc on ARC files', () => {
  it.each(['arc/cc-fixture-ja.arc.gz', 'arc/cc-fixture-ja.arc'])(
    '%s yields the same responses (URL, date, HTTP bytes) as the WARC its pages came from',
    async (arc) => {
      const fromWarc = responses(await collect(join(FIXTURES, 'warc/cc-fixture-ja.warc.gz')));
      const items = await collect(join(FIXTURES, arc));
      expect(errors(items)).toEqual([]);
      expect(responses(items)).toEqual(fromWarc);
      expect(records(items)[0]?.type).toBe('warcinfo');
    },
  );

  it('gives each gzip member its offset and stored length, so a record can be fetched by range', async () => {
    const path = join(FIXTURES, 'arc/cc-fixture-ja.arc.gz');
    const rs = records(await collect(path));
    const size = (await readFile(path)).length;
    for (let i = 1; i < rs.length; i++) expect(rs[i]!.offset).toBe(rs[i - 1]!.offset + rs[i - 1]!.storedLength);
    expect(rs.at(-1)!.offset + rs.at(-1)!.storedLength).toBe(size);
  });

  it.each(['warc/warcio/example.arc', 'warc/warcio/example.arc.gz'])('reads warcio\'s %s: its version block and one response', async (file) => {
    const items = await collect(sharedData(file));
    expect(errors(items)).toEqual([]);
    const rs = records(items);
    expect(rs.map((r) => r.type)).toEqual(['warcinfo', 'response']);
    expect(rs[1]!.headers.get('warc-target-uri')).toBe('http://example.com/');
    expect(rs[1]!.headers.get('warc-date')).toBe('2014-02-16T05:02:21Z');
    expect(rs[1]!.block.length).toBe(1591);
    expect(rs[1]!.headers.get('warc-record-id')).toMatch(/^<urn:arc:example\.arc(\.gz)?:\d+>$/);
  });

  it("names each bad header of warcio's bad.arc by offset and still reads the good record between them", async () => {
    const path = sharedData('warc/warcio/bad.arc');
    const items = await collect(path);
    expect(errors(items).map((e) => [e.reason, e.offset])).toEqual([
      ['bad-arc-header', 0],
      ['bad-arc-header', 262],
    ]);
    expect(errors(items)[0]!.message).toContain(`${path} @0: bad-arc-header: Archive-length '-1' is not a number`);
    expect(records(items).map((r) => r.headers.get('warc-target-uri'))).toEqual(['http://example.com/']);
  });

  it('keeps a URL with spaces in one piece (fields are taken from the right)', async () => {
    const path = await tempFile('space.arc', Buffer.from(filedesc('space.arc') + arcRecord('http://example.jp/a b?c=d e', httpBlock('本文'))));
    const rs = records(await collect(path));
    expect(rs[1]!.headers.get('warc-target-uri')).toBe('http://example.jp/a%20b?c=d%20e');
  });

  it('reads the 10-field header lines a version-2 block announces', async () => {
    const v2 = '2 0 test\nURL IP-address Archive-date Content-type Result-code Checksum Location Offset Filename Archive-length\n';
    const block = httpBlock('二版');
    const line = `http://example.jp/ 192.0.2.1 20090102030405 text/html 200 abc - 123 v2.arc ${Buffer.byteLength(block)}\n`;
    const path = await tempFile('v2.arc', Buffer.from(`filedesc://v2.arc 0.0.0.0 20090101000000 text/plain ${v2.length}\n${v2}\n${line}${block}\n`));
    const items = await collect(path);
    expect(errors(items)).toEqual([]);
    expect(responses(items).get('http://example.jp/')).toEqual(['2009-01-02T03:04:05Z', Buffer.from(block).toString('latin1')]);
  });

  it('reports a record cut short by the end of the file as truncated-record at its offset, after the records before it', async () => {
    const head = filedesc('cut.arc') + arcRecord('http://example.jp/1', httpBlock('一'));
    const cut = arcRecord('http://example.jp/2', httpBlock('二'.repeat(100))).slice(0, 80);
    const path = await tempFile('cut.arc', Buffer.from(head + cut));
    const items = await collect(path);
    expect(records(items).map((r) => r.headers.get('warc-target-uri'))).toEqual(['filedesc://cut.arc', 'http://example.jp/1']);
    expect(errors(items).map((e) => [e.reason, e.offset])).toEqual([['truncated-record', Buffer.byteLength(head)]]);
    expect(errors(items)[0]!.message).toContain(path);
  });

  it('names a lying Archive-length in a plain ARC and goes on with the next record', async () => {
    const head = filedesc('lie.arc');
    const lying = arcRecord('http://example.jp/lie', httpBlock('嘘の長さ'), 20);
    const path = await tempFile('lie.arc', Buffer.from(head + lying + arcRecord('http://example.jp/next', httpBlock('次'))));
    const items = await collect(path);
    expect(errors(items).map((e) => [e.reason, e.offset])).toEqual([['content-length-mismatch', Buffer.byteLength(head)]]);
    expect(records(items).map((r) => r.headers.get('warc-target-uri'))).toEqual(['filedesc://lie.arc', 'http://example.jp/next']);
  });

  it('skips a record over the size limit by its Archive-length, without reading a header line inside it', async () => {
    const inner = `http://example.jp/inner 192.0.2.1 20090102030405 text/html 3\nabc\n`;
    const big = arcRecord('http://example.jp/big', httpBlock(inner.repeat(20)));
    const head = filedesc('big.arc');
    const path = await tempFile('big.arc', Buffer.from(head + big + arcRecord('http://example.jp/next', httpBlock('次'))));
    const items: WarcItem[] = [];
    for await (const item of readWarc(path, { maxRecordBytes: 500, windowBytes: 4096 })) items.push(item);
    expect(errors(items).map((e) => [e.reason, e.offset])).toEqual([['record-too-large', Buffer.byteLength(head)]]);
    expect(records(items).map((r) => r.headers.get('warc-target-uri'))).toEqual(['filedesc://big.arc', 'http://example.jp/next']);
  });

  it('names a lying Archive-length in a gzip member by the member offset and goes on with the next member', async () => {
    const members = [
      gzipSync(filedesc('lie.arc.gz')),
      gzipSync(arcRecord('http://example.jp/lie', httpBlock('嘘の長さ'), 20)),
      gzipSync(arcRecord('http://example.jp/next', httpBlock('次'))),
    ];
    const path = await tempFile('lie.arc.gz', Buffer.concat(members));
    const items = await collect(path);
    expect(errors(items).map((e) => [e.reason, e.offset])).toEqual([['content-length-mismatch', members[0]!.length]]);
    expect(records(items).map((r) => r.headers.get('warc-target-uri'))).toEqual(['filedesc://lie.arc.gz', 'http://example.jp/next']);
  });
});
