// The wire format between a shell (or hook) and the extension. A client can only ask; no message approves.
//
// Shell request:  `AG1 <token> <kind> <pid> <ticket|-> <cwdBytes> <commandBytes>\n` then the cwd and command bytes.
// JSON request:   `AGJ <token> <jsonBytes>\n` then a JSON object (used by the agents' hooks, which carry a reason
//                 and, for PowerShell and cmd tools, the `shell` the command is written in).
// Reply:          zero or more `wait <text>\n` lines while a person decides, then one
//                 `allow <ticket|-> <text>\n` or `deny - <text>\n`, then the server closes the connection.

import { SHELL_KINDS, ShellKind } from '../core/parse/dialect';

export const REQUEST_KINDS = ['line', 'exec', 'task', 'hook', 'ping'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface GateRequest {
  kind: RequestKind;
  /** The shell's process id (or the hook's), to tell terminals apart. */
  pid: number;
  /** A ticket from an approval of the line now running, if any. */
  ticket?: string;
  cwd: string;
  command: string;
  /** For hooks: which agent, its stated reason, its session. */
  agent?: string;
  why?: string;
  sessionId?: string;
  terminal?: string;
  /** The language of `command` when it is not bash: a PowerShell or cmd tool's command line. */
  shell?: ShellKind;
}

export interface GateReply {
  verdict: 'allow' | 'deny';
  ticket?: string;
  message: string;
}

export const MAX_HEADER = 4096;
/**
 * The largest request the gate reads (cwd and command together). Longer command lines are refused at once, with the
 * reason: a command line longer than 1 MiB is beyond what any shell passes as arguments, and reading and judging it
 * would stall the answers to every other terminal.
 */
export const MAX_BODY = 1024 * 1024;

export class ProtocolError extends Error {}

export interface ParsedHeader {
  token: string;
  /** Bytes of body still to read. */
  bodyBytes: number;
  build(body: Buffer): GateRequest;
}

/** Parses a request's first line; throws ProtocolError on anything malformed. */
export function parseHeader(line: string): ParsedHeader {
  const parts = line.split(' ');
  if (parts[0] === 'AG1') {
    if (parts.length !== 7) throw new ProtocolError('malformed request');
    const [, token, kind, pid, ticket, cwdBytes, cmdBytes] = parts;
    const c = toCount(cwdBytes);
    const n = toCount(cmdBytes);
    if (!(REQUEST_KINDS as readonly string[]).includes(kind)) throw new ProtocolError(`unknown kind ${kind}`);
    if (c + n > MAX_BODY) throw new ProtocolError(tooLarge(c + n));
    return {
      token,
      bodyBytes: c + n,
      build: (body) => ({
        kind: kind as RequestKind,
        pid: Number(pid) || 0,
        ...(ticket !== '-' ? { ticket } : {}),
        cwd: body.subarray(0, c).toString('utf8'),
        command: body.subarray(c).toString('utf8'),
      }),
    };
  }
  if (parts[0] === 'AGJ') {
    if (parts.length !== 3) throw new ProtocolError('malformed request');
    const [, token, bytes] = parts;
    return { token, bodyBytes: toCount(bytes), build: (body) => fromJson(body.toString('utf8')) };
  }
  throw new ProtocolError('not an Agent Guard request');
}

function tooLarge(bytes: number): string {
  return `request too large for Agent Guard to judge (${bytes} bytes; at most ${MAX_BODY}): write it to a file and run that`;
}

function toCount(s: string): number {
  if (!/^\d{1,9}$/.test(s)) throw new ProtocolError('malformed length');
  const n = Number(s);
  if (n > MAX_BODY) throw new ProtocolError(tooLarge(n));
  return n;
}

function fromJson(text: string): GateRequest {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ProtocolError('body is not JSON');
  }
  if (!v || typeof v !== 'object' || typeof v.command !== 'string') throw new ProtocolError('body needs a string "command"');
  const kind = typeof v.kind === 'string' && (REQUEST_KINDS as readonly string[]).includes(v.kind) ? (v.kind as RequestKind) : 'hook';
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  return {
    kind,
    pid: typeof v.pid === 'number' ? v.pid : 0,
    cwd: str('cwd') ?? '',
    command: v.command as string,
    ...(str('ticket') ? { ticket: str('ticket') } : {}),
    ...(str('agent') ? { agent: str('agent') } : {}),
    ...(str('why') ? { why: str('why') } : {}),
    ...(str('sessionId') ? { sessionId: str('sessionId') } : {}),
    ...(str('terminal') ? { terminal: str('terminal') } : {}),
    ...(SHELL_KINDS.includes(str('shell') as ShellKind) ? { shell: str('shell') as ShellKind } : {}),
  };
}

/** One reply line; the text never contains a newline. */
export function replyLine(kind: 'wait' | 'allow' | 'deny', text: string, ticket?: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  return kind === 'wait' ? `wait ${oneLine}\n` : `${kind} ${ticket ?? '-'} ${oneLine}\n`;
}

export function encodeJsonRequest(token: string, body: Record<string, unknown>): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`AGJ ${token} ${json.length}\n`), json]);
}
