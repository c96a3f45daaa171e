/**
 * `pnpm bench wiki [--input <multistream.xml.bz2> --index <index.txt.bz2>] [--mb <bz2 MB to generate, default 12>]`:
 * reading a Wikipedia dump: bzip2 streams decompressed (the `bzip2` command), pages scanned out of the
 * export XML, and articles (namespace 0, not redirects) turned into text, against the floor of plain
 * `bzip2 -dc` of the same file in the same run. Both are CPU time (this process plus its bzip2
 * children), so the ratio is per core whatever runs in parallel. Without --input it builds a dump in
 * the real multistream layout (100 pages a stream) from real Japanese text (see syntheticDump). The
 * last line is JSON.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bunzip2, exportPages, multistreamRanges, wikitextToText } from '@jcp/crawler';
import { peakRssMB } from './_measure.ts';

const PAGES_PER_STREAM = 100; // as the Wikimedia dumps
const CLOCK_TICKS = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { input: { type: 'string' }, index: { type: 'string' }, mb: { type: 'string', default: '12' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('usage: pnpm bench wiki [--input <*-multistream.xml.bz2> --index <*-multistream-index.txt.bz2>] [--mb <bz2 MB to generate, default 12>]');
    return;
  }
  if ((values.input === undefined) !== (values.index === undefined)) throw new Error('--input and --index go together (a multistream dump and its index)');
  const dump = values.input !== undefined ? { path: values.input, index: values.index! } : await syntheticDump(Number(values.mb) * 1e6);
  const megabytes = (await stat(dump.path)).size / 1e6;
  console.log(`dump: ${dump.path} (${megabytes.toFixed(1)} MB bz2)`);

  const floorSeconds = bzip2FloorCpuSeconds(dump.path);
  const before = cpuSeconds();
  const wallStart = process.hrtime.bigint();
  const { ranges } = await multistreamRanges(dump.path, dump.index, 8e6);
  let pages = 0;
  let articles = 0;
  let textChars = 0;
  for (const range of ranges) {
    for await (const item of exportPages(bunzip2(dump.path, range))) {
      if (!('page' in item)) continue;
      pages++;
      if (item.page.namespace !== 0 || item.page.redirect !== null) continue;
      articles++;
      textChars += wikitextToText(item.page.wikitext).length;
    }
  }
  const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
  const ours = cpuSeconds() - before;
  const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
  console.log(`floor (bzip2 -dc): ${round(megabytes / floorSeconds)} MB/s of bz2 per core (${round(floorSeconds, 2)} s CPU)`);
  console.log(
    `read + convert: ${round(megabytes / ours)} MB/s of bz2 per core, ${Math.round(articles / ours)} articles/s per core ` +
      `(${pages} pages, ${articles} articles, ${round(ours, 2)} s CPU incl. bzip2, ${round(wallSeconds, 2)} s wall in ${ranges.length} ranges) = ${round(floorSeconds / ours, 3)} × floor`,
  );
  console.log(`peak RSS ${Math.round(peakRssMB())} MB (this process; bzip2 children hold ~4 MB each)`);
  console.log(
    JSON.stringify({
      bz2_mb: round(megabytes),
      floor_mb_s: round(megabytes / floorSeconds),
      mb_s_per_core: round(megabytes / ours),
      articles_per_s_per_core: Math.round(articles / ours),
      ratio_to_floor: round(floorSeconds / ours, 3),
      pages,
      articles,
      text_mb: round(textChars / 1e6),
      peak_rss_mb: Math.round(peakRssMB()),
    }),
  );
}

/** CPU seconds of this process and of its children that have exited (bzip2), from /proc. */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // after the command name: state is field 3, so utime..cstime (fields 14..17) are at 11..14
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number) as [number, number, number, number];
  return (utime + stime + cutime + cstime) / CLOCK_TICKS;
}

/** CPU time of `bzip2 -dc <file> > /dev/null`, best of two. */
function bzip2FloorCpuSeconds(path: string): number {
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%3U %3S"; { time bzip2 -dc "$0" > /dev/null; } 2>&1', path], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bzip2 -dc ${path} failed: ${r.stdout}${r.stderr}`);
    const [user, sys] = r.stdout.trim().split(/\s+/).slice(-2).map(Number) as [number, number];
    best = Math.min(best, user + sys);
  }
  return best;
}

/**
 * A multistream dump of about `targetBytes` bz2 and its index, in the temp folder (reused while its
 * sources are unchanged). Article text is real Japanese running text (`../shared/data/text`: Aozora
 * Bunko and ABEJA CC-ja paragraphs, in order, so within one 900 kB bzip2 block no paragraph repeats and
 * the file compresses about as a real dump does), dressed in the markup of jawiki articles: an infobox,
 * links, references, sections, a table, categories.
 */
async function syntheticDump(targetBytes: number): Promise<{ path: string; index: string }> {
  const paragraphs = TEXT_SOURCES.flatMap((f) =>
    readFileSync(join(TEXT_DIR, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => (JSON.parse(line) as { text: string }).text.split('\n'))
      .map((p) => p.trim())
      .filter((p) => p.length >= 40 && !/[《》［］|-]{3}/.test(p)),
  );
  const key = createHash('sha1').update(JSON.stringify({ n: paragraphs.length, first: paragraphs[0], targetBytes, v: 2 })).digest('hex').slice(0, 10);
  const dir = join(tmpdir(), 'jcp-bench');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `wiki-${key}-multistream.xml.bz2`);
  const index = join(dir, `wiki-${key}-multistream-index.txt`);
  if (existsSync(path) && existsSync(index)) return { path, index };
  const streams: Buffer[] = [bzip2(`<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="ja">\n  <siteinfo>\n    <dbname>jawiki</dbname>\n    <base>https://ja.wikipedia.org/wiki/Main</base>\n  </siteinfo>\n`)];
  let offset = streams[0]!.length;
  const lines: string[] = [];
  let id = 1;
  let next = 0;
  const take = (): string => paragraphs[next++ % paragraphs.length]!;
  while (offset < targetBytes) {
    const pages: string[] = [];
    for (let k = 0; k < PAGES_PER_STREAM; k++, id++) {
      lines.push(`${offset}:${id}:記事${id}`);
      pages.push(pageXml(id, article(id, take)));
    }
    const stream = bzip2(pages.join(''));
    streams.push(stream);
    offset += stream.length;
  }
  streams.push(bzip2('</mediawiki>\n'));
  writeFileSync(path, Buffer.concat(streams));
  writeFileSync(index, `${lines.join('\n')}\n`);
  return { path, index };
}

const TEXT_DIR = fileURLToPath(new URL('../../../../shared/data/text/', import.meta.url));
const TEXT_SOURCES = ['aozora-akutagawa-miyazawa.jsonl', 'abeja-cc-ja-99docs.jsonl'];

/** One article of 2–5 sections in jawiki's usual markup around paragraphs from `take`. */
function article(id: number, take: () => string): string {
  const link = (p: string): string => p.replace(/^(.{4})(.{2,6}?)(、|は|の)/u, '$1[[$2]]$3');
  const out = [
    `{{Infobox 項目\n|名称 = 記事${id}\n|画像 = [[ファイル:Image${id}.jpg|200px]]\n}}`,
    `'''記事${id}'''（きじ）は、${link(take())}<ref>出典${id}、${id % 300}頁。</ref>`,
  ];
  for (let s = 0; s < 2 + (id % 4); s++) {
    out.push(`== 節${s} ==`);
    for (let p = 0; p < 2 + ((id + s) % 3); p++) out.push(link(take()));
    if ((id + s) % 5 === 0) out.push(`{| class="wikitable"\n! 項目 !! 値\n|-\n| ${id} || ${s}\n|}`);
  }
  out.push('== 脚注 ==', '{{Reflist}}', `[[Category:分類${id % 97}]]`);
  return out.join('\n');
}

function pageXml(id: number, text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `  <page>\n    <title>記事${id}</title>\n    <ns>0</ns>\n    <id>${id}</id>\n    <revision>\n      <id>${id + 1_000_000}</id>\n      <timestamp>2024-03-01T00:00:00Z</timestamp>\n      <model>wikitext</model>\n      <format>text/x-wiki</format>\n      <text bytes="${Buffer.byteLength(text)}" xml:space="preserve">${escaped}</text>\n    </revision>\n  </page>\n`;
}

function bzip2(text: string): Buffer {
  const r = spawnSync('bzip2', ['-c', '-9'], { input: Buffer.from(text, 'utf8'), maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`bzip2 failed: ${r.stderr.toString()}`);
  return r.stdout;
}
