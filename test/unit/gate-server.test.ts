// The channel: only asks, checks the window's token, survives junk, and a client going away cancels the prompt.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Engine } from '../../src/core/classify';
import { ask } from '../../src/gate/client';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { GATE_PORTS, GateServer } from '../../src/gate/server';
import { ApprovalOutcome, ApprovalRequest, GateService } from '../../src/gate/service';
import type { AuditEntry } from '../../src/core/audit/log';

function raw(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => s.write(bytes));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
  });
}

describe('gate server', () => {
  let server: GateServer;
  let port: number;
  let pending: { req: ApprovalRequest; abort: AbortSignal; resolve: (o: ApprovalOutcome) => void }[];

  beforeEach(async () => {
    pending = [];
    const engine = new Engine({ tier: 'production' });
    server = new GateServer(
      new GateService({
        settings: () => ({ engine, tier: 'production', workspace: '/w', requireTierPrefix: false }),
        approver: { approve: (req, abort) => new Promise((resolve) => pending.push({ req, abort, resolve })), refused: () => {} },
        record: () => {},
      }),
    );
    port = await server.listen();
  });
  afterEach(() => server.close());

  it('refuses a request with the wrong token, and junk, without crashing', async () => {
    assert.match(await raw(port, 'AGJ wrong 17\n{"command":"ls"}'), /^deny - wrong token/);
    assert.match(await raw(port, 'hello\n'), /^deny - not an Agent Guard request/);
    assert.match(await raw(port, Buffer.from([0, 1, 2, 255, 10])), /^deny - /);
    assert.match(await raw(port, `AG1 ${server.token} line 1 - 99999999999 1\n`), /^deny - malformed length/);
    assert.match(await raw(port, 'x'.repeat(10000)), /^deny - header too long/);
    const ok = await ask({ port, token: server.token }, { command: 'ls' }, { timeoutMs: 2000 });
    assert.equal(ok.verdict, 'allow');
  });

  it('refuses a request with more bytes than its first line says (a variable that ended the line early)', async () => {
    // What a client writes when a variable it puts on the first line holds "- 4 2\n/tmpls": a question of the
    // variable's choosing, then the real one after it.
    const forged = `AG1 ${server.token} exec 1 - 4 2\n/tmpls 4 13\n/tmprm -rf data`;
    assert.match(await raw(port, forged), /^deny - the request held more bytes than its first line said/);
    // The same with the real question a moment later, in a second write, while the forged one waits for a person.
    const s = connect({ port, host: '127.0.0.1' });
    let out = '';
    s.on('data', (d) => (out += d));
    const closed = new Promise((r) => s.on('close', r));
    s.write(`AG1 ${server.token} exec 1 - 2 8\n/wrm -rf x`);
    for (let i = 0; i < 100 && pending.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(pending.length, 1, 'the forged question reached the person');
    s.write(' 2 12\n/wrm -rf data');
    await closed;
    assert.match(out, /deny - the request held more bytes than its first line said/);
    assert.equal(pending[0].abort.aborted, true, "the person's box is withdrawn");
  });

  it('holds a destructive command until the approver answers, and reports progress meanwhile', async () => {
    const waits: string[] = [];
    const answer = ask({ port, token: server.token }, { command: 'rm -rf data', agent: 'claude', why: 'clean up' }, { timeoutMs: 5000, onWait: (t) => waits.push(t) });
    while (!pending.length) await new Promise((r) => setTimeout(r, 5));
    assert.equal(pending[0].req.expected, 'data');
    assert.equal(pending[0].req.why, 'clean up');
    pending[0].resolve({ approved: true, by: 'ana' });
    const r = await answer;
    assert.equal(r.verdict, 'allow');
    assert.match(waits[0], /type|typing: data/);
  });

  it('shares one approval between identical commands from one terminal', async () => {
    const a = ask({ port, token: server.token }, { command: 'rm -rf data', pid: 7 }, { timeoutMs: 5000 });
    const b = ask({ port, token: server.token }, { command: 'rm -rf data', pid: 7 }, { timeoutMs: 5000 });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pending.length, 1);
    pending[0].resolve({ approved: false, how: 'wrong-name' });
    assert.deepEqual([(await a).verdict, (await b).verdict], ['deny', 'deny']);
  });

  it("answers two agents' hooks for the same tool call with one approval", async () => {
    const body = { command: 'rm -rf data', cwd: '/w/app', kind: 'hook' };
    const copilot = ask({ port, token: server.token }, { ...body, agent: 'copilot' }, { timeoutMs: 5000 });
    while (!pending.length) await new Promise((r) => setTimeout(r, 5));
    pending[0].resolve({ approved: true, by: 'ana' });
    assert.equal((await copilot).verdict, 'allow');
    const claude = await ask({ port, token: server.token }, { ...body, agent: 'claude' }, { timeoutMs: 5000 });
    assert.equal(claude.verdict, 'allow');
    assert.equal(pending.length, 1, 'the person was asked once');
  });

  it('lets an allowed delete run only after what it deletes is handed to the snapshot step', async () => {
    const before: string[] = [];
    const engine = new Engine({ tier: 'development' });
    const dev = new GateServer(
      new GateService({
        settings: () => ({ engine, tier: 'development', workspace: '/w', requireTierPrefix: false }),
        approver: { approve: () => Promise.resolve({ approved: false, how: 'dismissed' }), refused: () => {} },
        record: () => {},
        beforeRun: async (req) => {
          before.push(req.decision.findings.map((f) => f.resource).join(' '));
        },
      }),
    );
    const devPort = await dev.listen();
    try {
      assert.equal((await ask({ port: devPort, token: dev.token }, { command: 'rm notes.txt' }, { timeoutMs: 2000 })).verdict, 'allow');
      assert.equal((await ask({ port: devPort, token: dev.token }, { command: 'ls' }, { timeoutMs: 2000 })).verdict, 'allow');
      assert.deepEqual(before, ['notes.txt']);
    } finally {
      dev.close();
    }
  });

  it('cancels the prompt when the asking process goes away', async () => {
    const s = connect({ port, host: '127.0.0.1' }, () => s.write(`AGJ ${server.token} 25\n{"command":"rm -rf data"}`));
    while (!pending.length) await new Promise((r) => setTimeout(r, 5));
    s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(pending[0].abort.aborted, true);
  });

  it('has no message that approves: a client claiming approval is still held', async () => {
    const forged = ask({ port, token: server.token }, { command: 'rm -rf data', kind: 'line', ticket: 'forged', approved: true, decision: 'allow' }, { timeoutMs: 300 });
    const r = await forged;
    assert.equal(r.verdict, 'unreachable', 'still waiting for a person when the client gives up');
    assert.equal(pending.length, 1);
  });

  it('refuses more than its cap of commands waiting for a person, with the reason', async () => {
    const asks = [];
    for (let i = 0; i < 16; i++) asks.push(ask({ port, token: server.token }, { command: `rm -rf data${i}`, pid: i }, { timeoutMs: 5000 }));
    while (pending.length < 16) await new Promise((r) => setTimeout(r, 5));
    const extra = await ask({ port, token: server.token }, { command: 'rm -rf data99', pid: 99 }, { timeoutMs: 5000 });
    assert.equal(extra.verdict, 'deny');
    assert.match(extra.message, /16 commands of this window are already waiting for a person/);
    for (const p of pending) p.resolve({ approved: false, how: 'dismissed' });
    assert.deepEqual(new Set((await Promise.all(asks)).map((r) => r.verdict)), new Set(['deny']));
  });
  it('refuses every line, saying why, while the engine cannot be loaded (a broken dist/engine.js), and records each refusal without the unmasked command', async () => {
    const recorded: AuditEntry[] = [];
    // As src/vscode/terminals.ts builds its settings: the engine's loader throws each time it is asked.
    const service = new GateService({
      settings: () => {
        throw new Error('main.js needs src/core/classify.ts from /ext/dist/engine.js, which could not be loaded: Unexpected end of input');
      },
      approver: { approve: async () => ({ approved: true, by: 'nobody' }), refused: () => {} },
      record: (e) => void recorded.push(e),
    });
    const server = new GateServer(service);
    const errors: string[] = [];
    server.onError = (line) => errors.push(line);
    const port = await server.listen();
    try {
      for (const command of ['ls -la', 'git status', 'rm -rf data', 'psql "postgres://u:hunter2@db/prod" -c "DROP TABLE t"']) {
        const r = await ask({ port, token: server.token }, { command }, { timeoutMs: 5000 });
        assert.equal(r.verdict, 'deny', command);
        assert.match(r.message, /^Agent Guard failed to decide \(main\.js needs src\/core\/classify\.ts from \/ext\/dist\/engine\.js, which could not be loaded: Unexpected end of input\); held$/, command);
      }
      assert.equal(errors.length, 4, 'each failure is logged');
      assert.deepEqual(recorded.map((e) => [e.decision, e.outcome, e.decidedBy, e.tier]), Array(4).fill(['deny', 'refused', 'policy', 'unknown']));
      assert.match(recorded[0].reason ?? '', /^Agent Guard failed to decide: main\.js needs src\/core\/classify\.ts/);
      assert.equal(recorded[3].command, '(53 bytes, not written: Agent Guard could not judge it, so could not mask its secrets)');
      assert.ok(!JSON.stringify(recorded).includes('hunter2'), 'no unmasked secret in the log');
      // An agent's hook asks the same way: refused, and no promise is left rejected unhandled in the extension host.
      const unhandled: unknown[] = [];
      const onUnhandled = (e: unknown) => unhandled.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        const r = await ask({ port, token: server.token }, { command: 'rm -rf data', agent: 'claude', why: 'tidy' }, { timeoutMs: 5000 });
        assert.equal(r.verdict, 'deny');
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
      assert.deepEqual(unhandled, []);
      assert.equal(recorded.at(-1)?.source, 'hook:claude');
    } finally {
      server.close();
      service.dispose();
    }
  });
});

describe('gate server under load', function () {
  this.timeout(60_000);

  /** Sends five requests of `bytes` from another process (so the delay measured here is the server's own); their verdicts. */
  function sendFive(port: number, token: string, bytes: number): Promise<string> {
    const sender = `const net = require('node:net');
      const command = 'echo hello world $(date) && ls -la /tmp; '.repeat(${Math.floor(bytes / 40)});
      let left = 5; const verdicts = [];
      for (let i = 0; i < 5; i++) {
        const body = Buffer.from(JSON.stringify({ command, pid: i }));
        const s = net.connect(${port}, '127.0.0.1', () => { s.write('AGJ ${token} ' + body.length + '\\n'); s.write(body); });
        let out = ''; s.on('data', (d) => (out += d));
        s.on('error', () => {});
        s.on('close', () => { verdicts.push(out.trim().split('\\n').pop()); if (--left === 0) console.log(JSON.stringify(verdicts)); });
      }`;
    const child = spawn(process.execPath, ['-e', sender], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    return new Promise((ok) => child.on('close', () => ok(out.trim())));
  }

  for (const [label, bytes, expect] of [
    ['five concurrent 4 MB commands are refused at once as too large', 3.9 * 1024 * 1024, /^deny - request too large for Agent Guard to judge/],
    ['five concurrent 0.9 MB commands are judged off the event loop', 0.9 * 1024 * 1024, /^deny - refused \(dismissed\)/],
  ] as const) {
    it(`${label}, without stalling other clients`, async () => {
      const engine = new Engine({ tier: 'production' });
      const service = new GateService({
        settings: () => ({ engine, tier: 'production', workspace: '/w', requireTierPrefix: false }),
        approver: { approve: async () => ({ approved: false, how: 'dismissed' }), refused: () => {} },
        record: () => {},
      });
      const server = new GateServer(service);
      const port = await server.listen();
      const h = monitorEventLoopDelay({ resolution: 5 });
      try {
        h.enable();
        const t0 = performance.now();
        let done = false;
        const heavy = sendFive(port, server.token, bytes).then((v) => ((done = true), v));
        let slowestLs = 0;
        let lsCount = 0;
        while (!done) {
          const t = performance.now();
          const r = await ask({ port, token: server.token }, { command: 'ls -la', pid: 100 }, { timeoutMs: 5000 });
          assert.equal(r.verdict, 'allow');
          slowestLs = Math.max(slowestLs, performance.now() - t);
          lsCount++;
          await new Promise((r) => setTimeout(r, 10));
        }
        const verdicts = JSON.parse(await heavy) as string[];
        const total = performance.now() - t0;
        h.disable();
        // The 99th percentile, not the maximum, is held to 150 ms (judging inline takes seconds for these lines): on a 2-core machine the judging worker itself takes a
        // core, and the worst single sample measures the OS's scheduling as much as the server.
        const delay = h.percentile(99) / 1e6;
        console.log(`      5 × ${(bytes / 1024 / 1024).toFixed(1)} MB commands: answered in ${(total / 1000).toFixed(1)} s; ${lsCount} "ls" asks meanwhile, slowest ${slowestLs.toFixed(0)} ms; server event-loop delay p99 ${delay.toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms`);
        assert.ok(h.max / 1e6 < 1000, `event loop blocked for ${h.max / 1e6} ms`);
        assert.equal(verdicts.length, 5);
        for (const v of verdicts) assert.match(v, expect);
        assert.ok(delay < 150, `event loop blocked for ${delay} ms`);
        assert.ok(slowestLs < 1000, `an ls waited ${slowestLs} ms`);
      } finally {
        h.disable();
        server.close();
        service.dispose();
      }
    });
  }

  it('refuses a request over the size cap at once', async () => {
    const service = new GateService({
      settings: () => ({ engine: new Engine({ tier: 'production' }), tier: 'production', workspace: '/w', requireTierPrefix: false }),
      approver: { approve: async () => ({ approved: false, how: 'dismissed' }), refused: () => {} },
      record: () => {},
    });
    const server = new GateServer(service);
    const port = await server.listen();
    try {
      const t = performance.now();
      const r = await raw(port, `AG1 ${server.token} line 1 - 600000 600000\n`);
      assert.match(r, /^deny - request too large for Agent Guard to judge \(1200000 bytes; at most 1048576\)/);
      assert.ok(performance.now() - t < 500);
    } finally {
      server.close();
      service.dispose();
    }
  });

});

describe("gate server's port", () => {
  const quiet = { handle: async () => ({ verdict: 'deny' as const, message: 'answered' }) };

  it('is in the range package.json tells VS Code never to forward', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const attributes = manifest.contributes.configurationDefaults['remote.portsAttributes'];
    assert.equal(attributes[`${GATE_PORTS.first}-${GATE_PORTS.last}`]?.onAutoForward, 'ignore');
  });

  it('is taken from the range while one is free; windows that share it get different ports; a full range falls back', async () => {
    // A small range of three, so the test can fill it: two taken by others, one left.
    const taken: Server[] = [];
    const gates: GateServer[] = [];
    try {
      let first = 0;
      // Three consecutive free ports (found, not assumed).
      for (let p = 29300; p < 29400 && !first; p++) {
        const probes = await Promise.all([p, p + 1, p + 2].map((q) => new Promise<Server | null>((r) => {
          const s = createServer();
          s.once('error', () => r(null));
          s.listen(q, '127.0.0.1', () => r(s));
        })));
        if (probes.every(Boolean)) {
          first = p;
          taken.push(probes[0]!, probes[1]!);
          probes[2]!.close();
          await new Promise((r) => setTimeout(r, 20));
        } else for (const s of probes) s?.close();
      }
      assert.ok(first, 'three free ports found');
      const range = { first, last: first + 2 };
      const a = new GateServer(quiet);
      gates.push(a);
      assert.equal(await a.listen(range), first + 2, 'the one free port of the range');
      assert.equal(a.inRange, true);
      const b = new GateServer(quiet);
      gates.push(b);
      const port = await b.listen(range);
      assert.equal(b.inRange, false, 'the range is full');
      assert.ok(port > 0 && (port < first || port > first + 2), `a port outside the range (${port})`);
      // Both answer: the fallback is a working gate, not a failure.
      for (const g of [a, b]) {
        const r = await ask({ port: g === a ? first + 2 : port, token: g.token }, { kind: 'hook', command: 'ls', cwd: '/' }, { timeoutMs: 2000 });
        assert.equal(r.message, 'answered', JSON.stringify(r));
      }
    } finally {
      for (const s of taken) s.close();
      for (const g of gates) g.close();
    }
  });
});
