import { open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CrawlJournal, loadJournal, pointerEnd, type JournalEntry, type LoadedJournal } from './journal.ts';
import { OPEN_SUFFIX, listWarcFiles, syncDir } from './warc-files.ts';

export interface RecoveryReport {
  /** `.open` files a killed run left, cut back to their last journaled record and renamed to their final name. */
  finalized: string[];
  /** `.open` files holding no journaled record, deleted. */
  discarded: string[];
  /** Bytes cut from the ends of finalized files (records written but never journaled). */
  truncatedBytes: number;
  /** `ok` entries whose records are not on disk; dropped, so their URLs are fetched again. */
  droppedEntries: Array<{ url: string; detail: string }>;
  badJournalLines: LoadedJournal['badLines'];
  /** The journal was rewritten to match the files. */
  journalRewritten: boolean;
}

/**
 * Makes a crawl folder consistent before a (re)started crawl appends to it: afterwards every `ok` journal
 * entry points at records inside a closed WARC file, and no `.open` file remains.
 *
 * The choice for the file a killed run was writing: finalise it, don't discard it. Each URL's records are
 * written and fdatasynced before its journal line is appended and fsynced, so every journaled record is
 * complete on disk; keeping them means nothing the server already answered is fetched again. Bytes after
 * the last journaled record (a URL killed between its WARC write and its journal line, or a half-written
 * gzip member) are cut off, and that URL, having no journal line, is fetched again like any URL that was
 * in flight at the kill. Discarding the whole file would instead refetch every URL in it.
 */
export async function recoverCrawlFolder(dir: string, journalPath: string, prefix: string): Promise<{ entries: JournalEntry[]; report: RecoveryReport }> {
  const loaded = await loadJournal(journalPath);
  const report: RecoveryReport = {
    finalized: [],
    discarded: [],
    truncatedBytes: 0,
    droppedEntries: [],
    badJournalLines: loaded.badLines,
    journalRewritten: false,
  };
  // The last line for a URL wins (a URL is journaled once; this only guards against a hand-edited journal).
  const lastByUrl = new Map<string, number>();
  loaded.entries.forEach((e, i) => {
    if (e.kind === 'url') lastByUrl.set(e.url, i);
  });
  let entries = loaded.entries.filter((e, i) => e.kind !== 'url' || lastByUrl.get(e.url) === i);
  let changed = entries.length !== loaded.entries.length || loaded.badLines.length > 0 || loaded.unterminated;

  const files = await listWarcFiles(dir, prefix);
  const endByFile = new Map<string, number>();
  for (const e of entries) {
    if (e.kind === 'url' && e.warc) endByFile.set(e.warc.file, Math.max(endByFile.get(e.warc.file) ?? 0, pointerEnd(e.warc)));
  }
  for (const name of files.open) {
    const openPath = join(dir, name + OPEN_SUFFIX);
    const end = endByFile.get(name);
    if (end === undefined) {
      await unlink(openPath);
      report.discarded.push(name);
      continue;
    }
    const size = (await stat(openPath)).size;
    const keep = Math.min(end, size);
    const fh = await open(openPath, 'r+');
    try {
      await fh.truncate(keep);
      await fh.sync();
    } finally {
      await fh.close();
    }
    report.truncatedBytes += size - keep;
    await rename(openPath, join(dir, name));
    report.finalized.push(name);
  }
  if (report.finalized.length || report.discarded.length) await syncDir(dir);

  const sizes = new Map<string, number>();
  for (const name of [...files.closed, ...report.finalized]) sizes.set(name, (await stat(join(dir, name))).size);
  entries = entries.filter((e) => {
    if (e.kind !== 'url' || !e.warc) return true;
    const size = sizes.get(e.warc.file);
    const detail =
      size === undefined ? `${e.warc.file} is missing` : size < pointerEnd(e.warc) ? `${e.warc.file} ends at ${size}, before the record's end ${pointerEnd(e.warc)}` : '';
    if (!detail) return true;
    report.droppedEntries.push({ url: e.url, detail });
    changed = true;
    return false;
  });
  if (changed) {
    await CrawlJournal.rewrite(journalPath, entries);
    report.journalRewritten = true;
  }
  return { entries, report };
}
