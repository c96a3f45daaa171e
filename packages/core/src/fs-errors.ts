import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An I/O error that names the file and the real errno, as an operator needs on a full or read-only disk. */
export class FileSystemError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
    action: string,
    detail: string,
  ) {
    super(`cannot ${action} ${path}: ${code}${ERRNO_MEANING[code] ? ` (${ERRNO_MEANING[code]})` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'FileSystemError';
  }
}

/** What the errnos an operator meets on a shared cluster disk mean, in words. */
const ERRNO_MEANING: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EIO: 'input/output error on the device',
};

/** `e` as a FileSystemError naming `path` (already one: unchanged; not an errno error: unchanged). */
export function namedFsError(e: unknown, path: string, action: string): unknown {
  if (e instanceof FileSystemError) return e;
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return e;
  return new FileSystemError(path, err.code, action, '');
}

/**
 * `mkdir -p` whose error is the real one: Node's recursive mkdir reports ENOENT when a parent cannot be
 * created on a read-only file system (measured on Node 20.20 with a read-only tmpfs); the first missing
 * folder is then created alone, which fails with the true errno (EROFS, EACCES, ENOSPC).
 */
export async function mkdirp(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    let missing = dir;
    while (dirname(missing) !== missing && !(await stat(dirname(missing)).catch(() => null))) missing = dirname(missing);
    const real = await mkdir(missing).then(
      () => e,
      (again: unknown) => again,
    );
    throw namedFsError(real, missing === dir ? dir : `${missing} (creating ${dir})`, 'create folder');
  }
}
