import { esc, formatInt, formatPercent, metric, table } from './html.ts';
import { htmlDocument } from './page.ts';
import { barChart, stackedColumnChart } from './svg.ts';
import type { CorpusGroup, CorpusReportData } from './types.ts';

/**
 * The corpus-wide report (`pnpm report --corpus <root>`): every run below a corpus root as one corpus,
 * the way a trainer reads it: tokens, documents and characters per subcorpus, source and crawl after
 * cross-subcorpus supersession; what each subcorpus lost to which other; the drop reasons summed per
 * subcorpus; the runs and their history. A pure function of the gathered data, like the run report.
 */
export function renderCorpusReport(d: CorpusReportData): string {
  const units = [...new Set(d.runs.map((r) => r.tokenizer))];
  return htmlDocument(
    `corpus ${d.root}`,
    `<h1>Corpus <code>${esc(d.root)}</code></h1>
<p class="sub">${metric('corpus.runs', d.runs.length)} finished runs below this folder${d.unfinished.length ? `, ${formatInt(d.unfinished.length)} unfinished (${d.unfinished.map(esc).join(', ')})` : ''}; tokens in <code>${esc(units.join(', ') || '–')}</code>. Counts come from the runs' Parquet shards (DuckDB), less the documents later runs superseded (<code>dedup/superseded.jsonl</code>), and from their <code>stats.json</code> ledgers; <code>pnpm verify --corpus</code> checks both.</p>
<nav><a href="#subcorpora">subcorpora</a> · <a href="#sources">sources and crawls</a> · <a href="#cross">across subcorpora</a> · <a href="#drops">drops</a> · <a href="#runs">runs</a> · <a href="#history">history</a></nav>
${subcorpusSection(d)}
${sourceSection(d)}
${crossSection(d)}
${dropSection(d)}
${runsSection(d)}
${historySection(d)}`,
  );
}

function groupTable(groups: readonly CorpusGroup[], keyName: string, metricPrefix: string): string {
  const total = groups.reduce((n, g) => n + g.tokens, 0);
  const rows = groups.map((g) => {
    const key = Object.values(g.key).join(' / ');
    return [esc(key), metric(`${metricPrefix}.${key}.docs`, g.docs), metric(`${metricPrefix}.${key}.chars`, g.chars), metric(`${metricPrefix}.${key}.tokens`, g.tokens), formatPercent(g.tokens, total)];
  });
  return rows.length ? table([keyName, 'docs', 'chars', 'tokens', 'share of tokens'], rows, 'lrrrr') : '<p>No documents.</p>';
}

function subcorpusSection(d: CorpusReportData): string {
  const total = d.bySubcorpus.reduce((a, g) => ({ docs: a.docs + g.docs, chars: a.chars + g.chars, tokens: a.tokens + g.tokens }), { docs: 0, chars: 0, tokens: 0 });
  const bars = d.bySubcorpus.map((g) => ({ label: Object.values(g.key).join(' / '), value: g.tokens }));
  return `<section id="subcorpora"><h2>Subcorpora</h2>
<p>The corpus holds ${metric('corpus.docs', total.docs)} documents, ${metric('corpus.chars', total.chars)} characters and ${metric('corpus.tokens', total.tokens)} tokens${d.superseded.docs ? `, after leaving out ${metric('corpus.superseded.docs', d.superseded.docs)} published documents (${formatInt(d.superseded.tokens)} tokens) that a run of a preferred subcorpus superseded` : ''}.</p>
${bars.length ? barChart(bars, 'tokens per subcorpus', 'tokens') : ''}
${groupTable(d.bySubcorpus, 'subcorpus', 'subcorpus')}
</section>`;
}

function sourceSection(d: CorpusReportData): string {
  return `<section id="sources"><h2>Sources and crawls</h2>
<h3>By source</h3>${groupTable(d.bySource, 'source', 'source')}
<h3>By crawl or dump</h3>${groupTable(d.byCrawl, 'crawl', 'crawl')}
</section>`;
}

function crossSection(d: CorpusReportData): string {
  const subcorpora = [...new Set(d.losses.flatMap((l) => [l.loser, l.winner]))].sort();
  if (subcorpora.length === 0) {
    return `<section id="cross"><h2>Across subcorpora</h2><p>No document was dropped or superseded as a copy of another run's: ${metric('cross.docs', 0)}.</p></section>`;
  }
  const cell = (loser: string, winner: string): string => {
    const hits = d.losses.filter((l) => l.loser === loser && l.winner === winner);
    if (hits.length === 0) return '–';
    const docs = hits.reduce((n, l) => n + l.docs, 0);
    const tokens = hits.reduce((n, l) => n + l.tokens, 0);
    return `${metric(`cross.${loser}.${winner}.docs`, docs)} docs / ${metric(`cross.${loser}.${winner}.tokens`, tokens)} tokens`;
  };
  const rows = subcorpora.map((loser) => [esc(loser), ...subcorpora.map((winner) => cell(loser, winner))]);
  const list = d.losses.map((l) => [esc(l.loser), esc(l.winner), esc(l.how), metric(`loss.${l.loser}.${l.winner}.${l.how}.docs`, l.docs), formatInt(l.tokens)]);
  return `<section id="cross"><h2>Across subcorpora</h2>
<p class="sub">Row: the subcorpus whose copy went; column: the one whose copy was kept. The diagonal is a subcorpus' own earlier runs (the persistent index). <em>dropped</em>: a later run did not publish its copy; <em>superseded</em>: a run of a preferred subcorpus (<code>dedup.subcorpusPriority</code>) published its copy after this one was published, which is then left out of the counts above.</p>
${table(['lost by \\ kept by', ...subcorpora], rows, `l${'r'.repeat(subcorpora.length)}`)}
${table(['lost by', 'kept by', 'how', 'docs', 'tokens'], list, 'lllrr')}
</section>`;
}

function dropSection(d: CorpusReportData): string {
  const rows = [...d.drops]
    .sort((a, b) => b.docs - a.docs)
    .map((x) => [esc(x.subcorpus), esc(x.stage), esc(x.reason), metric(`drop.${x.subcorpus}.${x.stage}.${x.reason}.docs`, x.docs), formatInt(x.tokens)]);
  return `<section id="drops"><h2>Why the rest was dropped</h2>
<p class="sub">Every drop reason of every run's ledger, summed per subcorpus (tokens exist from the step that counts them on).</p>
${rows.length ? table(['subcorpus', 'step', 'reason', 'docs', 'tokens'], rows, 'lllrr') : '<p>No drops.</p>'}
</section>`;
}

function runsSection(d: CorpusReportData): string {
  const rows = d.runs.map((r) => [
    esc(r.path),
    esc(r.pipeline),
    esc(r.subcorpus),
    esc(r.source),
    `${formatInt(r.tasks.done)}/${formatInt(r.tasks.total)}${r.tasks.failed ? ` (${formatInt(r.tasks.failed)} failed)` : ''}`,
    metric(`run.${r.runId}.docs`, r.kept.docs),
    formatInt(r.kept.chars),
    metric(`run.${r.runId}.tokens`, r.kept.tokens),
  ]);
  return `<section id="runs"><h2>Runs</h2>
<p class="sub">What each run kept by its own ledger, before later runs superseded any of it.</p>
${rows.length ? table(['run folder', 'pipeline', 'subcorpus', 'source', 'tasks', 'docs', 'chars', 'tokens'], rows, 'llllrrrr') : '<p>No finished run.</p>'}
</section>`;
}

function historySection(d: CorpusReportData): string {
  if (d.history.length === 0) return '<section id="history"><h2>History</h2><p>No history lines.</p></section>';
  const subcorpora = [...new Set(d.history.map((e) => e.subcorpus))].sort();
  const columns = d.history.map((e) => ({ label: e.runId, parts: subcorpora.map((k) => ({ key: k, value: e.subcorpus === k ? e.kept.tokens : 0 })) }));
  const rows = d.history.map((e) => [esc(e.recordedAt), esc(e.pipeline), esc(e.runId), esc(e.subcorpus), formatInt(e.kept.docs), formatInt(e.kept.tokens)]);
  return `<section id="history"><h2>History</h2>
<p class="sub">Every run recorded in the <code>history/*.jsonl</code> files below the root, oldest first: tokens kept per run, by subcorpus.</p>
${stackedColumnChart(columns, subcorpora, 'tokens kept per run, by subcorpus', 'tokens')}
${table(['recorded at', 'pipeline', 'run', 'subcorpus', 'docs', 'tokens'], rows, 'llllrr')}
</section>`;
}
