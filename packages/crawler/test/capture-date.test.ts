import { describe, expect, it } from 'vitest';
import { captureDate, httpDateHeader, parseHttpDate, parseWarcDate } from '../src/warc/capture-date.ts';
import type { WarcRecord } from '../src/warc/record.ts';
import { crawlFromWarcinfo } from '../src/warc/warcinfo.ts';

function record(type: string, headers: Record<string, string>, block: string): WarcRecord {
  return { file: 'f.warc', offset: 0, storedLength: 0, version: 'WARC/1.0', type, headers: new Map(Object.entries(headers)), block: Buffer.from(block) };
}

const response = (warcDate: string | null, httpHead: string): WarcRecord =>
  record('response', warcDate === null ? {} : { 'warc-date': warcDate }, `HTTP/1.1 200 OK\r\n${httpHead}\r\n\r\n<html>Date: not a header</html>`);

describe('parseWarcDate', () => {
  it.each([
    ['2024-03-01T12:34:56Z', '2024-03-01T12:34:56.000Z', 'WARC/1.0 form'],
    ['2024-03-01T12:34:56.123456Z', '2024-03-01T12:34:56.123Z', 'WARC/1.1 fractions'],
    ['2024-03-01T21:34:56+09:00', '2024-03-01T12:34:56.000Z', 'zone with colon'],
    ['2008-10-29T05:21:46-0700', '2008-10-29T12:21:46.000Z', 'zone without colon (ClueWeb09 style)'],
    ['2024-03-01 12:34:56', '2024-03-01T12:34:56.000Z', 'space, no zone: UTC'],
    ['2024-03-01', '2024-03-01T00:00:00.000Z', 'date only'],
    ['20240301123456', '2024-03-01T12:34:56.000Z', 'WARC/0.x and ARC compact form'],
  ])('reads %s as %s (%s)', (raw, iso) => {
    expect(parseWarcDate(raw)).toBe(iso);
  });

  it.each([
    ['2008-10-294T05:21:46-0700', "ClueWeb09's day-of-year in the day field"],
    ['2024-13-01T00:00:00Z', 'month 13'],
    ['2023-02-29T00:00:00Z', 'no 29 February in 2023'],
    ['2024-03-01T25:00:00Z', 'hour 25'],
    ['', 'empty'],
    ['yesterday', 'not a date'],
  ])('refuses %s (%s) instead of rolling it into another date', (raw) => {
    expect(parseWarcDate(raw)).toBeNull();
  });
});

describe('parseHttpDate', () => {
  it.each([
    ['Wed, 28 Jan 2009 17:05:56 GMT', '2009-01-28T17:05:56.000Z'],
    ['Wednesday, 28-Jan-09 17:05:56 GMT', '2009-01-28T17:05:56.000Z'],
    ['Wed Jan 28 17:05:56 2009', '2009-01-28T17:05:56.000Z'],
  ])('reads the RFC 9110 forms: %s', (raw, iso) => {
    expect(parseHttpDate(raw)).toBe(iso);
  });

  it('refuses a value that is no HTTP-date', () => {
    expect(parseHttpDate('Wed, 31 Feb 2009 17:05:56 GMT')).toBeNull();
    expect(parseHttpDate('0')).toBeNull();
  });

  it('finds the Date header in the HTTP head only, never in the body', () => {
    expect(httpDateHeader(Buffer.from('HTTP/1.1 200 OK\r\nServer: x\r\ndate:  Wed, 28 Jan 2009 17:05:56 GMT \r\n\r\nbody'))).toBe('Wed, 28 Jan 2009 17:05:56 GMT');
    expect(httpDateHeader(Buffer.from('HTTP/1.1 200 OK\r\nServer: x\r\n\r\nDate: Wed, 28 Jan 2009 17:05:56 GMT\r\n'))).toBeNull();
  });
});

describe('captureDate', () => {
  const file = '2009-01-01T00:00:00.000Z';

  it('takes a WARC-Date that parses', () => {
    expect(captureDate(response('2009-01-27T11:17:46Z', 'Date: Wed, 28 Jan 2009 17:05:56 GMT'), file)).toEqual({ iso: '2009-01-27T11:17:46.000Z', source: 'warc-date' });
  });

  it('falls back to the HTTP Date header when WARC-Date does not parse', () => {
    expect(captureDate(response('2008-10-294T05:21:46-0700', 'Date: Wed, 28 Jan 2009 17:05:56 GMT'), file)).toEqual({ iso: '2009-01-28T17:05:56.000Z', source: 'http-date' });
  });

  it("falls back to the file's warcinfo date when neither the record nor its HTTP head has one", () => {
    expect(captureDate(response(null, 'Server: x'), file)).toEqual({ iso: file, source: 'warcinfo' });
  });

  it('says none when nothing gives a date', () => {
    expect(captureDate(response('garbage', 'Date: garbage'), null)).toEqual({ iso: null, source: 'none' });
  });
});

describe('crawlFromWarcinfo', () => {
  it('reads isPartOf as the crawl id', () => {
    expect(crawlFromWarcinfo(record('warcinfo', {}, 'software: Nutch\r\nisPartOf: CC-MAIN-2020-34\r\npublisher: Common Crawl\r\n'))).toBe('CC-MAIN-2020-34');
  });

  it('percent-decodes a collection name as Webrecorder writes it', () => {
    expect(crawlFromWarcinfo(record('warcinfo', {}, 'isPartOf: Temporary%20Collection/Recording%20Session\r\n'))).toBe('Temporary Collection/Recording Session');
  });

  it('keeps a name with a stray % as written, and says null when there is no isPartOf', () => {
    expect(crawlFromWarcinfo(record('warcinfo', {}, 'isPartOf: 100% crawl\r\n'))).toBe('100% crawl');
    expect(crawlFromWarcinfo(record('warcinfo', {}, 'operator: Perma.cc\r\n'))).toBeNull();
  });
});
