import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * One way to misbehave, for one request. Offsets (`at`) are byte offsets in the served file, so a test
 * reads "the connection drops at byte 50 000" whatever range the request asked for.
 */
export type Fault =
  /** Sends the body up to byte `at`, then resets the connection (TCP RST). */
  | { kind: 'reset'; at: number }
  /** Sends the body up to byte `at`, then closes the connection cleanly, short of its Content-Length. */
  | { kind: 'end'; at: number }
  /** Answers `status` (503, 429, 404, ...) with an optional Retry-After and no file. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Sends the body up to byte `at` at full speed, then `bytes` bytes every `gapMs` (first drop at once). */
  | { kind: 'drip'; at: number; bytes: number; gapMs: number }
  /** Accepts the request and never answers. */
  | { kind: 'stall-headers' }
  /** Declares `Content-Length: declared` for a 200, sends the whole file and closes. */
  | { kind: 'content-length'; declared: number }
  /** Serves normally but with this ETag (the file "changed"). */
  | { kind: 'etag'; etag: string }
  /** Answers 302 to this path. */
  | { kind: 'redirect'; to: string };

/** What the server saw and did, in arrival order. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** The Range header as received, or null. */
  range: string | null;
  /** First byte asked for by `Range: bytes=N-`, or null without Range. */
  rangeStart: number | null;
  /** Last byte of a closed range `bytes=a-b` (b), or null. */
  rangeEnd: number | null;
  userAgent: string;
  status: number;
  fault: Fault['kind'] | null;
  /** Body bytes written to the socket. */
  bytesSent: number;
  /** True when the connection closed (either side) before the response was complete. */
  closedEarly: boolean;
  /** Milliseconds since the server started. */
  atMs: number;
  /** Which connection carried it: 0 for the server's first, 1 for the next, ... */
  connection: number;
}

export interface LoopbackOptions {
  /** Served paths (`/a.warc.gz`) and their bytes. */
  files: Record<string, Uint8Array>;
  /** The fault for request number n (0-based, across all paths), or none. An array gives faults[n]. */
  faults?: Fault[] | ((n: number, request: { path: string; range: string | null }) => Fault | undefined);
  /** Answer every request 200 with the whole file, whatever its Range says. */
  ignoreRange?: boolean;
}

export interface LoopbackServer {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
}

/** Lets a reset's bytes reach the client's reader before the RST would discard them from its buffer. */
const RESET_GRACE_MS = 30;

/** A file server on 127.0.0.1 (port 0) that serves ranges correctly and misbehaves on demand. */
export async function startLoopbackServer(options: LoopbackOptions): Promise<LoopbackServer> {
  const started = Date.now();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  const connectionIds = new WeakMap<Socket, number>();
  let connections = 0;
  const timers = new Set<NodeJS.Timeout>();
  const faultFor = (n: number, request: { path: string; range: string | null }): Fault | undefined =>
    typeof options.faults === 'function' ? options.faults(n, request) : options.faults?.[n];

  const server = createServer((req, res) => {
    const n = requests.length;
    const range = req.headers.range ?? null;
    const fault = faultFor(n, { path: req.url ?? '', range });
    const rangeMatch = range === null ? null : /^bytes=(\d+)-(\d*)$/.exec(range);
    const log: LoggedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      range,
      rangeStart: rangeMatch ? Number(rangeMatch[1]) : null,
      rangeEnd: rangeMatch && rangeMatch[2] !== '' ? Number(rangeMatch[2]) : null,
      userAgent: req.headers['user-agent'] ?? '',
      status: 0,
      fault: fault?.kind ?? null,
      bytesSent: 0,
      closedEarly: false,
      atMs: Date.now() - started,
      connection: connectionIds.get(req.socket) ?? -1,
    };
    requests.push(log);
    res.on('close', () => {
      if (!res.writableFinished) log.closedEarly = true;
    });
    serve(req, res, log, fault);
  });

  function serve(req: IncomingMessage, res: ServerResponse, log: LoggedRequest, fault: Fault | undefined): void {
    const file = options.files[log.path];
    if (fault?.kind === 'stall-headers') return;
    if (fault?.kind === 'status') {
      log.status = fault.status;
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
      res.writeHead(fault.status, headers).end('try again later\n');
      return;
    }
    if (fault?.kind === 'redirect') {
      log.status = 302;
      res.writeHead(302, { location: fault.to }).end();
      return;
    }
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      log.status = file ? 405 : 404;
      res.writeHead(log.status).end();
      return;
    }
    const size = file.length;
    const etag = fault?.kind === 'etag' ? fault.etag : `"${createHash('sha1').update(file).digest('hex')}"`;
    let start = 0;
    // Byte after the last one served: a closed range `bytes=a-b` ends at b + 1 (RFC 9110 §14.1.2).
    let end = size;
    if (log.rangeStart !== null && !options.ignoreRange) {
      start = log.rangeStart;
      if (log.rangeEnd !== null) end = Math.min(size, log.rangeEnd + 1);
      if (start >= size) {
        log.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
    }
    const socket = res.socket;
    if (!socket) return; // the client is already gone
    if (fault?.kind === 'content-length') {
      // Written by hand: node's http layer would refuse a body that disagrees with its Content-Length.
      log.status = 200;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${fault.declared}\r\nETag: ${etag}\r\nConnection: close\r\n\r\n`);
      const body = file.subarray(0, Math.min(size, fault.declared));
      log.bytesSent = body.length;
      socket.end(body);
      return;
    }
    log.status = start > 0 || end < size ? 206 : 200;
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(end - start),
      'accept-ranges': 'bytes',
      etag,
    };
    if (log.status === 206) headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
    res.writeHead(log.status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (!fault || fault.kind === 'etag') {
      log.bytesSent = end - start;
      res.end(file.subarray(start, end));
      return;
    }
    const head = file.subarray(start, Math.min(end, Math.max(start, fault.at)));
    log.bytesSent = head.length;
    res.flushHeaders();
    if (fault.kind === 'reset' || fault.kind === 'end') {
      res.write(head, () => {
        later(() => (fault.kind === 'reset' ? socket.resetAndDestroy() : socket.end()), RESET_GRACE_MS);
      });
      return;
    }
    // drip
    res.write(head);
    let at = Math.max(start, fault.at);
    const drop = (): void => {
      if (res.destroyed || socket.destroyed || at >= end) return;
      const piece = file.subarray(at, Math.min(end, at + fault.bytes));
      at += piece.length;
      log.bytesSent += piece.length;
      res.write(piece);
      later(drop, fault.gapMs);
    };
    drop();
  }

  function later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    connectionIds.set(socket, connections++);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
