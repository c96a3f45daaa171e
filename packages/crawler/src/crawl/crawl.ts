import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '@jcp/core';
import type { WarcRecordSpec } from '../warc/writer.ts';
import { httpResponseBlock } from '../warc/writer.ts';
import { DEFAULT_CRAWL_CONFIG, validateCrawlConfig, type CrawlConfig } from './config.ts';
import { createCrawlAgent, fetchExchange, headerValue, retryAfterMs, type FetchFailure, type HeaderDecision, type HttpExchange } from './fetch.ts';
import { Frontier, type CrawlJob, type HostState } from './frontier.ts';
import { CrawlJournal, type RobotsJournalEntry, type UrlJournalEntry } from './journal.ts';
import type { FailureReason, OutcomeName } from './outcome.ts';
import { recoverCrawlFolder, type RecoveryReport } from './recovery.ts';
import { PinningResolver, type AddressRefusal, type LookupAll, type PinnedAddress } from './resolver.ts';
import { fetchRobots, robotsPolicyOf } from './robots-fetch.ts';
import type { RobotsPolicy } from './robots.ts';
import { readUrlList, urlKey } from './url-list.ts';
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

/**
 * Crawls a URL list into WARC files under `outDir`, politely (robots.txt, per-host delay and connection
 * limit, global concurrency) and safely (http(s) only, no special addresses unless allowed). Resumable:
 * rerun with the same list and folder and finished URLs are skipped, a WARC file left open by a killed
 * run is finalised (see recovery.ts).
 */
export async function runCrawl(options: CrawlOptions): Promise<CrawlSummary> {
  const config = validateCrawlConfig({ ...DEFAULT_CRAWL_CONFIG, ...options.config });
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const t0 = Date.now();
  const outDir = resolve(options.outDir);
  const urlsFile = resolve(options.urlsFile);
  await mkdir(outDir, { recursive: true });

  const list = await readUrlList(urlsFile);
  for (const p of list.problems) log(`crawl: ${p.reason === 'bad-url' ? 'bad-url' : 'duplicate-in-list'} ${p.file}:${p.line}: ${p.detail}`);

  const journalPath = join(outDir, JOURNAL_FILE);
  const { entries, report } = await recoverCrawlFolder(outDir, journalPath, config.warcPrefix);
  if (report.finalized.length) {
    log(`crawl: finalised ${report.finalized.join(', ')} left open by a killed run (kept journaled records, cut ${report.truncatedBytes} unjournaled bytes)`);
  }
  for (const f of report.discarded) log(`crawl: discarded ${f}.open: it held no journaled record`);
  for (const d of report.droppedEntries) log(`crawl: refetching ${d.url}: ${d.detail}`);
  for (const b of report.badJournalLines) log(`crawl: ${journalPath}:${b.line}: skipped: ${b.detail}`);

  const done = new Map<string, UrlJournalEntry>();
  const claimed = new Set<string>(list.entries.map((e) => e.url));
  const robots = new Map<string, { policy: RobotsPolicy; entry: RobotsJournalEntry } | 'fetching'>();
  for (const e of entries) {
    if (e.kind === 'url') {
      done.set(e.url, e);
      claimed.add(e.finalUrl);
      for (const r of e.redirects) claimed.add(r);
    } else if (Date.now() - Date.parse(e.at) < config.robotsCacheTtlMs) {
      robots.set(e.origin, { policy: robotsPolicyOf(e, config.robotsProductToken), entry: e });
    }
  }
  const alreadyDone = list.entries.filter((e) => done.has(e.url)).length;

  const resolver = new PinningResolver(config.allowPrivateAddresses, options.lookup);
  const agent = createCrawlAgent(resolver, config);
  const journal = await CrawlJournal.open(journalPath);
  const writer = new RotatingWarcWriter(outDir, config.warcPrefix, config.maxWarcBytes, (await listWarcFiles(outDir, config.warcPrefix)).nextSerial, [
    ['software', 'jcp-crawler/0.1 (@jcp/crawler runCrawl)'],
    ['format', 'WARC File Format 1.1'],
    ['conformsTo', 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/'],
    ['http-header-user-agent', config.userAgent],
    ['robots', 'obey'],
    ['isPartOf', basename(urlsFile)],
  ]);
  // WARC appends and journal lines go through one queue: a URL's records are on disk before its line, and
  // no other URL's records can land between them (recovery relies on both).
  let storeQueue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = storeQueue.then(fn);
    storeQueue = run.catch(() => undefined);
    return run;
  };

  // `options.signal` drains: nothing new starts, requests in flight finish and are journaled (so a server
  // that already answered is not asked again). `abandon` cuts requests off; only a fatal error uses it.
  let draining = options.signal?.aborted ?? false;
  const abandon = new AbortController();
  // Each request in flight listens on it (removed when the request ends).
  setMaxListeners(config.concurrency + 8, abandon.signal);

  const frontier = new Frontier(config.perHostConnections, config.perHostDelayMs);
  const applyCrawlDelay = (origin: string, policy: RobotsPolicy): void => {
    const delay = policy.crawlDelayMs ?? 0;
    if (delay > config.maxCrawlDelayMs) return; // its URLs are refused instead
    const host = frontier.host(new URL(origin).hostname);
    host.crawlDelayMs = Math.max(host.crawlDelayMs, delay);
  };
  for (const [origin, r] of robots) if (r !== 'fetching') applyCrawlDelay(origin, r.policy);
  for (const entry of list.entries) {
    if (!done.has(entry.url)) frontier.push({ entry, url: new URL(entry.url), redirects: [], attempt: 0 });
  }
  const todo = frontier.size;

  const run = { finished: 0, ok: 0, failed: 0, requests: 0, warcBytes: 0 };
  let active = 0;
  let fatal: unknown = null;
  const tasks = new Set<Promise<void>>();
  let wakeUp: (() => void) | null = null;
  const wake = (): void => {
    const w = wakeUp;
    wakeUp = null;
    w?.();
  };
  const track = (p: Promise<void>): void => {
    const t = p.catch((e: unknown) => {
      fatal ??= e;
      abandon.abort();
    });
    tasks.add(t);
    void t.finally(() => {
      tasks.delete(t);
      wake();
    });
  };

  const finish = async ({ job, failure, exchange }: Finish): Promise<void> => {
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
    await serially(async () => {
      if (exchange) {
        const specs = exchangeRecords(job, exchange);
        const [req, res] = await writer.write(specs);
        if (!req || !res) throw new Error('WARC writer returned fewer locations than records');
        entry.warc = { file: res.file, offset: res.offset, length: res.length, requestOffset: req.offset, requestLength: req.length };
        entry.ip = exchange.ip;
        entry.payloadBytes = exchange.body.length;
        run.warcBytes += req.length + res.length;
      }
      await journal.append(entry);
    });
    done.set(entry.url, entry);
    run.finished++;
    if (exchange) run.ok++;
    else {
      run.failed++;
      const where = entry.finalUrl !== entry.url ? ` (at ${entry.finalUrl})` : '';
      log(`crawl: ${entry.outcome} ${entry.url}${where}: ${entry.detail ?? ''}`);
    }
  };

  const robotsVerdict = (policy: RobotsPolicy, entry: RobotsJournalEntry, url: URL): FetchFailure | null => {
    if (policy.state === 'unreachable') {
      const f = entry.failure;
      return { reason: 'robots-unreachable', detail: `${entry.origin}/robots.txt: ${f ? `${f.reason}: ${f.detail}` : `HTTP ${entry.status ?? '?'}`}` };
    }
    if (!policy.isAllowed(url.pathname + url.search)) return { reason: 'robots-disallowed', detail: `${entry.origin}/robots.txt disallows ${url.pathname}${url.search}` };
    if ((policy.crawlDelayMs ?? 0) > config.maxCrawlDelayMs) {
      return { reason: 'crawl-delay-too-long', detail: `Crawl-delay ${(policy.crawlDelayMs ?? 0) / 1000} s exceeds ${config.maxCrawlDelayMs / 1000} s` };
    }
    return null;
  };

  const startRobots = (host: HostState, origin: string): void => {
    robots.set(origin, 'fetching');
    host.blockedOn = `robots ${origin}`;
    frontier.started(host, Date.now());
    active++;
    track(
      (async () => {
        try {
          const entry = await fetchRobots(origin, config, { agent, resolver, signal: abandon.signal }, () => run.requests++);
          if (entry.failure?.reason === 'aborted') {
            robots.delete(origin);
            return;
          }
          const policy = robotsPolicyOf(entry, config.robotsProductToken);
          robots.set(origin, { policy, entry });
          applyCrawlDelay(origin, policy);
          await serially(() => journal.append(entry));
        } finally {
          host.blockedOn = null;
          active--;
          frontier.finished(host, Date.now());
        }
      })(),
    );
  };

  const pageDecision = (status: number, headers: Array<[string, string]>): HeaderDecision => {
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
  };

  /** The wait before retrying, or null when the failure is final. */
  const retryWait = (job: CrawlJob, f: FetchFailure): number | null => {
    const retryable =
      (f.status !== undefined && f.reason === `http-${f.status}` && config.retryStatuses.includes(f.status)) ||
      f.reason === 'connection-reset' ||
      f.reason === 'connection-closed';
    if (!retryable) return null;
    if (job.attempt >= config.maxRetries) {
      if (job.attempt > 0) f.detail += ` (after ${job.attempt} retries)`;
      return null;
    }
    const wait = Math.max(config.retryBaseDelayMs * 2 ** job.attempt, f.retryAfterMs ?? 0);
    if (wait > config.maxRetryWaitMs) {
      f.detail += ` (a retry would wait ${Math.round(wait / 1000)} s, more than ${config.maxRetryWaitMs / 1000} s)`;
      return null;
    }
    return wait;
  };

  /** Follows a redirect by queueing its target, or says why not. */
  const followRedirect = (job: CrawlJob, ex: HttpExchange): FetchFailure | null => {
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
    if (chain.length > config.maxRedirects) return { reason: 'too-many-redirects', detail: `more than ${config.maxRedirects} redirects`, status: ex.status };
    if (claimed.has(key)) return { reason: 'duplicate', detail: `redirects to ${key}, which this crawl fetches for another listed URL`, status: ex.status };
    claimed.add(key);
    frontier.push({ entry: job.entry, url: new URL(key), redirects: chain, attempt: 0 }, true);
    return null;
  };

  const startFetch = (host: HostState, job: CrawlJob): void => {
    frontier.started(host, Date.now());
    active++;
    run.requests++;
    let waitMs = 0;
    track(
      (async () => {
        try {
          const r = await fetchExchange(job.url, {
            agent,
            resolver,
            config,
            accept: config.allowedContentTypes.join(', '),
            maxBodyBytes: config.maxBodyBytes,
            truncateAtLimit: false,
            onHeaders: pageDecision,
            signal: abandon.signal,
          });
          if ('reason' in r) {
            const wait = retryWait(job, r);
            if (wait !== null) {
              waitMs = wait;
              frontier.push({ ...job, attempt: job.attempt + 1 }, true);
              return;
            }
            await finish({ job, failure: r });
            return;
          }
          if (REDIRECT_STATUSES.has(r.status)) {
            const failure = followRedirect(job, r);
            if (failure) await finish({ job, failure });
            return;
          }
          await finish({ job, exchange: r });
        } finally {
          active--;
          frontier.finished(host, Date.now(), waitMs);
        }
      })(),
    );
  };

  // Host name -> its pinned address or why it is refused. Resolved before anything else is sent to a host,
  // so a refused host costs no robots.txt attempt and no politeness delay.
  const addresses = new Map<string, PinnedAddress | AddressRefusal>();
  const resolveHost = (host: HostState): void => {
    host.blockedOn = 'address lookup';
    track(
      resolver.resolve(host.name).then((a) => {
        addresses.set(host.name, a);
        host.blockedOn = null;
        frontier.schedule(host);
      }),
    );
  };

  /** Acts on the head job of a ready host: resolve it, fetch robots.txt first, refuse the job, or fetch it. */
  const step = (host: HostState): void => {
    const job = host.queue[0];
    if (!job) return;
    const address = addresses.get(host.name);
    if (!address) {
      resolveHost(host);
      return;
    }
    if ('reason' in address) {
      frontier.take(host);
      track(finish({ job, failure: { reason: address.reason, detail: address.detail } }));
      return;
    }
    const origin = job.url.origin;
    let r = robots.get(origin);
    if (r && r !== 'fetching' && Date.now() - Date.parse(r.entry.at) >= config.robotsCacheTtlMs) r = undefined;
    if (r === 'fetching') {
      host.blockedOn = `robots ${origin}`;
      return;
    }
    if (!r) {
      startRobots(host, origin);
      return;
    }
    frontier.take(host);
    const refusal = robotsVerdict(r.policy, r.entry, job.url);
    if (refusal) track(finish({ job, failure: refusal }));
    else startFetch(host, job);
  };

  const progress = setInterval(() => {
    const secs = (Date.now() - t0) / 1000;
    log(
      `crawl: ${run.finished}/${todo} (${run.ok} ok, ${run.failed} failed), ${active} in flight, ${frontier.size} queued, ` +
        `${(run.ok / Math.max(secs, 1e-3)).toFixed(1)} pages/s, ${(run.warcBytes / 1e6).toFixed(1)} MB written`,
    );
  }, config.progressIntervalMs);
  progress.unref();

  const onStop = (): void => {
    draining = true;
    wake();
  };
  options.signal?.addEventListener('abort', onStop, { once: true });
  abandon.signal.addEventListener('abort', wake, { once: true });
  try {
    for (;;) {
      if (draining || abandon.signal.aborted) break;
      let next: ReturnType<Frontier['nextReady']> = null;
      while (active < config.concurrency) {
        next = frontier.nextReady(Date.now());
        if (next === null || typeof next === 'number') break;
        step(next);
        frontier.schedule(next);
      }
      if (active === 0 && tasks.size === 0 && next === null) {
        if (frontier.size === 0) break;
        throw new Error(`crawl scheduler stalled with ${frontier.size} queued URLs and nothing in flight`);
      }
      const waitMs = typeof next === 'number' && active < config.concurrency ? Math.max(0, next - Date.now()) : null;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((res) => {
        wakeUp = res;
        if (waitMs !== null) timer = setTimeout(wake, waitMs);
      });
      clearTimeout(timer);
    }
    if (draining && tasks.size > 0) log(`crawl: stopping: waiting for ${active} request(s) in flight to finish`);
    // Retries and redirect hops queued meanwhile stay unstarted; their URLs have no journal line yet.
    while (tasks.size > 0) await Promise.all(tasks);
    await storeQueue;
  } finally {
    clearInterval(progress);
    options.signal?.removeEventListener('abort', onStop);
    await writer.close();
    await journal.close();
    await agent.close().catch(() => undefined);
  }
  if (fatal) throw fatal;

  const outcomes: Partial<Record<OutcomeName, number>> = {};
  const bump = (k: OutcomeName): void => {
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  };
  for (const p of list.problems) bump(p.reason === 'bad-url' ? 'bad-url' : 'duplicate-in-list');
  let pending = 0;
  for (const e of list.entries) {
    const d = done.get(e.url);
    if (d) bump(d.outcome);
    else pending++;
  }
  const elapsedMs = Date.now() - t0;
  const summary: CrawlSummary = {
    urlsFile,
    outDir,
    journal: journalPath,
    listedLines: list.lines,
    outcomes,
    pending,
    alreadyDone,
    thisRun: { ...run, elapsedMs, pagesPerSecond: Number((run.ok / Math.max(elapsedMs / 1000, 1e-3)).toFixed(2)) },
    warcFiles: (await listWarcFiles(outDir, config.warcPrefix)).closed,
    recovery: {
      finalized: report.finalized,
      discarded: report.discarded,
      truncatedBytes: report.truncatedBytes,
      journalRewritten: report.journalRewritten,
      droppedEntries: report.droppedEntries.length,
      badJournalLines: report.badJournalLines.length,
    },
    stopped: draining && pending > 0,
  };
  await writeFileAtomic(join(outDir, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
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
