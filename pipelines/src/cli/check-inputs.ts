import { stat } from 'node:fs/promises';
import { COMMON_CRAWL_BASE_URL, crawlIdFromPath, resolveWarcInputs, validateCrawlId } from '@jcp/crawler';
import { UsageError } from './args.ts';

/** Paths a refusal shows: enough to see the pattern (a wrong base folder, a typo), short enough to read. */
const SHOWN = 10;
/** Files stat'ed at once when checking a listing's entries: a 100k-line listing stays quick without a flood of open calls. */
const STAT_BATCH = 64;

const isUrl = (p: string): boolean => /^https?:\/\//i.test(p);

/**
 * Refuses, before anything starts, local inputs that do not exist: files, folders and globs as typed,
 * and the entries of a local warc.paths listing as they resolve (against `pathsBase` or the listing's
 * folder). All are listed in one `UsageError` (the count and the first few) rather than one failed task
 * each; http(s) inputs are left to the reader, which retries them.
 */
export async function checkLocalInputs(items: readonly string[], pathsBase: string | undefined): Promise<void> {
  // A wrong --paths-base would list every entry of every listing: name the folder instead.
  if (pathsBase !== undefined && !(await exists(pathsBase))) throw new UsageError(`--paths-base ${pathsBase} does not exist`);
  const missing: string[] = [];
  const listingsWithMissing: Array<{ listing: string; absent: string[] }> = [];
  for (const item of items) {
    if (isUrl(item)) continue;
    if (!(await exists(item))) {
      // A glob's text is no path: it is missing when it matches nothing (the expansion says so).
      const expanded = await resolveWarcInputs([item], pathsBase).catch(() => null);
      if (expanded === null) missing.push(item);
      continue;
    }
    // A folder or glob expands to files found on disk; only a listing's entries can name files that are
    // not there, so an item whose expansion misses files is a listing.
    const absent = await absentFiles((await resolveWarcInputs([item], pathsBase)).filter((p) => !isUrl(p)));
    if (absent.length > 0) listingsWithMissing.push({ listing: item, absent });
    missing.push(...absent);
  }
  if (missing.length === 0) return;
  const lines = [
    `${missing.length} local input(s) do not exist${missing.length > SHOWN ? ` (the first ${SHOWN} shown)` : ''}:`,
    ...missing.slice(0, SHOWN).map((p) => `  ${p}`),
  ];
  if (missing.length > SHOWN) lines.push(`  … and ${missing.length - SHOWN} more`);
  for (const { listing, absent } of listingsWithMissing) lines.push(listingHint(listing, absent, pathsBase));
  throw new UsageError(lines.join('\n'));
}

/**
 * What to do about a warc.paths listing whose entries are not on disk: they are usually the object
 * keys of a Common Crawl crawl (`crawl-data/CC-MAIN-…/…warc.gz`). A main crawl streams with --crawl
 * (which reads the crawl's own listing); --crawl takes no other kind (CC-NEWS), whose WARCs stream as
 * http(s) --input URLs. Either can be read from a local copy that --paths-base names.
 */
function listingHint(listing: string, absent: readonly string[], pathsBase: string | undefined): string {
  const where = pathsBase === undefined ? "the listing's folder" : `--paths-base ${pathsBase}`;
  const crawlId = absent.map(crawlIdFromPath).find((id) => id !== null);
  if (!crawlId) return `  ${listing}: its entries are resolved against ${where}; point --paths-base <dir> at the folder that holds them`;
  const entry = /crawl-data\/.*$/.exec(absent[0] ?? '')?.[0] ?? '<entry>';
  const [label, stream] = isMainCrawl(crawlId)
    ? [crawlId, `stream the crawl over HTTP with --crawl ${crawlId} (its own listing; --shard/--limit take a part, --base-url a mirror)`]
    : [crawlId.replace(/-\d+$/, ''), `stream them over HTTP as --input URLs (${COMMON_CRAWL_BASE_URL}/${entry}, comma-separated; --crawl takes only CC-MAIN-YYYY-WW crawls)`];
  return `  ${listing} lists Common Crawl paths (${label}), resolved against ${where}: ${stream}, or point --paths-base <dir> at a local copy of them`;
}

function isMainCrawl(crawlId: string): boolean {
  try {
    validateCrawlId(crawlId);
    return true;
  } catch {
    return false;
  }
}

async function absentFiles(paths: readonly string[]): Promise<string[]> {
  const absent: string[] = [];
  for (let i = 0; i < paths.length; i += STAT_BATCH) {
    const batch = paths.slice(i, i + STAT_BATCH);
    const found = await Promise.all(batch.map(exists));
    batch.forEach((p, k) => {
      if (!found[k]) absent.push(p);
    });
  }
  return absent;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
