import { resolve } from 'node:path';
import { definitionOf } from '../definitions/index.ts';
import { loadRunContext, type RunContext, type RunSettings } from '../run-folder/context.ts';
import { removesSiteLines } from '../run-folder/names.ts';
import { readConfigFile, withConfigFile } from '../run/config-file.ts';
import { defaultRunOptions, runPipeline, type RunOptions } from '../run/run-pipeline.ts';
import { FILTER_HELP, FILTER_OPTIONS, withFilterProfile, withToxicityModelFile } from './filter-options.ts';
import { positiveNumber, UsageError } from './args.ts';
import { runDirCommand } from './run-dir-command.ts';

const HELP = `usage: pnpm refilter <run-dir> --out <dir> [--filters <profile>] [--config <file.json>] [--toxicity-model <file>] [--workers <n>]

Re-applies another filter profile or other thresholds to a finished run without reading a WARC: the run's
normalised documents (<run-dir>/normalized/, kept by default) go through the steps after normalize
with the profile of --filters and the settings of --config (deep-merged over the run's own), then the run-wide dedup, write and
stats, into a new run folder with its own corpus and ledger (the steps up to normalize keep the source
run's counts). The result equals a full run with the same settings.

--config may set chain.filters (profile rules, scorers, audit samples), dedup and sharding; a setting that
changes what happens before the filters (extraction, language ID, normalisation, tokens) needs a full
run and is refused. The new run has no persistent dedup index.

${FILTER_HELP}`;

/** What a refilter may change: the filters' thresholds and what comes after them. */
const REFILTERABLE = 'chain.filters.profile, chain.filters.steps, chain.filters.scorers, chain.filters.auditSamplesPerReason, chain.filters.auditSamplesPerReasonPerRun, chain.filters.auditPreviewChars, dedup, sharding, siteLines (but its partitions)';

runDirCommand('refilter', HELP, { config: { type: 'string' }, out: { type: 'string' }, workers: { type: 'string' }, ...FILTER_OPTIONS }, async (runDir, values) => {
  if (!values.out) throw new UsageError('pnpm refilter needs --out <dir>: a refilter writes a new run folder');
  const workers = values.workers ? positiveNumber('--workers', values.workers) : undefined;
  const source = await loadRunContext(runDir);
  if (source.keepNormalized !== true) throw new Error(`${runDir} kept no normalised documents (made by an older version); rerun it to refilter it`);
  const base = withFilterProfile(defaultRunOptions({
    out: resolve(values.out),
    settings: source.settings,
    dedupIndex: null,
    refilterOf: runDir,
    keepNormalized: false,
    ...(workers !== undefined ? { workers } : {}),
  }), values.filters);
  const options = withToxicityModelFile(values.config ? withConfigFile(base, await readConfigFile(values.config), values.config) : base, values['toxicity-model'], base.settings.chain.filters.profile);
  checkRefilterable(source, options);
  const summary = await runPipeline(await definitionOf(source), options);
  const out = Object.entries(summary.stats?.output ?? {}).map(([k, v]) => `${k}: ${v.docs} docs in ${v.shards} shards`);
  console.log(`refilter of ${runDir}: ${out.join('; ')}`);
  console.log(`run folder: ${summary.runDir}`);
  return summary.finished ? 0 : 1;
});

/** Refuses settings that change what happens before the filters: those need the WARCs again. */
function checkRefilterable(source: RunContext, options: RunOptions): void {
  const beforeFilters = (c: RunSettings['chain']): string => JSON.stringify({ ...c, filters: { ...c.filters, profile: null, steps: null, scorers: null, auditSamplesPerReason: null, auditSamplesPerReasonPerRun: null, auditPreviewChars: null } });
  const [was, now] = [source.settings, options.settings];
  const same = beforeFilters(was.chain) === beforeFilters(now.chain) && JSON.stringify(was.tokens) === JSON.stringify(now.tokens) && JSON.stringify(was.reader) === JSON.stringify(now.reader);
  if (!same) throw new Error(`the config changes a setting before the filters; a refilter may change only ${REFILTERABLE}: run the pipeline again for the rest`);
  // The counting reads the source run's line-hash files, written only with the removal on, in its partitions.
  if (removesSiteLines({ settings: now, reads: source.reads }) && (!removesSiteLines(source) || was.siteLines.partitions !== now.siteLines.partitions)) {
    throw new Error(`siteLines: ${source.runDir} ${removesSiteLines(source) ? `counted site lines in ${was.siteLines.partitions} partitions` : 'was run without site-line removal'}; a refilter can remove site lines only as its source counted them: run the pipeline again`);
  }
}
