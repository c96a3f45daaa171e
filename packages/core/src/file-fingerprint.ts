import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/**
 * What a task consumed, recorded in its `.done` marker so a rerun can tell the input changed under the
 * same path (a nightly job re-downloads a truncated WARC in place). The rsync/make model: size and
 * mtime first; the content is only read when they disagree, or always with `full`.
 */
export interface FileFingerprint {
  path: string;
  size: number;
  mtimeMs: number;
  /** SHA-256 of the size and the first and last `EDGE_BYTES` of the file: catches a rewrite with a new body in a few reads. */
  edgeDigest: string;
  /** SHA-256 of the whole file; only when the run asked for it (`--verify-inputs full`). */
  fullDigest?: string;
}

/** `quick`: size, mtime, and the edge digest when mtime moved. `full`: also the SHA-256 of every byte. */
export type FingerprintMode = 'quick' | 'full';

/** 1 MiB at each end: a WARC's first and last records, enough to tell two versions of one file apart at 2 reads. */
const EDGE_BYTES = 1024 * 1024;

export async function fingerprintFile(path: string, mode: FingerprintMode): Promise<FileFingerprint> {
  const s = await stat(path);
  const fp: FileFingerprint = { path, size: s.size, mtimeMs: s.mtimeMs, edgeDigest: await edgeDigest(path, s.size) };
  if (mode === 'full') fp.fullDigest = await fullDigest(path);
  return fp;
}

/**
 * Why `recorded` no longer describes the file at its path, or null if it still does. `full` compares
 * the whole-file digest when one was recorded; a file whose mtime moved but whose content did not (a
 * `touch`, a copy that kept the bytes) is not a change.
 */
export async function fingerprintChange(recorded: FileFingerprint, mode: FingerprintMode): Promise<string | null> {
  const s = await stat(recorded.path).catch((e: NodeJS.ErrnoException) => e);
  if (s instanceof Error) return s.code === 'ENOENT' ? 'the file is gone' : `cannot stat it (${s.code ?? s.message})`;
  if (s.size !== recorded.size) return `size ${recorded.size} → ${s.size} bytes`;
  if (mode === 'full' && recorded.fullDigest !== undefined) {
    return (await fullDigest(recorded.path)) === recorded.fullDigest ? null : 'content changed (SHA-256 of the whole file differs)';
  }
  if (s.mtimeMs === recorded.mtimeMs) return null;
  return (await edgeDigest(recorded.path, s.size)) === recorded.edgeDigest ? null : 'content changed (first/last MiB differ)';
}

async function edgeDigest(path: string, size: number): Promise<string> {
  const hash = createHash('sha256').update(String(size));
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(EDGE_BYTES, size));
    await file.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > EDGE_BYTES) {
      const tail = Buffer.alloc(Math.min(EDGE_BYTES, size - EDGE_BYTES));
      await file.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

async function fullDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
