import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { FIXTURES, SHARED_DATA, duckdb, runCli, tempDir } from './helpers.ts';

const CRAWL = 'CC-MAIN-2026-05';
const WARCS = ['cc-fixture-ja.warc.gz', 'cc-fixture-mixed.warc.gz', 'cc-fixture-plain.warc'];

interface Served {
  server: Server;
  base: string;
  log: Array<{ method: string; path: string; range: string | null }>;
  /** Paths to answer 404, to fail a WARC past its retries. */
  missing: Set<string>;
}

/** A loopback HTTP server; `handle` answers each request, the log records what was asked. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, s: Served) => void | Promise<void>): Promise<Served> {
  const s = { log: [], missing: new Set<string>() } as unknown as Served;
  s.server = createServer((req, res) => {
    s.log.push({ method: req.method ?? '', path: req.url ?? '', range: req.headers.range ?? null });
    void handle(req, res, s);
  });
  await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
  s.base = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
  return s;
}

const readStats = async (dir: string): Promise<RunStats> => JSON.parse(await readFile(join(dir, 'stats.json'), 'utf8')) as RunStats;
const docs = (dir: string, sub: string): Promise<Array<Record<string, unknown>>> =>
  duckdb(`SELECT id, text, source, subcorpus, url FROM read_parquet('${dir}/corpus/ja/${sub}/*.parquet') ORDER BY id`);

describe('cc-ja --crawl: Common Crawl over HTTP from a loopback mirror', () => {
  let cc: Served;
  let resets = 0;
  beforeAll(async () => {
    const listing = gzipSync(WARCS.map((w) => `crawl-data/${CRAWL}/segments/1/warc/${w}`).join('\n') + '\n');
    cc = await serve(async (req, res, s) => {
      const path = req.url ?? '';
      if (path === `/crawl-data/${CRAWL}/warc.paths.gz`) return void res.end(listing);
      const name = WARCS.find((w) => path.endsWith(`/${w}`));
      if (!name || s.missing.has(name)) return void res.writeHead(404).end();
      const body = await readFile(join(FIXTURES, 'warc', name));
      const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
      if (from > 0) {
        res.writeHead(206, { 'Content-Length': body.length - from, 'Content-Range': `bytes ${from}-${body.length - 1}/${body.length}` });
        return void res.end(body.subarray(from));
      }
      res.writeHead(200, { 'Content-Length': body.length });
      // A HEAD (the run's check of the WARC's version) gets the headers only; node drops the body.
      if (name === WARCS[0] && req.method === 'GET' && resets++ === 0) {
        // The first download of the first WARC breaks half way: the reader must resume from that byte.
        res.write(body.subarray(0, 20_000), () => res.destroy());
        return;
      }
      res.end(body);
    });
  });
  afterAll(() => new Promise<void>((r) => cc.server.close(() => r())));

  it('streams the selected WARCs, resumes a broken download with a Range request, and keeps what a local run keeps', async () => {
    const out = join(await tempDir('cc-http'), 'run');
    const r = await runCli('pipeline', ['cc-ja', '--crawl', CRAWL, '--base-url', cc.base, '--out', out, '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(cc.log.some((l) => l.path.endsWith(WARCS[0]!) && l.range === 'bytes=20000-')).toBe(true);
    const local = join(await tempDir('cc-local'), 'run');
    expect((await runCli('pipeline', ['cc-ja', '--out', local])).code).toBe(0);
    const viaHttp = (await docs(out, 'ja_cc')).map((d) => [d.id, d.text]);
    expect(viaHttp.length).toBeGreaterThan(0);
    expect(viaHttp).toEqual((await docs(local, 'ja_cc')).map((d) => [d.id, d.text]));
    const stats = await readStats(out);
    expect(stats.byWarc.every((w) => w.crawl === CRAWL || w.crawl === 'fixture-2026')).toBe(true);
  });

  it('--shard and --limit pick a slice; a WARC that fails past its retries is listed as failed, and a rerun retries only it', async () => {
    const out = join(await tempDir('cc-http-fail'), 'run');
    cc.missing.add(WARCS[1]!);
    const args = ['cc-ja', '--crawl', CRAWL, '--base-url', cc.base, '--shard', '1/2', '--out', out, '--workers', '1'];
    // Shard 1/2 of three WARCs is the second alone.
    const first = await runCli('pipeline', [...args, '--limit', '1']);
    expect(first.code).toBe(1);
    const failed = (await readStats(out)).failed;
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(new RegExp(`${WARCS[1]!.replace(/\./g, '\\.')}.*404`));
    cc.missing.clear();
    const before = cc.log.length;
    const second = await runCli('pipeline', [...args, '--limit', '1']);
    expect(second.code, second.stderr).toBe(0);
    // Downloads only: the run also asks each WARC's version (HEAD) to tell a replaced file.
    const fetched = cc.log.slice(before).filter((l) => l.method === 'GET').map((l) => l.path);
    expect(fetched.filter((p) => p.endsWith('.warc.gz') || p.endsWith('.warc'))).toEqual([`/crawl-data/${CRAWL}/segments/1/warc/${WARCS[1]}`]);
    expect((await readStats(out)).tasks).toEqual({ total: 1, done: 1, failed: 0 });
  });
});

describe('--abandon-failed', () => {
  let cc: Served;
  beforeAll(async () => {
    const listing = gzipSync(WARCS.map((w) => `crawl-data/${CRAWL}/segments/1/warc/${w}`).join('\n') + '\n');
    cc = await serve(async (req, res) => {
      const path = req.url ?? '';
      if (path === `/crawl-data/${CRAWL}/warc.paths.gz`) return void res.end(listing);
      // The second WARC is gone from the server for good.
      const name = WARCS.find((w) => path.endsWith(`/${w}`));
      if (!name || name === WARCS[1]) return void res.writeHead(404).end();
      res.end(await readFile(join(FIXTURES, 'warc', name)));
    });
  });
  afterAll(() => new Promise<void>((r) => cc.server.close(() => r())));

  it('finishes a run without the WARC that keeps failing, and says which and why', async () => {
    const out = join(await tempDir('cc-abandon'), 'run');
    const args = ['cc-ja', '--crawl', CRAWL, '--base-url', cc.base, '--out', out, '--workers', '2'];
    const first = await runCli('pipeline', args);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/--abandon-failed/);
    const second = await runCli('pipeline', [...args, '--abandon-failed']);
    expect(second.code, second.stderr).toBe(0);
    const stats = await readStats(out);
    expect(stats.tasks).toEqual({ total: 3, done: 3, failed: 0 });
    const gone = stats.byWarc.filter((w) => w.abandoned !== undefined);
    expect(gone.map((w) => w.warcFile)).toEqual([`${cc.base}/crawl-data/${CRAWL}/segments/1/warc/${WARCS[1]}`]);
    expect(gone[0]!.abandoned).toMatch(/404/);
    expect(stats.totals.read?.events['warc-abandoned']).toBe(1);
    expect(stats.output['ja/ja_cc']!.docs).toBeGreaterThan(0);
  });
});

describe('warp-ja --urls: crawl a URL list politely, then the same chain as ja_warp', () => {
  let site: Served;
  let pages: Record<string, string>;
  beforeAll(async () => {
    const works = (await readFile(join(SHARED_DATA, 'text/aozora-akutagawa-miyazawa.jsonl'), 'utf8')).split('\n').filter(Boolean).slice(0, 4);
    const texts = works.map((l) => (JSON.parse(l) as { text: string }).text.split('\n').filter((p) => p.length > 40).slice(0, 12));
    const html = (title: string, paras: string[]): string =>
      `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><nav><a href="/">トップ</a></nav><article><h1>${title}</h1>${paras.map((p) => `<p>${p}</p>`).join('')}</article><footer>図書の森</footer></body></html>`;
    pages = {
      '/works/1.html': html('作品一', texts[0]!),
      '/works/2.html': html('作品二', texts[1]!),
      '/works/3.html': html('作品三', texts[2]!),
      // The same work again under another URL, with one more line: a near-duplicate.
      '/mirror/1.html': html('作品一（転載）', [...texts[0]!, 'この作品は図書の森から転載しました。']),
      '/private/4.html': html('非公開', texts[3]!),
    };
    site = await serve((req, res) => {
      const path = req.url ?? '';
      if (path === '/robots.txt') return void res.end('User-agent: *\nDisallow: /private/\n');
      const page = pages[path];
      if (!page) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    });
  });
  afterAll(() => new Promise<void>((r) => site.server.close(() => r())));

  it('writes WARCs, obeys robots.txt, and turns the pages into ja_warp docs, one of each duplicate', async () => {
    const dir = await tempDir('warp');
    const list = join(dir, 'urls.txt');
    await writeFile(list, Object.keys(pages).map((p) => `${site.base}${p}\tseed`).join('\n') + '\n');
    const out = join(dir, 'run');
    const r = await runCli('pipeline', ['warp-ja', '--urls', list, '--out', out, '--allow-private', '--delay-ms', '0']);
    expect(r.code, r.stderr).toBe(0);
    expect(site.log.some((l) => l.path.startsWith('/private/'))).toBe(false);
    const rows = await docs(out, 'ja_warp');
    const urls = rows.map((d) => String(d.url).replace(site.base, '')).sort();
    expect(urls).toEqual(['/works/1.html', '/works/2.html', '/works/3.html']);
    expect(new Set(rows.map((d) => d.source))).toEqual(new Set(['warp']));
    const stats = await readStats(out);
    expect(stats.source).toBe('warp');
    expect(stats.totals.dedup?.drops['near-duplicate']?.docs).toBe(1);
    // Rerunning the command crawls nothing again and resumes the finished run.
    const before = site.log.length;
    expect((await runCli('pipeline', ['warp-ja', '--urls', list, '--out', out, '--allow-private', '--delay-ms', '0'])).code).toBe(0);
    expect(site.log.length).toBe(before);
  });
});
