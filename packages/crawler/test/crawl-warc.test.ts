import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import { InputError } from '@jcp/core';
import { parseHttpResponse } from '../src/warc/http.ts';
import { readWarc } from '../src/warc/reader.ts';
import type { WarcRecord } from '../src/warc/record.ts';
import { sha1Base32 } from '../src/warc/writer.ts';
import { CrawlTestServer, crawlList, page, redirect, removeTempDirs, status, type TestCrawl } from './crawl-server.ts';

interface WarcioRecord {
  file: string;
  offset: number;
  length: number;
  version: string;
  type: string;
  headers: Map<string, string>;
  block: Uint8Array;
  payload: Uint8Array | null;
}

/** Every record of a file as warcio sees it: raw block (parseHttp off) and HTTP payload (parseHttp on). */
async function warcioRead(path: string): Promise<WarcioRecord[]> {
  const out: WarcioRecord[] = [];
  const parser = new WARCParser(createReadStream(path), { parseHttp: false });
  for await (const record of parser) {
    const block = await record.readFully(false);
    const headers = new Map<string, string>();
    for (const [k, v] of record.warcHeaders.headers) headers.set(k.toLowerCase(), v);
    out.push({ file: path, offset: parser.offset, length: parser.recordLength, version: record.warcHeaders.protocol ?? '', type: record.warcType, headers, block, payload: null });
  }
  let i = 0;
  for await (const record of WARCParser.iterRecords(createReadStream(path), { parseHttp: true })) {
    const r = out[i++];
    if (r && (record.warcType === 'response' || record.warcType === 'request')) r.payload = await record.readFully(false);
  }
  return out;
}

const PAGES = Array.from({ length: 12 }, (_, i) => `/page-${i}`);
let server: CrawlTestServer;
let crawl: TestCrawl;
let warcFiles: string[];
let records: WarcioRecord[];

beforeAll(async () => {
  server = await CrawlTestServer.start((host, path) => {
    if (path === '/robots.txt') return status(404);
    if (path === '/moved') return redirect('/page-0-target', 301);
    if (path === '/gzipped') {
      return (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'gzip' });
        res.end(gzipSync(Buffer.from('<html><body>圧縮されたページ</body></html>')));
      };
    }
    return page(`${host} ${path} ${'本文'.repeat(200)}`);
  });
  const urls = [
    ...PAGES.map((p, i) => `${server.url(i % 2 ? 'a.test' : 'b.test', p)}\tseed-${i}`),
    server.url('a.test', '/moved'),
    server.url('b.test', '/gzipped'),
  ];
  // ~2 pages per file: rotation is exercised several times.
  crawl = await crawlList(urls, { maxWarcBytes: 4_000, concurrency: 4 });
  warcFiles = crawl.summary.warcFiles.map((f) => join(crawl.outDir, f));
  records = [];
  for (const f of warcFiles) records.push(...(await warcioRead(f)));
});

afterAll(async () => {
  await server.close();
  await removeTempDirs();
});

describe('crawl: WARC output', () => {
  it('archives every listed page once and leaves no temp file behind', async () => {
    expect(crawl.summary.outcomes).toEqual({ ok: 14 });
    expect(crawl.summary.warcFiles.length).toBeGreaterThan(3);
    expect((await readdir(crawl.outDir)).filter((f) => f.endsWith('.open'))).toEqual([]);
    const responses = records.filter((r) => r.type === 'response').map((r) => r.headers.get('warc-target-uri'));
    expect(responses.sort()).toEqual([...crawl.outcomes.values()].map((e) => e.finalUrl).sort());
  });

  it('rotates files by size: each starts with warcinfo and stays under the limit unless one exchange is larger', async () => {
    for (const f of warcFiles) {
      const inFile = records.filter((r) => r.file === f);
      expect(inFile[0]?.type).toBe('warcinfo');
      expect(inFile.slice(1).map((r) => r.type)).toEqual(inFile.slice(1).map((_, i) => (i % 2 ? 'response' : 'request')));
      if (inFile.length > 3) expect((await stat(f)).size).toBeLessThanOrEqual(4_000);
    }
  });

  it('writes WARC/1.1 headers: urn:uuid ids, dates, target URI, IP address, and request/response linked both ways', () => {
    const byId = new Map(records.map((r) => [r.headers.get('warc-record-id'), r]));
    for (const r of records) {
      expect(r.version).toBe('WARC/1.1');
      expect(r.headers.get('warc-record-id')).toMatch(/^<urn:uuid:[0-9a-f-]{36}>$/);
      expect(Number.isNaN(Date.parse(r.headers.get('warc-date') ?? ''))).toBe(false);
      if (r.type === 'warcinfo') continue;
      expect(r.headers.get('warc-ip-address')).toBe('127.0.0.1');
      const other = byId.get(r.headers.get('warc-concurrent-to'));
      expect(other?.type).toBe(r.type === 'request' ? 'response' : 'request');
      expect(other?.headers.get('warc-concurrent-to')).toBe(r.headers.get('warc-record-id'));
      expect(other?.headers.get('warc-target-uri')).toBe(r.headers.get('warc-target-uri'));
      expect(byId.get(r.headers.get('warc-warcinfo-id'))?.type).toBe('warcinfo');
    }
  });

  it('has block and payload digests that match a recomputation over what warcio reads', () => {
    const http = records.filter((r) => r.type === 'response' || r.type === 'request');
    expect(http).toHaveLength(28);
    for (const r of http) {
      expect(sha1Base32(r.block)).toBe(r.headers.get('warc-block-digest'));
      expect(r.payload).not.toBeNull();
      expect(sha1Base32(r.payload ?? new Uint8Array())).toBe(r.headers.get('warc-payload-digest'));
    }
    const responsesWithBody = http.filter((r) => r.type === 'response');
    expect(responsesWithBody.every((r) => (r.payload?.length ?? 0) > 0)).toBe(true);
  });

  it('is read by our readWarc exactly as by warcio', async () => {
    const ours: WarcRecord[] = [];
    for (const f of warcFiles) {
      for await (const item of readWarc(f)) {
        if (item instanceof InputError) throw item;
        ours.push(item);
      }
    }
    expect(ours.map((r) => [r.type, r.headers.get('warc-record-id'), r.block.length, r.offset])).toEqual(
      records.map((r) => [r.type, r.headers.get('warc-record-id'), r.block.length, r.offset]),
    );
  });

  it('journals each archived URL with the file and offset of its response and request records', () => {
    for (const entry of crawl.outcomes.values()) {
      const w = entry.warc;
      if (!w) throw new Error(`no pointer for ${entry.url}`);
      const response = records.find((r) => r.file === join(crawl.outDir, w.file) && r.offset === w.offset);
      const request = records.find((r) => r.file === join(crawl.outDir, w.file) && r.offset === w.requestOffset);
      expect(response?.type).toBe('response');
      expect(response?.length).toBe(w.length);
      expect(response?.headers.get('warc-target-uri')).toBe(entry.finalUrl);
      expect(response?.headers.get('warc-jcp-seed-uri')).toBe(entry.url);
      expect(request?.headers.get('warc-record-id')).toBe(response?.headers.get('warc-concurrent-to'));
    }
  });

  it('keeps the tab-separated list fields and the listed URL of a redirected page', () => {
    const first = records.find((r) => r.type === 'response' && r.headers.get('warc-target-uri') === server.url('b.test', '/page-0'));
    expect(first?.headers.get('warc-jcp-seed-fields')).toBe('["seed-0"]');
    const moved = crawl.outcomes.get(server.url('a.test', '/moved'));
    expect(moved?.finalUrl).toBe(server.url('a.test', '/page-0-target'));
    expect(moved?.redirects).toEqual([server.url('a.test', '/moved')]);
  });

  it('stores the payload as received: chunking undone (header renamed), content coding kept', () => {
    const gz = records.find((r) => r.type === 'response' && r.headers.get('warc-target-uri') === server.url('b.test', '/gzipped'));
    const parsed = parseHttpResponse(gz?.block ?? new Uint8Array(), 1 << 20);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(parsed.body).toString('utf8')).toBe('<html><body>圧縮されたページ</body></html>');
    const chunked = records.find((r) => r.type === 'response' && r.headers.get('warc-target-uri') === server.url('a.test', '/page-1'));
    const head = Buffer.from(chunked?.block ?? new Uint8Array()).toString('latin1').split('\r\n\r\n')[0] ?? '';
    expect(head).toMatch(/\r\nX-Crawler-Transfer-Encoding: chunked(\r\n|$)/);
    expect(head).not.toMatch(/\r\nTransfer-Encoding:/i);
  });
});
