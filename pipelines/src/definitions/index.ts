import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PipelineDefinition, RunContext } from '../run-folder/context.ts';
import { CC_JA } from './cc-ja.ts';
import { TEXT_JA } from './text-ja.ts';
import { WARP_JA } from './warp-ja.ts';
import { WIKI_JA } from './wiki-ja.ts';

/** Every pipeline `pnpm pipeline <name>` runs. */
export const PIPELINES: Record<string, PipelineDefinition> = { [CC_JA.name]: CC_JA, [WARP_JA.name]: WARP_JA, [TEXT_JA.name]: TEXT_JA, [WIKI_JA.name]: WIKI_JA };

export function pipelineNamed(name: string): PipelineDefinition {
  const def = PIPELINES[name];
  if (!def) throw new Error(`unknown pipeline '${name}' (known: ${Object.keys(PIPELINES).join(', ')})`);
  return def;
}

/**
 * The definition a run's tasks follow: a built-in one by name, or one exported by the module the run
 * recorded (a pipeline defined in the user's code), found there by its name.
 */
export async function definitionOf(ctx: Pick<RunContext, 'pipeline' | 'definitionModule'>): Promise<PipelineDefinition> {
  if (ctx.definitionModule === null) return pipelineNamed(ctx.pipeline);
  const exported = Object.values(await importModule(ctx.definitionModule));
  const def = exported.find((v): v is PipelineDefinition => typeof v === 'object' && v !== null && (v as { name?: unknown }).name === ctx.pipeline && 'steps' in v);
  if (!def) throw new Error(`${ctx.definitionModule} exports no pipeline definition named '${ctx.pipeline}'`);
  return def;
}

/**
 * `import()`, or `require` for a TypeScript module in a thread whose modules were loaded through tsx's
 * require hook (a piscina worker loads its file with `require`, and tsx's ESM loader is not active
 * there: measured, `import()` of a .ts file fails with ERR_UNKNOWN_FILE_EXTENSION).
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
    return createRequire(import.meta.url)(fileURLToPath(url)) as Record<string, unknown>;
  }
}
