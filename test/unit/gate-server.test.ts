// The channel: only asks, checks the window's token, survives junk, and a client going away cancels the prompt.
import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Engine } from '../../src/core/classify';
import { ask } from '../../src/gate/client';
import { GateServer } from '../../src/gate/server';
import { ApprovalOutcome, ApprovalRequest, GateService } from '../../src/gate/service';

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
});
