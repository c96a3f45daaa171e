import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { bunzip2 } from './bz2.ts';

/**
 * A multistream dump (`*-pages-articles-multistream.xml.bz2`) is a series of independent bzip2
 * streams: the first holds `<mediawiki>` and `<siteinfo>`, each next one 100 pages, the last the closing
 * tag. Its index (`*-multistream-index.txt.bz2`, lines `offset:page_id:title`) gives every page's stream
 * offset, so a dump splits into byte ranges that decompress and parse on their own: tasks for workers
 * and Slurm array jobs over one file.
 */

export interface StreamRange {
  /** Byte offsets in the dump, [start, end). */
  start: number;
  end: number;
  /** Pages the index lists in the range. */
  pages: number;
}

/** The distinct stream offsets of an index (plain text or .bz2), ascending, with each stream's page count. */
export async function readMultistreamIndex(indexPath: string): Promise<Array<{ offset: number; pages: number }>> {
  const source = indexPath.endsWith('.bz2') ? Readable.from(bunzip2(indexPath)) : createReadStream(indexPath);
  const counts = new Map<number, number>();
  let lineNo = 0;
  for await (const line of createInterface({ input: source, crlfDelay: Infinity })) {
    lineNo++;
    if (line.length === 0) continue;
    const colon = line.indexOf(':');
    const offset = colon > 0 ? Number(line.slice(0, colon)) : NaN;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new Error(`${indexPath}:${lineNo}: expected 'offset:page_id:title', got '${line.slice(0, 80)}'`);
    counts.set(offset, (counts.get(offset) ?? 0) + 1);
  }
  if (counts.size === 0) throw new Error(`${indexPath}: the multistream index lists no pages`);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([offset, pages]) => ({ offset, pages }));
}

/**
 * Cuts the dump's page streams into ranges of about `targetBytes` compressed bytes each (whole streams,
 * in order). The last range ends at the end of the file: the closing stream holds no page and parses
 * to nothing.
 */
export async function multistreamRanges(dumpPath: string, indexPath: string, targetBytes: number): Promise<{ head: StreamRange; ranges: StreamRange[] }> {
  const streams = await readMultistreamIndex(indexPath);
  const size = (await stat(dumpPath)).size;
  const last = streams[streams.length - 1]!;
  if (last.offset >= size) throw new Error(`${indexPath}: lists a stream at byte ${last.offset}, past the end of ${dumpPath} (${size} bytes): index and dump do not belong together`);
  const ranges: StreamRange[] = [];
  let current: StreamRange | null = null;
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i]!;
    const end = i + 1 < streams.length ? streams[i + 1]!.offset : size;
    if (current === null) current = { start: s.offset, end, pages: 0 };
    current.end = end;
    current.pages += s.pages;
    if (current.end - current.start >= targetBytes) {
      ranges.push(current);
      current = null;
    }
  }
  if (current !== null) ranges.push(current);
  return { head: { start: 0, end: streams[0]!.offset, pages: 0 }, ranges };
}
