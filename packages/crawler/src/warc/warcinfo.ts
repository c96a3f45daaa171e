import type { WarcRecord } from './record.ts';

const warcinfoDecoder = new TextDecoder();
/** warcinfo fields come first and are short; 4 KiB holds them in every writer we have seen. */
const WARCINFO_SCAN_BYTES = 4096;

/**
 * The crawl a warcinfo record names in `isPartOf:` (Common Crawl: `CC-MAIN-2020-34`; ClueWeb09:
 * `clueweb09-ja`), percent-decoded, since Webrecorder and pywb write collection names URL-encoded
 * (`Temporary%20Collection/Recording%20Session`). Null when there is no such field.
 */
export function crawlFromWarcinfo(record: WarcRecord): string | null {
  const text = warcinfoDecoder.decode(record.block.subarray(0, WARCINFO_SCAN_BYTES));
  const raw = /^isPartOf:[ \t]*(.*?)[ \t]*\r?$/im.exec(text)?.[1];
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a stray '%' that is not an escape: the name as written
  }
}
