import { runStatus } from '../run/run-status.ts';
import { runDirCommand } from './run-dir-command.ts';

const HELP = `usage: pnpm status <run-dir> [--json]

For a run on any executor: which tasks of each stage are done, running, failed (with the error) or
pending, and the ledger of the tasks done so far.

  --json   print the same as one JSON object instead of the table (for scripts and dashboards)`;

runDirCommand('status', HELP, { json: { type: 'boolean' } }, async (runDir, values) => {
  const status = await runStatus(runDir);
  if (values.json === true) {
    console.log(JSON.stringify(status, null, 2));
    return 0;
  }
  console.log(`${status.pipeline} run ${status.runDir}`);
  console.log(`${'stage'.padEnd(14)} ${'done'.padStart(7)} ${'running'.padStart(7)} ${'failed'.padStart(7)} ${'pending'.padStart(7)} ${'queued'.padStart(7)}`);
  for (const s of status.stages) {
    console.log(
      `${s.stage.padEnd(14)} ${`${s.done}/${s.total}`.padStart(7)} ${String(s.running).padStart(7)} ${String(s.failed).padStart(7)} ${String(s.pending).padStart(7)} ${String(s.queued).padStart(7)}`,
    );
    for (const [task, error] of Object.entries(s.failures)) console.log(`  failed ${task}: ${error}`);
  }
  console.log('ledger so far (docs in → out, tokens out):');
  for (const [stage, c] of Object.entries(status.ledger)) console.log(`  ${stage.padEnd(12)} ${c.docsIn} → ${c.docsOut}, ${c.tokensOut} tokens`);
  return 0;
});
