import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

/** Parses `--data <path>` (required) plus any extra string options; prints usage on `--help`. */
export function parseEvalArgs(
  argv: string[],
  name: string,
  dataHelp: string,
  extra: Record<string, { help: string; default?: string }> = {},
): { data: string } & Record<string, string> {
  const options: Record<string, { type: 'string' | 'boolean'; default?: string }> = {
    data: { type: 'string' },
    help: { type: 'boolean' },
  };
  for (const [key, spec] of Object.entries(extra)) {
    options[key] = spec.default === undefined ? { type: 'string' } : { type: 'string', default: spec.default };
  }
  const { values } = parseArgs({ args: argv, options, allowPositionals: false });
  if (values.help || typeof values.data !== 'string') {
    const lines = [`usage: pnpm eval ${name} --data <path>`, `  --data   ${dataHelp}`];
    for (const [key, spec] of Object.entries(extra)) {
      lines.push(`  --${key}   ${spec.help}${spec.default === undefined ? '' : ` (default ${spec.default})`}`);
    }
    lines.push('The scores are printed as one JSON object on the last line.');
    console.log(lines.join('\n'));
    process.exit(values.help ? 0 : 2);
  }
  return values as { data: string } & Record<string, string>;
}

/** Scores go out as one JSON object on the last line, so scripts can `tail -n1 | jq`. */
export function printScores(scores: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(scores)}\n`);
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * The objects of a JSONL file, one a line, with their line numbers; a line that is not a JSON object
 * is reported through `onBadLine` and skipped, so one bad line never stops an evaluation.
 */
export async function* readJsonlObjects(
  path: string,
  onBadLine: (lineNo: number, reason: string) => void,
): AsyncGenerator<{ lineNo: number; row: Record<string, unknown> }> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      onBadLine(lineNo, 'not JSON');
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      onBadLine(lineNo, 'not a JSON object');
      continue;
    }
    yield { lineNo, row: parsed as Record<string, unknown> };
  }
}
