import { basename } from 'node:path';
import type { InputError } from '@jcp/core';
import { emptyScanCounts, readIndexFile, type ReadIndexOptions } from './index-reader.ts';
import { groupByWarc, type RecordRange } from './record-ranges.ts';
import { indexSkipReason, type IndexSelection, type IndexSkipReason } from './selection.ts';

/** What the index scan did, for the ledger's `index` step. */
export interface IndexStepCounts {
  files: number;
  rowGroups: number;
  rowGroupsSkipped: number;
  /** Rows of the index (read, or skipped whole by statistics), of the WARCs this run reads. */
  rowsScanned: number;
  rowsSelected: number;
  /** Rows not selected, by the check they failed (rows of skipped row groups are not among them). */
  skipped: Record<IndexSkipReason, number>;
  /** Rows that belong to WARCs outside this run (another shard, past --limit, not in the local mirror). */
  otherWarcs: number;
  badRows: number;
  /** Rows read, by their first (most likely) language, `none` when CLD2 gave none. */
  scannedByLanguage: Record<string, number>;
  selectedByLanguage: Record<string, number>;
  /** Bytes read from the index files. */
  bytesRead: number;
}

/** One WARC's share of the index: rows read and why the unselected ones were not selected. */
export interface WarcIndexCounts {
  scanned: number;
  selected: number;
  skipped: Record<IndexSkipReason, number>;
}

export interface IndexSelectionResult {
  /** Selected records by WARC file name (`warc_filename` as the index gives it), in name order. */
  byWarc: Map<string, RecordRange[]>;
  /** Rows read per WARC file name (every WARC with a row read, selected or not): the tasks' `index` ledger. */
  perWarc: Map<string, WarcIndexCounts>;
  counts: IndexStepCounts;
  /** Rows the reader could not use, each naming its file and row. */
  errors: InputError[];
}

export interface SelectFromIndexOptions extends Omit<ReadIndexOptions, 'counts'> {
  /** Only rows of WARCs for which this is true are kept (this shard's WARCs); default all. */
  keepWarc?: (warcFilename: string) => boolean;
}

/**
 * Reads `files` (local paths or URLs) one after another and keeps the rows `selection` selects, grouped
 * by WARC file. Memory is the selected rows of the WARCs kept: pass `keepWarc` to bound it by shard.
 */
export async function selectFromIndex(files: readonly string[], selection: IndexSelection, options: SelectFromIndexOptions = {}): Promise<IndexSelectionResult> {
  const counts: IndexStepCounts = {
    files: files.length,
    rowGroups: 0,
    rowGroupsSkipped: 0,
    rowsScanned: 0,
    rowsSelected: 0,
    skipped: { 'index-status': 0, 'index-mime': 0, 'index-language': 0 },
    otherWarcs: 0,
    badRows: 0,
    scannedByLanguage: {},
    selectedByLanguage: {},
    bytesRead: 0,
  };
  const selected: Array<{ warcFilename: string; offset: number; length: number }> = [];
  const errors: InputError[] = [];
  const perWarc = new Map<string, WarcIndexCounts>();
  const keepWarc = options.keepWarc ?? (() => true);
  for (const file of files) {
    const scan = emptyScanCounts();
    for await (const item of readIndexFile(file, selection, { ...options, counts: scan })) {
      if (!('warcFilename' in item)) {
        counts.badRows++;
        errors.push(item);
        continue;
      }
      if (!keepWarc(item.warcFilename)) {
        counts.otherWarcs++;
        continue;
      }
      counts.rowsScanned++;
      let warc = perWarc.get(item.warcFilename);
      if (!warc) perWarc.set(item.warcFilename, (warc = { scanned: 0, selected: 0, skipped: { 'index-status': 0, 'index-mime': 0, 'index-language': 0 } }));
      warc.scanned++;
      const language = item.languages[0] ?? 'none';
      counts.scannedByLanguage[language] = (counts.scannedByLanguage[language] ?? 0) + 1;
      const reason = indexSkipReason(item, selection);
      if (reason !== null) {
        counts.skipped[reason]++;
        warc.skipped[reason]++;
        continue;
      }
      warc.selected++;
      counts.rowsSelected++;
      counts.selectedByLanguage[language] = (counts.selectedByLanguage[language] ?? 0) + 1;
      selected.push({ warcFilename: item.warcFilename, offset: item.offset, length: item.length });
    }
    counts.rowGroups += scan.rowGroups;
    counts.rowGroupsSkipped += scan.rowGroupsSkipped;
    // Rows in row groups never read cannot be told apart by WARC: they count as scanned (and not selected).
    counts.rowsScanned += scan.rowsSkipped;
    counts.bytesRead += scan.bytesRead;
  }
  return { byWarc: groupByWarc(selected), perWarc, counts, errors };
}

/** `keepWarc` for the WARCs of a list (URLs or paths), matched by file name. */
export function warcNameFilter(warcs: readonly string[]): (warcFilename: string) => boolean {
  const names = new Set(warcs.map((w) => basename(w)));
  return (warcFilename) => names.has(basename(warcFilename));
}
