import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatMismatch, verifyRun } from '../verify/verify.ts';

const HELP = `usage: pnpm verify <run-dir>

Recounts the run's corpus from its Parquet shards (DuckDB) and compares with stats.json: documents,
characters (code points, DuckDB length(text)), UTF-8 bytes (strlen) and tokens (sum of token_count), in
total, per output partition, subcorpus, source and WARC file; re-tokenises every text with the tokenizer
stats.json names and requires it to equal the row's token_count; checks the ledger balances (docs in =
out + drops for every stage, each stage takes in what the one before put out, totals = Σ per-WARC
ledgers) and that the corpus folder holds exactly the shards the write markers list.

Prints one line per mismatch ("MISMATCH <what>: <field>: <claim> <value>, <found> <value>"), then a
one-line JSON summary. Exit code 0: everything matches; 1: a mismatch; 2: the run could not be read.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(HELP);
    return 2;
  }
  const summary = await verifyRun(resolve(positionals[0]!), (m) => console.log(formatMismatch(m)));
  console.log(JSON.stringify(summary));
  return summary.ok ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  console.error(`verify: ${(e as Error).message}`);
  process.exitCode = 2;
}
