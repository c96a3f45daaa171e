import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, constants, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { WebSocket } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenizerName, type AuditSample } from '@jcp/stats';
import type { RunStats } from '../src/run/run-pipeline.ts';
import { duckdb, FIXTURES, REPO, runCli, tempDir, type CliResult } from './helpers.ts';

/**
 * The report as a reader sees it: Debian's chromium, headless, driven over the DevTools protocol (undici's
 * WebSocket; nothing is downloaded), loads report.html from disk; the test reads the numbers the page
 * shows back out of the DOM and holds them to stats.json and the shards, and requires a silent console.
 */

const CHROMIUM = '/usr/bin/chromium';
const PREVIEW_CHARS = 160;

function runReport(args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'pipelines/src/cli/report.ts'), ...args], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

// ---- a minimal DevTools protocol client: commands by id, events by method name ----

type Params = Record<string, unknown>;

function isObject(v: unknown): v is Params {
  return typeof v === 'object' && v !== null;
}

class DevTools {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: Params) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Array<(p: Params) => void>>();

  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (ev) => {
      const msg: unknown = JSON.parse(String(ev.data));
      if (!isObject(msg)) return;
      if (typeof msg.id === 'number') {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (isObject(msg.error)) p?.reject(new Error(`DevTools: ${String(msg.error.message)}`));
        else p?.resolve(isObject(msg.result) ? msg.result : {});
      } else if (typeof msg.method === 'string') {
        for (const fn of this.listeners.get(msg.method) ?? []) fn(isObject(msg.params) ? msg.params : {});
      }
    });
  }

  static async connect(url: string): Promise<DevTools> {
    const ws = new WebSocket(url);
    await new Promise<void>((res, rej) => {
      ws.addEventListener('open', () => res());
      ws.addEventListener('error', () => rej(new Error(`cannot connect to ${url}`)));
    });
    return new DevTools(ws);
  }

  send(method: string, params: Params = {}): Promise<Params> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on(method: string, fn: (p: Params) => void): void {
    this.listeners.set(method, [...(this.listeners.get(method) ?? []), fn]);
  }

  once(method: string): Promise<Params> {
    return new Promise((res) => {
      let done = false;
      this.on(method, (p) => {
        if (!done) res(p);
        done = true;
      });
    });
  }

  close(): void {
    this.ws.close();
  }
}

interface Browser {
  child: ChildProcess;
  page: DevTools;
  profile: string;
  /** Console errors, exceptions and error log entries, as text. */
  errors: string[];
  /** URLs the page requested. */
  requests: string[];
}

/**
 * Starts chromium in its own process group (so its helper processes can be ended with it) and attaches to
 * its page. `env` replaces the test's environment (FONTCONFIG_FILE for a browser without Japanese fonts).
 */
async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  try {
    await access(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`${CHROMIUM} not found: the report test renders the report in Debian's chromium; install it with scripts/setup.sh (apt-get install chromium)`);
  }
  const profile = await tempDir('chromium-profile');
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
  const wsUrl = await new Promise<string>((res, rej) => {
    let log = '';
    const timer = setTimeout(() => rej(new Error(`chromium printed no DevTools address in 30 s:\n${log}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.on('exit', (code) => rej(new Error(`chromium exited (${code}) before listening:\n${log}`)));
  });
  const targets: unknown = await (await fetch(`http://${new URL(wsUrl).host}/json/list`)).json();
  const page = Array.isArray(targets) ? targets.find((t): t is Params => isObject(t) && t.type === 'page') : undefined;
  if (!page || typeof page.webSocketDebuggerUrl !== 'string') throw new Error(`chromium has no page target: ${JSON.stringify(targets)}`);
  const devtools = await DevTools.connect(page.webSocketDebuggerUrl);
  const browser: Browser = { child, page: devtools, profile, errors: [], requests: [] };
  devtools.on('Runtime.consoleAPICalled', (p) => {
    if (p.type === 'error' || p.type === 'assert') browser.errors.push(`console.${String(p.type)}: ${JSON.stringify(p.args)}`);
  });
  devtools.on('Runtime.exceptionThrown', (p) => browser.errors.push(`exception: ${JSON.stringify(p.exceptionDetails)}`));
  devtools.on('Log.entryAdded', (p) => {
    const entry = isObject(p.entry) ? p.entry : {};
    if (entry.level === 'error') browser.errors.push(`log (${String(entry.source)}): ${String(entry.text)} ${String(entry.url ?? '')}`);
  });
  devtools.on('Network.requestWillBeSent', (p) => {
    if (isObject(p.request)) browser.requests.push(String(p.request.url));
  });
  await Promise.all(['Runtime.enable', 'Log.enable', 'Page.enable', 'Network.enable', 'DOM.enable'].map((m) => devtools.send(m)));
  await devtools.send('CSS.enable');
  return browser;
}

async function load(b: Browser, file: string): Promise<void> {
  b.errors.length = 0;
  b.requests.length = 0;
  const loaded = b.page.once('Page.loadEventFired');
  await b.page.send('Page.navigate', { url: pathToFileURL(file).href });
  await loaded;
}

/** Evaluates an expression in the page and returns its JSON value. */
async function evaluate(b: Browser, expression: string): Promise<unknown> {
  const r = await b.page.send('Runtime.evaluate', { expression: `JSON.stringify(${expression})`, returnByValue: true });
  const result = isObject(r.result) ? r.result : {};
  if (r.exceptionDetails) throw new Error(`evaluate ${expression}: ${JSON.stringify(r.exceptionDetails)}`);
  return JSON.parse(String(result.value));
}

/** Whether any process of the group is left (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends chromium and its helper processes: the process group it leads, by its pid; SIGKILL whatever is left after 5 s. */
async function closeChromium(b: Browser): Promise<void> {
  b.page.close();
  const pid = b.child.pid!;
  if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  await rm(b.profile, { recursive: true, force: true });
}

/** The page's `data-metric` elements: name → the integer the reader sees (commas removed), and any name used twice. */
async function readMetrics(b: Browser): Promise<{ values: Map<string, string>; duplicates: string[] }> {
  const list = (await evaluate(b, `[...document.querySelectorAll('[data-metric]')].map((e) => [e.dataset.metric, e.textContent])`)) as Array<[string, string]>;
  const values = new Map<string, string>();
  const duplicates: string[] = [];
  for (const [k, v] of list) {
    if (values.has(k)) duplicates.push(k);
    values.set(k, v);
  }
  return { values, duplicates };
}

/**
 * The read step's drops that are WARC protocol records, not pages (warcinfo, request, metadata,
 * revisit); written out here rather than taken from the report's code, so the test holds it to the rule.
 */
const PROTOCOL_RECORD = /^warc-(warcinfo|request|metadata|revisit|resource|conversion|continuation)$/;

function protocolRecords(drops: Record<string, { docs: number }>): number {
  return Object.entries(drops).reduce((n, [r, d]) => n + (PROTOCOL_RECORD.test(r) ? d.docs : 0), 0);
}

function int(values: Map<string, string>, name: string): number {
  const text = values.get(name);
  if (text === undefined) throw new Error(`the report has no data-metric="${name}"`);
  if (!/^-?[\d,]+$/.test(text)) throw new Error(`data-metric="${name}" shows '${text}', not an integer`);
  return Number(text.replaceAll(',', ''));
}

// ---- Japanese glyphs: fontconfig's answer, the fonts chromium drew with, and the pixels ----

const run = promisify(execFile);

/**
 * Kana and kanji the glyph check draws one by one. Each is a different glyph in a Japanese font; with no
 * font that has them, chromium draws the primary font's .notdef box for each, all alike.
 */
const JAPANESE_PROBE = ['あ', 'ア', '日', '本'];
/** U+0378, unassigned in the Greek block: no font has a glyph for it, so it is drawn as the .notdef box. */
const NO_GLYPH = '\u0378';

/** The font fontconfig picks for Japanese, and whether that font covers Japanese (its `lang` set names `ja`). */
async function fontForJapanese(env: NodeJS.ProcessEnv = process.env): Promise<{ family: string; coversJapanese: boolean }> {
  const { stdout } = await run('fc-match', ['-f', '%{family}\n%{lang}', ':lang=ja'], { env });
  const [family = '', langs = ''] = stdout.split('\n');
  return { family, coversJapanese: langs.split('|').includes('ja') };
}

/** Every family name (all localised names) of the installed fonts that cover Japanese. */
async function japaneseFamilies(env: NodeJS.ProcessEnv = process.env): Promise<Set<string>> {
  const { stdout } = await run('fc-list', [':lang=ja', 'family'], { env });
  return new Set(stdout.split(/[\n,]/).map((f) => f.trim()).filter(Boolean));
}

/**
 * A fontconfig setup that is the machine's own less every font with a glyph for any probe character:
 * the machine as a fresh Debian without a CJK font sees it. The control of the glyph check runs in it.
 */
async function fontconfigWithoutJapanese(dir: string): Promise<NodeJS.ProcessEnv> {
  const files = new Set<string>();
  for (const ch of JAPANESE_PROBE) {
    const { stdout } = await run('fc-list', [`:charset=${ch.codePointAt(0)!.toString(16)}`, 'file']);
    for (const line of stdout.split('\n')) if (line.trim()) files.add(line.replace(/:\s*$/, '').trim());
  }
  const globs = [...files].map((f) => `<glob>${f.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</glob>`).join('');
  const conf = join(dir, 'fonts.conf');
  const base = process.env.FONTCONFIG_FILE ?? '/etc/fonts/fonts.conf';
  await writeFile(conf, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig><include ignore_missing="no">${base}</include><selectfont><rejectfont>${globs}</rejectfont></selectfont></fontconfig>\n`);
  return { ...process.env, FONTCONFIG_FILE: conf };
}

/**
 * Draws each probe character and the glyph-less U+0378 in a 48 px box of the page, in the font the
 * page's body has (the report's CSS font stack), and screenshots each box: PNG data as base64, equal
 * strings for equal pixels. The boxes are removed again.
 */
async function glyphShots(b: Browser): Promise<{ japanese: string[]; noGlyph: string }> {
  const chars = [...JAPANESE_PROBE, NO_GLYPH];
  const boxes = (await evaluate(
    b,
    `(() => {
      const probe = document.createElement('div');
      probe.id = 'glyph-probe';
      probe.style.cssText = 'position:fixed;left:0;top:0;z-index:2147483647;display:flex;background:#fff;color:#000;font-size:40px;line-height:48px';
      for (const ch of ${JSON.stringify(chars)}) {
        const box = document.createElement('span');
        box.style.cssText = 'display:block;width:48px;height:48px;overflow:hidden;text-align:center';
        box.textContent = ch;
        probe.append(box);
      }
      document.body.append(probe);
      return [...probe.children].map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; });
    })()`,
  )) as Array<{ x: number; y: number; width: number; height: number }>;
  const shots: string[] = [];
  for (const clip of boxes) {
    const r = await b.page.send('Page.captureScreenshot', { format: 'png', clip: { ...clip, scale: 1 } });
    shots.push(String(r.data));
  }
  await evaluate(b, `(document.getElementById('glyph-probe').remove(), 1)`);
  return { japanese: shots.slice(0, JAPANESE_PROBE.length), noGlyph: shots.at(-1)! };
}

/** Whether the screenshots show glyphs: every probe character drawn unlike the others and unlike the .notdef box. */
function drawsGlyphs(shots: { japanese: string[]; noGlyph: string }): boolean {
  return new Set(shots.japanese).size === shots.japanese.length && !shots.japanese.includes(shots.noGlyph);
}

/** The fonts chromium drew the text of the first element matching `selector` with, most glyphs first. */
async function platformFonts(b: Browser, selector: string): Promise<Array<{ familyName: string; glyphCount: number }>> {
  const doc = await b.page.send('DOM.getDocument', { depth: 0 });
  const root = isObject(doc.root) ? Number(doc.root.nodeId) : 0;
  const { nodeId } = await b.page.send('DOM.querySelector', { nodeId: root, selector });
  if (!nodeId) throw new Error(`no element matches ${selector}`);
  const { fonts } = await b.page.send('CSS.getPlatformFontsForNode', { nodeId });
  const list = (Array.isArray(fonts) ? fonts : []).filter(isObject).map((f) => ({ familyName: String(f.familyName), glyphCount: Number(f.glyphCount) }));
  return list.sort((x, y) => y.glyphCount - x.glyphCount);
}

describe('pnpm report: the run report in a browser', () => {
  let parent: string;
  let runDir: string;
  let otherRunDir: string;
  let stats: RunStats;
  let otherStats: RunStats;
  let reportFile: string;
  let browser: Browser | null = null;
  // Without chromium every test that needs it fails with the reason (a failed beforeAll would only skip them).
  let launchError: Error | null = null;
  let metrics = new Map<string, string>();
  let duplicates: string[] = [];
  const page = (): Browser => {
    if (launchError) throw launchError;
    if (!browser) throw new Error('chromium did not start');
    return browser;
  };
  const shown = (): Map<string, string> => (page(), metrics);

  beforeAll(async () => {
    parent = await tempDir('report');
    // Two runs beside each other share history/cc-ja.jsonl: the report of the first shows the trend of both.
    runDir = join(parent, 'all');
    otherRunDir = join(parent, 'plain');
    const launched = launchChromium().then(
      (b) => b,
      (e: Error) => {
        launchError = e;
        return null;
      },
    );
    const [first, second] = await Promise.all([
      runCli('pipeline', ['cc-ja', '--out', runDir]),
      runCli('pipeline', ['cc-ja', '--input', join(FIXTURES, 'warc/cc-fixture-plain.warc'), '--out', otherRunDir]),
      launched.then((b) => (browser = b)),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    stats = JSON.parse(await readFile(join(runDir, 'stats.json'), 'utf8')) as RunStats;
    otherStats = JSON.parse(await readFile(join(otherRunDir, 'stats.json'), 'utf8')) as RunStats;
    const r = await runReport([runDir]);
    expect(r.code, r.stderr).toBe(0);
    reportFile = join(runDir, 'report.html');
    expect(r.stdout).toContain(reportFile);
    if (browser) {
      await load(browser, reportFile);
      ({ values: metrics, duplicates } = await readMetrics(browser));
    }
  });

  afterAll(async () => {
    if (browser) await closeChromium(browser);
  });

  it('catches console errors and blocked loads on a page that has them (the check below can fail)', async () => {
    const bad = join(parent, 'bad.html');
    await writeFile(bad, `<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><img src="http://example.invalid/x.png"><p>x</p>`);
    await load(page(), bad);
    await evaluate(page(), `(console.error('on purpose'), 1)`);
    expect(page().errors.some((e) => e.includes('on purpose'))).toBe(true);
    expect(page().errors.some((e) => e.includes('example.invalid'))).toBe(true);
    await load(page(), reportFile);
  });

  it('renders with no console error, no exception and no request beyond the report file itself', () => {
    expect(page().errors).toEqual([]);
    expect(page().requests).toEqual([pathToFileURL(reportFile).href]);
  });

  it('names each number once', () => {
    expect((page(), duplicates)).toEqual([]);
    expect(shown().size).toBeGreaterThan(50);
  });

  it("shows stats.json's kept docs, characters, bytes and tokens, and the tokenizer that counted them", () => {
    const write = stats.totals.write!;
    expect(int(shown(), 'kept.docs')).toBe(write.docsOut);
    expect(int(shown(), 'kept.chars')).toBe(write.charsOut);
    expect(int(shown(), 'kept.bytes')).toBe(write.bytesOut);
    expect(int(shown(), 'kept.tokens')).toBe(write.tokensOut);
    expect(shown().get('tokenizer')).toBe(tokenizerName(stats.tokenizer));
    for (const [key, o] of Object.entries(stats.output)) {
      expect(int(shown(), `output.${key}.docs`)).toBe(o.docs);
      expect(int(shown(), `output.${key}.shards`)).toBe(o.shards);
    }
  });

  it("shows every stage's docs and tokens in and out, and every page drop's docs, chars and tokens, as in stats.json", () => {
    for (const [name, s] of Object.entries(stats.totals)) {
      const notPages = name === 'read' ? protocolRecords(s.drops) : 0;
      expect(int(shown(), `stage.${name}.docsIn`), `${name}.docsIn`).toBe(s.docsIn - notPages);
      for (const f of ['docsOut', 'charsIn', 'charsOut', 'tokensIn', 'tokensOut'] as const) expect(int(shown(), `stage.${name}.${f}`), `${name}.${f}`).toBe(s[f]);
      for (const [reason, d] of Object.entries(s.drops)) {
        if (name === 'read' && PROTOCOL_RECORD.test(reason)) continue;
        for (const f of ['docs', 'bytes', 'chars', 'tokens'] as const) expect(int(shown(), `stage.${name}.drop.${reason}.${f}`), `${name} ${reason} ${f}`).toBe(d[f]);
      }
    }
  });

  it('counts WARC request, metadata, warcinfo and revisit records as not pages, apart from the drops', () => {
    const read = stats.totals.read!;
    const types = Object.keys(read.drops).filter((r) => PROTOCOL_RECORD.test(r));
    expect(types.sort()).toEqual(['warc-metadata', 'warc-request', 'warc-revisit', 'warc-warcinfo']);
    for (const reason of types) {
      expect(int(shown(), `stage.read.notPage.${reason}.docs`), reason).toBe(read.drops[reason]!.docs);
      expect(int(shown(), `stage.read.notPage.${reason}.bytes`), reason).toBe(read.drops[reason]!.bytes);
      expect(shown().has(`stage.read.drop.${reason}.docs`), reason).toBe(false);
    }
    expect(int(shown(), 'stage.read.records')).toBe(read.docsIn);
    expect(int(shown(), 'stage.read.notPages')).toBe(protocolRecords(read.drops));
    expect(int(shown(), 'stage.read.pages')).toBe(read.docsIn - protocolRecords(read.drops));
    expect(int(shown(), 'stage.read.dropped')).toBe(Object.entries(read.drops).reduce((n, [r, d]) => n + (PROTOCOL_RECORD.test(r) ? 0 : d.docs), 0));
    for (const w of stats.byWarc) expect(int(shown(), `warc.${w.taskId}.pages`), w.taskId).toBe(w.ledger.read!.docsIn - protocolRecords(w.ledger.read!.drops));
  });

  it('starts the document funnel at pages and the token funnel at the first step that has tokens, each bar in = out + dropped', async () => {
    const bars = async (label: string): Promise<Array<{ name: string; in: number; out: number }>> => {
      const titles = (await evaluate(page(), `[...document.querySelectorAll('svg[aria-label="${label}"] g > title')].map((t) => t.textContent)`)) as string[];
      return titles.map((t) => {
        const m = /^(\S+): ([\d,]+) \w+ in, ([\d,]+) out, ([\d,]+) dropped$/.exec(t);
        if (!m) throw new Error(`funnel bar '${t}' is not 'stage: N in, N out, N dropped'`);
        const [inN, outN, dropped] = [m[2]!, m[3]!, m[4]!].map((x) => Number(x.replaceAll(',', '')));
        expect(inN, t).toBe(outN! + dropped!);
        return { name: m[1]!, in: inN!, out: outN! };
      });
    };
    const read = stats.totals.read!;
    const docs = await bars('documents through the stages');
    expect(docs[0]).toEqual({ name: 'read', in: read.docsIn - protocolRecords(read.drops), out: read.docsOut });
    expect(docs.map((d) => d.name)).toEqual(Object.keys(stats.totals));

    const stages = Object.entries(stats.totals);
    const first = stages.findIndex(([, c]) => c.tokensOut > 0);
    const [countedAt, counted] = stages[first]!;
    expect(counted.tokensIn, 'the fixture run counts tokens at a step whose input has none').toBe(0);
    const tokens = await bars('tokens through the stages');
    expect(tokens[0]).toEqual({ name: countedAt, in: counted.tokensOut, out: counted.tokensOut });
    expect(tokens.slice(1)).toEqual(stages.slice(first + 1).map(([name, c]) => ({ name, in: c.tokensIn, out: c.tokensOut })));
    const note = (await evaluate(page(), `[...document.querySelectorAll('#funnel p')].map((p) => p.textContent).find((t) => t.startsWith('Tokens are counted'))`)) as string;
    expect(note).toContain(`on the text ${countedAt} puts out`);
  });

  it('shows tokens by source and subcorpus as DuckDB counts them in the shards, and by WARC file and crawl as stats.json has them', async () => {
    const groups = await duckdb(`SELECT source, subcorpus, count(*) AS docs, sum(length(text)) AS chars, sum(token_count) AS tokens FROM read_parquet('${runDir}/corpus/*/*/*.parquet') GROUP BY ALL`);
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      const k = `source.${String(g.source)}.${String(g.subcorpus)}`;
      expect(int(shown(), `${k}.docs`)).toBe(Number(g.docs));
      expect(int(shown(), `${k}.chars`)).toBe(Number(g.chars));
      expect(int(shown(), `${k}.tokens`)).toBe(Number(g.tokens));
    }
    const byCrawl = new Map<string, number>();
    for (const w of stats.byWarc) {
      expect(int(shown(), `warc.${w.taskId}.docs`)).toBe(w.ledger.write?.docsOut ?? 0);
      expect(int(shown(), `warc.${w.taskId}.tokens`)).toBe(w.ledger.write?.tokensOut ?? 0);
      byCrawl.set(w.crawl, (byCrawl.get(w.crawl) ?? 0) + (w.ledger.write?.tokensOut ?? 0));
    }
    for (const [crawl, tokens] of byCrawl) expect(int(shown(), `crawl.${crawl}.tokens`)).toBe(tokens);
  });

  it('bins every kept document once in the length and score histograms', () => {
    const kept = stats.totals.write!.docsOut;
    for (const h of ['chars', 'tokens', 'char_count', 'hiragana_share', 'dup_line_frac', 'ng_char_share']) {
      expect(int(shown(), `hist.${h}.values`) + int(shown(), `hist.${h}.nulls`), h).toBe(kept);
    }
  });

  it('shows the dedup summary of stats.json', () => {
    expect(int(shown(), 'dedup.clusters')).toBe(stats.dedup!.clusters);
    expect(int(shown(), 'dedup.clusteredDocs')).toBe(stats.dedup!.clusteredDocs);
    expect(int(shown(), 'dedup.bands')).toBe(stats.dedup!.bands);
  });

  it('shows the Japanese text of the first audit sample of each reason exactly as the samples file holds it', async () => {
    const shown = (await evaluate(page(), `Object.fromEntries([...document.querySelectorAll('[data-sample]')].map((e) => [e.dataset.sample, e.textContent]))`)) as Record<string, string>;
    expect(Object.keys(shown).sort()).toEqual(Object.keys(stats.samples).sort());
    let japanese = 0;
    for (const reason of Object.keys(stats.samples)) {
      const first = JSON.parse((await readFile(join(runDir, 'samples', `${reason}.jsonl`), 'utf8')).split('\n')[0]!) as AuditSample;
      expect(shown[reason]).toBe(Array.from(first.text).slice(0, PREVIEW_CHARS).join(''));
      if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(first.text)) japanese++;
    }
    expect(japanese).toBeGreaterThan(0);
  });

  it('has fontconfig resolve Japanese to an installed font that covers it (setup.sh installs fonts-ipafont-gothic)', async () => {
    const font = await fontForJapanese();
    expect(font.coversJapanese, `fc-match ':lang=ja' picks '${font.family}', which has no Japanese; run scripts/setup.sh`).toBe(true);
  });

  it("draws the report's Japanese sample text, and its Latin text too, in a Japanese font: the CSS names one first", async () => {
    const families = await japaneseFamilies();
    const reason = (await evaluate(page(), `[...document.querySelectorAll('[data-sample]')].find((e) => /[\u3040-\u30ff]/.test(e.textContent)).dataset.sample`)) as string;
    for (const selector of [`[data-sample="${reason}"]`, '[data-metric="kept.docs"]', 'h2']) {
      const fonts = await platformFonts(page(), selector);
      expect(fonts.length, selector).toBeGreaterThan(0);
      expect(families.has(fonts[0]!.familyName), `${selector} drawn in ${JSON.stringify(fonts)}; Japanese fonts: ${[...families].join(', ')}`).toBe(true);
    }
  });

  it('draws kana and kanji as glyphs, not as the box of a missing glyph (screenshots of the report page)', async () => {
    const shots = await glyphShots(page());
    expect(shots.japanese.every((s) => s.length > 0)).toBe(true);
    expect(drawsGlyphs(shots)).toBe(true);
  });

  it('sees boxes in a browser whose fontconfig has no Japanese font (the checks above can fail)', async () => {
    page();
    const dir = await tempDir('no-cjk-fonts');
    const env = await fontconfigWithoutJapanese(dir);
    expect((await fontForJapanese(env)).coversJapanese).toBe(false);
    expect((await japaneseFamilies(env)).size).toBe(0);
    const bare = await launchChromium(env);
    try {
      await load(bare, reportFile);
      const shots = await glyphShots(bare);
      // Without the font every probe character is the same .notdef box as U+0378.
      expect(shots.japanese.every((s) => s === shots.noGlyph)).toBe(true);
      expect(drawsGlyphs(shots)).toBe(false);
    } finally {
      await closeChromium(bare);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('links, by relative paths, only to files of the run folder and beside it, every one of which exists', async () => {
    const hrefs = (await evaluate(page(), `[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))`)) as string[];
    const files = hrefs.filter((h) => !h.startsWith('#'));
    for (const h of files) {
      expect(h, h).not.toMatch(/^[a-z]+:|^\//i);
      const target = resolve(dirname(reportFile), decodeURIComponent(h));
      expect((await stat(target)).isFile(), target).toBe(true);
    }
    for (const reason of Object.keys(stats.samples)) expect(files).toContain(`samples/${reason}.jsonl`);
    for (const w of stats.byWarc) expect(files).toContain(`process/${w.taskId}.errors.jsonl`);
    expect(files).toContain('../history/cc-ja.jsonl');
  });

  it('shows the trend of both runs of history/cc-ja.jsonl, each with the tokens its stats.json kept', () => {
    expect(int(shown(), 'history.runs')).toBe(2);
    expect(int(shown(), `history.${stats.runId}.tokens`)).toBe(stats.totals.write!.tokensOut);
    expect(int(shown(), `history.${otherStats.runId}.tokens`)).toBe(otherStats.totals.write!.tokensOut);
    expect(int(shown(), 'history.total.tokens')).toBe(stats.totals.write!.tokensOut + otherStats.totals.write!.tokensOut);
  });

  it('lists each run of the history with its filter profile and inputs', async () => {
    const rows = (await evaluate(page(), `[...document.querySelectorAll('#history tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent))`)) as string[][];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row[4]).toBe('jcp-v1');
      expect(row[5]).toMatch(/^\d+: .*\.warc/);
    }
  });

  it('writes the report where --out says, its links relative to that place', async () => {
    const elsewhere = join(parent, 'reports', 'r.html');
    await mkdir(dirname(elsewhere), { recursive: true });
    const r = await runReport([runDir, '--out', elsewhere]);
    expect(r.code, r.stderr).toBe(0);
    const html = await readFile(elsewhere, 'utf8');
    expect(html).toContain(`href="../all/samples/${Object.keys(stats.samples)[0]}.jsonl"`);
  });

  it('pnpm report --corpus: both runs as one corpus in the browser, every count from their shards and ledgers; verify --corpus is clean', async () => {
    const r = await runReport(['--corpus', parent]);
    expect(r.code, r.stderr).toBe(0);
    const corpusFile = join(parent, 'corpus-report.html');
    await load(page(), corpusFile);
    try {
      expect(page().errors).toEqual([]);
      expect(page().requests).toEqual([pathToFileURL(corpusFile).href]);
      const { values, duplicates: twice } = await readMetrics(page());
      expect(twice).toEqual([]);
      const both = [stats, otherStats];
      const sum = (f: (s: RunStats) => number): number => both.reduce((n, s) => n + f(s), 0);
      expect(int(values, 'corpus.runs')).toBe(2);
      expect(int(values, 'corpus.docs')).toBe(sum((s) => s.totals.write!.docsOut));
      expect(int(values, 'corpus.tokens')).toBe(sum((s) => s.totals.write!.tokensOut));
      expect(int(values, 'corpus.chars')).toBe(sum((s) => s.totals.write!.charsOut));
      expect(int(values, 'subcorpus.ja_cc.tokens')).toBe(sum((s) => s.totals.write!.tokensOut));
      for (const s of both) expect(int(values, `run.${s.runId}.tokens`)).toBe(s.totals.write!.tokensOut);
      // no shared index: nothing lost across runs; every ledger drop reason summed over both runs
      expect(int(values, 'cross.docs')).toBe(0);
      const reasons = new Set(both.flatMap((s) => Object.entries(s.totals).flatMap(([stage, c]) => Object.keys(c.drops).filter((r) => !PROTOCOL_RECORD.test(r)).map((r) => `${stage}.${r}`))));
      expect(reasons.size).toBeGreaterThan(3);
      for (const key of reasons) {
        const [stage, reason] = [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)];
        expect(int(values, `drop.ja_cc.${key}.docs`)).toBe(sum((s) => s.totals[stage]?.drops[reason]?.docs ?? 0));
      }
      expect([...values.keys()].some((k) => /^drop\.ja_cc\.read\.warc-/.test(k))).toBe(false); // protocol records are not drops
    } finally {
      await load(page(), reportFile);
    }
    const v = await runCli('verify', ['--corpus', parent]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(JSON.parse(v.stdout.trim().split('\n').pop()!)).toMatchObject({ ok: true, runs: 2, mismatches: 0 });
  });
});
