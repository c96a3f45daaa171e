import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '@jcp/core';
import { BucketBuilder, bucketFileSections, BucketSectionReader } from './bucket-file.ts';
import { repeatedLineThreshold, type SiteLinesConfig } from './site-lines.ts';

/**
 * Site-line counts across workers and Slurm tasks, in the dedup's bucket-file format: each process
 * task writes its pages' (host, line) entries in sections by host partition; one counting task per
 * partition reads that section of every task's file. Memory is one partition's distinct (host, line)
 * pairs, so more partitions bound it, as more LSH bands bound the MinHash merge.
 *
 *   entry  u32 line hash hi, u32 line hash lo, u32 host hash hi, u32 host hash lo
 *
 * A page also adds one entry with line hash 0:0 (what no line hashes to, at odds 2^-64) so the
 * counting knows each host's page count for the relative threshold.
 */
const PAGE_ENTRY = 0;

/** 64 bits of SHA-1 of the host as two u32 words. */
export function siteHostKey(host: string): [number, number] {
  const d = createHash('sha1').update(host).digest();
  return [d.readUInt32BE(0), d.readUInt32BE(4)];
}

/** The host partition (section) a host's entries go to. */
export function siteHostPartition(host: string, partitions: number): number {
  return siteHostKey(host)[0] % partitions;
}

/** One task's site-line entries, written as a bucket file with one section per host partition. */
export class SiteLineTaskFile {
  private readonly builder: BucketBuilder;

  constructor(readonly partitions: number) {
    this.builder = new BucketBuilder(partitions);
  }

  /** One page of `host` with its distinct line hashes (16 hex digits each, from `pageLineHashes`). */
  addPage(host: string, lineHashes: readonly string[]): void {
    const [hh, hl] = siteHostKey(host);
    const section = hh % this.partitions;
    this.builder.add(section, PAGE_ENTRY, PAGE_ENTRY, hh, hl);
    for (const h of lineHashes) {
      this.builder.add(section, parseInt(h.slice(0, 8), 16), parseInt(h.slice(8, 16), 16), hh, hl);
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
  const [hi, lo] = siteHostKey(host);
  return hex(hi) + hex(lo);
}

function hex(word: number): string {
  return word.toString(16).padStart(8, '0');
}

/** Reads at most this many entries per file at a time (16 bytes each: 1 MiB per open file). */
const CHUNK_ENTRIES = 65536;

/**
 * Counts pages per (host, line) over one partition's section of every task file and returns the lines
 * over the host's threshold. Files are read one after another in chunks: memory is the partition's
 * counts plus one chunk.
 */
export async function countSitePartition(taskFiles: readonly string[], partition: number, partitions: number, config: SiteLinesConfig): Promise<RepeatedSiteLines> {
  const pagesPerHost = new Map<string, number>();
  const pagesPerLine = new Map<string, Map<string, number>>();
  for (const path of taskFiles) {
    await checkPartitions(path, partitions);
    const reader = await BucketSectionReader.open(path, partition, CHUNK_ENTRIES, 0);
    try {
      while (await reader.next()) {
        const w = reader.words;
        const i = reader.index;
        const host = hex(w[i + 2]!) + hex(w[i + 3]!);
        if (w[i] === PAGE_ENTRY && w[i + 1] === PAGE_ENTRY) {
          pagesPerHost.set(host, (pagesPerHost.get(host) ?? 0) + 1);
          continue;
        }
        const line = hex(w[i]!) + hex(w[i + 1]!);
        let lines = pagesPerLine.get(host);
        if (!lines) pagesPerLine.set(host, (lines = new Map()));
        lines.set(line, (lines.get(line) ?? 0) + 1);
      }
    } finally {
      await reader.close();
    }
  }
  const out: RepeatedSiteLines = new Map();
  for (const [host, lines] of pagesPerLine) {
    const threshold = repeatedLineThreshold(pagesPerHost.get(host) ?? 0, config);
    const repeated = new Set<string>();
    for (const [line, n] of lines) if (n >= threshold) repeated.add(line);
    if (repeated.size > 0) out.set(host, repeated);
  }
  return out;
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
    const reader = await BucketSectionReader.open(path, p, CHUNK_ENTRIES, 0);
    try {
      while (await reader.next()) {
        const w = reader.words;
        const i = reader.index;
        if (w[i] !== PAGE_ENTRY || w[i + 1] !== PAGE_ENTRY) break;
        let hosts = out.get(p);
        if (!hosts) out.set(p, (hosts = new Set()));
        hosts.add(hex(w[i + 2]!) + hex(w[i + 3]!));
      }
    } finally {
      await reader.close();
    }
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
