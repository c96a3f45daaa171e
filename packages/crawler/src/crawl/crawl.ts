import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Agent } from 'undici';
import { writeFileAtomic } from '@jcp/core';
import type { WarcRecordSpec } from '../warc/writer.ts';
import { httpResponseBlock } from '../warc/writer.ts';
import { DEFAULT_CRAWL_CONFIG, validateCrawlConfig, type CrawlConfig } from './config.ts';
import { createCrawlAgent, fetchExchange, headerValue, retryAfterMs, type FetchFailure, type HeaderDecision, type HttpExchange } from './fetch.ts';
import { Frontier, type CrawlJob, type HostState } from './frontier.ts';
import { CrawlJournal, type JournalEntry, type RobotsJournalEntry, type UrlJournalEntry } from './journal.ts';
import type { FailureReason, OutcomeName } from './outcome.ts';
import { recoverCrawlFolder, type RecoveryReport } from './recovery.ts';
import { PinningResolver, type AddressRefusal, type LookupAll, type PinnedAddress } from './resolver.ts';
import { fetchRobots, robotsPolicyOf } from './robots-fetch.ts';
import type { RobotsPolicy } from './robots.ts';
import { readUrlList, urlKey, type UrlList } from './url-list.ts';
import { RotatingWarcWriter, listWarcFiles } from './warc-files.ts';

/** The journal's name inside the output folder. */
export const JOURNAL_FILE = 'crawl-journal.jsonl';
/** The summary's name inside the output folder (also returned by `runCrawl`). */
export const SUMMARY_FILE = 'crawl-summary.json';

export interface CrawlOptions {
  urlsFile: string;
  /** Output folder: WARC files, journal and summary. Rerunning with the same folder resumes. */
  outDir: string;
  /** Overrides of DEFAULT_CRAWL_CONFIG. */
  config?: Partial<CrawlConfig>;
  /** Host name resolution (tests map made-up names to loopback); `dns.lookup` by default. */
  lookup?: LookupAll;
  /** Progress, failure and recovery lines; stderr by default. */
  log?: (line: string) => void;
  /** Stops the crawl: nothing new starts, requests in flight finish and are journaled, files are closed cleanly. */
  signal?: AbortSignal;
}

export interface CrawlSummary {
  urlsFile: string;
  outDir: string;
  journal: string;
  /** Non-blank, non-comment lines of the list. */
  listedLines: number;
  /** Every listed line under one outcome, over all runs of this folder; sums to `listedLines - pending`. */
  outcomes: Partial<Record<OutcomeName, number>>;
  /** Listed URLs with no outcome yet (the crawl was stopped). */
  pending: number;
  /** Listed URLs already finished when this run started. */
  alreadyDone: number;
  thisRun: {
    finished: number;
    ok: number;
    failed: number;
    /** HTTP requests made (robots.txt, redirect hops and retries included). */
    requests: number;
    /** Bytes of gzip members appended to WARC files. */
    warcBytes: number;
    elapsedMs: number;
    pagesPerSecond: number;
  };
  /** Closed WARC files in the folder, in name order. */
  warcFiles: string[];
  recovery: Pick<RecoveryReport, 'finalized' | 'discarded' | 'truncatedBytes' | 'journalRewritten'> & { droppedEntries: number; badJournalLines: number };
  stopped: boolean;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A job whose outcome is decided, ready to be journaled. */
interface Finish {
  job: CrawlJob;
  failure?: FetchFailure;
  exchange?: HttpExchange;
}

/** A robots.txt as journaled and as parsed. */
interface KnownRobots {
  policy: RobotsPolicy;
  entry: RobotsJournalEntry;
}

/** Where a crawl reads its list and writes its output (absolute). */
interface CrawlPaths {
  urlsFile: string;
  outDir: string;
  journal: string;
}

/**
 * Crawls a URL list into WARC files under `outDir`, politely (robots.txt, per-host delay and connection
 * limit, global concurrency) and safely (http(s) only, no special addresses unless allowed). Resumable:
 * rerun with the same list and folder and finished URLs are skipped, a WARC file left open by a killed
 * run is finalised (see recovery.ts).
 */
export async function runCrawl(options: CrawlOptions): Promise<CrawlSummary> {
  return (await UrlListCrawl.open(options)).run();
}

/** One `runCrawl`: `open` prepares the folder and the crawl state, `run` (once) crawls and summarises. */
class UrlListCrawl {
  private readonly done = new Map<string, UrlJournalEntry>();
  private readonly claimed: Set<string>;
  private readonly robots = new Map<string, KnownRobots | 'fetching'>();
  // Host name -> its pinned address or why it is refused. Resolved before anything else is sent to a host,
  // so a refused host costs no robots.txt attempt and no politeness delay.
  private readonly addresses = new Map<string, PinnedAddress | AddressRefusal>();
  private readonly alreadyDone: number;
  private readonly resolver: PinningResolver;
  private readonly agent: Agent;
  private readonly frontier: Frontier;
  private readonly todo: number;
  private readonly thisRun = { finished: 0, ok: 0, failed: 0, requests: 0, warcBytes: 0 };
  private active = 0;
  private fatal: unknown = null;
  private readonly tasks = new Set<Promise<void>>();
  private wakeUp: (() => void) | null = null;
  private storeQueue: Promise<unknown> = Promise.resolve();
  // `options.signal` drains: nothing new starts, requests in flight finish and are journaled (so a server
  // that already answered is not asked again). `abandon` cuts requests off; only a fatal error uses it.
  private draining: boolean;
  private readonly abandon = new AbortController();

  /** Reads the list, recovers the folder from a killed run, and opens the journal and the WARC writer. */
  static async open(options: CrawlOptions): Promise<UrlListCrawl> {
    const config = validateCrawlConfig({ ...DEFAULT_CRAWL_CONFIG, ...options.config });
    const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
    const startedAt = Date.now();
    const outDir = resolve(options.outDir);
    const urlsFile = resolve(options.urlsFile);
    await mkdir(outDir, { recursive: true });

    const list = await readUrlList(urlsFile);
    for (const p of list.problems) log(`crawl: ${p.reason === 'bad-url' ? 'bad-url' : 'duplicate-in-list'} ${p.file}:${p.line}: ${p.detail}`);

    const journalPath = join(outDir, JOURNAL_FILE);
    const { entries, report } = await recoverCrawlFolder(outDir, journalPath, config.warcPrefix);
    logRecovery(report, journalPath, log);

    const journal = await CrawlJournal.open(journalPath);
    const writer = new RotatingWarcWriter(outDir, config.warcPrefix, config.maxWarcBytes, (await listWarcFiles(outDir, config.warcPrefix)).nextSerial, [
      ['software', 'jcp-crawler/0.1 (@jcp/crawler runCrawl)'],
      ['format', 'WARC File Format 1.1'],
      ['conformsTo', 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/'],
      ['http-header-user-agent', config.userAgent],
      ['robots', 'obey'],
      ['isPartOf', basename(urlsFile)],
    ]);
    return new UrlListCrawl(options, config, log, startedAt, { urlsFile, outDir, journal: journalPath }, list, report, entries, journal, writer);
  }

  /** Takes finished URLs, claimed URLs and fresh robots.txt from the journal, and queues the rest of the list. */
  private constructor(
    private readonly options: CrawlOptions,
    private readonly config: CrawlConfig,
    private readonly log: (line: string) => void,
    private readonly startedAt: number,
    private readonly paths: CrawlPaths,
    private readonly list: UrlList,
    private readonly recovery: RecoveryReport,
    journaled: JournalEntry[],
    private readonly journal: CrawlJournal,
    private readonly writer: RotatingWarcWriter,
  ) {
    this.claimed = new Set<string>(list.entries.map((e) => e.url));
    for (const e of journaled) {
      if (e.kind === 'url') {
        this.done.set(e.url, e);
        this.claimed.add(e.finalUrl);
        for (const r of e.redirects) this.claimed.add(r);
      } else if (Date.now() - Date.parse(e.at) < config.robotsCacheTtlMs) {
        this.robots.set(e.origin, { policy: robotsPolicyOf(e, config.robotsProductToken), entry: e });
      }
    }
    this.alreadyDone = list.entries.filter((e) => this.done.has(e.url)).length;

    this.resolver = new PinningResolver(config.allowPrivateAddresses, options.lookup);
    this.agent = createCrawlAgent(this.resolver, config);
    this.draining = options.signal?.aborted ?? false;
    // Each request in flight listens on it (removed when the request ends).
    setMaxListeners(config.concurrency + 8, this.abandon.signal);

    this.frontier = new Frontier(config.perHostConnections, config.perHostDelayMs);
    for (const [origin, r] of this.robots) if (r !== 'fetching') this.applyCrawlDelay(origin, r.policy);
    for (const entry of list.entries) {
      if (!this.done.has(entry.url)) this.frontier.push({ entry, url: new URL(entry.url), redirects: [], attempt: 0 });
    }
    this.todo = this.frontier.size;
  }

  /** Crawls until every queued URL has an outcome, the signal stops it or a fatal error; closes the files and writes the summary. */
  async run(): Promise<CrawlSummary> {
    const progress = setInterval(() => this.logProgress(), this.config.progressIntervalMs);
    progress.unref();
    const onStop = (): void => {
      this.draining = true;
      this.wake();
    };
    this.options.signal?.addEventListener('abort', onStop, { once: true });
    this.abandon.signal.addEventListener('abort', this.wake, { once: true });
    try {
      await this.dispatch();
      if (this.draining && this.tasks.size > 0) this.log(`crawl: stopping: waiting for ${this.active} request(s) in flight to finish`);
      // Retries and redirect hops queued meanwhile stay unstarted; their URLs have no journal line yet.
      while (this.tasks.size > 0) await Promise.all(this.tasks);
      await this.storeQueue;
    } finally {
      clearInterval(progress);
      this.options.signal?.removeEventListener('abort', onStop);
      await this.writer.close();
      await this.journal.close();
      await this.agent.close().catch(() => undefined);
    }
    if (this.fatal) throw this.fatal;
    const summary = await this.summary();
    await writeFileAtomic(join(this.paths.outDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  }

  /** Starts ready hosts' head jobs up to the concurrency limit and sleeps until a task ends or a host's turn comes, till the queues are empty or the crawl stops. */
  private async dispatch(): Promise<void> {
    const { config, frontier } = this;
    for (;;) {
      if (this.draining || this.abandon.signal.aborted) return;
      let next: ReturnType<Frontier['nextReady']> = null;
      while (this.active < config.concurrency) {
        next = frontier.nextReady(Date.now());
        if (next === null || typeof next === 'number') break;
        this.startNext(next);
        frontier.schedule(next);
      }
      if (this.active === 0 && this.tasks.size === 0 && next === null) {
        if (frontier.size === 0) return;
        throw new Error(`crawl scheduler stalled with ${frontier.size} queued URLs and nothing in flight`);
      }
      const waitMs = typeof next === 'number' && this.active < config.concurrency ? Math.max(0, next - Date.now()) : null;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((res) => {
        this.wakeUp = res;
        if (waitMs !== null) timer = setTimeout(this.wake, waitMs);
      });
      clearTimeout(timer);
    }
  }

  private readonly wake = (): void => {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  };

  /** Runs a task in the background; its end wakes `dispatch`, and its error is fatal and abandons the requests in flight. */
  private track(p: Promise<void>): void {
    const t = p.catch((e: unknown) => {
      this.fatal ??= e;
      this.abandon.abort();
    });
    this.tasks.add(t);
    void t.finally(() => {
      this.tasks.delete(t);
      this.wake();
    });
  }

  /** Acts on the head job of a ready host: resolve it, fetch robots.txt first, refuse the job, or fetch it. */
  private startNext(host: HostState): void {
    const job = host.queue[0];
    if (!job) return;
    const address = this.addresses.get(host.name);
    if (!address) {
      this.resolveHost(host);
      return;
    }
    if ('reason' in address) {
      this.frontier.take(host);
      this.track(this.record({ job, failure: { reason: address.reason, detail: address.detail } }));
      return;
    }
    const origin = job.url.origin;
    const r = this.robotsFor(origin);
    if (r === 'fetching') {
      host.blockedOn = `robots ${origin}`;
      return;
    }
    if (!r) {
      this.track(this.loadRobots(host, origin));
      return;
    }
    this.frontier.take(host);
    const refusal = robotsVerdict(this.config, r.policy, r.entry, job.url);
    if (refusal) this.track(this.record({ job, failure: refusal }));
    else this.track(this.fetchPage(host, job));
  }

  private resolveHost(host: HostState): void {
    host.blockedOn = 'address lookup';
    this.track(
      this.resolver.resolve(host.name).then((a) => {
        this.addresses.set(host.name, a);
        host.blockedOn = null;
        this.frontier.schedule(host);
      }),
    );
  }

  /** The origin's robots.txt, 'fetching', or undefined when it has none younger than `robotsCacheTtlMs`. */
  private robotsFor(origin: string): KnownRobots | 'fetching' | undefined {
    const r = this.robots.get(origin);
    if (r && r !== 'fetching' && Date.now() - Date.parse(r.entry.at) >= this.config.robotsCacheTtlMs) return undefined;
    return r;
  }

  /** Fetches an origin's robots.txt while its host's queue waits, then caches, applies and journals it. */
  private async loadRobots(host: HostState, origin: string): Promise<void> {
    this.robots.set(origin, 'fetching');
    host.blockedOn = `robots ${origin}`;
    this.frontier.started(host, Date.now());
    this.active++;
    try {
      const entry = await fetchRobots(origin, this.config, { agent: this.agent, resolver: this.resolver, signal: this.abandon.signal }, () => this.thisRun.requests++);
      if (entry.failure?.reason === 'aborted') {
        this.robots.delete(origin);
        return;
      }
      const policy = robotsPolicyOf(entry, this.config.robotsProductToken);
      this.robots.set(origin, { policy, entry });
      this.applyCrawlDelay(origin, policy);
      await this.serially(() => this.journal.append(entry));
    } finally {
      host.blockedOn = null;
      this.active--;
      this.frontier.finished(host, Date.now());
    }
  }

  private applyCrawlDelay(origin: string, policy: RobotsPolicy): void {
    const delay = policy.crawlDelayMs ?? 0;
    if (delay > this.config.maxCrawlDelayMs) return; // its URLs are refused instead
    const host = this.frontier.host(new URL(origin).hostname);
    host.crawlDelayMs = Math.max(host.crawlDelayMs, delay);
  }

  /** Fetches a job's URL, then queues its retry, follows its redirect, or records its outcome. */
  private async fetchPage(host: HostState, job: CrawlJob): Promise<void> {
    const { config } = this;
    this.frontier.started(host, Date.now());
    this.active++;
    this.thisRun.requests++;
    let waitMs = 0;
    try {
      const r = await fetchExchange(job.url, {
        agent: this.agent,
        resolver: this.resolver,
        config,
        accept: config.allowedContentTypes.join(', '),
        maxBodyBytes: config.maxBodyBytes,
        truncateAtLimit: false,
        onHeaders: (status, headers) => pageDecision(config, status, headers),
        signal: this.abandon.signal,
      });
      if ('reason' in r) {
        const wait = retryWait(config, job.attempt, r);
        if (wait !== null) {
          waitMs = wait;
          this.frontier.push({ ...job, attempt: job.attempt + 1 }, true);
          return;
        }
        await this.record({ job, failure: r });
        return;
      }
      if (REDIRECT_STATUSES.has(r.status)) {
        const failure = this.followRedirect(job, r);
        if (failure) await this.record({ job, failure });
        return;
      }
      await this.record({ job, exchange: r });
    } finally {
      this.active--;
      this.frontier.finished(host, Date.now(), waitMs);
    }
  }

  /** Follows a redirect by queueing its target, or says why not. */
  private followRedirect(job: CrawlJob, ex: HttpExchange): FetchFailure | null {
    const raw = headerValue(ex.headers, 'location');
    if (!raw) return { reason: 'bad-redirect', detail: `HTTP ${ex.status} without Location`, status: ex.status };
    let target: URL;
    try {
      target = new URL(latin1ToUtf8(raw), job.url);
    } catch {
      return { reason: 'bad-redirect', detail: `Location '${raw.slice(0, 200)}' is not a URL`, status: ex.status };
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return { reason: 'unsupported-scheme', detail: `redirect to '${target.protocol}' URL ${target.href.slice(0, 200)}`, status: ex.status };
    }
    const key = urlKey(target);
    const chain = [...job.redirects, urlKey(job.url)];
    if (chain.includes(key)) return { reason: 'redirect-loop', detail: [...chain, key].join(' -> '), status: ex.status };
    if (chain.length > this.config.maxRedirects) return { reason: 'too-many-redirects', detail: `more than ${this.config.maxRedirects} redirects`, status: ex.status };
    if (this.claimed.has(key)) return { reason: 'duplicate', detail: `redirects to ${key}, which this crawl fetches for another listed URL`, status: ex.status };
    this.claimed.add(key);
    this.frontier.push({ entry: job.entry, url: new URL(key), redirects: chain, attempt: 0 }, true);
    return null;
  }

  /** Journals a job's outcome (after its WARC records when it was fetched) and counts it. */
  private async record({ job, failure, exchange }: Finish): Promise<void> {
    if (failure?.reason === 'aborted') return; // stopped: left unjournaled, so the next run fetches it
    const entry: UrlJournalEntry = {
      kind: 'url',
      url: job.entry.url,
      line: job.entry.line,
      ...(job.entry.fields.length ? { fields: job.entry.fields } : {}),
      outcome: failure ? failure.reason : 'ok',
      ...(failure ? { detail: failure.detail } : {}),
      ...((exchange?.status ?? failure?.status) !== undefined ? { status: exchange?.status ?? failure?.status } : {}),
      finalUrl: urlKey(job.url),
      redirects: job.redirects,
      at: new Date().toISOString(),
    };
    await this.serially(async () => {
      if (exchange) {
        const specs = exchangeRecords(job, exchange);
        const [req, res] = await this.writer.write(specs);
        if (!req || !res) throw new Error('WARC writer returned fewer locations than records');
        entry.warc = { file: res.file, offset: res.offset, length: res.length, requestOffset: req.offset, requestLength: req.length };
        entry.ip = exchange.ip;
        entry.payloadBytes = exchange.body.length;
        this.thisRun.warcBytes += req.length + res.length;
      }
      await this.journal.append(entry);
    });
    this.done.set(entry.url, entry);
    this.thisRun.finished++;
    if (exchange) this.thisRun.ok++;
    else {
      this.thisRun.failed++;
      const where = entry.finalUrl !== entry.url ? ` (at ${entry.finalUrl})` : '';
      this.log(`crawl: ${entry.outcome} ${entry.url}${where}: ${entry.detail ?? ''}`);
    }
  }

  // WARC appends and journal lines go through one queue: a URL's records are on disk before its line, and
  // no other URL's records can land between them (recovery relies on both).
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.storeQueue.then(fn);
    this.storeQueue = run.catch(() => undefined);
    return run;
  }

  private logProgress(): void {
    const run = this.thisRun;
    const secs = (Date.now() - this.startedAt) / 1000;
    this.log(
      `crawl: ${run.finished}/${this.todo} (${run.ok} ok, ${run.failed} failed), ${this.active} in flight, ${this.frontier.size} queued, ` +
        `${(run.ok / Math.max(secs, 1e-3)).toFixed(1)} pages/s, ${(run.warcBytes / 1e6).toFixed(1)} MB written`,
    );
  }

  /** Every listed line's outcome over all runs of the folder, with this run's figures and its recovery. */
  private async summary(): Promise<CrawlSummary> {
    const outcomes: Partial<Record<OutcomeName, number>> = {};
    const bump = (k: OutcomeName): void => {
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    };
    for (const p of this.list.problems) bump(p.reason === 'bad-url' ? 'bad-url' : 'duplicate-in-list');
    let pending = 0;
    for (const e of this.list.entries) {
      const d = this.done.get(e.url);
      if (d) bump(d.outcome);
      else pending++;
    }
    const run = this.thisRun;
    const report = this.recovery;
    const elapsedMs = Date.now() - this.startedAt;
    return {
      urlsFile: this.paths.urlsFile,
      outDir: this.paths.outDir,
      journal: this.paths.journal,
      listedLines: this.list.lines,
      outcomes,
      pending,
      alreadyDone: this.alreadyDone,
      thisRun: { ...run, elapsedMs, pagesPerSecond: Number((run.ok / Math.max(elapsedMs / 1000, 1e-3)).toFixed(2)) },
      warcFiles: (await listWarcFiles(this.paths.outDir, this.config.warcPrefix)).closed,
      recovery: {
        finalized: report.finalized,
        discarded: report.discarded,
        truncatedBytes: report.truncatedBytes,
        journalRewritten: report.journalRewritten,
        droppedEntries: report.droppedEntries.length,
        badJournalLines: report.badJournalLines.length,
      },
      stopped: this.draining && pending > 0,
    };
  }
}

function logRecovery(report: RecoveryReport, journalPath: string, log: (line: string) => void): void {
  if (report.finalized.length) {
    log(`crawl: finalised ${report.finalized.join(', ')} left open by a killed run (kept journaled records, cut ${report.truncatedBytes} unjournaled bytes)`);
  }
  for (const f of report.discarded) log(`crawl: discarded ${f}.open: it held no journaled record`);
  for (const d of report.droppedEntries) log(`crawl: refetching ${d.url}: ${d.detail}`);
  for (const b of report.badJournalLines) log(`crawl: ${journalPath}:${b.line}: skipped: ${b.detail}`);
}

/** Why robots.txt refuses `url`, or null when it may be fetched. */
function robotsVerdict(config: CrawlConfig, policy: RobotsPolicy, entry: RobotsJournalEntry, url: URL): FetchFailure | null {
  if (policy.state === 'unreachable') {
    const f = entry.failure;
    return { reason: 'robots-unreachable', detail: `${entry.origin}/robots.txt: ${f ? `${f.reason}: ${f.detail}` : `HTTP ${entry.status ?? '?'}`}` };
  }
  if (!policy.isAllowed(url.pathname + url.search)) return { reason: 'robots-disallowed', detail: `${entry.origin}/robots.txt disallows ${url.pathname}${url.search}` };
  if ((policy.crawlDelayMs ?? 0) > config.maxCrawlDelayMs) {
    return { reason: 'crawl-delay-too-long', detail: `Crawl-delay ${(policy.crawlDelayMs ?? 0) / 1000} s exceeds ${config.maxCrawlDelayMs / 1000} s` };
  }
  return null;
}

/** Whether to read a page's body, decided from its status line and headers. */
function pageDecision(config: CrawlConfig, status: number, headers: Array<[string, string]>): HeaderDecision {
  if (REDIRECT_STATUSES.has(status)) return { read: true };
  if (status >= 200 && status < 300) {
    const type = headerValue(headers, 'content-type');
    const media = (type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!config.allowedContentTypes.includes(media)) {
      return { read: false, failure: { reason: 'content-type-not-allowed', detail: `Content-Type '${type ?? '(none)'}'`, status } };
    }
    const declared = Number(headerValue(headers, 'content-length') ?? '0');
    if (declared > config.maxBodyBytes) {
      return { read: false, failure: { reason: 'body-too-large', detail: `Content-Length ${declared} exceeds ${config.maxBodyBytes}`, status } };
    }
    return { read: true };
  }
  const retryAfter = retryAfterMs(headerValue(headers, 'retry-after'), Date.now());
  return { read: false, failure: { reason: `http-${status}`, detail: `HTTP ${status}`, status, retryAfterMs: retryAfter } };
}

/** The wait before retrying a URL that failed after `attempt` retries, or null when the failure is final (then `f.detail` may say why). */
export function retryWait(config: CrawlConfig, attempt: number, f: FetchFailure): number | null {
  const retryable =
    (f.status !== undefined && f.reason === `http-${f.status}` && config.retryStatuses.includes(f.status)) ||
    f.reason === 'connection-reset' ||
    f.reason === 'connection-closed';
  if (!retryable) return null;
  if (attempt >= config.maxRetries) {
    if (attempt > 0) f.detail += ` (after ${attempt} retries)`;
    return null;
  }
  const wait = Math.max(config.retryBaseDelayMs * 2 ** attempt, f.retryAfterMs ?? 0);
  if (wait > config.maxRetryWaitMs) {
    f.detail += ` (a retry would wait ${Math.round(wait / 1000)} s, more than ${config.maxRetryWaitMs / 1000} s)`;
    return null;
  }
  return wait;
}

/** The request and response records of one exchange, linked by WARC-Concurrent-To. */
function exchangeRecords(job: CrawlJob, ex: HttpExchange): WarcRecordSpec[] {
  const date = ex.startedAt.toISOString();
  const requestId = `<urn:uuid:${randomUUID()}>`;
  const responseId = `<urn:uuid:${randomUUID()}>`;
  const target = urlKey(ex.url);
  // undici has undone the chunking, so the archived body is the plain payload; the header that described
  // the chunks is renamed (as Common Crawl does) so WARC readers do not try to dechunk it again.
  const headers = ex.headers.map(([k, v]): [string, string] => (k.toLowerCase() === 'transfer-encoding' ? ['X-Crawler-Transfer-Encoding', v] : [k, v]));
  const block = httpResponseBlock(ex.status, ex.statusText, headers, ex.body);
  const seed: Array<[string, string]> = [['WARC-JCP-Seed-URI', job.entry.url]];
  if (job.entry.fields.length) seed.push(['WARC-JCP-Seed-Fields', JSON.stringify(job.entry.fields)]);
  return [
    {
      type: 'request',
      date,
      block: ex.requestBlock,
      targetUri: target,
      recordId: requestId,
      headers: [
        ['WARC-IP-Address', ex.ip],
        ['WARC-Concurrent-To', responseId],
      ],
    },
    {
      type: 'response',
      date,
      block,
      targetUri: target,
      recordId: responseId,
      headers: [['WARC-IP-Address', ex.ip], ['WARC-Concurrent-To', requestId], ...seed],
    },
  ];
}

/** undici reads header bytes as latin1; a Location sent as raw UTF-8 is re-read as such when it is valid UTF-8. */
function latin1ToUtf8(value: string): string {
  const bytes = Buffer.from(value, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return value;
  }
}

export type { FailureReason };
