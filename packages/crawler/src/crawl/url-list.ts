import { readFile } from 'node:fs/promises';

/** One URL of the list, with where it came from and the fields that followed it on its line. */
export interface UrlListEntry {
  /** The URL as the crawl keys it: parsed, fragment dropped (never sent to a server). */
  url: string;
  /** 1-based line number in the list file. */
  line: number;
  /** Tab-separated fields after the URL (WARP-style lists carry ids, dates or collection names there). */
  fields: string[];
}

/** A line that is not a URL the crawler may fetch. */
export interface UrlListProblem {
  file: string;
  line: number;
  reason: 'bad-url' | 'duplicate';
  detail: string;
}

export interface UrlList {
  entries: UrlListEntry[];
  problems: UrlListProblem[];
  /** Non-blank, non-comment lines: entries + problems. */
  lines: number;
}

/** The crawl's key for a URL: the WHATWG-serialised form without the fragment. */
export function urlKey(url: URL): string {
  if (!url.hash) return url.href;
  const copy = new URL(url.href);
  copy.hash = '';
  return copy.href;
}

/**
 * Reads a URL list: one URL a line, optional tab-separated fields after it, blank lines and `#` comments
 * skipped. Lines that are not http(s) URLs, and repeats of an earlier URL, are returned as problems naming
 * file and line; they never stop the crawl.
 */
export async function readUrlList(path: string): Promise<UrlList> {
  return parseUrlList(await readFile(path, 'utf8'), path);
}

export function parseUrlList(text: string, file: string): UrlList {
  const entries: UrlListEntry[] = [];
  const problems: UrlListProblem[] = [];
  const firstLine = new Map<string, number>();
  const rows = text.replace(/^\uFEFF/, '').split('\n');
  let lines = 0;
  for (let i = 0; i < rows.length; i++) {
    const trimmed = (rows[i] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    lines++;
    const line = i + 1;
    const [raw = '', ...fields] = trimmed.split('\t');
    const candidate = raw.trim();
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      problems.push({ file, line, reason: 'bad-url', detail: `'${candidate.slice(0, 200)}' is not an absolute URL` });
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push({ file, line, reason: 'bad-url', detail: `scheme '${url.protocol}' is not http or https` });
      continue;
    }
    if (url.username || url.password) {
      // Credentials in a list would be sent to the host and archived in the WARC request record.
      problems.push({ file, line, reason: 'bad-url', detail: 'URL carries credentials' });
      continue;
    }
    const key = urlKey(url);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      problems.push({ file, line, reason: 'duplicate', detail: `same URL as line ${earlier}` });
      continue;
    }
    firstLine.set(key, line);
    entries.push({ url: key, line, fields: fields.map((f) => f.trim()) });
  }
  return { entries, problems, lines };
}
