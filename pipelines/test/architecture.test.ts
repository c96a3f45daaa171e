import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.ts';

/** Every relative import of every `.ts` file under `dir`: file → the files it imports. */
async function importGraph(dir: string): Promise<Map<string, string[]>> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.ts')).map((f) => resolve(dir, f));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = await readFile(file, 'utf8');
    const specs = [...source.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s+'([^']+)'/gm)].map((m) => m[1]!);
    graph.set(file, specs.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s)));
  }
  return graph;
}

/** The import cycles of a graph (strongly connected components of more than one file), as repo-relative paths. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(REPO, w));
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const SOURCE_DIRS = ['packages/core/src', 'packages/crawler/src', 'packages/dedup/src', 'packages/filters/src', 'packages/stats/src', 'pipelines/src'];

/**
 * The layers of `pipelines/src`, bottom first: a file imports its own folder or a lower layer, never a
 * higher one. `run-folder` (layout, context, markers, locks) is the bottom that everything reads.
 */
const PIPELINE_LAYERS: string[][] = [
  ['run-folder', 'chains', 'steps', 'sources'],
  ['definitions', 'stages'],
  ['worker'],
  ['run'],
  ['report', 'verify', 'corpus', 'eval', 'bench', 'train'],
  ['cli', 'index.ts'],
];

describe('the code has the shape docs/architecture.md draws', () => {
  it('has no import cycle in any package', async () => {
    for (const dir of SOURCE_DIRS) expect(cycles(await importGraph(join(REPO, dir))), dir).toEqual([]);
  });

  it('imports no pipelines layer from a lower one', async () => {
    const src = join(REPO, 'pipelines/src');
    const layerOf = (file: string): number => {
      const folder = relative(src, file).split('/')[0]!;
      const layer = PIPELINE_LAYERS.findIndex((l) => l.includes(folder));
      if (layer < 0) throw new Error(`pipelines/src/${folder} is in no layer of this test: add it where it belongs`);
      return layer;
    };
    const upward: string[] = [];
    for (const [file, imports] of await importGraph(src)) {
      for (const target of imports) {
        if (!target.startsWith(src) || relative(src, file).split('/')[0] === relative(src, target).split('/')[0]) continue;
        if (layerOf(target) > layerOf(file)) upward.push(`${relative(src, file)} → ${relative(src, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('imports no package above its own: core imports none, the others only core', async () => {
    const allowed: Record<string, string[]> = { core: [], crawler: ['core'], dedup: ['core'], filters: ['core'], stats: ['core'] };
    const wrong: string[] = [];
    for (const [pkg, may] of Object.entries(allowed)) {
      for (const file of (await readdir(join(REPO, 'packages', pkg, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'))) {
        const source = await readFile(join(REPO, 'packages', pkg, 'src', file), 'utf8');
        for (const m of source.matchAll(/from\s+'@jcp\/([a-z-]+)'/g)) if (!may.includes(m[1]!)) wrong.push(`${pkg}/src/${file} → @jcp/${m[1]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
