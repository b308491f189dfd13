// A gate that never answers, or streams junk: real bash and zsh on a pty, the PATH shims and `bash -c` all give up
// after a bounded wait, say why, and refuse. Fail closed, but never a stuck terminal.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installShellGate, registerGatePort, ShellGate } from '../../src/gate/install';
import { gatedTerminalEnv, type GatedShell, ShellSession, SHIM_KINDS, SHIPPED_SHIM, startGatedShell } from './shell-session';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
const hasZsh = spawnSync('zsh', ['--version']).status === 0;

type Behaviour = 'silent' | 'junk lines' | 'endless line' | 'held, then silent';

function fakeGate(behaviour: Behaviour): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    if (behaviour === 'silent') return;
    if (behaviour === 'held, then silent') {
      s.write('wait held by Agent Guard (production) — fs.recursive-delete. Approve in VS Code by typing: production/data\n');
      return;
    }
    const timer = setInterval(() => {
      if (s.destroyed) return clearInterval(timer);
      s.write(behaviour === 'junk lines' ? 'junk junk junk\n' : 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    }, 5);
    s.on('close', () => clearInterval(timer));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })));
}

describe('shell gate with a gate that never answers (real bash and zsh)', function () {
  this.timeout(60000);
  let gate: ShellGate;
  /** One gate folder per kind of PATH shim (the native one and shim.sh), for the shim's own test. */
  const shimGates = new Map<string, ShellGate>();
  let root: string;
  let work: string;
  let home: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ag-stuck-'));
    gate = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', SHIPPED_SHIM);
    SHIM_KINDS.forEach(([kind, options], i) => shimGates.set(kind, installShellGate(join(root, `shim-gate-${i}`), SCRIPTS, 'normal', options)));
    home = join(root, 'home');
    work = join(root, 'work');
    mkdirSync(home);
    mkdirSync(work);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function env(port: number, extra: NodeJS.ProcessEnv = {}, g: ShellGate = gate): NodeJS.ProcessEnv {
    // Even where an unreachable editor would let commands run, a gate that connects and never answers refuses.
    const terminal = { gate: g, home, port, token: 'a'.repeat(48), tier: 'development', unreachable: 'warn' } as const;
    return gatedTerminalEnv(terminal, { AGENT_GUARD_ANSWER_S: '2', AGENT_GUARD_APPROVAL_S: '3', ...extra });
  }

  function child(cmd: string[], e: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string; ms: number }> {
    return new Promise((resolve) => {
      const t0 = Date.now();
      const c = spawn(cmd[0], cmd.slice(1), { env: e, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (out += d));
      c.on('close', (status) => resolve({ status, out, ms: Date.now() - t0 }));
    });
  }

  for (const behaviour of ['silent', 'junk lines', 'endless line', 'held, then silent'] as Behaviour[]) {
    describe(`a gate that is ${behaviour}`, () => {
      let fake: Awaited<ReturnType<typeof fakeGate>>;
      before(async () => {
        fake = await fakeGate(behaviour);
        // Registered as this window's gate, with the development policy that lets an unreachable editor's commands
        // run: a gate that connects and then fails must still refuse.
        for (const g of [gate, ...shimGates.values()]) registerGatePort(g.dir, fake.port, 'a'.repeat(48), 'development', 'warn');
      });
      after(() => {
        for (const s of fake.sockets) s.destroy();
        fake.server.close();
      });
      beforeEach(() => mkdirSync(join(work, 'data'), { recursive: true }));

      const bound = behaviour === 'held, then silent' ? 3 : 2;
      // Junk is refused at its first line; silence and an endless line at the bound.
      const said = behaviour === 'junk lines' ? /the gate answered with something that is not an answer; refused/ : new RegExp(`no answer from Agent Guard in VS Code within ${bound} s; refused`);
      const shells: [GatedShell, (port: number) => ShellSession][] = (hasZsh ? (['bash', 'zsh'] as const) : (['bash'] as const)).map((name) => [name, (port: number) => startGatedShell(name, gate, env(port), work)]);
      for (const [name, start] of shells) {
        it(`interactive ${name}: refuses after ${bound} s, with the reason, and the prompt comes back`, async () => {
          const sh = start(fake.port);
          try {
            await sh.run('true');
            const t0 = Date.now();
            const out = await sh.run('rm -rf data', 15000);
            const ms = Date.now() - t0;
            console.log(`      ${name}, gate ${behaviour}: refused after ${(ms / 1000).toFixed(1)} s`);
            assert.match(out, said);
            assert.ok(existsSync(join(work, 'data')), 'nothing was deleted');
            assert.ok(ms < (bound + 4) * 1000, `took ${ms} ms`);
          } finally {
            sh.close();
          }
        });
      }

      for (const [kind] of SHIM_KINDS) {
        it(`a PATH shim (${kind}) run by a script refuses after the bound (exit 126)`, async () => {
          const g = shimGates.get(kind)!;
          const r = await child(['sh', '-c', 'rm -rf data'], { ...env(fake.port, {}, g), BASH_ENV: '' });
          assert.equal(r.status, 126, r.out);
          assert.match(r.out, said);
          assert.ok(existsSync(join(work, 'data')));
          assert.ok(r.ms < (bound + 4) * 1000);
        });
      }

      it('bash -c (a task) refuses after the bound (exit 126)', async () => {
        const r = await child(['bash', '-c', 'rm -rf data'], env(fake.port));
        assert.equal(r.status, 126, r.out);
        assert.match(r.out, said);
        assert.ok(existsSync(join(work, 'data')));
        assert.ok(r.ms < (bound + 4) * 1000);
      });
    });
  }
});
