import type { RunStats } from '../stages/stats.ts';

/** Drop reasons shown in the summary: enough to see what dominates, few enough to read at a glance. */
const TOP_DROP_REASONS = 5;
const NOT_PAGES = /^warc-(?!abandoned)/;

/**
 * What `pnpm pipeline` prints when a run ends: what was kept (documents, tokens, shards), the document
 * funnel stage by stage, the reasons that dropped the most, and where to look next. A run that kept
 * nothing because earlier runs had published every document says so: an empty output is never silent.
 */
export function describeRun(name: string, runDir: string, stats: RunStats): string[] {
  const lines: string[] = [];
  const kept = stats.totals.write;
  const output = Object.entries(stats.output)
    .map(([k, v]) => `${k}: ${fmt(v.docs)} docs, ${fmt(kept?.tokensOut ?? 0)} tokens (${stats.tokenizer.kind}) in ${fmt(v.shards)} shards`)
    .join('; ');
  const profile = stats.filterProfile ? ` (filters ${stats.filterProfile})` : '';
  lines.push(`${name}: ${stats.tasks.done}/${stats.tasks.total} WARC tasks done${profile}; ${output}`);
  const funnel = Object.entries(stats.totals)
    .filter(([, c]) => c.docsIn > 0)
    .map(([stage, c]) => `${stage} ${fmt(c.docsOut)}`)
    .join(' → ');
  if (funnel) lines.push(`  documents out of each stage: ${funnel}`);
  // WARC request, metadata and warcinfo records are not pages: they are counted in the ledger, not here.
  const drops = Object.values(stats.totals)
    .flatMap((c) => Object.entries(c.drops))
    .filter(([reason]) => !NOT_PAGES.test(reason))
    .sort((a, b) => b[1].docs - a[1].docs)
    .slice(0, TOP_DROP_REASONS)
    .map(([reason, d]) => `${reason} ${fmt(d.docs)}`);
  if (drops.length) lines.push(`  most dropped: ${drops.join(', ')}`);
  const earlier = Object.entries(stats.totals.dedup?.drops ?? {})
    .filter(([reason]) => reason.endsWith('-of-earlier-run'))
    .reduce((n, [, d]) => n + d.docs, 0);
  if ((kept?.docsOut ?? 0) === 0 && earlier > 0) {
    lines.push(
      `  nothing new: all ${fmt(earlier)} document(s) that passed the filters duplicate documents earlier runs published (dedup index ${stats.dedup?.indexSegments.length ?? 0} segment(s)); ` +
        'give --no-dedup-index or another --dedup-index to deduplicate within this run only',
    );
  }
  lines.push(`run folder: ${runDir}`);
  lines.push(`  next: pnpm report ${runDir} · pnpm verify ${runDir} · pnpm status ${runDir}`);
  return lines;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
