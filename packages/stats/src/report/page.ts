import { historyTotals, tokenizerName } from '../history.ts';
import { emptyStage, outputOf, type DocCounts, type Ledger, type StageCounts } from '../ledger.ts';
import { esc, formatInt, formatNumber, formatPercent, metric, table, textMetric } from './html.ts';
import { documentFunnel, pageCounts, READ_STAGE, tokenFunnel } from './pages.ts';
import { barChart, funnelChart, histogramChart, stackedColumnChart, type Bar } from './svg.ts';
import type { FileLink, Histogram, ReportData, ReportRunStats, TaskFileLink } from './types.ts';

/** Bars drawn in a per-WARC chart; the table below it lists every WARC. */
const MAX_WARC_BARS = 40;

/**
 * Nothing is fetched: no network, no scripts, inline styles and SVG only. A page that tried to load
 * anything would be blocked and log a console error, which the report's browser test catches.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * Japanese faces first: the report shows Japanese sample text, URLs and file names, and a Latin face
 * listed first would leave kanji to the browser's fallback, which may pick a Chinese face (other glyph
 * forms for the same code points) or none (boxes). Noto Sans CJK JP and IPA P Gothic are the Debian ones
 * (scripts/setup.sh installs fonts-ipafont-gothic; IPAPGothic is its proportional face, IPAGothic the
 * fixed-width one), Hiragino Sans, Yu Gothic and Meiryo the macOS and Windows ones; their Latin letters
 * serve the numbers and names.
 */
const FONT_FAMILY = `"Noto Sans CJK JP", "IPAPGothic", "IPAGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif`;

const STYLE = `
body { font: 14px/1.45 ${FONT_FAMILY}; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; } h3 { margin-bottom: .3rem; }
.sub { color: #666; margin-top: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .6rem 1rem; min-width: 10rem; }
.card .n { font-size: 1.6rem; font-variant-numeric: tabular-nums; display: block; }
.card .k { color: #666; font-size: .85rem; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #eee; padding: .2rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.num, th.num { text-align: right; }
caption { text-align: left; color: #666; padding-bottom: .2rem; }
svg { display: block; margin: .4rem 0 1rem; max-width: 100%; height: auto; }
svg .lbl, svg .val { font-size: 11px; fill: #333; } svg .axis { stroke: #999; }
.preview { display: block; max-width: 36rem; white-space: pre-wrap; color: #444; font-size: .85rem; }
.warn { color: #a40000; } .muted { color: #888; } code { font-size: .9em; }
tr.current td { background: #fffbe6; }
`;

function stageOf(ledger: Ledger, name: string): StageCounts {
  return ledger[name] ?? emptyStage();
}

function link(f: FileLink, text = f.label): string {
  return f.exists ? `<a href="${esc(f.href)}">${esc(text)}</a>` : `<span class="muted" title="not in the run folder">${esc(text)} (missing)</span>`;
}

function card(label: string, body: string): string {
  return `<div class="card"><span class="n">${body}</span><span class="k">${esc(label)}</span></div>`;
}

function headline(s: ReportRunStats): string {
  const kept = outputOf(s.totals.write);
  const cards = [
    card('documents kept', metric('kept.docs', kept.docs)),
    card('characters kept (code points)', metric('kept.chars', kept.chars)),
    card('UTF-8 bytes kept', metric('kept.bytes', kept.bytes)),
    card('tokens kept', metric('kept.tokens', kept.tokens)),
    card('tokenizer', textMetric('tokenizer', tokenizerName(s.tokenizer))),
    ...(s.filterProfile ? [card('filter profile', textMetric('filter-profile', s.filterProfile))] : []),
  ];
  const outputRows = Object.entries(s.output).map(([key, o]) => [esc(key), metric(`output.${key}.docs`, o.docs), metric(`output.${key}.shards`, o.shards)]);
  const warn = s.totals.write ? '' : '<p class="warn">This run has no <code>write</code> stage in its ledger: it did not finish, nothing was kept.</p>';
  const failed = s.tasks.failed > 0 ? `<p class="warn">${formatInt(s.tasks.failed)} task(s) failed; see <a href="#audit">failed tasks</a>.</p>` : '';
  return `<section id="kept"><h2>Kept</h2>${warn}${failed}<div class="cards">${cards.join('')}</div>
<p class="sub">Tasks: ${metric('tasks.done', s.tasks.done)} of ${metric('tasks.total', s.tasks.total)} done, ${metric('tasks.failed', s.tasks.failed)} failed.
Counts of the <code>write</code> stage in stats.json; tokens by <code>${esc(tokenizerName(s.tokenizer))}</code>${s.tokenizer.kind === 'sentencepiece' ? ` (<code>${esc(s.tokenizer.modelPath)}</code>)` : ''}.</p>
${table(['output partition', 'docs', 'shards'], outputRows, 'lrr')}</section>`;
}

function bySourceSection(d: ReportData): string {
  const total = d.bySourceSubcorpus.reduce((n, g) => n + g.tokens, 0);
  const rows = d.bySourceSubcorpus.map((g) => {
    const k = `${g.key.source ?? ''}.${g.key.subcorpus ?? ''}`;
    return [esc(g.key.source ?? ''), esc(g.key.subcorpus ?? ''), metric(`source.${k}.docs`, g.docs), metric(`source.${k}.chars`, g.chars), metric(`source.${k}.bytes`, g.bytes), metric(`source.${k}.tokens`, g.tokens), formatPercent(g.tokens, total)];
  });
  const bars: Bar[] = d.bySourceSubcorpus.map((g) => ({ label: `${g.key.source ?? ''} / ${g.key.subcorpus ?? ''}`, value: g.tokens }));
  return `<h3>By source and subcorpus</h3><p class="sub">Counted from the ${formatInt(d.shards.length)} Parquet shard(s) with DuckDB: <code>count(*)</code>, <code>sum(length(text))</code>, <code>sum(strlen(text))</code>, <code>sum(token_count)</code>.</p>
${barChart(bars, 'tokens kept by source and subcorpus', 'tokens')}
${table(['source', 'subcorpus', 'docs', 'chars', 'bytes', 'tokens', 'share of tokens'], rows, 'llrrrrr')}`;
}

function byCrawlSection(s: ReportRunStats): string {
  const crawls = new Map<string, { warcs: number; kept: DocCounts }>();
  for (const w of s.byWarc) {
    const c = crawls.get(w.crawl) ?? { warcs: 0, kept: { docs: 0, bytes: 0, chars: 0, tokens: 0 } };
    const k = outputOf(w.ledger.write);
    c.warcs++;
    c.kept.docs += k.docs;
    c.kept.bytes += k.bytes;
    c.kept.chars += k.chars;
    c.kept.tokens += k.tokens;
    crawls.set(w.crawl, c);
  }
  const rows = [...crawls].map(([crawl, c]) => [esc(crawl), formatInt(c.warcs), metric(`crawl.${crawl}.docs`, c.kept.docs), metric(`crawl.${crawl}.chars`, c.kept.chars), metric(`crawl.${crawl}.tokens`, c.kept.tokens)]);
  const bars: Bar[] = [...crawls].map(([crawl, c]) => ({ label: crawl, value: c.kept.tokens }));
  return `<h3>By crawl</h3><p class="sub">The per-WARC ledgers of stats.json (<code>byWarc</code>), added up per crawl.</p>
${barChart(bars, 'tokens kept by crawl', 'tokens')}
${table(['crawl', 'WARC files', 'docs', 'chars', 'tokens'], rows, 'lrrrr')}`;
}

function byWarcSection(d: ReportData): string {
  const s = d.stats;
  const errors = new Map<string, TaskFileLink>(d.errorFiles.map((f) => [f.taskId, f]));
  const removed = new Map<string, TaskFileLink>(d.removedFiles.map((f) => [f.taskId, f]));
  const rows = s.byWarc.map((w) => {
    const k = outputOf(w.ledger.write);
    const e = errors.get(w.taskId);
    const r = removed.get(w.taskId);
    const fileName = w.warcFile.split('/').pop() ?? w.warcFile;
    return [
      `<span title="${esc(w.warcFile)}">${esc(fileName)}</span><br><span class="muted">${esc(w.taskId)}</span>`,
      esc(w.crawl),
      formatInt(w.inputBytes),
      formatInt(stageOf(w.ledger, READ_STAGE).docsIn),
      metric(`warc.${w.taskId}.pages`, pageCounts(READ_STAGE, stageOf(w.ledger, READ_STAGE)).docsIn),
      metric(`warc.${w.taskId}.docs`, k.docs),
      metric(`warc.${w.taskId}.chars`, k.chars),
      metric(`warc.${w.taskId}.tokens`, k.tokens),
      `${metric(`warc.${w.taskId}.errors`, w.errors)}${e ? ` ${link(e, 'log')}` : ''}`,
      r ? `${formatInt(r.count)} ${link(r, 'list')}` : '–',
    ];
  });
  const ranked = [...s.byWarc].sort((a, b) => outputOf(b.ledger.write).tokens - outputOf(a.ledger.write).tokens).slice(0, MAX_WARC_BARS);
  const bars: Bar[] = ranked.map((w) => ({ label: w.warcFile.split('/').pop() ?? w.warcFile, value: outputOf(w.ledger.write).tokens, title: `${w.warcFile}: ${formatInt(outputOf(w.ledger.write).tokens)} tokens` }));
  const note = s.byWarc.length > MAX_WARC_BARS ? `<p class="sub">The ${MAX_WARC_BARS} WARC files with the most tokens of ${formatInt(s.byWarc.length)}; the table lists all.</p>` : '';
  return `<h3>By WARC file</h3>${note}
${barChart(bars, 'tokens kept by WARC file', 'tokens')}
${table(['WARC file', 'crawl', 'input bytes', 'records', 'pages', 'docs kept', 'chars', 'tokens', 'bad records', 'dedup removed'], rows, 'llrrrrrrrr')}
<p class="sub">records: WARC records read; pages: its response records, the rest are protocol records (see <a href="#not-pages">not pages</a>).</p>`;
}

/**
 * The read step's protocol records (warcinfo, request, metadata, revisit): counted apart from the drops,
 * since they never were pages. Empty when the ledger has no read step or it saw none.
 */
function notPagesBlock(s: ReportRunStats): string {
  const read = s.totals[READ_STAGE];
  if (!read) return '';
  const p = pageCounts(READ_STAGE, read);
  const rows = Object.entries(p.notPages).map(([reason, x]) => {
    const m = `stage.${READ_STAGE}.notPage.${reason}`;
    return [esc(reason), metric(`${m}.docs`, x.docs), metric(`${m}.bytes`, x.bytes)];
  });
  return `<h3 id="not-pages">Not pages</h3>
<p class="sub">The <code>${READ_STAGE}</code> step read ${metric(`stage.${READ_STAGE}.records`, p.recordsIn)} WARC records: ${metric(`stage.${READ_STAGE}.pages`, p.docsIn)} pages (response records; a record too damaged to read counts as a dropped page) and ${metric(`stage.${READ_STAGE}.notPages`, p.notPagesTotal.docs)} protocol records that are not pages: the crawler's requests, its metadata, the file's warcinfo, revisits of unchanged pages. The funnel starts at the pages; stats.json lists these records as <code>${READ_STAGE}</code> drops named <code>warc-&lt;type&gt;</code>.</p>
${rows.length ? table(['ledger reason', 'records', 'bytes'], rows, 'lrr') : ''}`;
}

function funnelSection(s: ReportRunStats): string {
  const stages = Object.entries(s.totals);
  const tokens = tokenFunnel(s.totals);
  const tokenNote = tokens.countedAt
    ? `Tokens are counted once per document, on the text <code>${esc(tokens.countedAt)}</code> puts out; the steps before it have none. So this funnel starts at what <code>${esc(tokens.countedAt)}</code> put out, and its 0 tokens in (in the table) is not a loss.`
    : 'Tokens are counted once per document, on the normalised text.';
  const rows = stages.map(([name, c]) => {
    const p = pageCounts(name, c);
    return [
      esc(name),
      metric(`stage.${name}.docsIn`, p.docsIn),
      metric(`stage.${name}.docsOut`, c.docsOut),
      metric(`stage.${name}.dropped`, p.droppedDocs),
      metric(`stage.${name}.charsIn`, c.charsIn),
      metric(`stage.${name}.charsOut`, c.charsOut),
      metric(`stage.${name}.tokensIn`, c.tokensIn),
      metric(`stage.${name}.tokensOut`, c.tokensOut),
      s.stepMs?.[name] === undefined ? '—' : formatInt(s.stepMs[name]!),
    ];
  });
  const dropRows: string[][] = [];
  const eventRows: string[][] = [];
  for (const [name, c] of stages) {
    const p = pageCounts(name, c);
    for (const [reason, x] of Object.entries(p.drops)) {
      const m = `stage.${name}.drop.${reason}`;
      dropRows.push([esc(name), esc(reason), metric(`${m}.docs`, x.docs), metric(`${m}.bytes`, x.bytes), metric(`${m}.chars`, x.chars), metric(`${m}.tokens`, x.tokens), formatPercent(x.docs, p.docsIn)]);
    }
    for (const [event, n] of Object.entries(c.events ?? {})) eventRows.push([esc(name), esc(event), metric(`stage.${name}.event.${event}`, n)]);
  }
  return `<section id="funnel"><h2>Funnel</h2>
<p class="sub">Every stage in pipeline order: documents in, passed on (dark) and dropped (light). Documents are pages: the funnel starts at the WARC response records, not at every record (see <a href="#not-pages">not pages</a>). For every stage docs in = docs out + Σ drops.</p>
<h3>Documents</h3>${funnelChart(documentFunnel(s.totals), 'documents through the stages', 'docs')}
<h3>Tokens</h3><p class="sub">${tokenNote}</p>${funnelChart(tokens.steps, 'tokens through the stages', 'tokens')}
${table(['stage', 'docs in', 'docs out', 'dropped', 'chars in', 'chars out', 'tokens in', 'tokens out', 'ms'], rows, 'lrrrrrrrr')}
<p class="sub">ms: time spent in the step, summed over the WARC tasks (stats.json <code>stepMs</code>; the reader's own time is not a step).</p>
${notPagesBlock(s)}
<h3>Drops by reason</h3>
${dropRows.length ? table(['stage', 'reason', 'docs', 'bytes', 'chars', 'tokens', 'of stage input'], dropRows, 'llrrrrr') : '<p>No document was dropped.</p>'}
<h3>Events</h3><p class="sub">What stages did to documents they kept.</p>
${eventRows.length ? table(['stage', 'event', 'count'], eventRows, 'llr') : '<p>None.</p>'}
</section>`;
}

function dedupSection(s: ReportRunStats): string {
  const d = s.dedup;
  if (!d) return `<section id="dedup"><h2>Dedup</h2><p>No dedup summary: the run stopped before the dedup.</p></section>`;
  const drops = Object.entries(stageOf(s.totals, 'dedup').drops).map(([reason, x]) => [esc(reason), formatInt(x.docs), formatInt(x.chars), formatInt(x.tokens)]);
  const bands = d.perBand.map((b) => [formatInt(b.section), b.exact ? 'exact' : 'MinHash', formatInt(b.entries), formatInt(b.groups), formatInt(b.candidates), formatInt(b.pairs)]);
  return `<section id="dedup"><h2>Dedup</h2>
<p>MinHash LSH with ${metric('dedup.bands', d.bands)} bands × ${metric('dedup.rows', d.rows)} rows over ${formatInt(d.shingleChars)}-character shingles, near-duplicate at estimated Jaccard ≥ ${textMetric('dedup.threshold', formatNumber(d.threshold))};
${metric('dedup.clusters', d.clusters)} duplicate clusters holding ${metric('dedup.clusteredDocs', d.clusteredDocs)} documents.</p>
<p>Against earlier runs' index segments: ${d.indexSegments.length ? d.indexSegments.map((x) => `<code>${esc(x)}</code>`).join(', ') : 'none'}; this run's survivors committed as ${d.committedAs ? `<code>${esc(d.committedAs)}</code>` : 'nothing (no index)'}.</p>
${drops.length ? table(['reason', 'docs', 'chars', 'tokens'], drops, 'lrrr') : ''}
<details><summary>Per band</summary>${table(['band', 'kind', 'entries', 'groups', 'candidates', 'pairs'], bands, 'rlrrrr')}</details>
</section>`;
}

/**
 * Site-line removal: the thresholds, what it removed, and the hosts that lost the most. A host that tops
 * the list with most of its text removed is where to look first (a site whose articles share a long
 * lead, say); the removed lines themselves are the `site-boilerplate-lines` audit samples.
 */
function siteBoilerplateSection(s: ReportRunStats): string {
  const b = s.siteBoilerplate;
  if (!b) return '';
  const hosts = b.topHosts.map((h) => [esc(h.host), formatInt(h.pages), formatInt(h.lines), formatInt(h.chars), formatInt(h.tokens)]);
  return `<section id="site-lines"><h2>Site boilerplate</h2>
<p>Lines a host repeats on at least ${metric('site.minPages', b.minPages)} pages and ${textMetric('site.minShare', formatNumber(b.minShare * 100))} % of its pages were removed before the filters:
${metric('site.lines', b.lines)} lines, ${metric('site.chars', b.chars)} characters, ${metric('site.tokens', b.tokens)} tokens; ${metric('site.pagesEmptied', b.pagesEmptied)} pages had nothing else and were dropped as <code>only-site-boilerplate</code>.</p>
${hosts.length ? `<h3>Hosts that lost the most characters</h3>${table(['host', 'pages', 'lines', 'chars', 'tokens'], hosts, 'lrrrr')}` : '<p>No host lost a line.</p>'}
</section>`;
}

function histogramBlock(h: Histogram, unit: string): string {
  if (h.missing) return `<h3>${esc(h.name)}</h3><p class="muted">Column <code>${esc(h.name)}</code> is not in the shards.</p>`;
  return `<h3>${esc(h.name)}</h3><p class="sub">${esc(h.description)} ${metric(`hist.${h.name}.values`, h.values)} docs binned${h.scale === 'log' ? ' (log-spaced bins)' : ''}, ${metric(`hist.${h.name}.nulls`, h.nulls)} null.</p>
${histogramChart(h, `histogram of ${h.name}`, unit)}`;
}

function histogramSection(d: ReportData): string {
  return `<section id="lengths"><h2>Lengths of kept documents</h2>${d.lengthHistograms.map((h) => histogramBlock(h, 'docs')).join('\n')}</section>
<section id="scores"><h2>Filter scores of kept documents</h2><p class="sub">Parquet score columns; a threshold can be retuned with a DuckDB query over these columns instead of a rerun.</p>
${d.scoreHistograms.map((h) => histogramBlock(h, 'docs')).join('\n')}</section>`;
}

function auditSection(d: ReportData): string {
  const s = d.stats;
  const dropped = new Map<string, { stage: string; docs: number }>();
  for (const [stage, c] of Object.entries(s.totals)) for (const [reason, x] of Object.entries(c.drops)) dropped.set(reason, { stage, docs: (dropped.get(reason)?.docs ?? 0) + x.docs });
  const rows = d.samples.map((l) => {
    const dr = dropped.get(l.reason);
    const first = l.first
      ? `<span class="url">${esc(l.first.url)}</span><br><span class="muted">${esc(l.first.id)}</span><q class="preview" data-sample="${esc(l.reason)}">${esc(l.first.text)}</q>`
      : '<span class="muted">–</span>';
    return [esc(l.reason), esc(dr?.stage ?? ''), metric(`samples.${l.reason}`, l.count), dr ? formatInt(dr.docs) : '–', link(l), first];
  });
  const failed = s.failed.map((f) => [esc(f.taskId), `<code>${esc(f.error)}</code>`]);
  return `<section id="audit"><h2>Audit files</h2>
<p class="sub">The first dropped documents of every reason, as JSON lines (<code>{"id","url","reason","stage","scores","text"}</code>).</p>
${rows.length ? table(['reason', 'stage', 'samples', 'dropped docs', 'file', 'first sample'], rows, 'llrrll') : '<p>No samples.</p>'}
${failed.length ? `<h3 class="warn">Failed tasks</h3>${table(['task', 'error'], failed, 'll')}` : '<p>No failed tasks.</p>'}
<p class="sub">Bad-record logs and dedup removal lists are linked per WARC file in the <a href="#tokens">by-WARC table</a>.</p>
</section>`;
}

function historySection(d: ReportData): string {
  const h = d.history;
  const file = d.historyFile ? link(d.historyFile) : `<code>history/${esc(d.stats.pipeline)}.jsonl</code>`;
  if (h.length < 2) {
    return `<section id="history"><h2>History</h2><p class="sub">${file} holds ${metric('history.runs', h.length)} run(s); the trend appears from the second run.</p></section>`;
  }
  const unit = tokenizerName(d.stats.tokenizer);
  const sameUnit = h.filter((e) => e.tokenizer === unit);
  const totals = historyTotals(sameUnit);
  const sources = [...new Set(h.flatMap((e) => Object.keys(e.bySource)))];
  const columns = sameUnit.map((e) => ({ label: e.runId, parts: sources.map((k) => ({ key: k, value: e.bySource[k]?.tokens ?? 0 })) }));
  const rows = h.map((e) => [
    esc(e.runId),
    esc(e.recordedAt),
    esc(e.pipeline),
    esc(e.tokenizer),
    esc(e.filterProfile ?? '–'),
    esc(e.inputs.count === 0 ? '–' : `${formatInt(e.inputs.count)}: ${e.inputs.first.join(', ')}${e.inputs.count > e.inputs.first.length ? ', …' : ''}`),
    `${formatInt(e.tasks.done)}/${formatInt(e.tasks.total)}`,
    metric(`history.${e.runId}.docs`, e.kept.docs),
    metric(`history.${e.runId}.chars`, e.kept.chars),
    metric(`history.${e.runId}.tokens`, e.kept.tokens),
  ]);
  const tableHtml = table(['run', 'recorded at', 'pipeline', 'tokenizer', 'filters', 'inputs', 'tasks', 'docs kept', 'chars kept', 'tokens kept'], rows, 'llllllrrrr', (i) => (h[i]!.runId === d.stats.runId ? 'current' : ''));
  const other = h.length - sameUnit.length;
  return `<section id="history"><h2>History</h2>
<p class="sub">${file}: ${metric('history.runs', h.length)} runs, one line each. Tokens kept per run by source (runs counted in <code>${esc(unit)}</code>):</p>
${stackedColumnChart(columns, sources, 'tokens kept per run, by source', 'tokens')}
${tableHtml}
<p>All ${formatInt(totals.runs)} runs in <code>${esc(unit)}</code> together kept ${metric('history.total.docs', totals.kept.docs)} documents, ${metric('history.total.chars', totals.kept.chars)} characters and ${metric('history.total.tokens', totals.kept.tokens)} tokens (added exactly; a document kept by two runs counts twice unless the runs share a dedup index).${other > 0 ? ` ${formatInt(other)} run(s) counted tokens in another unit and are left out of this total.` : ''}</p>
</section>`;
}

/** An HTML document with the report's style and content policy around `body`. */
export function htmlDocument(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The whole report page: a pure function of the data gathered from stats.json, the shards and the history. */
export function renderReport(d: ReportData): string {
  const s = d.stats;
  return htmlDocument(
    `${s.pipeline} run ${s.runId}`,
    `<h1>${esc(s.pipeline)} run <code data-metric="runId">${esc(s.runId)}</code></h1>
<p class="sub">Source <code>${esc(s.source)}</code>, subcorpus <code>${esc(s.subcorpus)}</code>; ledger <code>${esc(s.schema)}</code>. Every number comes from <code>stats.json</code>, from the Parquet shards (DuckDB) or from the history file of the runs beside it (<code>../history/${esc(s.pipeline)}.jsonl</code>); <code>pnpm verify</code> recounts the shards against the ledger.</p>
<nav><a href="#kept">kept</a> · <a href="#tokens">where the tokens come from</a> · <a href="#funnel">funnel</a>${s.siteBoilerplate ? ' · <a href="#site-lines">site boilerplate</a>' : ''} · <a href="#dedup">dedup</a> · <a href="#lengths">lengths</a> · <a href="#scores">scores</a> · <a href="#audit">audit files</a> · <a href="#history">history</a></nav>
${headline(s)}
<section id="tokens"><h2>Where the tokens come from</h2>
${bySourceSection(d)}
${byCrawlSection(s)}
${byWarcSection(d)}
</section>
${funnelSection(s)}
${siteBoilerplateSection(s)}
${dedupSection(s)}
${histogramSection(d)}
${auditSection(d)}
${historySection(d)}`,
  );
}
