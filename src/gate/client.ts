// A Node client for the gate channel, used by the agents' hooks and the CLI. It asks and waits; it cannot approve.

import { connect } from 'node:net';
import { encodeJsonRequest, GateReply } from './protocol';

export interface GateAddress {
  port: number;
  token: string;
}

export interface AskOptions {
  /** Give up after this long (a person may be typing): the caller decides what no answer means. */
  timeoutMs: number;
  onWait?: (text: string) => void;
}

export type AskResult = GateReply | { verdict: 'unreachable'; message: string };

/** The gate of the VS Code window that started this process, from the environment its terminals carry. */
export function gateFromEnv(env: NodeJS.ProcessEnv = process.env): GateAddress | null {
  const port = Number(env.AGENT_GUARD_PORT);
  const token = env.AGENT_GUARD_TOKEN;
  return Number.isInteger(port) && port > 0 && port < 65536 && token ? { port, token } : null;
}

export function ask(gate: GateAddress, body: Record<string, unknown>, options: AskOptions): Promise<AskResult> {
  return new Promise((resolve) => {
    let settled = false;
    let pending = '';
    const settle = (r: AskResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const socket = connect({ host: '127.0.0.1', port: gate.port });
    const timer = setTimeout(() => settle({ verdict: 'unreachable', message: `no answer from Agent Guard within ${Math.round(options.timeoutMs / 1000)} s` }), options.timeoutMs);
    socket.on('connect', () => socket.write(encodeJsonRequest(gate.token, body)));
    socket.on('error', (e) => settle({ verdict: 'unreachable', message: `Agent Guard is not reachable (${(e as NodeJS.ErrnoException).code ?? e.message})` }));
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const sp = line.indexOf(' ');
        const kind = sp < 0 ? line : line.slice(0, sp);
        if (kind === 'wait') {
          options.onWait?.(line.slice(sp + 1));
          continue;
        }
        if (kind === 'allow' || kind === 'deny') {
          const rest = line.slice(sp + 1);
          const sp2 = rest.indexOf(' ');
          const ticket = rest.slice(0, sp2);
          settle({ verdict: kind, message: rest.slice(sp2 + 1), ...(ticket !== '-' ? { ticket } : {}) });
          return;
        }
      }
    });
    socket.on('close', () => settle({ verdict: 'unreachable', message: 'Agent Guard closed the connection without an answer' }));
  });
}
