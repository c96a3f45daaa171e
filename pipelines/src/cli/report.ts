import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@jcp/core';
import { renderReport } from '@jcp/stats';
import { gatherReport } from '../report/gather.ts';
import { runDirCommand } from './run-dir-command.ts';

const HELP = `usage: pnpm report <run-dir> [--out <file>]

Writes a self-contained HTML report of a run (no network, no external files): what was kept (docs,
characters, tokens), by source, subcorpus, crawl and WARC file; the funnel of every stage with its drop
reasons, from the pages (WARC response records; request, metadata, warcinfo and revisit records are
counted apart, as not pages); the dedup; length and filter-score histograms of the kept documents (DuckDB over the shards);
links to the audit samples and bad-record logs; and the trend over the runs in ../history.jsonl.

Options:
  --out <file>  Where to write it. Default: <run-dir>/report.html (links are relative to this file).
  --help        This text.`;

runDirCommand('report', HELP, { out: { type: 'string' } }, async (runDir, values) => {
  const out = resolve(values.out ?? join(runDir, 'report.html'));
  const data = await gatherReport(runDir, out);
  await writeFileAtomic(out, renderReport(data));
  console.log(`report: ${out}`);
  return 0;
});
