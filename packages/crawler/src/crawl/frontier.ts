import type { UrlListEntry } from './url-list.ts';

/** One request to make: a listed URL, or a redirect hop on its way. */
export interface CrawlJob {
  entry: UrlListEntry;
  url: URL;
  /** URLs requested before this one for the same listed URL. */
  redirects: string[];
  /** Retries already made of this URL. */
  attempt: number;
}

/** Politeness state of one host name. */
export interface HostState {
  name: string;
  queue: CrawlJob[];
  /** Requests in flight (robots.txt included). */
  active: number;
  /** No request may start before this time (ms since epoch). */
  nextAt: number;
  /** Crawl-delay from the host's robots.txt, 0 when none. */
  crawlDelayMs: number;
  /** What the host's queue waits for before its next request: its address lookup or a robots.txt fetch. */
  blockedOn: string | null;
  inHeap: boolean;
  heapKey: number;
}

/**
 * Per-host queues and the politeness clock. A host is ready when it has work, fewer requests in flight
 * than allowed, is not waiting for its address or robots.txt, and its `nextAt` has passed. Ready hosts come out
 * earliest `nextAt` first (a min-heap, so a list of many hosts costs log(hosts) per request).
 */
export class Frontier {
  private readonly hosts = new Map<string, HostState>();
  private readonly heap: HostState[] = [];
  private queued = 0;

  constructor(
    private readonly perHostConnections: number,
    private readonly baseDelayMs: number,
  ) {}

  /** Jobs waiting in queues (not in flight). */
  get size(): number {
    return this.queued;
  }

  host(name: string): HostState {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, queue: [], active: 0, nextAt: 0, crawlDelayMs: 0, blockedOn: null, inHeap: false, heapKey: 0 };
      this.hosts.set(name, h);
    }
    return h;
  }

  /** The spacing between requests to a host: the configured delay or its Crawl-delay, whichever is longer. */
  delayOf(host: HostState): number {
    return Math.max(this.baseDelayMs, host.crawlDelayMs);
  }

  /** Queues a job at the back (list order) or the front (redirect hops and retries go first). */
  push(job: CrawlJob, front = false): void {
    const h = this.host(job.url.hostname);
    if (front) h.queue.unshift(job);
    else h.queue.push(job);
    this.queued++;
    this.schedule(h);
  }

  /** Removes and returns the head job of a host popped by `nextReady`. */
  take(host: HostState): CrawlJob | undefined {
    const job = host.queue.shift();
    if (job) this.queued--;
    return job;
  }

  /** A ready host (removed from the heap; call `schedule` after acting on it), or the time one may be ready, or null. */
  nextReady(now: number): HostState | number | null {
    for (;;) {
      const top = this.heap[0];
      if (!top) return null;
      if (!this.eligible(top)) {
        this.pop();
        continue;
      }
      if (top.heapKey < top.nextAt) {
        // nextAt moved later since it was queued: re-file it.
        this.pop();
        this.insert(top);
        continue;
      }
      if (top.nextAt > now) return top.nextAt;
      this.pop();
      return top;
    }
  }

  /** A request to the host starts: count it and space the next start. */
  started(host: HostState, now: number): void {
    host.active++;
    host.nextAt = Math.max(host.nextAt, now + this.delayOf(host));
  }

  /** A request finished: the next may start one delay after this end (or later, `waitMs`, for a retry). */
  finished(host: HostState, now: number, waitMs = 0): void {
    host.active--;
    host.nextAt = Math.max(host.nextAt, now + this.delayOf(host), now + waitMs);
    this.schedule(host);
  }

  /** Puts the host in the heap if it could become ready (idempotent). */
  schedule(host: HostState): void {
    if (!host.inHeap && this.eligible(host)) this.insert(host);
  }

  private eligible(h: HostState): boolean {
    return h.queue.length > 0 && h.active < this.perHostConnections && h.blockedOn === null;
  }

  private insert(h: HostState): void {
    h.inHeap = true;
    h.heapKey = h.nextAt;
    const heap = this.heap;
    heap.push(h);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!p || p.heapKey <= h.heapKey) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = h;
  }

  private pop(): void {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top) top.inHeap = false;
    if (!last || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      let key = last.heapKey;
      const lh = heap[l];
      const rh = heap[r];
      if (lh && lh.heapKey < key) {
        smallest = l;
        key = lh.heapKey;
      }
      if (rh && rh.heapKey < key) smallest = r;
      if (smallest === i) break;
      const child = heap[smallest];
      if (!child) break;
      heap[i] = child;
      i = smallest;
    }
    heap[i] = last;
  }
}
