import type { PipelineDefinition } from '../run-folder/context.ts';
import { CC_JA } from './cc-ja.ts';
import { WARP_JA } from './warp-ja.ts';

/** Every pipeline `pnpm pipeline <name>` runs. */
export const PIPELINES: Record<string, PipelineDefinition> = { [CC_JA.name]: CC_JA, [WARP_JA.name]: WARP_JA };

export function pipelineNamed(name: string): PipelineDefinition {
  const def = PIPELINES[name];
  if (!def) throw new Error(`unknown pipeline '${name}' (known: ${Object.keys(PIPELINES).join(', ')})`);
  return def;
}
