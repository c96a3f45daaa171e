import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { closest, EXIT_USAGE, usageErrorOf, usageMessage, UsageError } from './args.ts';

/** What one `<name>` of each command is, for the message when none is given. */
const NOUN = { eval: 'an evaluation', bench: 'a benchmark', train: 'a model to train' } as const;

/**
 * `pnpm eval <name>` and `pnpm bench <name>` both dispatch to a module `<folder>/<name>.ts` exporting
 * `main(argv)`. A new evaluation or benchmark is one new file; nothing else changes. No name or an
 * unknown one is a usage error (exit 2), and so is an option the module's own parseArgs refuses.
 */
export async function dispatch(kind: 'eval' | 'bench' | 'train', argv: string[]): Promise<void> {
  const folder = join(dirname(fileURLToPath(import.meta.url)), '..', kind);
  const available = readdirSync(folder)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
  const [name, ...rest] = argv;
  const usage = `pnpm ${kind} <${available.join('|')}> [options]`;
  let command = `pnpm ${kind}`;
  try {
    if (name === '--help' || name === '-h') {
      console.log(`usage: ${usage}   (pnpm ${kind} <name> --help for options)`);
      return;
    }
    if (!name) throw new UsageError(`pnpm ${kind} needs the name of ${NOUN[kind]}: ${usage}`);
    if (!available.includes(name)) {
      const guess = closest(name, available);
      throw new UsageError(`unknown ${kind} '${name}'; ${guess ? `did you mean ${guess}?` : `one of ${available.join(', ')}`}`);
    }
    command = `pnpm ${kind} ${name}`;
    const mod = (await import(join(folder, `${name}.ts`))) as { main: (argv: string[]) => Promise<void> };
    await mod.main(rest);
  } catch (e) {
    // The modules parse their own options with node:util parseArgs: its errors are usage errors too.
    const usageError = usageErrorOf(e);
    if (!usageError) throw e;
    console.error(usageMessage(command, usageError));
    process.exitCode = EXIT_USAGE;
  }
}
