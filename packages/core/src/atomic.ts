import { open, readdir, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { mkdirp, namedFsError } from './fs-errors.ts';

/**
 * A temp name beside `path`, unique to this process and thread: two writers of the same file (a task
 * run twice at once) never write into one temp file; the rename decides which whole file wins.
 */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${threadId}.${Math.random().toString(36).slice(2)}.tmp`;
}

/** Writes a file under a temp name in the same folder, then renames it: readers see the old file or the whole new one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdirp(dirname(path));
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    // A full disk leaves a partial temp file: it must not stay behind to fill the disk further.
    await rm(tmp, { force: true });
    throw namedFsError(e, path, 'write');
  }
}

/**
 * A file written in place under a temp name (positioned writes, e.g. a header filled in last) and
 * renamed to its real name only by `commit()`; `abort()` removes the temp file.
 */
export class AtomicFileHandle {
  private constructor(
    readonly path: string,
    private readonly tmp: string,
    readonly handle: FileHandle,
  ) {}

  static async open(path: string): Promise<AtomicFileHandle> {
    await mkdirp(dirname(path));
    const tmp = tempPathFor(path);
    return new AtomicFileHandle(path, tmp, await open(tmp, 'w').catch((e: unknown) => Promise.reject(namedFsError(e, path, 'write'))));
  }

  /** Writes `bytes` at `position` of the temp file; an error names the real file and the errno (a full disk). */
  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    try {
      await this.handle.write(bytes, 0, bytes.length, position);
    } catch (e) {
      throw namedFsError(e, this.path, 'write');
    }
  }

  /** Syncs, closes and renames: the file appears whole under its real name or not at all. */
  async commit(): Promise<void> {
    try {
      await this.handle.sync();
      await this.handle.close();
      await rename(this.tmp, this.path);
    } catch (e) {
      throw namedFsError(e, this.path, 'write');
    }
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}

/**
 * Removes the temp files a killed writer left under `dir` (names made by `tempPathFor`, and the bare
 * `.tmp` of older versions). Only for a folder nobody else writes: its lock must be held.
 */
export async function removeTempFiles(dir: string): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.tmp')) continue;
    await rm(join(e.parentPath, e.name), { force: true });
    removed++;
  }
  return removed;
}

/**
 * A file written front to back through one buffer, under a temp name renamed by `close()`: what the
 * fixed-size-record files (signatures, duplicate pairs) are written with. Callers fill the bytes
 * `next(n)` gives them; a full buffer is written out first.
 */
export class BufferedFileWriter {
  private used = 0;
  private position = 0;

  private constructor(
    private readonly file: AtomicFileHandle,
    private readonly buffer: Buffer,
  ) {}

  static async open(path: string, bufferBytes: number): Promise<BufferedFileWriter> {
    return new BufferedFileWriter(await AtomicFileHandle.open(path), Buffer.alloc(bufferBytes));
  }

  /** The next `n` bytes of the file, to be filled by the caller before the next call. */
  async next(n: number): Promise<Buffer> {
    if (n > this.buffer.length) throw new Error(`${this.file.path}: a record of ${n} bytes exceeds the ${this.buffer.length}-byte buffer`);
    if (this.used + n > this.buffer.length) await this.flush();
    const out = this.buffer.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.commit();
  }

  /** Closes and removes the temp file (the task failed). */
  async abort(): Promise<void> {
    await this.file.abort();
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    await this.file.writeAt(this.buffer.subarray(0, this.used), this.position);
    this.position += this.used;
    this.used = 0;
  }
}
