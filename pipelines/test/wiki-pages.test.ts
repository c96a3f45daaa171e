import { execFileSync } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@jcp/core';
import { parseWikiPart, readWikiPart, resolveWikiInputs, wikiPartBytes, wikiPartSpec } from '../src/sources/wiki-pages.ts';
import { dumpName } from '../src/stages/document-task.ts';
import { FIXTURES, tempDir } from './helpers.ts';

const WIKI = join(FIXTURES, 'wiki');
const MULTISTREAM = join(WIKI, 'jawiki-20240301-pages-articles-multistream.xml.bz2');
const INDEX = join(WIKI, 'jawiki-20240301-pages-articles-multistream-index.txt.bz2');
const SINGLE = join(WIKI, 'jawiki-20240301-pages-articles.xml.bz2');

/** Every page of the parts, as `kind title` lines in dump order (InputErrors as their reason and message). */
async function pagesOf(parts: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const part of parts) {
    for await (const got of readWikiPart(part)) {
      if (got instanceof InputError) out.push(`${got.reason} ${got.message}`);
      else if ('skipped' in got) out.push(`${got.skipped} ${got.page.title}`);
      else out.push(`article ${got.page.title} ${got.page.pageId}@${got.page.revisionId} ${got.site.articleBase}`);
    }
  }
  return out;
}

describe('Wikipedia dump parts (wiki-ja inputs)', () => {
  it('cuts a multistream dump into parts of whole streams by its index, beside the dump or given', async () => {
    const parts = await resolveWikiInputs([MULTISTREAM], { partBytes: 1 });
    // The fixture holds 3 page streams after the <siteinfo> stream (564 bytes); the last part runs to the end of the file.
    expect(parts.map((p) => parseWikiPart(p).range)).toEqual([
      { start: 564, end: 3557, pages: 0 },
      { start: 3557, end: 5263, pages: 0 },
      { start: 5263, end: 6063, pages: 0 },
    ]);
    expect(parts.every((p) => parseWikiPart(p).dump === MULTISTREAM && parseWikiPart(p).headBytes === 564)).toBe(true);
    expect(await Promise.all(parts.map(wikiPartBytes))).toEqual([2993, 1706, 800]);
    expect(parts.map((p) => wikiPartSpec(parseWikiPart(p)))).toEqual(parts);
    // The default part size holds the whole fixture; a dump elsewhere takes its index by --multistream-index.
    expect(await resolveWikiInputs([MULTISTREAM], { partBytes: 64e6 })).toHaveLength(1);
    const dir = await tempDir('wiki-parts');
    const moved = join(dir, 'dump.xml.bz2');
    await copyFile(MULTISTREAM, moved);
    expect(await resolveWikiInputs([moved], { partBytes: 64e6 })).toEqual([moved]);
    expect(await resolveWikiInputs([moved], { partBytes: 1, multistreamIndex: INDEX })).toHaveLength(3);
    await expect(resolveWikiInputs([moved, SINGLE], { partBytes: 1, multistreamIndex: INDEX })).rejects.toThrow(/--multistream-index belongs to one dump; 2 were given/);
    expect(dumpName(MULTISTREAM)).toBe('jawiki-20240301');
    expect(dumpName(moved)).toBe('unknown');
  });

  it('reads the same pages from the parts as from the single-stream dump: articles, other namespaces and redirects told apart', async () => {
    const fromParts = await pagesOf(await resolveWikiInputs([MULTISTREAM], { partBytes: 1 }));
    expect(fromParts).toEqual(await pagesOf([SINGLE]));
    const base = 'https://ja.wikipedia.org/wiki/';
    expect(fromParts).toEqual([
      `article 架空川 101@9001 ${base}`,
      `article 俳句 102@9002 ${base}`,
      'not-article Template:読み仮名',
      `article 味噌汁 104@9004 ${base}`,
      'redirect みそ汁',
      'not-article ノート:俳句',
      `article 架空駅 107@9007 ${base}`,
      'not-article Wikipedia:井戸端',
    ]);
  });

  it('names a malformed page by dump and position and reads the pages after it; refuses an export without <siteinfo>', async () => {
    const dir = await tempDir('wiki-bad');
    const head = '<mediawiki><siteinfo><dbname>jawiki</dbname><base>https://ja.wikipedia.org/wiki/メインページ</base></siteinfo>';
    const page = (title: string, id: number, extra = '<ns>0</ns>'): string =>
      `<page><title>${title}</title>${extra}<id>${id}</id><revision><id>${id}0</id><timestamp>2024-01-01T00:00:00Z</timestamp><text bytes="9">本文です。</text></revision></page>`;
    const dump = join(dir, 'jawiki-20240101-pages-articles.xml');
    await writeFile(dump, `${head}${page('一', 1)}${page('二', 2, '')}${page('三', 3)}<page><title>四</title><ns>0</ns>`);
    const bz2 = `${dump}.bz2`;
    execFileSync('sh', ['-c', `bzip2 -c '${dump}' > '${bz2}'`]);
    for (const file of [dump, bz2]) {
      const got = await pagesOf([file]);
      expect(got).toHaveLength(4);
      expect(got[0]).toMatch(/^article 一 1@10 /);
      expect(got[1]).toBe(`malformed-page ${file} @0: malformed-page: page 2: page id 2 '二': missing <ns>`);
      expect(got[2]).toMatch(/^article 三 3@30 /);
      expect(got[3]).toBe(`malformed-page ${file} @0: malformed-page: page 4: page '四' is cut off (no </page> before the end of the data)`);
    }
    const noSite = join(dir, 'nosite.xml');
    await writeFile(noSite, `<mediawiki>${page('一', 1)}</mediawiki>`);
    await expect(pagesOf([noSite])).rejects.toThrow(`${noSite}: no <siteinfo> before the first page: not a MediaWiki export?`);
  });

  it('refuses a multistream dump whose first stream holds pages (no part would read them) instead of losing them', async () => {
    const dir = await tempDir('wiki-head');
    const head = '<mediawiki><siteinfo><dbname>jawiki</dbname><base>https://ja.wikipedia.org/wiki/メインページ</base></siteinfo>';
    const page = (title: string, id: number): string =>
      `<page><title>${title}</title><ns>0</ns><id>${id}</id><revision><id>${id}0</id><timestamp>2024-01-01T00:00:00Z</timestamp><text bytes="9">本文です。</text></revision></page>`;
    const bz2 = (text: string): Buffer => execFileSync('bzip2', ['-c'], { input: text });
    const first = bz2(`${head}${page('一', 1)}`);
    const dump = join(dir, 'jawiki-20240101-pages-articles-multistream.xml.bz2');
    await writeFile(dump, Buffer.concat([first, bz2(`${page('二', 2)}</mediawiki>`)]));
    const index = join(dir, 'index.txt');
    await writeFile(index, `${first.length}:2:二\n`);
    const parts = await resolveWikiInputs([dump], { partBytes: 1, multistreamIndex: index });
    expect(parts).toHaveLength(1);
    await expect(pagesOf(parts)).rejects.toThrow(`${dump} bytes 0-${first.length - 1}: the first stream holds pages, which no part of the index reads`);
  });
});
