import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { crawlIdFromPath, globToRegExp, readPathsListing, resolveWarcInputs } from '../src/inputs.ts';
import { sharedData } from './shared-data.ts';

async function tree(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'jcp-inputs-'));
  await mkdir(join(root, 'a/b'), { recursive: true });
  for (const f of ['a/1.warc.gz', 'a/b/2.warc.gz', 'a/b/3.warc', 'a/notes.txt']) await writeFile(join(root, f), '');
  return root;
}

describe('resolveWarcInputs', () => {
  it('reads a real Common Crawl warc.paths listing, one key a line', async () => {
    const keys = await readPathsListing(sharedData('warc/paths/cc-news-2025-01.warc.paths'));
    expect(keys).toHaveLength(305);
    expect(keys[0]).toMatch(/^crawl-data\/CC-NEWS\/2025\/01\/CC-NEWS-\d{14}-\d{5}\.warc\.gz$/);
  });

  it('resolves warc.paths.gz entries against a base folder, in listing order', async () => {
    const root = await tree();
    const listing = join(root, 'warc.paths.gz');
    await writeFile(listing, gzipSync('b/2.warc.gz\n1.warc.gz\n\n'));
    expect(await resolveWarcInputs([listing], join(root, 'a'))).toEqual([join(root, 'a/b/2.warc.gz'), join(root, 'a/1.warc.gz')]);
  });

  it('expands a folder to its WARC files and a glob to its matches, dropping duplicates', async () => {
    const root = await tree();
    expect(await resolveWarcInputs([join(root, 'a')])).toEqual([join(root, 'a/1.warc.gz'), join(root, 'a/b/2.warc.gz'), join(root, 'a/b/3.warc')]);
    expect(await resolveWarcInputs([join(root, 'a/**/*.warc.gz'), join(root, 'a/1.warc.gz')])).toEqual([
      join(root, 'a/1.warc.gz'),
      join(root, 'a/b/2.warc.gz'),
    ]);
  });

  it('lists ARC files (.arc, .arc.gz) of a folder with its WARCs, and nothing else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'jcp-inputs-arc-'));
    for (const f of ['1.arc.gz', '2.arc', '3.warc.gz', 'notes.txt', 'archive.tar.gz']) await writeFile(join(root, f), '');
    expect(await resolveWarcInputs([root])).toEqual([join(root, '1.arc.gz'), join(root, '2.arc'), join(root, '3.warc.gz')]);
  });

  it('names an input that does not exist', async () => {
    await expect(resolveWarcInputs(['/nonexistent/x.warc.gz'])).rejects.toThrow(/'\/nonexistent\/x.warc.gz' does not exist/);
    await expect(resolveWarcInputs(['/nonexistent/*.warc.gz'])).rejects.toThrow(/matches no file/);
  });

  it('reads the crawl id from Common Crawl paths', () => {
    expect(crawlIdFromPath('crawl-data/CC-MAIN-2024-10/segments/1/warc/x.warc.gz')).toBe('CC-MAIN-2024-10');
    expect(crawlIdFromPath('/data/mine.warc.gz')).toBeNull();
  });

  it('matches ** across folders and * within one', () => {
    expect(globToRegExp('/d/**/*.gz').test('/d/x.gz')).toBe(true);
    expect(globToRegExp('/d/**/*.gz').test('/d/a/b/x.gz')).toBe(true);
    expect(globToRegExp('/d/*.gz').test('/d/a/x.gz')).toBe(false);
  });
});
