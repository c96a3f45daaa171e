import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Exit codes of every command. A usage error (the command was called wrongly: unknown option, missing
 * or bad value, options that do not go together, inputs that do not exist) is 2, so a script can tell
 * "fix the command line" from a run that failed (1), as POSIX utilities and Python's argparse do.
 */
export const EXIT_USAGE = 2;
export const EXIT_FAILURE = 1;

/** The command was called wrongly; nothing was started. The top-level handler prints it and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A usage error as printed: its message and a pointer to the full list of options, on the same line,
 * or on a line of its own after a message that lists several things (missing inputs).
 */
export function usageMessage(command: string, e: UsageError): string {
  return `${e.message}${e.message.includes('\n') ? '\n' : ' '}(${command} --help lists every option)`;
}

/**
 * `parseArgs` of node:util with usage errors a person can act on: an unknown option is answered with
 * the closest declared one (`unknown option --inptu; did you mean --input?`), a missing value, a value
 * given to a flag and a stray argument each with one line, all as a `UsageError`. Node's own errors
 * name no alternative and carry advice about `--` that only fits positional arguments.
 */
export function parseCliArgs<T extends ParseArgsConfig & { args: string[] }>(config: T): ReturnType<typeof parseArgs<T>> {
  const options = config.options ?? {};
  // A lenient pass first: it lists every token, so the first mistake can be named in our words.
  const { tokens } = parseArgs({ args: config.args, options, allowPositionals: true, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (!config.allowPositionals) throw new UsageError(`unexpected argument '${t.value}'`);
      continue;
    }
    if (t.kind !== 'option') continue;
    const declared = Object.hasOwn(options, t.name) ? options[t.name] : undefined;
    if (!declared) {
      const guess = t.rawName.startsWith('--') ? closest(t.name, Object.keys(options)) : null;
      throw new UsageError(`unknown option ${t.rawName}${guess ? `; did you mean --${guess}?` : ''}`);
    }
    if (declared.type === 'string') {
      // The lenient pass takes the next argument as the value even when it is the next option (strict
      // parseArgs calls that ambiguous): `--input --out x` is a forgotten value far more often than a
      // file named `--out`, which can still be given as `--input=--out`.
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value.length > 1)) {
        throw new UsageError(`option --${t.name} needs a value${t.value === undefined ? '' : ` (next came '${t.value}'; if that is the value, write --${t.name}=${t.value})`}`);
      }
    } else if (t.inlineValue) {
      throw new UsageError(`option --${t.name} takes no value (got --${t.name}=${t.value ?? ''})`);
    }
  }
  try {
    return parseArgs(config);
  } catch (e) {
    throw usageErrorOf(e) ?? e;
  }
}

/**
 * Node's parseArgs error as a one-line `UsageError` (for modules that call parseArgs themselves), or
 * null for any other error.
 */
export function usageErrorOf(e: unknown): UsageError | null {
  if (e instanceof UsageError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (!(e instanceof TypeError) || typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return null;
  // Node's first sentence says what is wrong; the rest is advice about `--` for positional arguments.
  const first = e.message.split(/\.\s/)[0] ?? e.message;
  return new UsageError(first.charAt(0).toLowerCase() + first.slice(1));
}

/**
 * The declared name nearest to `typed`, if near enough to be a slip: at most one edit per three
 * characters (at least one, at most three; a swap of neighbours counts as one), so `--inptu` finds
 * `--input` but `--foo` finds nothing rather than a random option. A unique name `typed` begins is
 * taken too (`--work` → `--workers`). Ties go to the first declared.
 */
export function closest(typed: string, names: readonly string[]): string | null {
  const budget = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = editDistance(typed, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  if (best !== null && bestDistance <= budget) return best;
  const prefixed = typed.length >= 3 ? names.filter((n) => n.startsWith(typed)) : [];
  return prefixed.length === 1 ? prefixed[0]! : null;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Uint16Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * Runs a command's `main` and exits with its code. A `UsageError` prints one line with a pointer to
 * `--help` and exits 2; any other error is a runtime failure, printed by `onFailure` (default: the
 * message) with exit 1, or the code `onFailure` returns.
 */
export function runCommand(command: string, main: () => Promise<number>, onFailure: (e: unknown) => number = printFailure): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      const usage = usageErrorOf(e);
      if (usage) {
        console.error(usageMessage(command, usage));
        process.exit(EXIT_USAGE);
      }
      process.exit(onFailure(e));
    },
  );
}

function printFailure(e: unknown): number {
  console.error(e instanceof Error ? e.message : String(e));
  return EXIT_FAILURE;
}

/** A positive number from a flag's text, or a `UsageError` naming the flag. */
export function positiveNumber(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} expects a positive number, got '${raw}'`);
  return n;
}

/** A positive integer from a flag's text, or a `UsageError` naming the flag. */
export function positiveInteger(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} expects a positive integer, got '${raw}'`);
  return n;
}
