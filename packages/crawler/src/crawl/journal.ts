import { open, readFile, type FileHandle } from 'node:fs/promises';
import { writeFileAtomic } from '@jcp/core';
import type { FailureReason } from './outcome.ts';

/** Where the request and response records of an archived URL are. */
export interface WarcPointer {
  file: string;
  /** The response record's gzip member. */
  offset: number;
  length: number;
  requestOffset: number;
  requestLength: number;
}

/** The outcome of one listed URL; written once, when the URL is finished. */
export interface UrlJournalEntry {
  kind: 'url';
  /** The listed URL (crawl key). */
  url: string;
  line: number;
  fields?: string[];
  outcome: 'ok' | FailureReason;
  detail?: string;
  /** Final HTTP status, when a response was seen. */
  status?: number;
  /** The last URL requested (differs from `url` after redirects). */
  finalUrl: string;
  /** URLs requested before `finalUrl`, in order (redirect hops). */
  redirects: string[];
  warc?: WarcPointer;
  ip?: string;
  payloadBytes?: number;
  at: string;
}

/** A fetched robots.txt, kept so a restarted crawl does not fetch it again while it is fresh. */
export interface RobotsJournalEntry {
  kind: 'robots';
  origin: string;
  at: string;
  state: 'parsed' | 'unavailable' | 'unreachable';
  status?: number;
  /** Failure that made it unreachable (a refused address or DNS error is reported as such for the URLs). */
  failure?: { reason: FailureReason; detail: string };
  text?: string;
}

export type JournalEntry = UrlJournalEntry | RobotsJournalEntry;

export interface LoadedJournal {
  entries: JournalEntry[];
  /** Lines that did not parse (a torn last line after a kill, or damage), with their line numbers. */
  badLines: Array<{ line: number; detail: string }>;
  /** The file does not end with a newline: the next append would run on from a torn line. */
  unterminated: boolean;
}

/** The end of the records of an archived URL (request and response are adjacent). */
export function pointerEnd(p: WarcPointer): number {
  return Math.max(p.offset + p.length, p.requestOffset + p.requestLength);
}

/** Reads a journal; a missing file is an empty journal. */
export async function loadJournal(path: string): Promise<LoadedJournal> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], badLines: [], unterminated: false };
    throw e;
  }
  const entries: JournalEntry[] = [];
  const badLines: LoadedJournal['badLines'] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      badLines.push({ line: i + 1, detail: i === lines.length - 1 ? 'torn last line (no newline): the run was killed while appending' : 'not JSON' });
      continue;
    }
    const problem = entryProblem(parsed);
    if (problem) badLines.push({ line: i + 1, detail: problem });
    else entries.push(parsed as JournalEntry);
  }
  return { entries, badLines, unterminated: text.length > 0 && !text.endsWith('\n') };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Why a parsed line is not a journal entry, or null. */
function entryProblem(v: unknown): string | null {
  if (!isObj(v)) return 'not an object';
  if (v.kind === 'robots') {
    if (typeof v.origin !== 'string' || typeof v.at !== 'string') return 'robots entry without origin/at';
    if (v.state !== 'parsed' && v.state !== 'unavailable' && v.state !== 'unreachable') return `robots state '${String(v.state)}'`;
    if (v.state === 'parsed' && typeof v.text !== 'string') return 'parsed robots entry without text';
    return null;
  }
  if (v.kind !== 'url') return `unknown kind '${String(v.kind)}'`;
  if (typeof v.url !== 'string' || typeof v.outcome !== 'string' || typeof v.finalUrl !== 'string') return 'url entry without url/outcome/finalUrl';
  if (!isInt(v.line)) return 'url entry without line';
  if (!Array.isArray(v.redirects) || !v.redirects.every((r) => typeof r === 'string')) return 'url entry without redirects list';
  if (v.outcome === 'ok') {
    const w = v.warc;
    if (!isObj(w) || typeof w.file !== 'string' || !isInt(w.offset) || !isInt(w.length) || !isInt(w.requestOffset) || !isInt(w.requestLength)) {
      return 'ok entry without a WARC pointer';
    }
  }
  return null;
}

/**
 * The crawl journal: one JSON line per finished URL (and per fetched robots.txt), appended and fsynced
 * before the crawl goes on, so what it says survives a kill.
 */
export class CrawlJournal {
  private constructor(
    readonly path: string,
    private fh: FileHandle,
  ) {}

  static async open(path: string): Promise<CrawlJournal> {
    return new CrawlJournal(path, await open(path, 'a'));
  }

  /** Replaces the journal with exactly these entries (atomically), e.g. after recovery dropped some. */
  static async rewrite(path: string, entries: JournalEntry[]): Promise<void> {
    await writeFileAtomic(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  async append(entry: JournalEntry): Promise<void> {
    await this.fh.write(`${JSON.stringify(entry)}\n`);
    await this.fh.datasync();
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}
