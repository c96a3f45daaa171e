import { afterAll, afterEach } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CrawlConfig } from '../src/crawl/config.ts';
import { JOURNAL_FILE, runCrawl, type CrawlSummary } from '../src/crawl/crawl.ts';
import { loadJournal, type UrlJournalEntry } from '../src/crawl/journal.ts';
import type { LookupAll } from '../src/crawl/resolver.ts';

/** One request the server received. */
export interface SeenRequest {
  /** Host header without the port. */
  host: string;
  /** Path and query. */
  path: string;
  /** ms since epoch, at arrival. */
  at: number;
  userAgent: string;
  /** The response was sent completely (false: reset, held, or the client went away). */
  completed: boolean;
}

/** What the server does with a request. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

/** Picks a behaviour for (host, path); undefined means 404. */
export type Site = (host: string, path: string) => Behaviour | undefined;

/**
 * A loopback HTTP server (127.0.0.1, port 0) that serves several made-up host names, selected by the Host
 * header, and logs every request it sees. Use `lookup` to make the crawler resolve `*.test` names to it.
 */
export class CrawlTestServer {
  readonly seen: SeenRequest[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(site: Site): Promise<CrawlTestServer> {
    let self: CrawlTestServer | null = null;
    const server = createServer((req, res) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      const path = req.url ?? '/';
      const record: SeenRequest = { host, path, at: Date.now(), userAgent: req.headers['user-agent'] ?? '', completed: false };
      self?.seen.push(record);
      res.on('finish', () => {
        record.completed = true;
      });
      const behaviour = site(host, path) ?? status(404);
      behaviour(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new CrawlTestServer(server, (server.address() as AddressInfo).port);
    return self;
  }

  /** `http://<host>:<port><path>`. */
  url(host: string, path: string): string {
    return `http://${host}:${this.port}${path}`;
  }

  /** Requests seen for a host and path. */
  hits(host: string, path: string): SeenRequest[] {
    return this.seen.filter((r) => r.host === host && r.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolves every `*.test` name to 127.0.0.1 (and `*.test6` to ::1); anything else fails like NXDOMAIN. */
export const testLookup: LookupAll = async (hostname) => {
  if (hostname.endsWith('.test')) return [{ address: '127.0.0.1', family: 4 }];
  if (hostname.endsWith('.test6')) return [{ address: '::1', family: 6 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

/** A small HTML page naming its path, so every page has a different payload. */
export function page(body = ''): Behaviour {
  return (req, res) => {
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${req.url}</title></head><body>${body || `ページ ${req.url}`}</body></html>`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  };
}

export function text(contentType: string, body: string): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': contentType });
    res.end(body);
  };
}

export function robots(txt: string): Behaviour {
  return text('text/plain', txt);
}

export function status(code: number, headers: Record<string, string> = {}): Behaviour {
  return (_req, res) => {
    res.writeHead(code, { 'Content-Type': 'text/html', ...headers });
    res.end(`<p>status ${code}</p>`);
  };
}

export function redirect(location: string, code = 302): Behaviour {
  return (_req, res) => {
    res.writeHead(code, { Location: location, 'Content-Type': 'text/html' });
    res.end('<p>moved</p>');
  };
}

/** Sends the headers and part of the body, then resets the TCP connection (RST). */
export function resetMidBody(): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': '10000' });
    res.write('<html><body>part of a page');
    setTimeout(() => res.socket?.resetAndDestroy(), 20);
  };
}

/** Declares more bytes than it sends, then closes the connection cleanly (FIN). */
export function shortContentLength(): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': '5000' });
    res.write('<html><body>only this much</body></html>');
    setTimeout(() => res.socket?.end(), 20);
  };
}

/** One byte every `intervalMs`, forever (until the client goes away). */
export function drip(intervalMs: number): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    const timer = setInterval(() => res.write('x'), intervalMs);
    res.on('close', () => clearInterval(timer));
  };
}

/** An HTML body of `bytes` bytes, without Content-Length (chunked), so only counting can stop it. */
export function hugeChunked(bytes: number): Behaviour {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => {
      sent = bytes;
    });
    pump();
  };
}

/** Answers the first `failures` requests with `failing`, then with `then`. */
export function failFirst(failures: number, failing: Behaviour, then: Behaviour): Behaviour {
  let n = 0;
  return (req, res) => (n++ < failures ? failing(req, res) : then(req, res));
}

/** Settings that keep crawl tests fast: loopback allowed, no politeness delay, short timeouts and backoff. */
export const FAST_CRAWL: Partial<CrawlConfig> = {
  allowPrivateAddresses: true,
  perHostDelayMs: 0,
  retryBaseDelayMs: 20,
  maxRetryWaitMs: 2_000,
  connectTimeoutMs: 1_000,
  headersTimeoutMs: 1_000,
  bodyIdleTimeoutMs: 1_000,
  totalTimeoutMs: 1_000,
  progressIntervalMs: 60_000,
};

export interface TestCrawl {
  summary: CrawlSummary;
  dir: string;
  outDir: string;
  log: string[];
  /** Journal lines for listed URLs, by listed URL. */
  outcomes: Map<string, UrlJournalEntry>;
}

const tempDirs: string[] = [];

/** A fresh temp folder, removed by `removeTempDirs`. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crawl-test-'));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Writes `lines` as a URL list in a fresh temp folder (or `dir`) and crawls it into `<folder>/out`. */
export async function crawlList(lines: string[], config: Partial<CrawlConfig> = {}, dir?: string): Promise<TestCrawl> {
  const folder = dir ?? (await tempDir());
  const urlsFile = join(folder, 'urls.txt');
  await writeFile(urlsFile, `${lines.join('\n')}\n`);
  const outDir = join(folder, 'out');
  const log: string[] = [];
  const summary = await runCrawl({ urlsFile, outDir, config: { ...FAST_CRAWL, ...config }, lookup: testLookup, log: (l) => log.push(l) });
  const outcomes = new Map<string, UrlJournalEntry>();
  for (const e of (await loadJournal(join(outDir, JOURNAL_FILE))).entries) if (e.kind === 'url') outcomes.set(e.url, e);
  return { summary, dir: folder, outDir, log, outcomes };
}

/**
 * For a test file whose tests each serve one site: returns `serve(site)`; the server of each test is
 * closed after it, and the crawl output folders after the file.
 */
export function useCrawlServer(): (site: Site) => Promise<CrawlTestServer> {
  let server: CrawlTestServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  afterAll(removeTempDirs);
  return async (site) => (server = await CrawlTestServer.start(site));
}
