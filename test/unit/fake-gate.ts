// A gate that answers every line without rm with one fixed reply and a line naming rm as the test says, speaking the
// shells' protocol (AG1 header, then the line): the setup lines of an attack run, and what the attack then tries is
// judged by how the shell reads the gate's answer, not by the engine (which holds such setup lines itself).
import { createServer, Server, Socket } from 'node:net';

export const TOKEN = 'b'.repeat(48);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How the fake gate answers a line naming rm (every other line is allowed outright, so setup lines run). */
export type Answer = (s: Socket) => void;
export const say =
  (...parts: (string | Buffer | number)[]): Answer =>
  (s) => {
    void (async () => {
      for (const p of parts) {
        if (s.destroyed) return;
        if (typeof p === 'number') await sleep(p);
        else s.write(p);
      }
    })();
  };
export const SILENT: Answer = () => {};

export interface FakeGate {
  server: Server;
  port: number;
  sockets: Set<Socket>;
  /** Every line asked about, in order. */
  asked: string[];
  answer: Answer;
}

export function fakeGate(reply: string): Promise<FakeGate> {
  const gate: FakeGate = { server: undefined as unknown as Server, port: 0, sockets: new Set(), asked: [], answer: SILENT };
  gate.server = createServer((s) => {
    gate.sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => gate.sockets.delete(s));
    let buf = Buffer.alloc(0);
    let done = false;
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(10);
      const m = nl >= 0 ? /^AG1 (\S+) (\S+) \S+ \S+ (\d+) (\d+)$/.exec(buf.subarray(0, nl).toString('latin1')) : null;
      if (!m || done || buf.length < nl + 1 + Number(m[3]) + Number(m[4])) return;
      done = true;
      if (m[1] !== TOKEN || m[2] === 'ping') return void s.end();
      const cmd = buf.subarray(nl + 1 + Number(m[3]), nl + 1 + Number(m[3]) + Number(m[4])).toString('utf8');
      gate.asked.push(cmd);
      // rm as a word of the line, not inside a temporary folder's random name (…-erc1rm/evil.so)
      if (/(^|[^\w.-])rm($|[^\w./-])/.test(cmd)) gate.answer(s);
      else s.end(reply);
    });
  });
  return new Promise((resolve) =>
    gate.server.listen(0, '127.0.0.1', () => {
      gate.port = (gate.server.address() as { port: number }).port;
      resolve(gate);
    }),
  );
}

/** Closes the gate and every connection it still has. */
export function closeFakeGate(gate: FakeGate | undefined): void {
  if (!gate) return;
  for (const s of gate.sockets) s.destroy();
  gate.server.close();
}
