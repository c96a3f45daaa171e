import { createHash } from 'node:crypto';
import { rename, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import parquet from '@dsnp/parquetjs';
import { tempPathFor } from '@jcp/core';
import { CC_INDEX_COLUMNS, parseHttpResponse, readWarc, sha1Base32 } from '@jcp/crawler';
import type { LanguageDetector } from '@jcp/filters';

/** The crawl id the bench index names (well-formed, not a real crawl). */
export const BENCH_CRAWL = 'CC-MAIN-2026-49';
const SEGMENT = '1795000000000.0';
/**
 * Rows per row group. parquet-mr (Spark, which writes Common Crawl's index) cuts row groups by size
 * (128 MB), not rows: a real part file's row groups hold hundreds of thousands of rows, so a bench WARC's
 * few thousand rows are one row group, as they would be inside a real part file.
 */
const ROW_GROUP_ROWS = 1_000_000;
/** Characters of a page's text the identifier sees: bounds the cost of building the index, and is well past what cld3 needs. */
const LANGID_TEXT_CHARS = 4096;

/**
 * cld3's ISO 639-1 codes as the ISO 639-3 codes CLD2 writes in content_languages (the languages the mix's
 * real pages are in, and their neighbours); a code not here is written as cld3 gives it.
 */
const ISO_639_3: Record<string, string> = {
  ja: 'jpn', en: 'eng', de: 'deu', fr: 'fra', es: 'spa', it: 'ita', nl: 'nld', pt: 'por', ru: 'rus',
  zh: 'zho', ko: 'kor', pl: 'pol', sv: 'swe', da: 'dan', no: 'nor', fi: 'fin', cs: 'ces', tr: 'tur',
};

export interface MixIndex {
  path: string;
  rows: number;
  /** Rows by the identifier's language (ISO 639-3, `none` when it gave none). */
  byLanguage: Record<string, number>;
}

/**
 * Writes (once, cached beside the WARC) a columnar index of `warc` with Common Crawl's column names and
 * types (CC_INDEX_COLUMNS): one row per response record, sorted by SURT key as Common Crawl sorts a part.
 * `content_languages` comes from running `detector.identify` (cld3 and the script rules, no pre-check)
 * on the page's text with the markup stripped, navigation and footer included, as Common Crawl runs
 * CLD2 on every HTML page; never from the label the mix builder knows. cld3 gives one language where
 * CLD2 gives up to three, so a mixed page is never `eng,jpn` here (the fixture index covers that case).
 */
export async function mixIndex(warc: string, detector: LanguageDetector): Promise<MixIndex> {
  const key = createHash('sha256').update(`${warc}:${(await stat(warc)).size}:v1`).digest('hex').slice(0, 10);
  const path = `${warc.replace(/\.warc\.gz$/, '')}-index-${key}.parquet`;
  const rows: Array<Record<string, unknown>> = [];
  const byLanguage: Record<string, number> = {};
  for await (const item of readWarc(warc)) {
    if (item instanceof Error || item.type !== 'response') continue;
    const http = parseHttpResponse(item.block, Number.MAX_SAFE_INTEGER);
    if (typeof http === 'string') throw new Error(`${warc} @${item.offset}: ${http}`);
    const guess = detector.identify(visibleText(http.body));
    const language = guess.lang === 'und' ? null : (ISO_639_3[guess.lang] ?? guess.lang);
    byLanguage[language ?? 'none'] = (byLanguage[language ?? 'none'] ?? 0) + 1;
    const url = new URL(item.headers.get('warc-target-uri') ?? '');
    const mime = (http.headers.get('content-type') ?? '').split(';')[0]!.trim() || null;
    rows.push({
      url_surtkey: `${url.hostname.split('.').reverse().join(',')})${url.pathname}`,
      url: url.href,
      url_host_name: url.hostname,
      url_host_tld: url.hostname.split('.').at(-1) ?? null,
      url_host_registered_domain: url.hostname.split('.').slice(-2).join('.'),
      url_protocol: url.protocol.replace(':', ''),
      url_port: null,
      url_path: url.pathname,
      url_query: null,
      fetch_time: new Date(item.headers.get('warc-date') ?? 0),
      fetch_status: http.status,
      fetch_redirect: null,
      content_digest: sha1Base32(http.body),
      content_mime_type: mime,
      content_mime_detected: mime,
      content_charset: 'UTF-8',
      content_languages: language,
      content_truncated: null,
      warc_filename: `crawl-data/${BENCH_CRAWL}/segments/${SEGMENT}/warc/${basename(warc)}`,
      warc_record_offset: item.offset,
      warc_record_length: item.storedLength,
      warc_segment: SEGMENT,
      crawl: BENCH_CRAWL,
      subset: 'warc',
    });
  }
  if (!(await stat(path).catch(() => null))?.isFile()) await writeIndexPart(path, rows);
  return { path, rows: rows.length, byLanguage };
}

async function writeIndexPart(path: string, rows: Array<Record<string, unknown>>): Promise<void> {
  const fields: Record<string, { type: string; optional: boolean; compression: 'SNAPPY' }> = {};
  for (const c of CC_INDEX_COLUMNS) fields[c.name] = { type: c.type, optional: c.optional, compression: 'SNAPPY' };
  const schema = new parquet.ParquetSchema(fields as ConstructorParameters<typeof parquet.ParquetSchema>[0]);
  const temp = tempPathFor(path);
  const writer = await parquet.ParquetWriter.openFile(schema, temp);
  writer.setRowGroupSize(ROW_GROUP_ROWS);
  const sorted = [...rows].sort((a, b) => String(a.url_surtkey).localeCompare(String(b.url_surtkey)));
  for (const row of sorted) await writer.appendRow(row);
  await writer.close();
  await rename(temp, path);
}

/** The page's text as a language identifier sees it: scripts and styles gone, tags gone, whitespace folded. */
function visibleText(body: Uint8Array): string {
  return new TextDecoder('utf-8')
    .decode(body)
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, LANGID_TEXT_CHARS);
}
