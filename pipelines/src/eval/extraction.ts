/**
 * `pnpm eval extraction --data <dir>`: main-text extraction quality on two public benchmarks.
 *
 * - trafilatura (`evaldata*.json`, `{url: {page, with, without}}`): a `with` snippet found in the output
 *   is a true positive, missed a false negative; a `without` snippet found is a false positive, missed a
 *   true negative. Snippet and output are whitespace-normalised first, as trafilatura's
 *   tests/eval_common.py does (`re.sub(r"\s+", " ", text).strip()`, then substring test).
 * - scrapinghub article-extraction-benchmark (`ground-truth*.json`, `{id: {url, articleBody}}`): bag-of-
 *   tokens precision/recall per page, normalised per page and averaged over pages as upstream's
 *   evaluate.py does, F1 from the averages. Tokens are runs of letters/digits (upstream's `\w+`), except
 *   that CJK characters are one token each (no spaces to split on).
 *
 * The same run scores a floor, all visible text of the page, so the numbers have a reference.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extractMainText, extractVisibleText } from '@jcp/filters';
import { parseEvalArgs, printScores, round } from './_common.ts';

/** Extractors that `--peer` can put next to ours; loaded only when asked for, so tests stay fast. */
const PEERS: Record<string, () => Promise<Extractor>> = {
  readability: async () => (await import('./readability-peer.ts')).readabilityText,
};

type Extractor = (html: string) => string;

interface Dataset {
  kind: 'trafilatura' | 'scrapinghub';
  jsonPath: string;
}

const mainText = (html: string): string => extractMainText(html).text;

export async function main(argv: string[]): Promise<void> {
  const args = parseEvalArgs(
    argv,
    'extraction',
    'extraction/ dir (runs every benchmark found), trafilatura/ or scrapinghub/ dir, or one benchmark json file',
    { peer: { help: `also score a peer extractor on the same pages (${Object.keys(PEERS).join(', ')})` } },
  );
  const peerName = args.peer;
  const loadPeer = peerName === undefined ? undefined : PEERS[peerName];
  if (peerName !== undefined && loadPeer === undefined) {
    console.error(`unknown --peer ${peerName}; known: ${Object.keys(PEERS).join(', ')}`);
    process.exit(2);
  }
  const peer = loadPeer === undefined ? undefined : await loadPeer();
  const datasets = findDatasets(args.data);
  if (datasets.length === 0) {
    console.error(`no evaldata*.json or ground-truth*.json found at ${args.data}`);
    process.exit(2);
  }

  const scores: Record<string, unknown> = {};
  const baseline: Record<string, unknown> = {};
  const peerScores: Record<string, unknown> = {};
  for (const kind of ['trafilatura', 'scrapinghub'] as const) {
    const files = datasets.filter((d) => d.kind === kind).map((d) => d.jsonPath);
    if (files.length === 0) continue;
    const pages = kind === 'trafilatura' ? loadTrafilatura(files) : loadScrapinghub(files);
    const chars = pages.reduce((sum, page) => sum + page.html.length, 0);
    console.log(`${kind}: ${pages.length} pages, ${(chars / 1e6).toFixed(1)} M chars of HTML (${files.map((f) => basename(f)).join(', ')})`);
    // JIT warm-up, untimed, so pages/s measures the steady state rather than compilation
    for (const page of pages.slice(0, 20)) {
      mainText(page.html);
      extractVisibleText(page.html);
    }
    const runs: Array<readonly [string, Extractor, Record<string, unknown>]> = [
      ['extractMainText', mainText, scores],
      ['baseline (all visible text)', extractVisibleText, baseline],
    ];
    if (peer !== undefined && peerName !== undefined) {
      for (const page of pages.slice(0, 20)) peer(page.html);
      runs.push([`peer ${peerName}`, peer, peerScores]);
    }
    for (const [name, extractor, target] of runs) {
      const result = kind === 'trafilatura' ? scoreSnippets(pages as SnippetPage[], extractor) : scoreTokens(pages as ArticlePage[], extractor);
      const rate = result.pages / result.seconds;
      console.log(
        `  ${name.padEnd(28)} P=${result.precision.toFixed(3)} R=${result.recall.toFixed(3)} F1=${result.f1.toFixed(3)}` +
          (result.accuracy === undefined ? '' : ` acc=${result.accuracy.toFixed(3)}`) +
          `  ${rate.toFixed(0)} pages/s, ${(chars / 1e6 / result.seconds).toFixed(1)} M chars/s`,
      );
      target[kind] = {
        precision: round(result.precision),
        recall: round(result.recall),
        f1: round(result.f1),
        ...(result.accuracy === undefined ? {} : { accuracy: round(result.accuracy) }),
        pages: result.pages,
        pagesPerSecond: Math.round(rate),
      };
    }
  }
  printScores({ ...scores, baseline, ...(peerName === undefined ? {} : { peer: { name: peerName, ...peerScores } }) });
}

// ---- data discovery and loading ----

function findDatasets(path: string): Dataset[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) {
    const kind = datasetKind(basename(path)) ?? kindFromContent(path);
    return kind === null ? [] : [{ kind, jsonPath: path }];
  }
  const found: Dataset[] = [];
  for (const entry of readdirSync(path).sort()) {
    const full = join(path, entry);
    if (statSync(full).isDirectory()) {
      if (entry === 'trafilatura' || entry === 'scrapinghub') found.push(...findDatasets(full));
      continue;
    }
    const kind = datasetKind(entry);
    if (kind !== null) found.push({ kind, jsonPath: full });
  }
  return found;
}

function datasetKind(fileName: string): Dataset['kind'] | null {
  if (/^evaldata.*\.json$/.test(fileName)) return 'trafilatura';
  if (/^ground-truth.*\.json$/.test(fileName)) return 'scrapinghub';
  return null;
}

function kindFromContent(jsonPath: string): Dataset['kind'] | null {
  const first = Object.values(JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>)[0];
  if (typeof first !== 'object' || first === null) return null;
  if ('with' in first) return 'trafilatura';
  if ('articleBody' in first) return 'scrapinghub';
  return null;
}

interface SnippetPage {
  key: string;
  html: string;
  with: string[];
  without: string[];
}

interface ArticlePage {
  key: string;
  html: string;
  articleBody: string;
}

interface TrafilaturaItem {
  file?: string;
  page?: string;
  with?: string[];
  without?: string[];
}

function loadTrafilatura(files: string[]): SnippetPage[] {
  const pages: SnippetPage[] = [];
  for (const jsonPath of files) {
    const dir = dirname(jsonPath);
    const items = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, TrafilaturaItem>;
    for (const [url, item] of Object.entries(items)) {
      const candidates = [
        item.page,
        `pages/${createHash('sha1').update(url).digest('hex').slice(0, 16)}.html.gz`,
        item.file && `eval/${item.file}`,
        item.file && `cache/${item.file}`,
      ];
      const html = readFirstPage(dir, candidates);
      if (html === null) {
        console.error(`  skipped ${url}: page not found`);
        continue;
      }
      pages.push({ key: url, html, with: item.with ?? [], without: item.without ?? [] });
    }
  }
  return pages;
}

function loadScrapinghub(files: string[]): ArticlePage[] {
  const pages: ArticlePage[] = [];
  for (const jsonPath of files) {
    const dir = dirname(jsonPath);
    const items = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, { articleBody?: string }>;
    for (const [id, item] of Object.entries(items)) {
      const html = readFirstPage(dir, [`html/${id}.html.gz`, `html/${id}.html`]);
      if (html === null) {
        console.error(`  skipped ${id}: page not found`);
        continue;
      }
      pages.push({ key: id, html, articleBody: item.articleBody ?? '' });
    }
  }
  return pages;
}

function readFirstPage(dir: string, candidates: Array<string | undefined>): string | null {
  for (const relative of candidates) {
    if (!relative) continue;
    const path = join(dir, relative);
    if (!existsSync(path)) continue;
    const raw = readFileSync(path);
    return decodeHtml(path.endsWith('.gz') ? gunzipSync(raw) : raw);
  }
  return null;
}

/**
 * BOM, then a `<meta charset>` in the first 4 KB, else UTF-8 — and windows-1252 when undeclared bytes
 * are not valid UTF-8 (older European pages). Enough for benchmark pages.
 */
export function decodeHtml(bytes: Buffer): string {
  let label = '';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  else {
    const head = bytes.subarray(0, 4096).toString('latin1');
    const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
    if (declared) label = declared.toLowerCase();
  }
  if (label !== '') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // unknown label: fall through to sniffing
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

// ---- scoring ----

/** trafilatura's `norm`: Python's `\s` also covers the ASCII separators 0x1C–0x1F. */
function normaliseWhitespace(text: string): string {
  return text.replace(/[\s\x1c-\x1f]+/g, ' ').trim();
}

/** Runs the extractor over every page as one timed loop, so scoring does not count towards pages/s. */
function extractAll(extractor: Extractor, htmls: string[]): { texts: string[]; seconds: number } {
  const texts: string[] = [];
  const start = process.hrtime.bigint();
  for (const html of htmls) {
    try {
      texts.push(extractor(html));
    } catch (error) {
      // a crash scores as empty output, as in both upstream scripts
      console.error(`  extractor threw: ${String(error)}`);
      texts.push('');
    }
  }
  return { texts, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

interface Score {
  precision: number;
  recall: number;
  f1: number;
  accuracy?: number;
  pages: number;
  seconds: number;
}

function scoreSnippets(pages: SnippetPage[], extractor: Extractor): Score {
  const { texts, seconds } = extractAll(
    extractor,
    pages.map((page) => page.html),
  );
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  pages.forEach((page, i) => {
    const output = normaliseWhitespace(texts[i]!);
    for (const snippet of page.with) {
      if (output.includes(normaliseWhitespace(snippet))) tp++;
      else fn++;
    }
    for (const snippet of page.without) {
      if (output.includes(normaliseWhitespace(snippet))) fp++;
      else tn++;
    }
  });
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    precision,
    recall,
    f1: harmonic(precision, recall),
    accuracy: ratio(tp + tn, tp + tn + fp + fn),
    pages: pages.length,
    seconds,
  };
}

function scoreTokens(pages: ArticlePage[], extractor: Extractor): Score {
  const { texts, seconds } = extractAll(
    extractor,
    pages.map((page) => page.html),
  );
  const precisions: number[] = [];
  const recalls: number[] = [];
  pages.forEach((page, i) => {
    const truth = countTokens(page.articleBody);
    const predicted = countTokens(texts[i]!);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [token, count] of predicted) {
      const expected = truth.get(token) ?? 0;
      tp += Math.min(count, expected);
      fp += Math.max(0, count - expected);
    }
    for (const [token, count] of truth) fn += Math.max(0, count - (predicted.get(token) ?? 0));
    // upstream's precision_score/recall_score, including its conventions for empty sides
    if (tp + fp > 0) precisions.push(fn === 0 && fp === 0 ? 1 : tp / (tp + fp));
    if (tp + fn > 0) recalls.push(fn === 0 && fp === 0 ? 1 : tp / (tp + fn));
  });
  const precision = mean(precisions);
  const recall = mean(recalls);
  return { precision, recall, f1: harmonic(precision, recall), pages: pages.length, seconds };
}

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const TOKEN = new RegExp(`[${CJK}]|(?:(?![${CJK}])[\\p{L}\\p{N}\\p{M}_])+`, 'gu');

function countTokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(TOKEN)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function harmonic(a: number, b: number): number {
  return a + b === 0 ? 0 : (2 * a * b) / (a + b);
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}
