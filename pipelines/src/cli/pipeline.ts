import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_SHARD_CONFIG, type FingerprintMode } from '@jcp/core';
import { DEFAULT_DEDUP_CONFIG } from '@jcp/dedup';
import { DEFAULT_TOKEN_COUNTER_CONFIG, TOKENIZER_MODEL_ENV, type TokenCounterConfig, type TokenCounterKind } from '@jcp/stats';
import { PIPELINES } from '../definitions/index.ts';
import type { PipelineDefinition } from '../run-folder/context.ts';
import { DEFAULT_TEXT_FIELDS } from '../sources/text-records.ts';
import { DEFAULT_WIKI_PART_BYTES } from '../sources/wiki-pages.ts';
import { acquireInputs, ACQUIRE_OPTIONS, ACQUIRE_HELP } from './acquire-inputs.ts';
import { describeRun } from './run-summary.ts';
import { readConfigFile, withConfigFile } from '../run/config-file.ts';
import { defaultRunOptions, localExecutor, runPipeline, type RunOptions } from '../run/run-pipeline.ts';
import { slurmExecutor } from '../run/slurm-executor.ts';
import { DEFAULT_SLURM_CONFIG, type SlurmConfig } from '../run/slurm-jobs.ts';
import { DEFAULT_MIN_JOB_BYTES } from '../run/slurm-plan.ts';
import { FILTER_HELP, FILTER_OPTIONS, withFilterProfile, withToxicityModelFile } from './filter-options.ts';
import { closest, parseCliArgs, positiveNumber, runCommand, UsageError } from './args.ts';
import { checkLocalInputs } from './check-inputs.ts';
import { refuseCombinations } from './pipeline-usage.ts';
import { viaIndexFromFlags, VIA_INDEX_HELP, VIA_INDEX_OPTIONS } from './via-index.ts';


const HELP = `usage: pnpm pipeline <${Object.keys(PIPELINES).join('|')}> [options]

Pipelines:
${Object.values(PIPELINES)
  .map((p) => `  ${p.name.padEnd(8)} ${p.description} (subcorpus ${p.lang}/${p.subcorpus}, source ${p.source})`)
  .join('\n')}

Options:
  --input <spec>      WARC input; repeatable, or comma-separated. Each is a .warc/.warc.gz or .arc/.arc.gz
                      file, a folder (all WARC and ARC files in it), a glob ('data/**/*.warc.gz', quoted), or a Common Crawl style
                      warc.paths / warc.paths.gz listing. Default: the fixtures in fixtures/warc/.
                      Local inputs that do not exist are listed before anything starts (exit 2).
  --paths-base <dir>  Folder the entries of a warc.paths listing resolve against (default: the listing's folder).
                      A listing of Common Crawl paths with no local copy is streamed with --crawl <id> instead.
  --subcorpus <name>  (text-ja) The collection's partition: corpus/<lang>/<name>/ (e.g. ja_kaken). Default: ja_text.
  --text-field <f>    (text-ja) The field holding the text (inputs: .jsonl, .jsonl.gz, .parquet files or folders of
                      them). Default: text. A line (row) without it, or not JSON, is named by file and line in
                      errors.jsonl and counted under its reason.
  --id-field <f>      (text-ja) The record's own id (kept in warc_record_id; the doc id is made from the file
                      name and it, else the line number). Default: id.
  --url-field <f>     (text-ja) The record's URL, when it has one. Default: url.
  --multistream-index <file>  (wiki-ja) The index of a multistream dump (*-multistream-index.txt[.bz2]): the
                      dump is read in parts of whole bzip2 streams, one task each. Default: the index beside
                      the dump under its Wikimedia name, if there is one; else the dump is one task.
  --part-mb <n>       (wiki-ja) Compressed MB of a multistream dump per task. Default: ${DEFAULT_WIKI_PART_BYTES / 1e6}.
${ACQUIRE_HELP}
${VIA_INDEX_HELP}
${FILTER_HELP}
  --config <file>     Settings as JSON, deep-merged over the defaults and the profile: {"chain": {"filters":
                      {"steps": {"quality": {"rules": {"too-short": {"min": 400}}}}}}, "dedup": {"threshold":
                      0.85}, ...} (sections reader, http, chain, dedup, tokens, sharding; a misspelt key is an
                      error; null turns a bound off; a new key under rules adds a rule). The other flags win
                      over it. Part of the run's identity (run id).
  --out <dir>         Run folder. Default: runs/<pipeline>/<run-id>.
  --run-id <id>       Run id. Default: a hash of the inputs and settings, so rerunning the same command
                      resumes the same run (finished tasks are skipped, unfinished ones redone).
  --workers <n>       Worker threads, one WARC each at a time. Default: the core count (${availableParallelism()}).
  --shard-mb <n>      Close a Parquet shard after this many MB of text. Default: ${DEFAULT_SHARD_CONFIG.maxShardBytes / 1024 / 1024}.
  --shard-docs <n>    ... or after this many documents. Default: ${DEFAULT_SHARD_CONFIG.maxShardDocs}.
  --dedup-index <dir> Persistent dedup index: the run drops docs that earlier runs with the same index
                      kept, then adds its own survivors. Default: runs/dedup-index (shared by every
                      pipeline's runs in runs/) when --out is not given; none when it is.
  --no-dedup-index    Deduplicate within this run only.
  --dedup-threshold <j>  Estimated Jaccard at which two docs are near-duplicates. Default: ${DEFAULT_DEDUP_CONFIG.threshold}.
  --shingle-chars <n> Characters per MinHash shingle. Default: ${DEFAULT_DEDUP_CONFIG.minhash.shingleChars}.
  --lsh <b>x<r>       LSH bands x rows (signatures get b*r values). Default: ${DEFAULT_DEDUP_CONFIG.bands}x${DEFAULT_DEDUP_CONFIG.rows}
                      (S-curve midpoint (1/b)^(1/r) = ${((1 / DEFAULT_DEDUP_CONFIG.bands) ** (1 / DEFAULT_DEDUP_CONFIG.rows)).toFixed(2)}; candidates are then verified at --dedup-threshold).
  --tokenizer <kind>  What token counts count: sentencepiece, kuromoji (morphemes), chars or bytes.
                      Default: ${DEFAULT_TOKEN_COUNTER_CONFIG.kind}.
  --tokenizer-model <file>  SentencePiece .model file. Default: LLM-jp ver3.1 from ../shared/data/tokenizer
                      (or $${TOKENIZER_MODEL_ENV}).
  --rerun-changed     Redo the WARCs whose file changed since their task finished (size, mtime, content),
                      and every stage after them. Without it such a rerun is refused, naming the files.
  --verify-inputs <m> How a rerun tells a finished WARC changed: quick (size and mtime; the first and last
                      MiB when mtime moved) or full (SHA-256 of every byte, recorded and compared). Default: quick.
  --abandon-failed    Give up the WARCs whose task failed in an earlier try (e.g. gone from the server):
                      they are marked done with no documents (their error kept in stats.json byWarc and
                      the ledger's warc-abandoned event), and the dedup and later stages run without them.
  --executor <name>   local (default: worker threads on this machine) or slurm: job arrays, each
                      depending on the one before (afterok); only unfinished tasks are submitted,
                      so rerunning the command resubmits what failed or was cancelled.
  --partition <p>     (slurm) Partition. Default: the cluster's default.
  --time <t>          (slurm) Time limit per array task. Default: ${DEFAULT_SLURM_CONFIG.time}.
  --mem <m>           (slurm) Memory per array task. Default: ${DEFAULT_SLURM_CONFIG.mem}.
  --cpus-per-task <n> (slurm) Default: ${DEFAULT_SLURM_CONFIG.cpusPerTask}.
  --array-limit <n>   (slurm) Array tasks of a stage running at once (%N). Default: no limit.
  --tasks-per-job <k> (slurm) Tasks one array task runs in turn (start-up paid once), or auto: inputs
                      grouped until a job reads ${DEFAULT_MIN_JOB_BYTES / 1e6} MB, and stages that fit in one job
                      share it (the fixtures run as one job). Default: auto.
  --wait              (slurm) Wait for the jobs and report what is not done.
  --help              This text.

Exit codes: 0 done; 1 the run failed (rerun the same command to resume); 2 a usage error (unknown
option, bad value, options that do not go together, missing inputs), refused before anything starts.

Output: <run>/corpus/<lang>/<subcorpus>/*.parquet, <run>/stats.json (the ledger), <run>/<stage>/*.done,
<run>/process/*.errors.jsonl (one line per bad record: file, offset, reason), <run>/dedup/removed/*.jsonl
(each dropped duplicate and the doc it duplicates). See README.md.`;

const TEXT_FLAGS = ['subcorpus', 'text-field', 'id-field', 'url-field'] as const;
const WIKI_FLAGS = ['multistream-index', 'part-mb'] as const;

/** A wiki pipeline's dump splitting; refused for the other pipelines. */
function wikiOptions(def: PipelineDefinition, values: Partial<Record<(typeof WIKI_FLAGS)[number], string>>): Pick<RunOptions, 'wikiInputs'> {
  const given = WIKI_FLAGS.filter((f) => values[f] !== undefined);
  if (def.reads !== 'wiki') {
    if (given.length > 0) throw new UsageError(`--${given[0]} is for a Wikipedia dump (pnpm pipeline wiki-ja); ${def.name} reads ${def.reads === 'text' ? 'a text collection' : 'WARCs'}`);
    return {};
  }
  if (given.length === 0) return {};
  return {
    wikiInputs: {
      ...(values['multistream-index'] !== undefined ? { multistreamIndex: values['multistream-index'] } : {}),
      ...(values['part-mb'] !== undefined ? { partBytes: positiveNumber('--part-mb', values['part-mb']) * 1e6 } : {}),
    },
  };
}

/** A text pipeline's `--subcorpus` and field names; refused for a WARC pipeline, whose partition is fixed. */
function textOptions(def: PipelineDefinition, values: Partial<Record<(typeof TEXT_FLAGS)[number], string>>): Pick<RunOptions, 'subcorpus' | 'textFields'> {
  const given = TEXT_FLAGS.filter((f) => values[f] !== undefined);
  if (def.reads !== 'text') {
    if (given.length > 0) throw new UsageError(`--${given[0]} is for a text collection (pnpm pipeline text-ja); ${def.name} reads ${def.reads === 'wiki' ? 'a Wikipedia dump' : 'WARCs'}`);
    return {};
  }
  const subcorpus = values.subcorpus;
  if (subcorpus !== undefined && !/^[A-Za-z0-9_-]+$/.test(subcorpus)) throw new UsageError(`--subcorpus is a folder name (letters, digits, _ and -), got '${subcorpus}'`);
  const fields = { text: values['text-field'] ?? DEFAULT_TEXT_FIELDS.text, id: values['id-field'] ?? DEFAULT_TEXT_FIELDS.id, url: values['url-field'] ?? DEFAULT_TEXT_FIELDS.url };
  const changed = values['text-field'] !== undefined || values['id-field'] !== undefined || values['url-field'] !== undefined;
  return { ...(subcorpus !== undefined ? { subcorpus } : {}), ...(changed ? { textFields: fields } : {}) };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs({
    args: argv,
    allowPositionals: true,
    options: {
      input: { type: 'string', multiple: true },
      'paths-base': { type: 'string' },
      out: { type: 'string' },
      'run-id': { type: 'string' },
      workers: { type: 'string' },
      'shard-mb': { type: 'string' },
      'shard-docs': { type: 'string' },
      'dedup-index': { type: 'string' },
      'no-dedup-index': { type: 'boolean' },
      'dedup-threshold': { type: 'string' },
      'shingle-chars': { type: 'string' },
      lsh: { type: 'string' },
      tokenizer: { type: 'string' },
      executor: { type: 'string' },
      partition: { type: 'string' },
      time: { type: 'string' },
      mem: { type: 'string' },
      'cpus-per-task': { type: 'string' },
      'array-limit': { type: 'string' },
      'tasks-per-job': { type: 'string' },
      wait: { type: 'boolean' },
      'abandon-failed': { type: 'boolean' },
      'rerun-changed': { type: 'boolean' },
      'verify-inputs': { type: 'string' },
      config: { type: 'string' },
      'tokenizer-model': { type: 'string' },
      subcorpus: { type: 'string' },
      'text-field': { type: 'string' },
      'id-field': { type: 'string' },
      'url-field': { type: 'string' },
      'multistream-index': { type: 'string' },
      'part-mb': { type: 'string' },
      ...FILTER_OPTIONS,
      ...ACQUIRE_OPTIONS,
      ...VIA_INDEX_OPTIONS,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  const names = Object.keys(PIPELINES);
  if (!name) throw new UsageError(`pnpm pipeline needs the name of a pipeline: pnpm pipeline <${names.join('|')}> [options]`);
  const def = PIPELINES[name];
  if (!def) {
    const guess = closest(name, names);
    throw new UsageError(`unknown pipeline '${name}'; ${guess ? `did you mean ${guess}?` : `one of ${names.join(', ')}`}`);
  }
  // WARCs are given with --input: a second word is more likely a forgotten --input than a pipeline.
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' after the pipeline name; WARC inputs are given with --input`);
  const given = (values.input ?? []).flatMap((s) => s.split(',')).filter(Boolean);
  refuseCombinations(def, values, given);
  // Before any task (and before a --urls crawl): every missing local input at once, not one failed task each.
  const local = given.length > 0 || values.crawl !== undefined || values.urls !== undefined ? given : def.defaultInputs;
  await checkLocalInputs([...local, ...(values.urls !== undefined ? [values.urls] : [])], values['paths-base']);
  // Settings: the defaults, the --filters profile, then --config, then the flags below.
  // The pipeline's own default profile (wiki-ja: wiki-v1) when --filters names none.
  const base = withFilterProfile(defaultRunOptions(), values.filters ?? def.filterProfile);
  const configured = withToxicityModelFile(values.config ? withConfigFile(base, await readConfigFile(values.config), values.config) : base, values['toxicity-model'], base.settings.chain.filters.profile);
  const sharding = { ...configured.settings.sharding };
  if (values['shard-mb']) sharding.maxShardBytes = positiveNumber('--shard-mb', values['shard-mb']) * 1024 * 1024;
  if (values['shard-docs']) sharding.maxShardDocs = positiveNumber('--shard-docs', values['shard-docs']);
  const dedup = { ...configured.settings.dedup, minhash: { ...configured.settings.dedup.minhash } };
  if (values['dedup-threshold']) dedup.threshold = positiveNumber('--dedup-threshold', values['dedup-threshold']);
  if (values['shingle-chars']) dedup.minhash.shingleChars = dedup.minChars = positiveNumber('--shingle-chars', values['shingle-chars']);
  if (values.lsh) {
    const m = /^(\d+)x(\d+)$/.exec(values.lsh);
    if (!m) throw new UsageError(`--lsh expects <bands>x<rows>, e.g. 16x8, got '${values.lsh}'`);
    dedup.bands = Number(m[1]);
    dedup.rows = Number(m[2]);
    dedup.minhash.numPerm = dedup.bands * dedup.rows;
  }
  // Every value is checked before the acquisition, which may crawl a URL list for hours.
  const workers = values.workers ? positiveNumber('--workers', values.workers) : undefined;
  const tokens = tokenConfig(values.tokenizer, values['tokenizer-model'], configured.settings.tokens);
  const verifyInputs = fingerprintMode(values['verify-inputs']);
  const slurm = values.executor === 'slurm' ? slurmConfig(values) : null;
  const inputs = [...given, ...(await acquireInputs(def, values, values.out))];
  const viaIndex = values['via-index'] ? await viaIndexFromFlags(def.name, values, inputs, values['paths-base']) : undefined;
  const options: RunOptions = {
    ...configured,
    inputs,
    pathsBase: values['paths-base'],
    out: values.out,
    runId: values['run-id'],
    ...(workers !== undefined ? { workers } : {}),
    settings: { ...configured.settings, dedup, sharding, tokens },
    ...(values['no-dedup-index'] ? { dedupIndex: null } : values['dedup-index'] ? { dedupIndex: values['dedup-index'] } : {}),
    abandonFailed: values['abandon-failed'] ?? false,
    rerunChanged: values['rerun-changed'] ?? false,
    verifyInputs,
    ...(viaIndex ? { viaIndex } : {}),
    ...textOptions(def, values),
    ...wikiOptions(def, values),
  };
  const executor = slurm ? slurmExecutor(slurm, values.wait ?? false) : localExecutor(options.workers);
  const summary = await runPipeline(def, options, executor);
  for (const a of summary.submitted) {
    const tasks = a.slots.reduce((n, slot) => n + slot.length, 0);
    console.log(`${a.stage.padEnd(14)} job ${a.jobId} array 0-${a.slots.length - 1} (${tasks} tasks in ${a.slots.length} jobs) logs ${a.logs}`);
  }
  if (summary.stats) for (const line of describeRun(def.name, summary.runDir, summary.stats)) console.log(line);
  else console.log(`run folder: ${summary.runDir}; follow it with: pnpm status ${summary.runDir}`);
  if (summary.failures.length) {
    for (const f of summary.failures) console.error(`failed ${f.taskId}: ${f.error}`);
    console.error(`${summary.failures.length} task(s) failed; rerun the same command to retry them (add --abandon-failed to finish without the WARCs that keep failing)`);
    return 1;
  }
  if (summary.stats && !summary.finished) {
    console.error('the run did not finish; rerun the same command to resubmit what is not done');
    return 1;
  }
  return 0;
}

function slurmConfig(v: { partition?: string; time?: string; mem?: string; 'cpus-per-task'?: string; 'array-limit'?: string; 'tasks-per-job'?: string }): SlurmConfig {
  return {
    ...DEFAULT_SLURM_CONFIG,
    ...(v.partition ? { partition: v.partition } : {}),
    ...(v.time ? { time: v.time } : {}),
    ...(v.mem ? { mem: v.mem } : {}),
    ...(v['cpus-per-task'] ? { cpusPerTask: positiveNumber('--cpus-per-task', v['cpus-per-task']) } : {}),
    ...(v['array-limit'] ? { arrayLimit: positiveNumber('--array-limit', v['array-limit']) } : {}),
    ...(v['tasks-per-job'] !== undefined ? { tasksPerJob: tasksPerJob(v['tasks-per-job']) } : {}),
  };
}

function tasksPerJob(raw: string): number | null {
  if (raw === 'auto') return null;
  if (!/^\d+$/.test(raw) || Number(raw) === 0) throw new UsageError(`--tasks-per-job expects a positive integer or auto, got '${raw}'`);
  return Number(raw);
}

function tokenConfig(kind: string | undefined, model: string | undefined, configured: TokenCounterConfig): TokenCounterConfig {
  const kinds: TokenCounterKind[] = ['sentencepiece', 'kuromoji', 'chars', 'bytes'];
  if (kind !== undefined && !kinds.includes(kind as TokenCounterKind)) throw new UsageError(`--tokenizer expects one of ${kinds.join(', ')}, got '${kind}'`);
  return { kind: (kind as TokenCounterKind | undefined) ?? configured.kind, modelPath: model ? resolve(model) : configured.modelPath };
}

function fingerprintMode(raw: string | undefined): FingerprintMode {
  if (raw === undefined || raw === 'quick' || raw === 'full') return raw ?? 'quick';
  throw new UsageError(`--verify-inputs expects quick or full, got '${raw}'`);
}

runCommand('pnpm pipeline', () => main(process.argv.slice(2)));
