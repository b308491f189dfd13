// Per-terminal line gate status: shells announce themselves to the window's gate, the window reports its terminals
// through the channel, and `agent-guard doctor` prints them — against a real gate server and real sockets.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { ask } from '../../src/gate/client';
import { formatWindowTerminals, windowTerminals } from '../../src/gate/doctor';
import { registerWindow, registryDir } from '../../src/gate/registry';
import { GateServer } from '../../src/gate/server';
import { GateService } from '../../src/gate/service';
import { describeTerminal, ShellRegistry } from '../../src/gate/shells';

describe('per-terminal line gate status', () => {
  it('the registry takes only well-formed announcements, and a lost gate stays lost', () => {
    const r = new ShellRegistry();
    for (const junk of ['', 'loaded', 'loaded bash; rm -rf /', 'LOADED bash', 'loaded ' + 'x'.repeat(40), 'terminals']) assert.equal(r.announce(4242, junk), false, junk);
    assert.equal(r.announce(0, 'loaded bash'), false, 'no process id');
    assert.equal(r.stateOf(4242), 'not loaded');
    assert.equal(r.announce(4242, 'loaded bash'), true);
    assert.equal(r.stateOf(4242), 'loaded');
    r.lost(4242, '"rm -rf data" started without passing the gate');
    r.announce(4243, 'loaded zsh');
    assert.equal(r.stateOf(4242), 'lost');
    assert.match(describeTerminal('bash', 4242, 'bash', r.get(4242)).detail, /no longer protects this terminal: "rm -rf data"/);
    assert.equal(describeTerminal('old', 99, 'bash', undefined).state, 'not loaded');
    assert.equal(r.stateOf(undefined), 'not loaded');
    for (let pid = 10_000; pid < 10_600; pid++) r.announce(pid, 'loaded bash');
    assert.equal(r.get(10_000), undefined, 'bounded: the oldest shells are forgotten first');
    assert.equal(r.stateOf(10_599), 'loaded');
  });

  describe('through the gate channel', () => {
    let server: GateServer;
    let service: GateService;
    let port: number;
    let state: string;
    const engine = new Engine({ tier: 'production' });

    before(async () => {
      state = mkdtempSync(join(tmpdir(), 'ag-term-status-'));
      service = new GateService({ settings: () => ({ engine, tier: 'production', workspace: '/w', requireTierPrefix: true }), approver: { approve: async () => ({ approved: false, how: 'dismissed' }), refused: () => {} }, record: () => {} });
      // The editor's side: two terminals, one whose shell announced itself and one opened before Agent Guard.
      service.terminalReport = async () => [describeTerminal('bash', 5101, 'bash', service.shells.get(5101)), describeTerminal('old zsh', 5102, 'zsh', service.shells.get(5102))];
      server = new GateServer(service);
      port = await server.listen();
    });
    after(() => {
      server.close();
      rmSync(state, { recursive: true, force: true });
    });

    it('a shell announces itself; doctor in that terminal lists both terminals, marks its own, and a lost one', async () => {
      const gate = { port, token: server.token };
      assert.equal((await ask(gate, { kind: 'ping', command: 'loaded bash', pid: 5101, cwd: '/w' }, { timeoutMs: 2000 })).verdict, 'allow');
      const env = { AGENT_GUARD_PORT: String(port), AGENT_GUARD_TOKEN: server.token };
      const w = await windowTerminals({ env, stateDir: state, cwd: '/w', shellPid: 5101 });
      assert.deepEqual(w?.terminals.map((t) => [t.name, t.state]), [['bash (this terminal)', 'loaded'], ['old zsh', 'not loaded']]);
      const text = formatWindowTerminals(w);
      assert.match(text, /✓ bash \(this terminal\) \(pid 5101\): the line gate is loaded/);
      assert.match(text, /✗ old zsh \(pid 5102\): the line gate is not loaded/);
      service.shells.lost(5101, '"rm -rf data" started without passing the gate');
      assert.match(formatWindowTerminals(await windowTerminals({ env, stateDir: state, cwd: '/w' })), /✗ bash \(pid 5101\): the line gate was loaded .* no longer protects this terminal/);
    });

    it('outside a terminal, the window whose workspace holds the folder answers; with none, doctor says so', async () => {
      registerWindow(registryDir(state), { pid: process.pid, port, token: server.token, folders: ['/w'], started: new Date().toISOString() });
      const w = await windowTerminals({ env: {}, stateDir: state, cwd: '/w/src' });
      assert.equal(w?.terminals.length, 2);
      assert.match(w!.window, /holding \/w\/src/);
      assert.equal(await windowTerminals({ env: {}, stateDir: state, cwd: '/elsewhere' }), null);
      assert.match(formatWindowTerminals(null), /no VS Code window with Agent Guard holds this folder/);
    });

    it('a wrong token, a window that is gone, or an older window that only says pong: a plain problem, never a crash', async () => {
      const wrong = await windowTerminals({ env: { AGENT_GUARD_PORT: String(port), AGENT_GUARD_TOKEN: 'f'.repeat(48) }, stateDir: state, cwd: '/w' });
      assert.match(formatWindowTerminals(wrong), /could not ask it: wrong token/);
      const closed = new GateServer(service);
      const closedPort = await closed.listen();
      closed.close();
      const gone = await windowTerminals({ env: { AGENT_GUARD_PORT: String(closedPort), AGENT_GUARD_TOKEN: 'x' }, stateDir: state, cwd: '/w' });
      assert.match(formatWindowTerminals(gone), /could not ask it: Agent Guard is not reachable/);
      const none = new GateServer(new GateService({ settings: () => ({ engine, tier: 'production', workspace: '/w', requireTierPrefix: true }), approver: { approve: async () => ({ approved: false, how: 'dismissed' }), refused: () => {} }, record: () => {} }));
      const older = new GateServer({ handle: async () => ({ verdict: 'allow', message: 'pong' }) });
      try {
        // A service the editor gave no terminal report answers an empty list; a window from before answers "pong".
        const nonePort = await none.listen();
        assert.match(formatWindowTerminals(await windowTerminals({ env: { AGENT_GUARD_PORT: String(nonePort), AGENT_GUARD_TOKEN: none.token }, stateDir: state, cwd: '/w' })), /\(no terminals open\)/);
        const olderPort = await older.listen();
        assert.match(formatWindowTerminals(await windowTerminals({ env: { AGENT_GUARD_PORT: String(olderPort), AGENT_GUARD_TOKEN: older.token }, stateDir: state, cwd: '/w' })), /does not report its terminals \(an older Agent Guard\)/);
      } finally {
        none.close();
        older.close();
      }
    });
  });
});
