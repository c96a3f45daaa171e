import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { EXIT_USAGE, parseCliArgs, usageErrorOf, usageMessage, UsageError } from './args.ts';

type CommandOptions = Record<string, { type: 'string' } | { type: 'boolean' }>;
/** Each option's value typed by its declaration: a string option gives a string, a boolean one a boolean. */
type OptionValues<O extends CommandOptions> = { [K in keyof O]?: O[K] extends { type: 'string' } ? string : boolean };

/**
 * The frame of the commands that take one run folder (`report`, `verify`, `status`, `refilter`):
 * `--help`, exactly one positional, string and boolean options, the exit code from `body`. A usage error (also one
 * `body` throws) is one line with a pointer to --help and exit 2; any other error is printed as
 * `<name>: message` with `errorCode`.
 */
export function runDirCommand<O extends CommandOptions>(
  name: string,
  help: string,
  options: O,
  body: (runDir: string, values: OptionValues<O>) => Promise<number>,
  errorCode = 1,
  /** The option naming the folder instead of a positional (`corpus`: `--corpus <root>`). */
  folderOption?: string,
): void {
  const main = async (): Promise<number> => {
    const declared: NonNullable<ParseArgsConfig['options']> = { ...options, help: { type: 'boolean', short: 'h' } };
    const { values, positionals } = parseCliArgs({ args: process.argv.slice(2), allowPositionals: true, options: declared });
    const all: Record<string, string | boolean | (string | boolean)[] | undefined> = values;
    if (all.help === true) {
      console.log(help);
      return 0;
    }
    if (folderOption !== undefined) {
      const folder = all[folderOption];
      if (typeof folder !== 'string' || folder === '') throw new UsageError(`pnpm ${name} --${folderOption} needs a folder: pnpm ${name} --${folderOption} <root>`);
      if (positionals.length > 0) throw new UsageError(`pnpm ${name} --${folderOption} <root> takes no run folder, got ${positionals.join(' ')}`);
      const { help: _h, [folderOption]: _f, ...options } = all;
      return body(resolve(folder), options as OptionValues<O>);
    }
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? `pnpm ${name} needs a run folder: pnpm ${name} <run-dir>` : `pnpm ${name} takes one run folder, got ${positionals.length}: ${positionals.join(' ')}`);
    }
    const { help: _help, ...rest } = all;
    // parseArgs checked each value's type against `options`, which is what OptionValues<O> spells out.
    return body(resolve(positionals[0]!), rest as OptionValues<O>);
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

/**
 * `pnpm <name> --corpus <root>`: the same frame for the corpus-wide form of a run command (`report`,
 * `verify`): the folder comes from `--corpus`, no positional.
 */
export function corpusCommand<O extends CommandOptions>(
  name: string,
  help: string,
  options: O,
  body: (root: string, values: OptionValues<O>) => Promise<number>,
  errorCode = 1,
): void {
  runDirCommand(name, help, { ...options, corpus: { type: 'string' } }, body, errorCode, 'corpus');
}

/** Whether the command line asks for the corpus-wide form. */
export function wantsCorpus(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--corpus' || a.startsWith('--corpus='));
}
