import { describe, expect, it } from 'vitest';
import { Progress } from '../src/progress.ts';

/** A batch-log stream (not a terminal) that keeps what is written. */
function logStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(s.trimEnd()) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('progress lines in a batch log', () => {
  it('labels the elapsed time and shows megabytes for a stage that reads files', () => {
    const { stream, lines } = logStream();
    const p = new Progress('cc-ja process', 2, 3_000_000, stream, { logEverySeconds: 0 });
    p.advance(1, 1_500_000);
    expect(lines.at(-1)).toMatch(/^\S+ cc-ja process 1\/2 tasks, 1\.5 of 3\.0 MB read, [\d.]+ MB\/s, elapsed \d+ s$/);
  });

  it('shows no megabytes for a stage whose tasks read none (dedup, write)', () => {
    const { stream, lines } = logStream();
    const p = new Progress('cc-ja dedup-bands', 17, 0, stream, { logEverySeconds: 0 });
    p.advance(17, 0);
    expect(lines.at(-1)).toMatch(/^\S+ cc-ja dedup-bands 17\/17 tasks, elapsed \d+ s$/);
  });
});
