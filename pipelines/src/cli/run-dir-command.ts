import { resolve } from 'node:path';
import { EXIT_USAGE, parseCliArgs, usageErrorOf, usageMessage, UsageError } from './args.ts';

type StringOptions = Record<string, { type: 'string' }>;

/**
 * The frame of the commands that take one run folder (`report`, `verify`, `status`, `refilter`):
 * `--help`, exactly one positional, string options, the exit code from `body`. A usage error (also one
 * `body` throws) is one line with a pointer to --help and exit 2; any other error is printed as
 * `<name>: message` with `errorCode`.
 */
export function runDirCommand(
  name: string,
  help: string,
  options: StringOptions,
  body: (runDir: string, values: Record<string, string | undefined>) => Promise<number>,
  errorCode = 1,
): void {
  const main = async (): Promise<number> => {
    const { values, positionals } = parseCliArgs({ args: process.argv.slice(2), allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(help);
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? `pnpm ${name} needs a run folder: pnpm ${name} <run-dir>` : `pnpm ${name} takes one run folder, got ${positionals.length}: ${positionals.join(' ')}`);
    }
    const { help: _help, ...rest } = values;
    return body(resolve(positionals[0]!), rest as Record<string, string | undefined>);
  };
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const usage = usageErrorOf(e);
      if (usage) {
        console.error(usageMessage(`pnpm ${name}`, usage));
        process.exitCode = EXIT_USAGE;
        return;
      }
      console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = errorCode;
    },
  );
}
