import { readFile, readdir, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gzipRecord, httpResponseBlock, serializeWarcRecord } from '@jcp/crawler';
import { DEFAULT_EXTRACT_CONFIG, extractMainText } from '@jcp/filters';
import { unbalancedStages } from '@jcp/stats';
import type { RunStats } from '../src/run/run-pipeline.ts';
import type { RemovedDoc } from '../src/run-folder/dedup-files.ts';
import { SHARED_DATA, duckdb, runCli, tempDir } from './helpers.ts';

const CLUEWEB_JA = join(SHARED_DATA, 'warc/resiliparse/clueweb09-ja-excerpt.warc.gz');
/** The two real Japanese article pages of the extraction benchmarks (a blog post and a news-style page). */
const ARTICLES = [
  join(SHARED_DATA, 'extraction/trafilatura/pages/9c8e58cc8438d83e.html.gz'),
  join(SHARED_DATA, 'extraction/scrapinghub/html/f105de6e63ca91ea482f60193f6252092557f969f2fd128ff68c0d4d6b90dd7d.html.gz'),
];

interface Page {
  url: string;
  html: Buffer;
}

async function article(i: number): Promise<Page> {
  return { url: `https://blog${i}.example.jp/entry/${i}.html`, html: gunzipSync(await readFile(ARTICLES[i]!)) };
}

/**
 * The same article republished by a mirror: another URL, the mirror's own header and footer around it,
 * and a short credit inside the article text (so the texts differ, as syndicated copies do, and the
 * pair is a near-duplicate, not an exact one).
 */
function mirrored(page: Page, n: number): Page {
  const header = '<div id="mirror-nav"><p>ミラーサイト「あーかいぶ堂」のトップページへ戻る。</p></div>';
  const footer = '<div id="mirror-footer"><p>お問い合わせは元のサイトへお願いいたします。</p></div>';
  let html = page.html.toString('utf8');
  html = html.replace(/<body([^>]*)>/i, `<body$1>${header}`).replace(/<\/body>/i, `${footer}</body>`);
  // The credit goes after the first full stop of the body that the extractor keeps as main text.
  const credit = `（転載${n}）`;
  for (let at = html.indexOf('。', html.search(/<body/i)); at >= 0; at = html.indexOf('。', at + 1)) {
    const edited = `${html.slice(0, at + 1)}${credit}${html.slice(at + 1)}`;
    if (extractMainText(edited, DEFAULT_EXTRACT_CONFIG).text.includes(credit)) {
      return { url: `https://mirror${n}.archive-do.example.jp/copy/${n}.html`, html: Buffer.from(edited) };
    }
  }
  throw new Error('no full stop of the main text to put the credit after');
}

async function warcOf(path: string, pages: Page[], date: string): Promise<string> {
  const records = pages.map((p, i) =>
    gzipRecord(
      serializeWarcRecord({
        type: 'response',
        date,
        targetUri: p.url,
        recordId: `<urn:uuid:7e57d0d0-0000-4000-8000-${String(i).padStart(12, '0')}-${path.length}>`,
        block: httpResponseBlock(200, 'OK', [['Content-Type', 'text/html; charset=utf-8']], p.html),
      }),
    ),
  );
  await writeFile(path, Buffer.concat(records));
  return path;
}

async function readStats(runDir: string): Promise<RunStats> {
  return JSON.parse(await readFile(join(runDir, 'stats.json'), 'utf8')) as RunStats;
}

async function removedDocs(runDir: string): Promise<RemovedDoc[]> {
  const dir = join(runDir, 'dedup', 'removed');
  const out: RemovedDoc[] = [];
  for (const f of (await readdir(dir)).sort()) {
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) if (line) out.push(JSON.parse(line) as RemovedDoc);
  }
  return out;
}

const corpusRows = (runDir: string): Promise<Array<Record<string, unknown>>> =>
  duckdb(`SELECT id, url, text FROM read_parquet('${runDir}/corpus/ja/ja_cc/*.parquet') ORDER BY id`);

describe('cc-ja deduplicates real pages republished under other URLs', () => {
  let inputs: string;
  let index: string;
  let night1: string;
  let mirrorUrls: string[];
  let originals: string[];

  beforeAll(async () => {
    inputs = await tempDir('dedup-in');
    index = join(await tempDir('dedup-index'), 'index');
    const pages = [await article(0), await article(1)];
    originals = pages.map((p) => p.url);
    const copies = pages.map((p, n) => mirrored(p, n));
    mirrorUrls = copies.map((c) => c.url);
    // The originals were fetched a year before the mirrors: the survivor rule keeps the earlier fetch.
    await warcOf(join(inputs, 'originals.warc.gz'), pages, '2029-01-01T00:00:00Z');
    await warcOf(join(inputs, 'mirrors.warc.gz'), copies, '2030-01-01T00:00:00Z');
    night1 = join(await tempDir('dedup-night1'), 'run');
    const r = await runCli('pipeline', ['cc-ja', '--input', inputs, '--input', CLUEWEB_JA, '--out', night1, '--dedup-index', index, '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('keeps one copy of each mirrored article, the earlier fetch, and names it in the dropped copy', async () => {
    const staged = (await duckdb(`SELECT url FROM read_parquet('${night1}/staged/ja/ja_cc/*.parquet')`)).map((r) => String(r.url));
    const mirroredAndStaged = mirrorUrls.filter((u, i) => staged.includes(u) && staged.includes(originals[i]!));
    // Both real articles and their mirrors must pass the filters, or this test checks nothing.
    expect(mirroredAndStaged).toEqual(mirrorUrls);
    const rows = await corpusRows(night1);
    const urls = rows.map((r) => String(r.url));
    const removed = await removedDocs(night1);
    for (const mirror of mirroredAndStaged) {
      const original = originals[mirrorUrls.indexOf(mirror)]!;
      expect(urls).toContain(original);
      expect(urls).not.toContain(mirror);
      const kept = rows.find((r) => r.url === original)!;
      const gone = removed.find((d) => d.duplicateOf === kept.id);
      expect(gone).toBeDefined();
      expect(gone!.reason).toBe('near-duplicate');
      expect(gone!.similarity).toBeGreaterThanOrEqual(0.8);
      // The copy differs by a few shingles out of thousands, so all 128 positions may agree and the
      // estimate reach 1; what makes it a near copy is that its text differs from the kept one.
      const goneText = (await duckdb(`SELECT text FROM read_parquet('${night1}/staged/ja/ja_cc/*.parquet') WHERE id = '${gone!.id}'`))[0]?.text;
      expect(goneText).toBeDefined();
      expect(goneText).not.toBe(kept.text);
    }
    const stats = await readStats(night1);
    expect(unbalancedStages(stats.totals)).toEqual([]);
    expect(stats.totals.dedup?.drops['near-duplicate']?.docs).toBe(removed.filter((d) => d.reason === 'near-duplicate').length);
    expect(stats.totals.write?.docsOut).toBe(rows.length);
    expect(stats.dedup?.committedAs).toMatch(/^cc-ja-run-[0-9a-f]{8}$/);
  });

  it('merges the bucket files in groups when a run has more WARCs than mergeFanIn, with the same result', async () => {
    const config = join(await tempDir('dedup-fanin-config'), 'fan-in.json');
    await writeFile(config, JSON.stringify({ dedup: { mergeFanIn: 2 } }));
    const grouped = join(await tempDir('dedup-grouped'), 'run');
    const r = await runCli('pipeline', ['cc-ja', '--input', inputs, '--input', CLUEWEB_JA, '--out', grouped, '--no-dedup-index', '--config', config]);
    expect(r.code, r.stderr).toBe(0);
    // Three WARCs, groups of two: two group tasks, and the band tasks read the two group files.
    expect((await readdir(join(grouped, 'dedup-groups'))).filter((f) => f.endsWith('.done')).sort()).toEqual(['group-00000.done', 'group-00001.done']);
    const plan = JSON.parse(await readFile(join(grouped, 'dedup', 'plan.json'), 'utf8')) as { groups?: Array<{ taskStart: number; taskEnd: number }> };
    expect(plan.groups?.map((g) => [g.taskStart, g.taskEnd])).toEqual([[0, 2], [2, 3]]);
    const ids = (rows: Array<Record<string, unknown>>): string[] => rows.map((x) => String(x.id)).sort();
    expect(ids(await corpusRows(grouped))).toEqual(ids(await corpusRows(night1)));
    const removals = async (dir: string): Promise<string[]> => (await removedDocs(dir)).map((d) => `${d.id} ${d.reason} ${d.duplicateOf}`).sort();
    expect(await removals(grouped)).toEqual(await removals(night1));
    expect((await runCli('verify', [grouped])).code).toBe(0);
  });

  it('a later run drops what an earlier run already kept, through the persistent index, without reading its Parquet', async () => {
    const again = mirrored(await article(0), 9);
    await warcOf(join(inputs, '..', 'night2.warc.gz'), [again], '2030-02-01T00:00:00Z');
    const night2 = join(await tempDir('dedup-night2'), 'run2');
    const r = await runCli('pipeline', ['cc-ja', '--input', join(inputs, '..', 'night2.warc.gz'), '--out', night2, '--dedup-index', index]);
    expect(r.code, r.stderr).toBe(0);
    const stats = await readStats(night2);
    expect(stats.dedup?.indexSegments).toEqual([(await readStats(night1)).dedup?.committedAs]);
    const night1Rows = await corpusRows(night1);
    const original = night1Rows.find((x) => x.url === originals[0]);
    expect(original).toBeDefined();
    const removed = await removedDocs(night2);
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ reason: 'near-duplicate-of-earlier-run', duplicateOf: original!.id });
    expect(stats.output['ja/ja_cc']).toEqual({ docs: 0, shards: 0 });
    // Against earlier runs and within this run are two reasons in the ledger.
    expect(stats.totals.dedup?.drops).toEqual({ 'near-duplicate-of-earlier-run': expect.objectContaining({ docs: 1 }) });
  });

  it('a commit that fills a size tier compacts the index into one segment, and later runs dedup against it as before', async () => {
    const configFile = join(await tempDir('dedup-compact-config'), 'fanin2.json');
    await writeFile(configFile, JSON.stringify({ dedup: { indexFanIn: 2 } }));
    const night3In = await warcOf(join(inputs, '..', 'night3.warc.gz'), [mirrored(await article(1), 7)], '2030-03-01T00:00:00Z');
    const night3 = join(await tempDir('dedup-night3'), 'run3');
    const r3 = await runCli('pipeline', ['cc-ja', '--input', night3In, '--out', night3, '--dedup-index', index, '--config', configFile]);
    expect(r3.code, r3.stderr).toBe(0);
    // night1, night2 and night3 are tier 0 (tiny): with a fan-in of 2 night3's commit merges them.
    const segments = (await readdir(index)).filter((n) => !n.startsWith('.'));
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatch(/^compact-/);
    const night4In = await warcOf(join(inputs, '..', 'night4.warc.gz'), [mirrored(await article(0), 8)], '2030-04-01T00:00:00Z');
    const night4 = join(await tempDir('dedup-night4'), 'run4');
    const r4 = await runCli('pipeline', ['cc-ja', '--input', night4In, '--out', night4, '--dedup-index', index]);
    expect(r4.code, r4.stderr).toBe(0);
    expect((await readStats(night4)).dedup?.indexSegments).toEqual(segments);
    const original = (await corpusRows(night1)).find((x) => x.url === originals[0]);
    expect(await removedDocs(night4)).toEqual([expect.objectContaining({ reason: 'near-duplicate-of-earlier-run', duplicateOf: original!.id })]);
  });

  it('refuses to resume a run with another index than the one its dedup read', async () => {
    const r = await runCli('pipeline', ['cc-ja', '--input', inputs, '--input', CLUEWEB_JA, '--out', night1, '--no-dedup-index', '--workers', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was deduplicated against the index .*index; resume it with that index/);
  });

  it('a worker that dies in the middle of a band leaves the band undone; the rerun finishes it with the same survivors', async () => {
    const crashed = join(await tempDir('dedup-crash'), 'run');
    const args = ['cc-ja', '--input', inputs, '--input', CLUEWEB_JA, '--out', crashed, '--no-dedup-index', '--workers', '2'];
    const first = await runCli('pipeline', args, { JCP_FAULT_BAND: '3:5' });
    expect(first.code).not.toBe(0);
    expect(first.stderr).toMatch(/band-003 failed/);
    await expect(readFile(join(crashed, 'dedup-bands', 'band-003.done'))).rejects.toThrow();
    const second = await runCli('pipeline', args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/dedup-bands: resuming: 16 of 17 tasks already done/);
    expect(await corpusRows(crashed)).toEqual(await corpusRows(night1));
    expect(await removedDocs(crashed)).toEqual(await removedDocs(night1));
  });
});
