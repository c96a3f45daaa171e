import { parseShardSpec } from '@jcp/crawler';
import { PIPELINES } from '../definitions/index.ts';
import type { PipelineDefinition } from '../run-folder/context.ts';
import { positiveInteger, UsageError } from './args.ts';
import { CRAWL_OPTIONS } from './crawl-options.ts';

/** The options of `pnpm pipeline` as parsed: what the refusals below look at. */
export type GivenOptions = Readonly<Record<string, string | boolean | string[] | undefined>>;

/**
 * Options that only mean something beside another one. Each group is refused without its partner,
 * because it would otherwise be ignored in silence (a `--limit 5` on local files runs them all).
 */
const NEEDS: ReadonlyArray<{ flags: readonly string[]; needs: (v: GivenOptions) => boolean; partner: string; why: string }> = [
  {
    flags: ['base-url', 'shard', 'limit'],
    needs: (v) => v.crawl !== undefined,
    partner: '--crawl <id>',
    why: 'these pick the WARCs of a Common Crawl listing streamed over HTTP; local WARCs are chosen by --input (a folder, a glob or a warc.paths listing)',
  },
  {
    flags: ['index', 'languages'],
    needs: (v) => v['via-index'] !== undefined,
    partner: '--via-index',
    why: 'these choose the records read through Common Crawl\'s columnar index; without --via-index every record of each WARC is read',
  },
  {
    flags: ['via-index'],
    needs: (v) => v.crawl !== undefined || v.index !== undefined,
    partner: '--crawl <id> or --index <parquet>',
    why: 'the columnar index is the crawl\'s (fetched with --crawl) or local part files (--index) describing the --input WARCs',
  },
  {
    flags: ['crawl-out', ...Object.keys(CRAWL_OPTIONS)],
    needs: (v) => v.urls !== undefined,
    partner: '--urls <file>',
    why: 'the crawler options set up the crawl of a URL list',
  },
  {
    flags: ['partition', 'time', 'mem', 'cpus-per-task', 'array-limit', 'tasks-per-job', 'wait'],
    needs: (v) => v.executor === 'slurm',
    partner: '--executor slurm',
    why: 'the Slurm options size and follow job arrays; a local run is sized with --workers',
  },
];

/**
 * Which pipelines an acquisition fills: the source recorded with every document must be where the
 * pages came from, so Common Crawl (`--crawl`) feeds the `cc` pipeline and a WARP-style URL list
 * (`--urls`) the `warp` one.
 */
const ACQUIRE_SOURCE: ReadonlyArray<{ flag: 'crawl' | 'urls'; source: string; what: string }> = [
  { flag: 'crawl', source: 'cc', what: 'streams Common Crawl WARCs' },
  { flag: 'urls', source: 'warp', what: 'crawls a WARP-style URL list' },
];

const TOKENIZER_WITH_MODEL = 'sentencepiece';
/** A Common Crawl style listing, as @jcp/crawler's resolveWarcInputs tells one from a WARC. */
const PATHS_LISTING = /\.paths(?:\.gz)?$/;

/**
 * Refuses, as a `UsageError` with the reason, option combinations of `pnpm pipeline` that do not go
 * together and the values of the acquisition options that cannot work, before anything is read or
 * fetched. `inputs` are the --input items as given (split at commas).
 */
export function refuseCombinations(def: PipelineDefinition, v: GivenOptions, inputs: readonly string[]): void {
  if (v['no-dedup-index'] && v['dedup-index'] !== undefined) {
    throw new UsageError('--no-dedup-index and --dedup-index <dir> contradict each other: give one (--no-dedup-index deduplicates within this run only)');
  }
  if (v.executor !== undefined && v.executor !== 'local' && v.executor !== 'slurm') throw new UsageError(`--executor expects local or slurm, got '${String(v.executor)}'`);
  if (v.executor === 'slurm' && v.workers !== undefined) {
    throw new UsageError('--workers sets the local worker threads; under --executor slurm tasks run as array tasks (size them with --cpus-per-task, --array-limit and --tasks-per-job)');
  }
  for (const rule of NEEDS) {
    const alone = rule.flags.filter((f) => v[f] !== undefined);
    if (alone.length > 0 && !rule.needs(v)) {
      throw new UsageError(`${alone.map((f) => `--${f}`).join(', ')} ${alone.length === 1 ? 'goes' : 'go'} with ${rule.partner}: ${rule.why}`);
    }
  }
  for (const { flag, source, what } of ACQUIRE_SOURCE) {
    if (v[flag] === undefined || def.source === source) continue;
    const right = Object.values(PIPELINES).find((p) => p.source === source);
    const takes = ['--input <WARCs>', ...ACQUIRE_SOURCE.filter((a) => a.source === def.source).map((a) => `--${a.flag}`)].join(' or ');
    throw new UsageError(
      `--${flag} ${what}, whose documents ${def.name} would label source ${def.source}` +
        `${right ? `: use pnpm pipeline ${right.name} --${flag} …` : ''} (${def.name} takes ${takes})`,
    );
  }
  if (v['paths-base'] !== undefined && !inputs.some((i) => PATHS_LISTING.test(i))) {
    throw new UsageError('--paths-base is the folder the entries of a warc.paths listing resolve against, and no --input is a warc.paths listing');
  }
  if (v['tokenizer-model'] !== undefined && v.tokenizer !== undefined && v.tokenizer !== TOKENIZER_WITH_MODEL) {
    throw new UsageError(`--tokenizer-model is a SentencePiece model: it goes with --tokenizer ${TOKENIZER_WITH_MODEL}, not ${String(v.tokenizer)}`);
  }
  if (typeof v.limit === 'string') positiveInteger('--limit', v.limit);
  if (typeof v.shard === 'string') {
    try {
      parseShardSpec(v.shard);
    } catch (e) {
      throw new UsageError(`--shard: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (inputs.length === 0 && def.defaultInputs.length === 0 && v.crawl === undefined && v.urls === undefined) {
    throw new UsageError(`${def.name} needs --urls <file> or --input <WARCs>`);
  }
}
