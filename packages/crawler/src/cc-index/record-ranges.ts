import type { CcIndexRow } from './columns.ts';

/** One selected record: where it is in its WARC file. */
export interface RecordRange {
  offset: number;
  length: number;
}

/** One request's worth of a WARC: bytes `[start, end)`, holding `records` (in offset order) and the gaps between them. */
export interface FetchSpan {
  start: number;
  end: number;
  records: RecordRange[];
}

export interface SpanPlanConfig {
  /** Two records at most this many bytes apart are fetched in one request, gap included. */
  maxGapBytes: number;
  /** A span is not grown past this many bytes (it is held in memory whole). */
  maxSpanBytes: number;
}

/**
 * Selected rows by WARC file name, each file's records sorted by offset with duplicates dropped; files in
 * name order, so a task list built from it is the same for the same index.
 */
export function groupByWarc(rows: Iterable<Pick<CcIndexRow, 'warcFilename' | 'offset' | 'length'>>): Map<string, RecordRange[]> {
  const byFile = new Map<string, Map<number, number>>();
  for (const r of rows) {
    let file = byFile.get(r.warcFilename);
    if (!file) byFile.set(r.warcFilename, (file = new Map()));
    file.set(r.offset, Math.max(r.length, file.get(r.offset) ?? 0));
  }
  const out = new Map<string, RecordRange[]>();
  for (const name of [...byFile.keys()].sort()) {
    const ranges = [...byFile.get(name)!].map(([offset, length]) => ({ offset, length }));
    out.set(name, ranges.sort((a, b) => a.offset - b.offset));
  }
  return out;
}

/**
 * Sorted, non-overlapping records into requests: neighbours closer than `maxGapBytes` share one (a
 * request's round trip costs more than the gap's bytes), up to `maxSpanBytes`. Throws, naming both,
 * on records that overlap (an index that does not describe one WARC).
 */
export function planSpans(records: readonly RecordRange[], config: SpanPlanConfig): FetchSpan[] {
  const spans: FetchSpan[] = [];
  let current: FetchSpan | null = null;
  for (const r of records) {
    const end = r.offset + r.length;
    if (current && r.offset < current.end) {
      const last = current.records[current.records.length - 1]!;
      throw new Error(`records overlap: bytes ${r.offset}-${end - 1} start inside the record at ${last.offset} (length ${last.length})`);
    }
    if (current && r.offset - current.end <= config.maxGapBytes && end - current.start <= config.maxSpanBytes) {
      current.end = end;
      current.records.push(r);
    } else {
      current = { start: r.offset, end, records: [r] };
      spans.push(current);
    }
  }
  return spans;
}

/** Runs of records that touch (each one ends where the next starts) inside a span: each is read as one stream of gzip members. */
export function contiguousRuns(records: readonly RecordRange[]): RecordRange[] {
  const runs: RecordRange[] = [];
  for (const r of records) {
    const last = runs[runs.length - 1];
    if (last && last.offset + last.length === r.offset) last.length += r.length;
    else runs.push({ ...r });
  }
  return runs;
}
