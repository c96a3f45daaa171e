import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@jcp/core';
import { renderCorpusReport, renderReport } from '@jcp/stats';
import { gatherCorpus } from '../corpus/gather-corpus.ts';
import { gatherReport } from '../report/gather.ts';
import { corpusCommand, runDirCommand, wantsCorpus } from './run-dir-command.ts';

const HELP = `usage: pnpm report <run-dir> [--out <file>]
       pnpm report --corpus <root> [--out <file>]

Writes a self-contained HTML report of a run (no network, no external files): what was kept (docs,
characters, tokens), by source, subcorpus, crawl and WARC file; the funnel of every stage with its drop
reasons, from the pages (WARC response records; request, metadata, warcinfo and revisit records are
counted apart, as not pages); the dedup; length and filter-score histograms of the kept documents (DuckDB over the shards);
links to the audit samples and bad-record logs; and the trend over the runs in ../history.jsonl.

With --corpus, one page for every run below <root> (runs of every pipeline): tokens, documents and
characters per subcorpus, source and crawl after cross-subcorpus supersession, what each subcorpus lost
to which other (dropped as a copy, or superseded), drop reasons per subcorpus, the runs and the history.

Options:
  --out <file>       Where to write it. Default: <run-dir>/report.html, or <root>/corpus-report.html.
  --corpus <root>    The corpus-wide report of every run below <root>.
  --help             This text.`;

if (wantsCorpus(process.argv.slice(2))) {
  corpusCommand('report', HELP, { out: { type: 'string' } }, async (root, values) => {
    const out = resolve(values.out ?? join(root, 'corpus-report.html'));
    const data = await gatherCorpus(root);
    await writeFileAtomic(out, renderCorpusReport(data));
    console.log(`corpus report: ${out} (${data.runs.length} runs)`);
    return 0;
  });
} else {
  runDirCommand('report', HELP, { out: { type: 'string' } }, async (runDir, values) => {
    const out = resolve(values.out ?? join(runDir, 'report.html'));
    const data = await gatherReport(runDir, out);
    await writeFileAtomic(out, renderReport(data));
    console.log(`report: ${out}`);
    return 0;
  });
}
