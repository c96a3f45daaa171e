import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/**
 * `pnpm eval <name>` and `pnpm bench <name>` both dispatch to a module `<folder>/<name>.ts` exporting
 * `main(argv)`. A new evaluation or benchmark is one new file; nothing else changes.
 */
export async function dispatch(kind: 'eval' | 'bench' | 'train', argv: string[]): Promise<void> {
  const folder = join(dirname(fileURLToPath(import.meta.url)), '..', kind);
  const available = readdirSync(folder)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || !available.includes(name)) {
    const usage = `usage: pnpm ${kind} <${available.join('|')}> [options]   (pnpm ${kind} <name> --help for options)`;
    if (name && name !== '--help' && name !== '-h') {
      console.error(`unknown ${kind} '${name}'\n${usage}`);
      process.exit(2);
    }
    console.log(usage);
    return;
  }
  const mod = (await import(join(folder, `${name}.ts`))) as { main: (argv: string[]) => Promise<void> };
  await mod.main(rest);
}
