import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The python sentencepiece package as a reference for our encoder (the exactness test and `pnpm bench
 * tokens`). It runs `packages/stats/scripts/spm_reference.py` in a child process.
 */
export const REFERENCE_SCRIPT = fileURLToPath(new URL('../../scripts/spm_reference.py', import.meta.url));

export interface ReferencePython {
  /** The interpreter that imports `sentencepiece`. */
  python: string;
  /** `sentencepiece.__version__` (Debian bookworm's python3-sentencepiece: 0.1.97). */
  version: string;
}

/**
 * The first of `$JCP_PYTHON`, `python3`, `/usr/bin/python3` that imports `sentencepiece`, or null.
 * `/usr/bin/python3` is tried because Debian's package installs into the system interpreter's
 * dist-packages, which a `python3` earlier on PATH (pyenv, a venv) does not see.
 */
export function findReferencePython(env: NodeJS.ProcessEnv = process.env): ReferencePython | null {
  const candidates = [env.JCP_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import sentencepiece; print(sentencepiece.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return null;
}

export interface ReferenceEncoding {
  count: number;
  /** Present when asked for. */
  ids?: number[];
}

/** `sp.encode(text)` for every text, in order. */
export async function referenceEncode(python: string, modelPath: string, texts: readonly string[], withIds: boolean): Promise<ReferenceEncoding[]> {
  const stdout = await runReference(python, [modelPath, 'encode', ...(withIds ? ['--ids'] : [])], texts);
  const lines = stdout.split('\n').filter(Boolean);
  if (lines.length !== texts.length) throw new Error(`${REFERENCE_SCRIPT}: ${lines.length} results for ${texts.length} texts`);
  return lines.map((line, i) => {
    const r = JSON.parse(line) as unknown;
    if (!isRecord(r) || typeof r.count !== 'number' || (withIds && !isNumberArray(r.ids)))
      throw new Error(`${REFERENCE_SCRIPT}: result ${i} is not {count${withIds ? ', ids' : ''}}: ${line.slice(0, 200)}`);
    return withIds ? { count: r.count, ids: r.ids as number[] } : { count: r.count };
  });
}

export interface ReferenceBench {
  version: string;
  texts: number;
  tokens: number;
  /** The best of the timed passes, encode loop only. */
  seconds: number;
  peak_rss_mb: number;
}

/** Times python's encode loop over `texts` (best of `repeats`), in one child process. */
export async function referenceBench(python: string, modelPath: string, texts: readonly string[], repeats: number): Promise<ReferenceBench> {
  const stdout = await runReference(python, [modelPath, 'bench', String(repeats)], texts);
  const r = JSON.parse(stdout.trim().split('\n').pop() ?? '') as unknown;
  if (!isRecord(r) || typeof r.version !== 'string' || typeof r.texts !== 'number' || typeof r.tokens !== 'number' || typeof r.seconds !== 'number' || typeof r.peak_rss_mb !== 'number')
    throw new Error(`${REFERENCE_SCRIPT}: unexpected bench output: ${stdout.slice(0, 200)}`);
  return { version: r.version, texts: r.texts, tokens: r.tokens, seconds: r.seconds, peak_rss_mb: r.peak_rss_mb };
}

function runReference(python: string, args: string[], texts: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [REFERENCE_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${python} ${REFERENCE_SCRIPT} ${args.join(' ')} exited ${code}: ${err.trim().slice(-2000)}`));
    });
    // Python reads all of stdin before writing, so writing everything first cannot deadlock.
    child.stdin.on('error', reject);
    child.stdin.end(texts.map((text) => JSON.stringify({ text })).join('\n') + '\n');
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}
