import { isProtocolRecordDrop } from '@jcp/stats';
import { PIPELINES } from '../definitions/index.ts';
import type { RunStats } from '../stages/stats.ts';

/** What one task of a pipeline reads, as the summary names it. */
const TASK_NOUN = { warc: 'WARC', text: 'file', wiki: 'dump part' } as const;

/** Drop reasons shown in the summary: enough to see what dominates, few enough to read at a glance. */
const TOP_DROP_REASONS = 3;
const EARLIER_RUN = /-of-earlier-/;

/**
 * What `pnpm pipeline` prints when a run ends: what was kept (documents, tokens, shards), the document
 * and token funnels step by step, the three reasons that dropped the most pages, the dedup against
 * earlier runs on its own line (it is not a quality verdict), and where to look next. A run that kept
 * nothing because earlier runs had published every document says so in one loud line.
 */
export function describeRun(name: string, runDir: string, stats: RunStats): string[] {
  const lines: string[] = [];
  const kept = stats.totals.write;
  const output = Object.entries(stats.output)
    .map(([k, v]) => `${k}: ${fmt(v.docs)} docs, ${fmt(kept?.tokensOut ?? 0)} tokens (${stats.tokenizer.kind}) in ${fmt(v.shards)} shards`)
    .join('; ');
  const profile = stats.filterProfile ? ` (filters ${stats.filterProfile})` : '';
  lines.push(`${name}: ${stats.tasks.done}/${stats.tasks.total} ${TASK_NOUN[PIPELINES[name]?.reads ?? 'warc']} tasks done${profile}; ${output}`);
  // The funnel starts at pages: the read step's output (WARC response records); request, metadata and
  // warcinfo records are protocol records, not dropped pages.
  const funnel = Object.entries(stats.totals)
    .filter(([, c]) => c.docsIn > 0)
    .map(([stage, c]) => `${stage === 'read' ? 'pages' : stage} ${fmt(c.docsOut)}`)
    .join(' → ');
  if (funnel) lines.push(`  documents out of each step: ${funnel}`);
  // Tokens exist from normalize on (the document's one tokenisation).
  const tokens = Object.entries(stats.totals)
    .filter(([, c]) => c.tokensIn > 0 || c.tokensOut > 0)
    .map(([stage, c]) => `${stage} ${fmt(c.tokensOut)}`)
    .join(' → ');
  if (tokens) lines.push(`  tokens out of each step: ${tokens}`);
  const drops = Object.entries(stats.totals)
    .flatMap(([stage, c]) => Object.entries(c.drops).filter(([reason]) => !isProtocolRecordDrop(stage, reason)))
    .filter(([reason]) => !EARLIER_RUN.test(reason))
    .sort((a, b) => b[1].docs - a[1].docs)
    .slice(0, TOP_DROP_REASONS)
    .map(([reason, d]) => `${reason} ${fmt(d.docs)}`);
  if (drops.length) lines.push(`  most dropped: ${drops.join(', ')}`);
  const dedup = stats.totals.dedup;
  const earlier = Object.entries(dedup?.drops ?? {})
    .filter(([reason]) => EARLIER_RUN.test(reason))
    .reduce((n, [, d]) => n + d.docs, 0);
  if (earlier > 0) {
    const segments = stats.dedup?.indexSegments ?? [];
    const named = segments.slice(0, 3).join(', ') + (segments.length > 3 ? `, … (${segments.length} runs)` : '');
    lines.push(
      `  dedup against earlier runs: ${fmt(earlier)} of ${fmt(dedup?.docsIn ?? 0)} docs dropped as duplicates of documents published by ${named || 'earlier runs'}; ` +
        'give --no-dedup-index or another --dedup-index to start over',
    );
  }
  if ((kept?.docsOut ?? 0) === 0 && earlier > 0) {
    lines.push(`WARNING: nothing new: every document that passed the filters (${fmt(earlier)}) duplicates one an earlier run published; this run's corpus is empty`);
  }
  lines.push(`run folder: ${runDir}`);
  lines.push(`  next: pnpm report ${runDir} · pnpm verify ${runDir} · pnpm status ${runDir}`);
  return lines;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
