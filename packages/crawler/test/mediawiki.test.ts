import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { articleUrl, bunzip2, exportPages, multistreamRanges, parseSiteInfo, readMultistreamIndex, wikitextToText, type PageOrProblem, type WikiPage } from '../src/index.ts';

const WIKI = join(import.meta.dirname, '../../../fixtures/wiki');
const DUMP = join(WIKI, 'jawiki-20240301-pages-articles.xml.bz2');
const MULTI = join(WIKI, 'jawiki-20240301-pages-articles-multistream.xml.bz2');
const MULTI_INDEX = join(WIKI, 'jawiki-20240301-pages-articles-multistream-index.txt.bz2');
const article = (file: string): string => readFileSync(join(WIKI, 'articles', file), 'utf8');

async function collect(chunks: AsyncIterable<Buffer>, onHead?: (head: string) => void): Promise<PageOrProblem[]> {
  const out: PageOrProblem[] = [];
  for await (const p of exportPages(chunks, onHead)) out.push(p);
  return out;
}
const pagesOf = (items: PageOrProblem[]): WikiPage[] => items.flatMap((p) => ('page' in p ? [p.page] : []));

describe('wikitextToText', () => {
  it('keeps link labels, section titles and the words of inline templates; drops refs, tables, files, categories and magic words', () => {
    expect(wikitextToText(article('kakuu-gawa.wiki')).split('\n')).toEqual([
      '架空川（かくうがわ、Kakuu River）は、架空県を流れる一級河川である。全長は約42.5kmで、流域には稲穂（いなほ）の水田が広がる。',
      '地理',
      '源流は架空山（標高1,234 m）の東斜面にあり、ジョン・スミス峡谷を経て架空湾に注ぐ。',
      '中流域では川幅が広がり、江戸時代には舟運が盛んであった。',
      '主な支流',
      '小架空川',
      '北沢川 - 北沢村を流れる',
      '第一堰',
      '第二堰',
      '歴史',
      '1896年（明治29年）の洪水を契機に、堤防の整備が始まった。詳しくは架空川治水史を参照。斜体の語と太字の語を含む文。',
      '外部の資料として架空川の歴史がある。',
    ]);
  });

  it('drops the apparatus sections (脚注, 参考文献, 関連項目) with their lists, and interlanguage links', () => {
    const text = wikitextToText(article('haiku.wiki'));
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '俳句（はいく）は、五・七・五の十七音を定型とする日本の短い詩である。原則として季語を一つ含み、句の途中や末尾に「や」「かな」「けり」などの切れ字を置いて、余韻を生み出す。haikuの名で世界各地に広まり、多くの言語で作られている。',
      '成立',
    ]);
    expect(lines).toContain('季語');
    expect(lines).toContain('切れ字');
    expect(text).toContain('季語を季節ごとに分類して解説した書物を歳時記（さいじき）という。');
    expect(text).toContain('芭蕉の門人は全国に数千人いたとされる。');
    expect(text).toContain('国際俳句交流協会などの団体が交流を続けている。');
    for (const gone of ['脚注', '参考文献', '架空太郎', '関連項目', '川柳', 'Haiku', 'Category', '日本の詩', '古池や', 'wikitable', '{{', '[[', '<ref']) {
      expect(text).not.toContain(gone);
    }
  });

  it('keeps text after a stray unclosed template, decodes entities, reads the pipe trick', () => {
    expect(wikitextToText('前の文。{{未完成のテンプレート|引数\n後の文&nbsp;です&amp;。')).toBe('前の文。{{未完成のテンプレート|引数\n後の文 です&。');
    expect(wikitextToText('[[架空川 (小説)|]]を読んだ。')).toBe('架空川を読んだ。');
    expect(wikitextToText('<nowiki>[[リンクではない]]</nowiki>')).toBe('[[リンクではない]]');
  });
});

describe('MediaWiki export', () => {
  it('streams every page of a bz2 dump with title, namespace, ids, timestamp, redirect and wikitext', async () => {
    let head = '';
    const pages = pagesOf(await collect(bunzip2(DUMP), (h) => (head = h)));
    expect(pages.map((p) => [p.title, p.namespace, p.pageId, p.revisionId])).toEqual([
      ['架空川', 0, 101, 9001],
      ['俳句', 0, 102, 9002],
      ['Template:読み仮名', 10, 103, 9003],
      ['味噌汁', 0, 104, 9004],
      ['みそ汁', 0, 105, 9005],
      ['ノート:俳句', 1, 106, 9006],
      ['架空駅', 0, 107, 9007],
      ['Wikipedia:井戸端', 4, 108, 9008],
    ]);
    const miso = pages.find((p) => p.title === 'みそ汁')!;
    expect(miso.redirect).toBe('味噌汁');
    expect(pages.find((p) => p.title === '架空川')!.wikitext).toBe(article('kakuu-gawa.wiki')); // XML entities decoded
    expect(pages[0]!.timestamp).toBe('2024-02-11T03:15:42Z');
    const site = parseSiteInfo(head)!;
    expect(site).toEqual({ dbName: 'jawiki', articleBase: 'https://ja.wikipedia.org/wiki/' });
    expect(articleUrl(site, '味噌汁')).toBe('https://ja.wikipedia.org/wiki/%E5%91%B3%E5%99%8C%E6%B1%81');
    expect(articleUrl(site, 'A B/C')).toBe('https://ja.wikipedia.org/wiki/A_B/C');
  });

  it('splits a multistream dump by its index into ranges that read the same pages as the whole dump', async () => {
    expect(await readMultistreamIndex(MULTI_INDEX)).toEqual([
      { offset: 564, pages: 3 },
      { offset: 3557, pages: 3 },
      { offset: 5263, pages: 2 },
    ]);
    const { head, ranges } = await multistreamRanges(MULTI, MULTI_INDEX, 1);
    expect(ranges.map((r) => r.pages)).toEqual([3, 3, 2]);
    let siteHead = '';
    await collect(bunzip2(MULTI, head), (h) => (siteHead = h));
    expect(parseSiteInfo(siteHead)?.dbName).toBe('jawiki');
    const fromRanges: WikiPage[] = [];
    for (const range of ranges) fromRanges.push(...pagesOf(await collect(bunzip2(MULTI, range))));
    const whole = pagesOf(await collect(bunzip2(DUMP)));
    expect(fromRanges.map((p) => ({ ...p, ordinal: 0 }))).toEqual(whole.map((p) => ({ ...p, ordinal: 0 })));
    // a large target puts every stream in one range
    expect((await multistreamRanges(MULTI, MULTI_INDEX, 1e9)).ranges).toEqual([{ start: 564, end: readFileSync(MULTI).length, pages: 8 }]);
  });

  it('reports a page cut off by the end of the data and a page without its fields, and reads the others', async () => {
    const xml = readFileSync(join(WIKI, 'articles', 'stub.wiki'), 'utf8');
    const good = `<page><title>良</title><ns>0</ns><id>1</id><revision><id>2</id><timestamp>2024-01-01T00:00:00Z</timestamp><text xml:space="preserve">${xml}</text></revision></page>`;
    const noTitle = '<page><ns>0</ns><id>3</id><revision><id>4</id><timestamp>t</timestamp><text>x</text></revision></page>';
    const cut = '<page><title>途中</title><ns>0</ns><id>5</id><revision><text>途中で';
    const items = await collect(Readable.from([Buffer.from(good + noTitle), Buffer.from(cut)]));
    expect(pagesOf(items).map((p) => p.title)).toEqual(['良']);
    expect(items.flatMap((p) => ('malformed' in p ? [p.malformed] : []))).toEqual([
      { ordinal: 1, problem: 'page id 3: missing <title>' },
      { ordinal: 2, problem: "page '途中' is cut off (no </page> before the end of the data)" },
    ]);
  });

  it('names the file and byte range when bzip2 data is corrupt, and the line of a bad index entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jcp-wiki-'));
    const bad = join(dir, 'bad.xml.bz2');
    const bytes = readFileSync(DUMP);
    bytes.fill(0x41, 200, 400);
    writeFileSync(bad, bytes);
    await expect(collect(bunzip2(bad, { start: 0, end: bytes.length }))).rejects.toThrow(new RegExp(`${bad} bytes 0-${bytes.length - 1}: bzip2 failed`));
    const badIndex = join(dir, 'index.txt');
    writeFileSync(badIndex, '564:101:架空川\nnot-an-offset\n');
    await expect(readMultistreamIndex(badIndex)).rejects.toThrow(`${badIndex}:2: expected 'offset:page_id:title', got 'not-an-offset'`);
  });
});
