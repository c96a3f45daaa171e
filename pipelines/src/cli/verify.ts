import { verifyCorpus } from '../corpus/verify-corpus.ts';
import { formatMismatch, verifyRun } from '../verify/verify.ts';
import { corpusCommand, runDirCommand, wantsCorpus } from './run-dir-command.ts';

const HELP = `usage: pnpm verify <run-dir>
       pnpm verify --corpus <root>

Recounts the run's corpus from its Parquet shards (DuckDB) and compares with stats.json: documents,
characters (code points, DuckDB length(text)), UTF-8 bytes (strlen) and tokens (sum of token_count), in
total, per output partition, subcorpus, source and WARC file; re-tokenises every text with the tokenizer
stats.json names and requires it to equal the row's token_count; checks the ledger balances (docs in =
out + drops for every stage, each stage takes in what the one before put out, totals = Σ per-WARC
ledgers) and that the corpus folder holds exactly the shards the write markers list.

Prints one line per mismatch ("MISMATCH <what>: <field>: <claim> <value>, <found> <value>"), then a
one-line JSON summary. Exit code 0: everything matches; 1: a mismatch; 2: the run could not be read.

With --corpus <root>: all of the above for every run below <root> (mismatches prefixed with the run
folder), and that every run has finished and every document a run lists as superseded
(dedup/superseded.jsonl) is in the shards of a run of the subcorpus it names.`;

if (wantsCorpus(process.argv.slice(2))) {
  corpusCommand(
    'verify',
    HELP,
    {},
    async (root) => {
      const summary = await verifyCorpus(root, (m) => console.log(formatMismatch(m)));
      console.log(JSON.stringify(summary));
      return summary.ok ? 0 : 1;
    },
    2,
  );
} else runDirCommand(
  'verify',
  HELP,
  {},
  async (runDir) => {
    const summary = await verifyRun(runDir, (m) => console.log(formatMismatch(m)));
    console.log(JSON.stringify(summary));
    return summary.ok ? 0 : 1;
  },
  2,
);
