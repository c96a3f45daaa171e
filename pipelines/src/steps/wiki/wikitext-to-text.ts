import { codePointLength, utf8Length } from '@jcp/core';
import { articleUrl, parseWarcDate, wikitextToText, type SiteInfo, type WikiPage } from '@jcp/crawler';
import { docId } from '../record-audit.ts';
import type { Drop, ItemPlace, Step, StepItem } from '../step.ts';
import type { DocOrigin, PageText } from '../web-page/items.ts';

/** A Wikipedia article as the dump gives it: sized in its wikitext's UTF-8 bytes and code points. */
export interface WikiArticle extends StepItem {
  /** The dump and where its part starts (the bz2 range of a multistream part, else 0). */
  record: ItemPlace;
  origin: DocOrigin;
  page: WikiPage;
  site: SiteInfo;
}

export function wikiArticle(page: WikiPage, site: SiteInfo, origin: DocOrigin, record: ItemPlace): WikiArticle {
  return { record, origin, page, site, size: { bytes: utf8Length(page.wikitext), chars: codePointLength(page.wikitext), tokens: 0 } };
}

/**
 * The doc id of a revision: the wiki, the page and the revision, so that two dumps holding the same
 * revision give the same document and an edited article a new one.
 */
export function wikiDocId(site: SiteInfo, page: Pick<WikiPage, 'pageId' | 'revisionId'>): string {
  return docId(`${site.dbName}:${page.pageId}@${page.revisionId}`);
}

/**
 * `wikitext`: the article's wikitext as plain text (packages/crawler mediawiki/wikitext.ts: templates,
 * tables, references, files, categories and the apparatus sections removed, section titles kept as
 * lines), with its URL, title, page and revision ids, and the revision's timestamp as its date. An
 * article with no text left (a page of templates only) is dropped as `empty-article`.
 */
export function wikitextToPlainText(): Step<WikiArticle, PageText> {
  return {
    name: 'wikitext',
    sample: (item, previewChars) => ({ scores: {}, text: item.page.wikitext.slice(0, previewChars) }),
    apply(item): PageText | Drop {
      const { page, site } = item;
      const text = wikitextToText(page.wikitext);
      const size = { bytes: utf8Length(text), chars: codePointLength(text), tokens: 0 };
      if (text.trim().length === 0) return { drop: 'empty-article', size };
      // The dump's own format (`2024-01-05T22:47:13Z`); anything else that does not parse leaves no date, as a WARC record with none.
      const iso = parseWarcDate(page.timestamp);
      return {
        record: item.record,
        origin: item.origin,
        captured: iso === null ? { iso: null, source: 'none' } : { iso, source: 'revision' },
        id: wikiDocId(site, page),
        url: articleUrl(site, page.title),
        title: page.title,
        text,
        charset: 'utf-8',
        charsetDeclared: null,
        lang: '',
        langScore: 0,
        scores: {},
        recordId: String(page.pageId),
        article: { pageId: page.pageId, revisionId: page.revisionId },
        exactKey: '',
        size,
      };
    },
  };
}
