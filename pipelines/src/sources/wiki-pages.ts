import { createReadStream, existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '@jcp/core';
import { bunzip2, exportPages, multistreamRanges, parseSiteInfo, type SiteInfo, type StreamRange, type WikiPage } from '@jcp/crawler';

/**
 * A MediaWiki XML export (`jawiki-*-pages-articles*.xml[.bz2]`) as the inputs of `wiki-ja`. A run's
 * input is a *part*: a whole dump, or, for a multistream dump with its index, a byte range of whole bzip2
 * streams, written `<dump>#streams=<start>-<end>&head=<bytes>` (`head`: the length of the first stream,
 * which holds `<siteinfo>` and the article URL base every part needs). Parts are strings so that a run's
 * tasks, markers, fingerprints and `byWarc` lines treat them as they treat WARC paths.
 */

export interface WikiPart {
  dump: string;
  /** The streams this part reads; null: the whole dump. */
  range: StreamRange | null;
  /** Bytes of the dump's first stream (the `<siteinfo>`), read by every ranged part; 0 for a whole dump. */
  headBytes: number;
}

/** The dumps a `wiki-ja` input may be: the XML export, plain or bzip2-compressed. */
export const WIKI_DUMP_FILE = /\.xml(?:\.bz2)?$/i;

/** The index the Wikimedia dumps publish beside a multistream dump (`…-multistream-index.txt.bz2`). */
export function siblingMultistreamIndex(dump: string): string | null {
  const m = /^(.*-multistream)\.xml\.bz2$/i.exec(dump);
  if (!m) return null;
  const index = `${m[1]}-index.txt.bz2`;
  return existsSync(index) ? index : null;
}

export function wikiPartSpec(part: WikiPart): string {
  return part.range === null ? part.dump : `${part.dump}#streams=${part.range.start}-${part.range.end}&head=${part.headBytes}`;
}

const RANGED = /^(.*)#streams=(\d+)-(\d+)&head=(\d+)$/;

export function parseWikiPart(spec: string): WikiPart {
  const m = RANGED.exec(spec);
  if (!m) return { dump: spec, range: null, headBytes: 0 };
  return { dump: m[1]!, range: { start: Number(m[2]), end: Number(m[3]), pages: 0 }, headBytes: Number(m[4]) };
}

/** The file a part reads, for fingerprints (a rerun notices a changed dump) and error messages. */
export function wikiPartFile(spec: string): string {
  return parseWikiPart(spec).dump;
}

/** Bytes a part reads (its range, or the whole dump): what job sizing and progress count. */
export async function wikiPartBytes(spec: string): Promise<number> {
  const part = parseWikiPart(spec);
  if (part.range) return part.range.end - part.range.start;
  return (await stat(part.dump).catch(() => null))?.size ?? 0;
}

/**
 * Compressed bytes of a multistream dump a part reads by default: 64 MB, about 16 CPU-seconds of bzip2
 * and conversion at `pnpm bench wiki`'s 4 MB/s per core, ~70 parts for the 4.3 GB jawiki dump of 2024 —
 * enough for every worker and Slurm node, and Slurm's `--tasks-per-job auto` groups parts into jobs by bytes.
 */
export const DEFAULT_WIKI_PART_BYTES = 64e6;

export interface WikiInputOptions {
  /** The multistream index of the (single) dump given (`--multistream-index`); else each dump's sibling index, if any. */
  multistreamIndex?: string;
  /** Compressed bytes a ranged part reads at most (whole streams; a stream larger than this is a part of its own). */
  partBytes: number;
}

/**
 * The parts of the given dumps (files, or folders of them, in name order): a multistream dump with an
 * index (given, or its sibling) is cut into ranges of about `partBytes`; any other dump is one part.
 */
export async function resolveWikiInputs(items: string[], options: WikiInputOptions): Promise<string[]> {
  const dumps: string[] = [];
  for (const item of items) {
    const info = await stat(item).catch(() => null);
    if (!info) throw new Error(`input '${item}' does not exist`);
    if (!info.isDirectory()) dumps.push(resolve(item));
    else for (const f of (await readdir(item)).filter((f) => WIKI_DUMP_FILE.test(f)).sort()) dumps.push(resolve(item, f));
  }
  if (options.multistreamIndex !== undefined && dumps.length !== 1) {
    throw new Error(`--multistream-index belongs to one dump; ${dumps.length} were given (give each dump's index beside it as *-multistream-index.txt.bz2)`);
  }
  const parts: string[] = [];
  for (const dump of [...new Set(dumps)]) {
    const index = options.multistreamIndex !== undefined ? resolve(options.multistreamIndex) : siblingMultistreamIndex(dump);
    if (index === null) {
      parts.push(dump);
      continue;
    }
    const { head, ranges } = await multistreamRanges(dump, index, options.partBytes);
    for (const range of ranges) parts.push(wikiPartSpec({ dump, range, headBytes: head.end }));
  }
  return parts;
}

/** An article (namespace 0, not a redirect), with the site it belongs to (its URL base). */
export interface ArticlePage {
  page: WikiPage;
  site: SiteInfo;
}

/** A page of the part that is not an article: what the `read` ledger stage counts it under. */
export interface SkippedPage extends ArticlePage {
  skipped: 'not-article' | 'redirect';
}

/**
 * The pages of a part in dump order: articles, the pages skipped (other namespaces, redirects), and a
 * malformed page as an `InputError` naming the dump, the range and the page's position, after which the
 * reading goes on. A dump without `<siteinfo>` is refused: its articles would have no URL.
 */
export async function* readWikiPart(spec: string): AsyncGenerator<ArticlePage | SkippedPage | InputError> {
  const part = parseWikiPart(spec);
  const range = part.range ? `bytes ${part.range.start}-${part.range.end - 1}` : null;
  const where = range ? `${part.dump} ${range}` : part.dump;
  let site: SiteInfo | null = part.range ? await siteInfoOf(part) : null;
  const chunks = part.range ? bunzip2(part.dump, part.range) : /\.bz2$/i.test(part.dump) ? bunzip2(part.dump) : (createReadStream(part.dump) as AsyncIterable<Buffer>);
  const onHead = part.range ? undefined : (head: string): void => void (site = parseSiteInfo(head));
  for await (const item of exportPages(chunks, onHead)) {
    if (site === null) throw new Error(`${where}: no <siteinfo> before the first page: not a MediaWiki export?`);
    if ('malformed' in item) {
      yield new InputError('malformed-page', part.dump, part.range?.start ?? 0, `page ${item.malformed.ordinal + 1}${range ? ` of ${range}` : ''}: ${item.malformed.problem}`);
      continue;
    }
    const { page } = item;
    if (page.namespace !== 0) yield { skipped: 'not-article', page, site };
    else if (page.redirect !== null) yield { skipped: 'redirect', page, site };
    else yield { page, site };
  }
}

/** The `<siteinfo>` of a ranged part's dump, from the dump's first stream. */
async function siteInfoOf(part: WikiPart): Promise<SiteInfo> {
  const chunks: Buffer[] = [];
  for await (const chunk of bunzip2(part.dump, { start: 0, end: part.headBytes })) chunks.push(chunk);
  const head = Buffer.concat(chunks).toString('utf8');
  const site = parseSiteInfo(head);
  if (site === null) throw new Error(`${part.dump} bytes 0-${part.headBytes - 1}: the first stream holds no <siteinfo>: is the index for this dump?`);
  // The parts start after the first stream: pages in it would be read by no part.
  if (head.includes('<page>')) throw new Error(`${part.dump} bytes 0-${part.headBytes - 1}: the first stream holds pages, which no part of the index reads: not the Wikimedia multistream layout; run without the index (one task)`);
  return site;
}
