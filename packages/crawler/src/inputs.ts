import { readFile, readdir, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

const WARC_FILE = /\.(?:warc|arc)(?:\.gz)?$/;
const PATHS_FILE = /\.paths(?:\.gz)?$/;
const GLOB_CHARS = /[*?[]/;

/**
 * Turns what the user typed into an ordered list of WARC files. Each item is a WARC path, a folder
 * (its WARCs, recursively), a glob (`data/**\/*.warc.gz`), or a Common Crawl style `warc.paths(.gz)`
 * listing whose entries resolve against `pathsBase` (default: the listing's own folder), or an http(s)
 * URL of a WARC (kept as it is: the reader streams it). Order is kept and duplicates dropped, so a task
 * list, and so a run, is the same for the same command.
 */
export async function resolveWarcInputs(items: string[], pathsBase?: string): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (p: string): void => {
    const abs = /^https?:\/\//i.test(p) ? p : resolve(p);
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push(abs);
    }
  };
  for (const item of items) {
    if (/^https?:\/\//i.test(item)) {
      add(item);
    } else if (PATHS_FILE.test(item)) {
      for (const entry of await readPathsListing(item)) add(isAbsolute(entry) ? entry : join(pathsBase ?? dirname(item), entry));
    } else if (GLOB_CHARS.test(item)) {
      const matches = await expandGlob(item);
      if (matches.length === 0) throw new Error(`input glob '${item}' matches no file`);
      matches.forEach(add);
    } else {
      const info = await stat(item).catch(() => null);
      if (!info) throw new Error(`input '${item}' does not exist`);
      if (info.isDirectory()) (await walk(item)).filter((f) => WARC_FILE.test(f)).sort().forEach(add);
      else add(item);
    }
  }
  return out;
}

/** Entries of a `warc.paths` or `warc.paths.gz` listing, one object key a line. */
export async function readPathsListing(path: string): Promise<string[]> {
  const raw = await readFile(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Crawl id from a Common Crawl path (`.../CC-MAIN-2024-10/...`), or null. */
export function crawlIdFromPath(path: string): string | null {
  return /CC-(?:MAIN|NEWS)-\d{4}-\d{2}/.exec(path)?.[0] ?? /CC-NEWS-\d{14}/.exec(path)?.[0] ?? null;
}

/** Every file under `dir`, recursively. */
export async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name));
}

/** Files matching a glob (`*`, `**`, `?`, `[...]`), sorted. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const parts = resolve(pattern).split(sep);
  const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
  const root = parts.slice(0, firstGlob).join(sep) || sep;
  const regex = globToRegExp(parts.join(sep));
  const files = await walk(root).catch(() => []);
  return files.filter((f) => regex.test(f)).sort();
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        re += '(?:.*/)?'; // `**/` also matches no folder at all
        i++;
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, close).replace(/^!/, '^')}]`;
        i = close;
      }
    } else re += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}
