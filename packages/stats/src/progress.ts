/**
 * Progress for long runs: a redrawn bar when stderr is a terminal, otherwise a plain line every few
 * seconds so batch logs (Slurm, nohup) stay readable.
 */
export interface ProgressConfig {
  /** Seconds between plain lines in a batch log. */
  logEverySeconds: number;
}

export const DEFAULT_PROGRESS_CONFIG: ProgressConfig = { logEverySeconds: 5 };

export class Progress {
  private done = 0;
  private bytes = 0;
  /** Bytes read so far by tasks still running (reported by the workers). */
  private inFlight = 0;
  private lastLine = 0;
  private readonly started = Date.now();
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly totalTasks: number,
    private readonly totalBytes: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly config: ProgressConfig = DEFAULT_PROGRESS_CONFIG,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Progress inside running tasks; draws (or logs, when due) without finishing any task. */
  setInFlight(bytes: number): void {
    this.inFlight = bytes;
    this.advance(0, 0);
  }

  advance(tasks: number, bytes: number, note = ''): void {
    this.done += tasks;
    this.bytes += bytes;
    const now = Date.now();
    const final = this.done >= this.totalTasks;
    if (this.tty) this.stream.write(`\r${this.render(note)}${final ? '\n' : ''}`);
    else if (final || now - this.lastLine >= this.config.logEverySeconds * 1000) {
      this.lastLine = now;
      this.stream.write(`${new Date(now).toISOString()} ${this.render(note)}\n`);
    }
  }

  private render(note: string): string {
    const frac = this.totalTasks === 0 ? 1 : this.done / this.totalTasks;
    const seconds = (Date.now() - this.started) / 1000;
    const mb = (this.bytes + this.inFlight) / 1e6;
    const rate = seconds > 0 ? mb / seconds : 0;
    const width = 30;
    const bar = this.tty ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ` : '';
    const parts = [`${this.done}/${this.totalTasks} tasks`];
    // Input megabytes mean something only for stages that read files (the WARCs); the dedup and write
    // stages' tasks have no byte size, and "0.0 MB, 0.0 MB/s" there read as a stall.
    if (this.totalBytes > 0 || mb > 0) {
      const of = this.totalBytes > 0 ? ` of ${(this.totalBytes / 1e6).toFixed(1)}` : '';
      parts.push(`${mb.toFixed(1)}${of} MB read`, `${rate.toFixed(1)} MB/s`);
    }
    parts.push(`elapsed ${seconds.toFixed(0)} s`);
    if (note) parts.push(note);
    return `${this.label} ${bar}${parts.join(', ')}`;
  }
}
