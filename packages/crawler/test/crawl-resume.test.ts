import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WARCParser } from 'warcio';
import { InputError } from '@jcp/core';
import { JOURNAL_FILE, runCrawl, type CrawlSummary } from '../src/crawl/crawl.ts';
import { readWarc } from '../src/warc/reader.ts';
import { sha1Base32 } from '../src/warc/writer.ts';
import { CrawlTestServer, FAST_CRAWL, page, removeTempDirs, status, tempDir, testLookup, type Behaviour } from './crawl-server.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PAGES = 30;
const SERVED_BEFORE_KILL = 12;
const MAX_WARC_BYTES = 3_000; // ~2 exchanges per file: several files are closed before the kill, one is open

afterAll(removeTempDirs);

/** The CLI in its own process (node + tsx loader directly, so SIGKILL hits the crawler itself). */
function crawlCli(urlsFile: string, outDir: string): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const args = ['--import', 'tsx', 'pipelines/src/cli/crawl.ts', '--urls', urlsFile, '--out', outDir, '--allow-private'];
  args.push('--max-warc-bytes', String(MAX_WARC_BYTES), '--delay-ms', '0', '--per-host', '2', '--concurrency', '4', '--progress-ms', '60000');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return { child, done };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function okLines(outDir: string): Promise<number> {
  const text = await readFile(join(outDir, JOURNAL_FILE), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.includes('"outcome":"ok"')).length;
}

/** What must be equal between two crawls of the same pages: ids and dates (and server Date headers) aside. */
async function recordSet(outDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of (await readdir(outDir)).filter((n) => n.endsWith('.warc.gz')).sort()) {
    for await (const r of WARCParser.iterRecords(createReadStream(join(outDir, f)), { parseHttp: false })) {
      const block = await r.readFully(false);
      if (r.warcType === 'warcinfo') continue;
      expect(sha1Base32(block)).toBe(r.warcBlockDigest);
      const digest = r.warcType === 'request' ? r.warcBlockDigest : r.warcPayloadDigest;
      out.push(`${r.warcType} ${r.warcTargetURI} ${digest} ${r.warcHeader('WARC-IP-Address')} ${r.warcHeader('WARC-JCP-Seed-URI') ?? ''}`);
    }
  }
  return out.sort();
}

describe('crawl: kill and resume', () => {
  it('after SIGKILL, a rerun fetches no URL twice and ends with the same records as an uninterrupted crawl', async () => {
    let gateOpen = false;
    let arrivals = 0;
    const held: Array<() => void> = [];
    const serve = page();
    // The first SERVED_BEFORE_KILL page requests are answered; later ones hang until the gate opens, so
    // the kill lands while requests are in flight, at a moment the test can see.
    const gated: Behaviour = (req, res) => {
      if (gateOpen || ++arrivals <= SERVED_BEFORE_KILL) serve(req, res);
      else held.push(() => res.destroy());
    };
    const server = await CrawlTestServer.start((_host, path) => (path === '/robots.txt' ? status(404) : path.startsWith('/p') ? gated : undefined));
    try {
      const dir = await tempDir();
      const urlsFile = join(dir, 'urls.txt');
      const paths = Array.from({ length: PAGES }, (_, i) => `/p${i}`);
      await writeFile(urlsFile, paths.map((p, i) => `${server.url('127.0.0.1', p)}\tid-${i}`).join('\n'));
      const outDir = join(dir, 'out');

      const first = crawlCli(urlsFile, outDir);
      await until('the journal to show the served pages', async () => (await okLines(outDir)) >= SERVED_BEFORE_KILL);
      first.child.kill('SIGKILL');
      const killed = await first.done;
      expect(killed.code).toBeNull();

      // What a kill leaves: closed files under final names are whole; the file being written is still `.open`.
      const names = await readdir(outDir);
      const openFiles = names.filter((n) => n.endsWith('.warc.gz.open'));
      expect(openFiles).toHaveLength(1);
      for (const closed of names.filter((n) => n.endsWith('.warc.gz'))) {
        for await (const item of readWarc(join(outDir, closed))) expect(item).not.toBeInstanceOf(InputError);
      }
      // And what a kill in the middle of writing would add: half a gzip member, a torn journal line.
      await appendFile(join(outDir, openFiles[0] ?? ''), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]));
      await appendFile(join(outDir, JOURNAL_FILE), '{"kind":"url","url":"http://127.0.0.1/p');

      gateOpen = true;
      held.forEach((release) => release());
      const second = crawlCli(urlsFile, outDir);
      const resumed = await second.done;
      expect(resumed.code, resumed.stderr).toBe(0);
      const summary = JSON.parse(resumed.stdout.trim().split('\n').pop() ?? '') as CrawlSummary;
      expect(summary.outcomes).toEqual({ ok: PAGES });
      expect(summary.alreadyDone).toBe(SERVED_BEFORE_KILL);
      expect(summary.recovery).toMatchObject({ finalized: [openFiles[0]?.replace(/\.open$/, '')], truncatedBytes: 7, badJournalLines: 1, journalRewritten: true });
      expect((await readdir(outDir)).filter((n) => n.endsWith('.open'))).toEqual([]);

      // Nothing answered was asked for again: robots.txt included (it was journaled by the first run).
      const answered = server.seen.filter((r) => r.completed).map((r) => r.path);
      expect(answered.filter((p) => p === '/robots.txt')).toHaveLength(1);
      expect(answered.filter((p) => p !== '/robots.txt').sort()).toEqual([...paths].sort());
      for (const f of summary.warcFiles) {
        for await (const item of readWarc(join(outDir, f))) expect(item).not.toBeInstanceOf(InputError);
      }

      const cleanDir = join(dir, 'uninterrupted');
      const clean = await runCrawl({
        urlsFile,
        outDir: cleanDir,
        config: { ...FAST_CRAWL, maxWarcBytes: MAX_WARC_BYTES, perHostConnections: 2, concurrency: 4 },
        log: () => undefined,
      });
      expect(clean.outcomes).toEqual({ ok: PAGES });
      const resumedRecords = await recordSet(outDir);
      expect(resumedRecords).toHaveLength(2 * PAGES);
      expect(resumedRecords).toEqual(await recordSet(cleanDir));
    } finally {
      await server.close();
    }
  });
});

describe('crawl: stopping', () => {
  it('stops on its signal after the requests in flight, journals them, and a rerun finishes without refetching', async () => {
    const stop = new AbortController();
    let answered = 0;
    const slow: Behaviour = (req, res) =>
      setTimeout(() => {
        page()(req, res);
        if (++answered === 5) stop.abort();
      }, 20);
    const server = await CrawlTestServer.start((_host, path) => (path === '/robots.txt' ? status(404) : slow));
    try {
      const dir = await tempDir();
      const urlsFile = join(dir, 'urls.txt');
      const urls = Array.from({ length: 20 }, (_, i) => server.url(`h${i % 4}.test`, `/s${i}`));
      await writeFile(urlsFile, urls.join('\n'));
      const outDir = join(dir, 'out');
      const config = { ...FAST_CRAWL, perHostConnections: 1, concurrency: 3 };
      const first = await runCrawl({ urlsFile, outDir, config, lookup: testLookup, signal: stop.signal, log: () => undefined });
      expect(first.stopped).toBe(true);
      expect(first.pending).toBeGreaterThan(0);
      expect((await readdir(outDir)).filter((n) => n.endsWith('.open'))).toEqual([]);
      // Every page the server answered is journaled: nothing was cut off mid-way.
      expect(first.outcomes.ok).toBe(server.seen.filter((r) => r.completed && r.path !== '/robots.txt').length);

      const second = await runCrawl({ urlsFile, outDir, config, lookup: testLookup, log: () => undefined });
      expect(second.outcomes).toEqual({ ok: 20 });
      expect(second.alreadyDone).toBe(first.outcomes.ok);
      const pages = server.seen.filter((r) => r.path !== '/robots.txt').map((r) => r.path);
      expect(pages.sort()).toEqual(urls.map((u) => new URL(u).pathname).sort());
    } finally {
      await server.close();
    }
  });
});
