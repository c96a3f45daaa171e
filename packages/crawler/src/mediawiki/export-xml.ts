/**
 * Pages out of a MediaWiki XML export (schema export-0.10/0.11, as in `jawiki-*-pages-articles*.xml`),
 * streamed: the text is scanned `<page>` by `<page>`, so memory is one page plus one read chunk, and a
 * range of a multistream dump (pages without the `<mediawiki>`/`<siteinfo>` wrapper) reads the same way.
 * The export is machine-written XML with a fixed element order; a scanner over that order is several
 * times faster than a general XML parser and reports a malformed page by its position instead of
 * giving up on the file.
 */

export interface SiteInfo {
  /** `jawiki` */
  dbName: string;
  /** `https://ja.wikipedia.org/wiki/` : article URLs are this plus the title. */
  articleBase: string;
}

export interface WikiPage {
  title: string;
  namespace: number;
  pageId: number;
  /** Target title when the page is a redirect. */
  redirect: string | null;
  revisionId: number;
  /** ISO 8601, as in the dump (`2024-01-01T00:00:00Z`). */
  timestamp: string;
  /** Wikitext of the (last) revision. */
  wikitext: string;
  /** Which page of the data read this is (0-based), for error messages. */
  ordinal: number;
}

export interface MalformedPage {
  ordinal: number;
  /** What is wrong, with the page id or title when they could be read. */
  problem: string;
}

export type PageOrProblem = { page: WikiPage } | { malformed: MalformedPage };

const XML_ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g;
const XML_NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(XML_ENTITY, (_, dec: string | undefined, hex: string | undefined, name: string | undefined) =>
    name !== undefined ? XML_NAMED[name]! : String.fromCodePoint(dec !== undefined ? Number(dec) : parseInt(hex!, 16)),
  );
}

/** Reads `<siteinfo>` from the head of an export (the first stream of a multistream dump). */
export function parseSiteInfo(head: string): SiteInfo | null {
  const start = head.indexOf('<siteinfo>');
  const end = head.indexOf('</siteinfo>');
  if (start < 0 || end < 0) return null;
  const block = head.slice(start, end);
  const dbName = /<dbname>([^<]*)<\/dbname>/.exec(block)?.[1] ?? '';
  const base = decodeXmlText(/<base>([^<]*)<\/base>/.exec(block)?.[1] ?? '');
  // <base> is the main page's URL: https://ja.wikipedia.org/wiki/メインページ
  const wiki = base.indexOf('/wiki/');
  return { dbName, articleBase: wiki >= 0 ? base.slice(0, wiki + '/wiki/'.length) : base };
}

/** The URL of an article on the site, as the site writes it (spaces as underscores, percent-encoded). */
export function articleUrl(site: SiteInfo, title: string): string {
  return site.articleBase + encodeURIComponent(title.replace(/ /g, '_')).replace(/%2F/g, '/').replace(/%3A/g, ':');
}

/** Pages in `chunks` (UTF-8 bytes of an export or of part of one), in order. */
export async function* exportPages(chunks: AsyncIterable<Buffer>, onHead?: (head: string) => void): AsyncGenerator<PageOrProblem> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let ordinal = 0;
  let headSeen = onHead === undefined;
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    if (!headSeen) {
      const firstPage = pending.indexOf('<page>');
      if (firstPage >= 0 || pending.length > 1 << 20) {
        onHead!(firstPage >= 0 ? pending.slice(0, firstPage) : pending);
        headSeen = true;
      }
    }
    let from = 0;
    for (;;) {
      const start = pending.indexOf('<page>', from);
      if (start < 0) break;
      const end = pending.indexOf('</page>', start);
      if (end < 0) {
        from = start;
        break;
      }
      yield parsePage(pending.slice(start + 6, end), ordinal++);
      from = end + 7;
    }
    pending = pending.slice(from);
  }
  pending += decoder.decode();
  if (!headSeen) onHead!(pending);
  const unfinished = pending.indexOf('<page>');
  if (unfinished >= 0) {
    const title = /<title>([^<]*)<\/title>/.exec(pending.slice(unfinished))?.[1];
    yield { malformed: { ordinal, problem: `page ${title === undefined ? '' : `'${decodeXmlText(title)}' `}is cut off (no </page> before the end of the data)` } };
  }
}

function parsePage(body: string, ordinal: number): PageOrProblem {
  const revisionAt = body.lastIndexOf('<revision>');
  const head = revisionAt >= 0 ? body.slice(0, revisionAt) : body;
  const titleRaw = /<title>([^<]*)<\/title>/.exec(head)?.[1];
  const ns = /<ns>(-?\d+)<\/ns>/.exec(head)?.[1];
  const id = /<id>(\d+)<\/id>/.exec(head)?.[1];
  const title = titleRaw === undefined ? undefined : decodeXmlText(titleRaw);
  const name = `page${id === undefined ? '' : ` id ${id}`}${title === undefined ? '' : ` '${title}'`}`;
  if (title === undefined || ns === undefined || id === undefined) {
    return { malformed: { ordinal, problem: `${name}: missing ${[title === undefined && '<title>', ns === undefined && '<ns>', id === undefined && '<id>'].filter(Boolean).join(', ')}` } };
  }
  if (revisionAt < 0) return { malformed: { ordinal, problem: `${name}: no <revision>` } };
  const revision = body.slice(revisionAt);
  const revisionId = /<id>(\d+)<\/id>/.exec(revision)?.[1];
  const timestamp = /<timestamp>([^<]*)<\/timestamp>/.exec(revision)?.[1];
  const text = /<text\b[^>]*?(?:\/>|>([\s\S]*?)<\/text>)/.exec(revision);
  if (revisionId === undefined || timestamp === undefined || text === null) {
    return { malformed: { ordinal, problem: `${name}: revision without ${[revisionId === undefined && '<id>', timestamp === undefined && '<timestamp>', text === null && '<text>'].filter(Boolean).join(', ')}` } };
  }
  const redirect = /<redirect\s+title="([^"]*)"\s*\/?>/.exec(head)?.[1];
  return {
    page: {
      title,
      namespace: Number(ns),
      pageId: Number(id),
      redirect: redirect === undefined ? null : decodeXmlText(redirect),
      revisionId: Number(revisionId),
      timestamp,
      wikitext: decodeXmlText(text[1] ?? ''),
      ordinal,
    },
  };
}
