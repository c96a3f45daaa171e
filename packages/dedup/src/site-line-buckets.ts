import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '@jcp/core';
import { BucketBuilder, bucketFileSections, BucketSectionReader } from './bucket-file.ts';
import { repeatedLineThreshold, type SiteLinesConfig } from './site-lines.ts';

/**
 * Site-line counts across workers and Slurm tasks, in the dedup's bucket-file format: each WARC task
 * writes its pages' (line, host, page) entries in sections by host partition; one counting task per
 * partition reads that section of every task's file.
 *
 *   entry  u32 line hash hi, u32 line hash lo, u32 host key, u32 page key
 *
 * A line counts the *distinct pages* of its host it is on, a page being its text (page key: 32 bits
 * of SHA-1 of the normalised text). Counting page records instead would make every line of a page
 * that a host serves under three URLs (sort orders, session ids) or that three WARCs hold
 * "repeated", and empty the page: the copies are the MinHash dedup's to remove, keeping one.
 * A page also adds one entry with line hash 0:0 (what no line hashes to, at odds 2^-64), so the
 * counting knows each host's distinct pages for the relative threshold.
 *
 * The host key is 32 bits of SHA-1: two hosts of a run share one at odds ~H²/2^33 (about 100 pairs
 * among 10^6 hosts), and then only the lines both have are counted together. The page key is 32 bits
 * too: two different pages of one host collide at the same odds per host, which costs one page of count.
 */
const PAGE_ENTRY = 0;

/** 32 bits of SHA-1 of the host: its key in the files and in the repeated-lines files. */
export function siteHostKey(host: string): number {
  return createHash('sha1').update(host).digest().readUInt32BE(0);
}

/** 32 bits of SHA-1 of a page's normalised text: which records are the same page. */
export function sitePageKey(text: string): number {
  return createHash('sha1').update(text).digest().readUInt32BE(0);
}

/** The host partition (section) a host's entries go to. */
export function siteHostPartition(host: string, partitions: number): number {
  return siteHostKey(host) % partitions;
}

/** One task's site-line entries, written as a bucket file with one section per host partition. */
export class SiteLineTaskFile {
  private readonly builder: BucketBuilder;

  constructor(readonly partitions: number) {
    this.builder = new BucketBuilder(partitions);
  }

  /** One page of `host`: its normalised text and its distinct line hashes (16 hex digits each, from `pageLineHashes`). */
  addPage(host: string, text: string, lineHashes: readonly string[]): void {
    const hostKey = siteHostKey(host);
    const page = sitePageKey(text);
    const section = hostKey % this.partitions;
    this.builder.add(section, PAGE_ENTRY, PAGE_ENTRY, hostKey, page);
    for (const h of lineHashes) {
      this.builder.add(section, parseInt(h.slice(0, 8), 16), parseInt(h.slice(8, 16), 16), hostKey, page);
    }
  }

  /** Writes the file atomically (temp + rename). */
  write(path: string): Promise<void> {
    return this.builder.write(path);
  }
}

/** The repeated line hashes of each host of one partition, keyed by `hostKeyString(host)`. */
export type RepeatedSiteLines = Map<string, Set<string>>;

export function hostKeyString(host: string): string {
  return hex(siteHostKey(host));
}

function hex(word: number): string {
  return word.toString(16).padStart(8, '0');
}

/** Reads at most this many entries per file at a time (16 bytes each: 1 MiB per open file). */
const CHUNK_ENTRIES = 65536;

/**
 * Counts the distinct pages of each (host, line) of one partition over that section of every task
 * file and returns the lines at or over their host's threshold. Two passes over the files, in chunks:
 * the page entries (first in each section) give each host's distinct pages and so its threshold; then
 * each (host, line) keeps the page keys it was seen on until it reaches the threshold, and then only a
 * mark. Memory: the partition's distinct pages plus, per (host, line), fewer page keys than its threshold.
 */
export async function countSitePartition(taskFiles: readonly string[], partition: number, partitions: number, config: SiteLinesConfig): Promise<RepeatedSiteLines> {
  const pagesOfHost = new Map<number, Set<number>>();
  for (const path of taskFiles) {
    await checkPartitions(path, partitions);
    await eachEntry(path, partition, (line, hostKey, page) => {
      if (line !== null) return false;
      let pages = pagesOfHost.get(hostKey);
      if (!pages) pagesOfHost.set(hostKey, (pages = new Set()));
      pages.add(page);
      return true;
    });
  }
  const threshold = new Map<number, number>();
  for (const [hostKey, pages] of pagesOfHost) threshold.set(hostKey, repeatedLineThreshold(pages.size, config));
  pagesOfHost.clear();
  // Per host, per line: the pages seen so far, or REPEATED once they reached the threshold.
  const seen = new Map<number, Map<string, Set<number> | typeof REPEATED>>();
  for (const path of taskFiles) {
    await eachEntry(path, partition, (line, hostKey, page) => {
      if (line === null) return true;
      let lines = seen.get(hostKey);
      if (!lines) seen.set(hostKey, (lines = new Map()));
      const pages = lines.get(line);
      if (pages === REPEATED) return true;
      const set = pages ?? new Set<number>();
      set.add(page);
      if (set.size >= (threshold.get(hostKey) ?? Infinity)) lines.set(line, REPEATED);
      else if (!pages) lines.set(line, set);
      return true;
    });
  }
  const out: RepeatedSiteLines = new Map();
  for (const [hostKey, lines] of seen) {
    const repeated = new Set<string>();
    for (const [line, state] of lines) if (state === REPEATED) repeated.add(line);
    if (repeated.size > 0) out.set(hex(hostKey), repeated);
  }
  return out;
}

const REPEATED = true;

/**
 * Calls `take(line, hostKey, page)` for the entries of one section in order (`line` null for a page
 * entry) until it returns false.
 */
async function eachEntry(path: string, section: number, take: (line: string | null, hostKey: number, page: number) => boolean): Promise<void> {
  const reader = await BucketSectionReader.open(path, section, CHUNK_ENTRIES, 0);
  try {
    while (await reader.next()) {
      const w = reader.words;
      const i = reader.index;
      const isPage = w[i] === PAGE_ENTRY && w[i + 1] === PAGE_ENTRY;
      if (!take(isPage ? null : hex(w[i]!) + hex(w[i + 1]!), w[i + 2]!, w[i + 3]!)) return;
    }
  } finally {
    await reader.close();
  }
}

/**
 * The hosts of one task file, by partition (`hostKeyString` form): its page entries (line hash 0:0),
 * which sort first in each section, so only they are read. What a filter task needs to know which
 * hosts' repeated lines to load.
 */
export async function siteTaskHosts(path: string, partitions: number): Promise<Map<number, Set<string>>> {
  await checkPartitions(path, partitions);
  const out = new Map<number, Set<string>>();
  for (let p = 0; p < partitions; p++) {
    await eachEntry(path, p, (line, hostKey) => {
      if (line !== null) return false;
      let hosts = out.get(p);
      if (!hosts) out.set(p, (hosts = new Set()));
      hosts.add(hex(hostKey));
      return true;
    });
  }
  return out;
}

/** A host's entries are in section host hash mod partitions: a file made with another count would be read wrongly. */
async function checkPartitions(path: string, partitions: number): Promise<void> {
  const sections = await bucketFileSections(path);
  if (sections !== partitions) throw new Error(`${path}: a site-line file of ${sections} host partitions, but this run counts ${partitions} (siteLines.partitions must be the run's that wrote it)`);
}

/** One line of a partition's repeated-lines file: a host (`hostKeyString`) and its repeated line hashes, sorted. */
interface RepeatedHostLine {
  host: string;
  lines: string[];
}

/** The repeated lines of one partition as JSON lines, hosts and lines sorted (the same counts give the same bytes), atomically. */
export async function writeRepeatedSiteLines(path: string, repeated: RepeatedSiteLines): Promise<void> {
  const lines = [...repeated.keys()].sort().map((host) => JSON.stringify({ host, lines: [...repeated.get(host)!].sort() } satisfies RepeatedHostLine));
  await writeFileAtomic(path, lines.length ? `${lines.join('\n')}\n` : '');
}

/**
 * The repeated lines of the hosts in `hosts` from one partition's file, read a line at a time: memory
 * is those hosts' lines, not the partition's.
 */
export async function readRepeatedSiteLines(path: string, hosts: ReadonlySet<string>, into: RepeatedSiteLines = new Map()): Promise<RepeatedSiteLines> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n++;
    if (text === '') continue;
    let row: RepeatedHostLine;
    try {
      row = JSON.parse(text) as RepeatedHostLine;
    } catch {
      throw new Error(`${path}: line ${n} is not JSON`);
    }
    if (typeof row.host !== 'string' || !Array.isArray(row.lines)) throw new Error(`${path}: line ${n}: expected {host, lines}`);
    if (hosts.has(row.host)) into.set(row.host, new Set(row.lines));
  }
  return into;
}
