import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

type StringOptions = Record<string, { type: 'string' }>;

/**
 * The frame of the commands that take one run folder (`report`, `verify`, `status`): `--help`, exactly
 * one positional, string options, the exit code from `body`, and an error printed as `<name>: message`
 * with `errorCode`.
 */
export function runDirCommand(
  name: string,
  help: string,
  options: StringOptions,
  body: (runDir: string, values: Record<string, string | undefined>) => Promise<number>,
  errorCode = 1,
): void {
  const main = async (): Promise<number> => {
    const { values, positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(help);
      return 0;
    }
    if (positionals.length !== 1) {
      console.error(help);
      return 2;
    }
    const { help: _help, ...rest } = values;
    return body(resolve(positionals[0]!), rest as Record<string, string | undefined>);
  };
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      console.error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = errorCode;
    },
  );
}
