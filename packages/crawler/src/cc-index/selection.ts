import type { CcIndexRow } from './columns.ts';

/**
 * Which index rows are fetched. The default reads Japanese HTML pages; every field can be overridden
 * (`--languages`, or `reader.index.selection` in `--config`).
 */
export interface IndexSelection {
  /** ISO 639-3 codes; a row is selected when CLD2 listed any of them among its (up to three) languages. */
  languages: string[];
  /** HTTP statuses kept; the rest (redirects, errors) carry no page text. */
  fetchStatuses: number[];
  /** Detected MIME types kept. A row with no detected type is kept (the html step decides on its header). */
  mimeTypes: string[];
}

export const DEFAULT_INDEX_SELECTION: IndexSelection = {
  // `jpn` anywhere in content_languages, not only first: CLD2 ranks by bytes, so a Japanese article in an
  // English site frame is often `eng,jpn` (the recall check measures what even this misses).
  languages: ['jpn'],
  // The html step drops every non-2xx page; Common Crawl's `warc` subset is 200s, redirects and errors
  // live in `crawldiagnostics`.
  fetchStatuses: [200],
  // The html step's own list (chains/web-page-config.ts htmlContentTypes): fetching what it would drop
  // as `not-html` would only cost bytes.
  mimeTypes: ['text/html', 'application/xhtml+xml'],
};

/** Why a row was not selected: the ledger's reasons in the `index` step. */
export type IndexSkipReason = 'index-language' | 'index-status' | 'index-mime';

/** null when `row` is selected, else the first check it failed (status, then MIME, then language). */
export function indexSkipReason(row: CcIndexRow, selection: IndexSelection): IndexSkipReason | null {
  if (!selection.fetchStatuses.includes(row.fetchStatus)) return 'index-status';
  if (row.mimeDetected !== null && !selection.mimeTypes.includes(row.mimeDetected.toLowerCase())) return 'index-mime';
  if (!row.languages.some((l) => selection.languages.includes(l))) return 'index-language';
  return null;
}

/** `jpn,eng` → ['jpn', 'eng']; null or empty → []. */
export function parseLanguages(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '');
}

/** Checks a selection from a config file or the CLI, naming what is wrong. */
export function validateIndexSelection(selection: IndexSelection): IndexSelection {
  for (const l of selection.languages) {
    if (!/^[a-z]{3}$/.test(l)) throw new Error(`index selection: language '${l}' is not an ISO 639-3 code (three letters, e.g. jpn, as Common Crawl's content_languages uses)`);
  }
  if (selection.languages.length === 0) throw new Error('index selection: no language given (e.g. --languages jpn)');
  for (const s of selection.fetchStatuses) if (!Number.isInteger(s) || s < 100 || s > 599) throw new Error(`index selection: fetch status ${s} is not an HTTP status`);
  return selection;
}
