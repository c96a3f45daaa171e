import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/**
 * The floor every reader is compared with: stream-gunzip the whole file and count the bytes. `cpuSeconds`
 * is the whole process's CPU time (zlib's thread-pool work included), which the other core's load
 * disturbs far less than the wall time on a shared machine.
 */
export async function gunzipFloor(path: string): Promise<{ seconds: number; cpuSeconds: number; outBytes: number }> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let outBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 18 }))) outBytes += (chunk as Buffer).length;
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: cpuSecondsSince(c0), outBytes };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpuSeconds: cpuSecondsSince(c0), value };
}

/** User + system CPU seconds of this process since `start` (all its threads). */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

export async function fileMB(path: string): Promise<number> {
  return (await stat(path)).size / 1e6;
}

/** Peak resident set size of this process so far, in MB (Linux reports ru_maxrss in KB). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Best of `n` runs: the least disturbed by the other core's noise. */
export async function bestOf<T>(n: number, fn: () => Promise<{ seconds: number; value: T }>): Promise<{ seconds: number; value: T }> {
  let best: { seconds: number; value: T } | null = null;
  for (let i = 0; i < n; i++) {
    const r = await fn();
    if (!best || r.seconds < best.seconds) best = r;
  }
  return best!;
}

/** Runs `fn` with the WARC reader's libdeflate path turned off (readers opened meanwhile use zlib alone). */
export async function withZlibOnly<T>(fn: () => Promise<T>): Promise<T> {
  process.env.JCP_INFLATE = 'zlib';
  try {
    return await fn();
  } finally {
    delete process.env.JCP_INFLATE;
  }
}
