import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countSitePartition, hostKeyString, readRepeatedSiteLines, SiteLineTaskFile, siteHostPartition, siteTaskHosts, writeRepeatedSiteLines } from '../src/site-line-buckets.ts';
import { DEFAULT_SITE_LINES_CONFIG, pageLineHashes, removeSiteLines } from '../src/site-lines.ts';

const cfg = DEFAULT_SITE_LINES_CONFIG;
const FOOTER = 'タンカーシリーズに比べ、生地が少し硬めなので形が崩れにくいです。';
const PARTITIONS = 4;

async function taskFile(dir: string, name: string, pages: Array<[string, string]>): Promise<string> {
  const file = new SiteLineTaskFile(PARTITIONS);
  for (const [host, text] of pages) file.addPage(host, text, pageLineHashes(text, cfg));
  const path = join(dir, name);
  await file.write(path);
  return path;
}

describe('site-line counts across task files', () => {
  it('counts a host whose pages are spread over two tasks as one host', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-lines-'));
    const a = await taskFile(dir, 'a.bkt', [['shop.jp', `商品一\n${FOOTER}`], ['shop.jp', `商品二\n${FOOTER}`], ['blog.jp', FOOTER]]);
    const b = await taskFile(dir, 'b.bkt', [['shop.jp', `商品三\n${FOOTER}`], ['blog.jp', `本文\n${FOOTER}`]]);
    const partition = siteHostPartition('shop.jp', PARTITIONS);
    const repeated = await countSitePartition([a, b], partition, PARTITIONS, cfg);
    const shopLines = repeated.get(hostKeyString('shop.jp'));
    expect(shopLines?.size).toBe(1);
    expect(removeSiteLines(`商品一\n${FOOTER}`, shopLines!, cfg).text).toBe('商品一');
    // blog.jp has the footer on 2 pages only: whichever partition it is in, it keeps it.
    const blog = await countSitePartition([a, b], siteHostPartition('blog.jp', PARTITIONS), PARTITIONS, cfg);
    expect(blog.has(hostKeyString('blog.jp'))).toBe(false);
  });

  it('finds nothing in a partition that holds none of the hosts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-lines-'));
    const a = await taskFile(dir, 'a.bkt', [['shop.jp', `一\n${FOOTER}`], ['shop.jp', `二\n${FOOTER}`], ['shop.jp', `三\n${FOOTER}`]]);
    const other = [0, 1, 2, 3].find((p) => p !== siteHostPartition('shop.jp', PARTITIONS))!;
    expect((await countSitePartition([a], other, PARTITIONS, cfg)).size).toBe(0);
    expect((await countSitePartition([a], siteHostPartition('shop.jp', PARTITIONS), PARTITIONS, cfg)).size).toBe(1);
  });

  it('applies the relative threshold from the page counts in the files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-lines-'));
    // 400 pages: the threshold is ceil(1 % × 400) = 4, so a line on 3 pages stays. Each page's own
    // line is a distinct kanji (digits would normalise to one line, "記事0", on every page).
    const own = (i: number) => `記事${String.fromCodePoint(0x4e00 + i)}`;
    const pages: Array<[string, string]> = Array.from({ length: 400 }, (_, i) => ['big.jp', i < 3 ? `${own(i)}\n${FOOTER}` : own(i)]);
    const a = await taskFile(dir, 'a.bkt', pages);
    expect((await countSitePartition([a], siteHostPartition('big.jp', PARTITIONS), PARTITIONS, cfg)).size).toBe(0);
  });

  it('names the hosts of a task file by partition, from its page entries only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-lines-'));
    const a = await taskFile(dir, 'a.bkt', [['shop.jp', `商品一\n${FOOTER}`], ['blog.jp', FOOTER], ['shop.jp', '商品二']]);
    const hosts = await siteTaskHosts(a, PARTITIONS);
    const expected = new Map<number, Set<string>>();
    for (const h of ['shop.jp', 'blog.jp']) {
      const p = siteHostPartition(h, PARTITIONS);
      expected.set(p, new Set([...(expected.get(p) ?? []), hostKeyString(h)]));
    }
    expect(hosts).toEqual(expected);
  });

  it('refuses a task file written with another partition count, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-lines-'));
    const a = await taskFile(dir, 'a.bkt', [['shop.jp', FOOTER]]);
    await expect(countSitePartition([a], 0, PARTITIONS + 1, cfg)).rejects.toThrow(`${a}: a site-line file of ${PARTITIONS} host partitions, but this run counts ${PARTITIONS + 1}`);
    await expect(siteTaskHosts(a, 2)).rejects.toThrow(/siteLines\.partitions/);
  });

  it('writes the repeated lines of a partition and reads back only the hosts asked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-lines-'));
    const path = join(dir, 'part.jsonl');
    const shop = hostKeyString('shop.jp');
    const blog = hostKeyString('blog.jp');
    await writeRepeatedSiteLines(path, new Map([[shop, new Set(['00000000000000aa', '00000000000000bb'])], [blog, new Set(['00000000000000cc'])]]));
    expect(await readRepeatedSiteLines(path, new Set([shop]))).toEqual(new Map([[shop, new Set(['00000000000000aa', '00000000000000bb'])]]));
    expect((await readRepeatedSiteLines(path, new Set([hostKeyString('other.jp')]))).size).toBe(0);
  });

  it('counts a page that a host serves several times (other URLs, other WARCs) once: its lines are not repeated by that', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'site-lines-'));
    const article = `記事の本文です。\n${FOOTER}`;
    const a = await taskFile(dir, 'a.bkt', [['shop.jp', article], ['shop.jp', article]]);
    const b = await taskFile(dir, 'b.bkt', [['shop.jp', article], ['shop.jp', `別の記事\n${FOOTER}`]]);
    const repeated = await countSitePartition([a, b], siteHostPartition('shop.jp', PARTITIONS), PARTITIONS, cfg);
    // Two distinct pages: nothing is on three.
    expect(repeated.size).toBe(0);
    const c = await taskFile(dir, 'c.bkt', [['shop.jp', `三つ目\n${FOOTER}`]]);
    const three = await countSitePartition([a, b, c], siteHostPartition('shop.jp', PARTITIONS), PARTITIONS, cfg);
    expect(removeSiteLines(article, three.get(hostKeyString('shop.jp'))!, cfg).text).toBe('記事の本文です。');
  });
});
