// The local channel the shells and hooks ask through: loopback TCP (bash's /dev/tcp and zsh's ztcp can reach it)
// with a per-window secret token. The server only answers questions; approval happens in the editor's UI.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { GateReply, GateRequest, MAX_HEADER, parseHeader, ParsedHeader, ProtocolError, replyLine } from './protocol';

export interface GateHandler {
  /** Decides one request; may call progress while a person decides; abort fires if the client goes away. */
  handle(req: GateRequest, progress: (text: string) => void, abort: AbortSignal): Promise<GateReply>;
}

const REQUEST_TIMEOUT_MS = 5000;

/**
 * The loopback ports an editor window's gate listens on. VS Code offers to forward (and in remote set-ups forwards)
 * every port a process of the remote side listens on, the extension host's included, and only a proposed API lets an
 * extension say otherwise; a range it can name can be declared instead: package.json sets `remote.portsAttributes`
 * for it to `ignore` by default. When every port of it is taken, any free port is used (and may be offered).
 */
export const GATE_PORTS = { first: 29100, last: 29199 } as const;

/** Bytes past the length a request's first line gave: its counts were not the client's (see accept). */
const TRAILING_BYTES = 'the request held more bytes than its first line said; refused';

export class GateServer {
  readonly token = randomBytes(24).toString('hex');
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Internal failures, for the Output channel. */
  onError: (message: string) => void = () => {};

  /** Whether listen() found a port in the range it was given. */
  inRange = false;

  /** Called after each answer is written (startup timing). */
  onAnswered?: () => void;
  constructor(private readonly handler: GateHandler) {}

  /**
   * Listens on loopback: on a free port of `range` (tried from a random one on, so windows seldom meet), or on any
   * free port when there is no range or none of it is free. Says which in `inRange`.
   */
  async listen(range?: { first: number; last: number }): Promise<number> {
    const server = createServer((s) => this.accept(s));
    this.server = server;
    const on = (port: number) =>
      new Promise<boolean>((resolve, reject) => {
        const failed = (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' || e.code === 'EACCES') && port !== 0 ? resolve(false) : reject(e);
        server.once('error', failed);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', failed);
          resolve(true);
        });
      });
    let listening = false;
    if (range) {
      const size = range.last - range.first + 1;
      const start = Math.floor(Math.random() * size);
      for (let i = 0; i < size && !listening; i++) listening = await on(range.first + ((start + i) % size));
    }
    this.inRange = listening;
    if (!listening) await on(0);
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('gate server has no port');
    return addr.port;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server?.close();
    this.server = null;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const abort = new AbortController();
    let buf: Buffer = Buffer.alloc(0);
    let header: ParsedHeader | null = null;
    let done = false;
    const timer = setTimeout(() => finish('deny', 'request timed out'), REQUEST_TIMEOUT_MS);
    const finish = (kind: 'allow' | 'deny', text: string, ticket?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.end(replyLine(kind, text, ticket));
    };
    socket.on('close', () => {
      this.sockets.delete(socket);
      clearTimeout(timer);
      if (!done) abort.abort();
    });
    socket.on('error', () => socket.destroy());
    // Chunks are kept as they come and joined once: copying a growing buffer per chunk made a 4 MB request cost
    // O(n²) and stalled every other client.
    let chunks: Buffer[] = [];
    let have = 0;
    socket.on('data', (chunk: Buffer) => {
      if (done) return;
      // Bytes past the length the first line gave are not a client's: its variables (a ticket, a folder) ended the
      // line early and wrote a question of their own choosing before the real one. Refused, and the pending approval
      // (if any) is withdrawn.
      if (header && have >= header.bodyBytes) {
        abort.abort();
        finish('deny', TRAILING_BYTES);
        return;
      }
      try {
        if (!header) {
          buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
          const nl = buf.indexOf(0x0a);
          if (nl < 0) {
            if (buf.length > MAX_HEADER) throw new ProtocolError('header too long');
            return;
          }
          header = parseHeader(buf.subarray(0, nl).toString('utf8'));
          if (!tokenMatches(header.token, this.token)) throw new ProtocolError('wrong token: this terminal belongs to another window; open a new terminal');
          chunk = buf.subarray(nl + 1);
          buf = Buffer.alloc(0);
        }
        chunks.push(chunk);
        have += chunk.length;
        if (have < header.bodyBytes) return;
        if (have > header.bodyBytes) throw new ProtocolError(TRAILING_BYTES);
        const body = Buffer.concat(chunks, have);
        chunks = [];
        const req = header.build(body);
        clearTimeout(timer);
        this.handler
          .handle(req, (text) => !done && socket.write(replyLine('wait', text)), abort.signal)
          .then((r) => {
            finish(r.verdict, r.message, r.ticket);
            this.onAnswered?.();
          })
          .catch((e) => {
            this.onError(`gate handler failed: ${(e as Error).stack ?? e}`);
            finish('deny', `Agent Guard failed to decide (${(e as Error).message}); held`);
          });
      } catch (e) {
        finish('deny', e instanceof ProtocolError ? e.message : 'bad request');
      }
    });
  }
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
