import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { namedFsError, tempPathFor, writeFileAtomic } from '@jcp/core';

/** Who holds a lock: written into the lock file whole (it appears by a hard link, never half-written). */
export interface LockHolder {
  host: string;
  pid: number;
  since: string;
  /** What holds it, for the refusal message: `pnpm pipeline cc-ja`, `dedup of <run>`. */
  purpose: string;
  /** Unique per acquisition: a release or a Slurm task only acts on the lock it was given. */
  token: string;
  /** Slurm jobs the lock was handed to (the submitting command exited; the jobs hold the run). */
  slurmJobs?: string[];
}

export interface FolderLockConfig {
  /** A holder on another host whose heartbeat is older than this is taken for dead (its node crashed). */
  staleAfterMs: number;
  /** How often a holder touches the lock file. */
  heartbeatMs: number;
}

export const DEFAULT_FOLDER_LOCK_CONFIG: FolderLockConfig = {
  // Ten missed heartbeats: a node under heavy I/O can stall a few seconds, never minutes.
  staleAfterMs: 5 * 60_000,
  heartbeatMs: 30_000,
};

/** Whether the Slurm jobs a lock was handed to are still queued or running; undefined when Slurm cannot be asked. */
export type SlurmJobsAlive = (jobs: string[]) => Promise<boolean | undefined>;

export class LockHeldError extends Error {
  constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {
    super(`${path} is held by ${describeHolder(holder)}; wait for it to finish, or stop it (a holder that died is detected and its lock taken over)`);
    this.name = 'LockHeldError';
  }
}

export function describeHolder(h: LockHolder): string {
  const jobs = h.slurmJobs?.length ? `, handed to Slurm jobs ${h.slurmJobs.join(', ')}` : '';
  return `${h.purpose} (pid ${h.pid} on ${h.host} since ${h.since}${jobs})`;
}

/**
 * An exclusive lock on a folder (a run folder, a dedup index): a file created atomically (a hard link
 * of a complete temp file, so two processes racing for it get EEXIST, never both), kept fresh by a
 * heartbeat, released on exit. A lock whose holder is gone is taken over: on the same host when its
 * pid no longer exists, on another host when its heartbeat is older than `staleAfterMs`, and a lock
 * handed to Slurm jobs when none of them is in the queue.
 */
export class FolderLock {
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
    private readonly config: FolderLockConfig,
  ) {}

  static async acquire(path: string, purpose: string, options: { config?: FolderLockConfig; slurmJobsAlive?: SlurmJobsAlive; log?: (line: string) => void } = {}): Promise<FolderLock> {
    const config = options.config ?? DEFAULT_FOLDER_LOCK_CONFIG;
    const holder: LockHolder = { host: hostname(), pid: process.pid, since: new Date().toISOString(), purpose, token: randomBytes(12).toString('hex') };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await createExclusive(path, holder)) {
        const lock = new FolderLock(path, holder, config);
        lock.startHeartbeat();
        return lock;
      }
      const current = await readHolder(path);
      if (current === null) continue; // released between our create and our read
      const why = await staleness(path, current, config, options.slurmJobsAlive);
      if (why === null) throw new LockHeldError(path, current);
      if (await breakLock(path, current)) options.log?.(`${path}: took over the lock of ${describeHolder(current)}: ${why}`);
    }
    throw new Error(`${path}: could not take the lock (it keeps changing hands)`);
  }

  /** Hands the lock to Slurm jobs: it then holds while any of them is queued or running, after this process exits. */
  async handToSlurm(jobs: string[]): Promise<void> {
    this.stopHeartbeat();
    const handed: LockHolder = { ...this.holder, slurmJobs: jobs };
    await writeFileAtomic(this.path, `${JSON.stringify(handed)}\n`);
  }

  async release(): Promise<void> {
    this.stopHeartbeat();
    const current = await readHolder(this.path);
    if (current?.token === this.holder.token) await rm(this.path, { force: true });
  }

  private startHeartbeat(): void {
    this.timer = setInterval(() => {
      const now = new Date();
      utimes(this.path, now, now).catch(() => undefined);
    }, this.config.heartbeatMs);
    this.timer.unref();
  }

  private stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The holder recorded in a lock file; null when there is none. */
export async function readHolder(path: string): Promise<LockHolder | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as LockHolder;
  } catch {
    // Lock files appear whole (hard link), so this is a foreign or damaged file: report it as a holder
    // nobody can match, which the staleness rules then judge by its age.
    return { host: '?', pid: 0, since: '?', purpose: `an unreadable lock file`, token: '' };
  }
}

async function createExclusive(path: string, holder: LockHolder): Promise<boolean> {
  const tmp = tempPathFor(path);
  try {
    await writeFile(tmp, `${JSON.stringify(holder)}\n`);
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw namedFsError(e, path, 'take the lock');
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Why `holder` is dead, or null while it lives. */
async function staleness(path: string, holder: LockHolder, config: FolderLockConfig, slurmJobsAlive?: SlurmJobsAlive): Promise<string | null> {
  if (holder.slurmJobs?.length) {
    const alive = slurmJobsAlive ? await slurmJobsAlive(holder.slurmJobs) : undefined;
    if (alive === false) return 'none of its Slurm jobs is queued or running';
    if (alive === true) return null;
    // Slurm cannot be asked from here: fall through to the age rule (jobs do not heartbeat, so only a
    // lock far older than the heartbeat window counts as dead).
  } else if (holder.host === hostname() && holder.pid > 0) {
    return pidAlive(holder.pid) ? null : `its process ${holder.pid} no longer exists`;
  }
  const s = await stat(path).catch(() => null);
  if (!s) return 'released';
  const age = Date.now() - s.mtimeMs;
  return age > config.staleAfterMs ? `no heartbeat for ${Math.round(age / 1000)} s` : null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a dead holder's lock, and only that one: it is moved aside first, and if what was moved is
 * not the lock judged dead (another process took over in between), it is put back.
 */
async function breakLock(path: string, dead: LockHolder): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return false;
  }
  const moved = await readHolder(aside);
  if (moved && moved.token !== dead.token) {
    await link(aside, path).catch(() => undefined);
    await rm(aside, { force: true });
    return false;
  }
  await rm(aside, { force: true });
  return true;
}
