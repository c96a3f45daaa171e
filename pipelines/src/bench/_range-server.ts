import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * A static file server for benches: serves files by path with Range (`bytes=a-b`, `bytes=a-`), HEAD,
 * and an optional delay of every response by `latencyMs` (loopback has no round trip; S3 or
 * data.commoncrawl.org have tens of ms). It runs in its own process, so its CPU and memory stay out of
 * the measured process (as a remote server's would). It counts what it sends: `GET /__stats` answers
 * `{requests, bytesSent, connections}` since the last `GET /__reset` (connections: those that carried at
 * least one counted request, so a client that reuses kept-alive connections shows fewer than requests).
 * A new connection's first response waits `connectMs` more: the round trips of a TCP and TLS handshake,
 * which loopback does not have.
 * argv: latency ms, connect ms, then path=file pairs.
 */
const SERVER_SOURCE = `
const http = require('node:http');
const fs = require('node:fs');
const [latency, connectMs, ...pairs] = process.argv.slice(1);
const files = new Map(pairs.map((p) => { const i = p.indexOf('='); const file = p.slice(i + 1); return [p.slice(0, i), { file, size: fs.statSync(file).size }]; }));
let requests = 0, bytesSent = 0, connections = 0, seen = new WeakSet();
const server = http.createServer((req, res) => {
  if (req.url === '/__stats') { res.end(JSON.stringify({ requests, bytesSent, connections })); return; }
  if (req.url === '/__reset') { requests = 0; bytesSent = 0; connections = 0; seen = new WeakSet(); res.end('{}'); return; }
  requests++;
  const fresh = !seen.has(req.socket);
  if (fresh) { seen.add(req.socket); connections++; }
  setTimeout(() => {
    const f = files.get(req.url);
    if (!f) { res.writeHead(404).end(); return; }
    const m = /^bytes=(\\d+)-(\\d*)$/.exec(req.headers.range || '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] !== '' ? Math.min(f.size, Number(m[2]) + 1) : f.size;
    if (start >= f.size) { res.writeHead(416, { 'content-range': 'bytes */' + f.size }).end(); return; }
    const headers = { 'content-length': String(end - start), 'accept-ranges': 'bytes', etag: '"' + f.size + '"' };
    if (m) headers['content-range'] = 'bytes ' + start + '-' + (end - 1) + '/' + f.size;
    res.writeHead(m ? 206 : 200, headers);
    if (req.method === 'HEAD') { res.end(); return; }
    bytesSent += end - start;
    fs.createReadStream(f.file, { start, end: end - 1, highWaterMark: 1 << 20 }).pipe(res);
  }, Number(latency) + (fresh ? Number(connectMs) : 0));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

export interface ServedCounts {
  requests: number;
  bytesSent: number;
  /** Connections that carried at least one counted request. */
  connections: number;
}

export interface RangeServer {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  /** What was sent since the last reset. */
  counts(): Promise<ServedCounts>;
  reset(): Promise<void>;
  close(): void;
}

/**
 * Starts the server on `files` (URL path → local file); every response is delayed by `latencyMs`, the
 * first on each connection by `connectMs` more.
 */
export async function startRangeServer(files: Record<string, string>, latencyMs: number, connectMs = 0): Promise<RangeServer> {
  const args = [String(latencyMs), String(connectMs), ...Object.entries(files).map(([path, file]) => `${path}=${file}`)];
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER_SOURCE, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stdout = child.stdout;
  if (!stdout) throw new Error('the loopback range server has no stdout');
  const port = await Promise.race([once(stdout, 'data').then(([chunk]: unknown[]) => String(chunk).trim()), once(child, 'exit').then(() => '')]);
  if (!/^\d+$/.test(port)) throw new Error(`the loopback range server did not start (it said '${port}')`);
  const base = `http://127.0.0.1:${port}`;
  return {
    url: (path) => `${base}${path}`,
    counts: async () => (await (await fetch(`${base}/__stats`)).json()) as ServedCounts,
    reset: async () => {
      await (await fetch(`${base}/__reset`)).text();
    },
    close: () => child.kill(),
  };
}
