// bash's Enter key as a builtin (src/shell/bash-line.c) under attack: a real interactive bash on a pseudo-terminal with
// the builtin loaded, a real gate server and engine, and a person who never approves. After each attempt on the
// builtin's inputs (the editor's word array, memory, line length and bytes, aliases, PWD/HOME/PATH, continuation lines,
// `enable` on the builtin itself) the shell must still answer, and a guarded command must still be held: nothing of
// data/ is deleted. Each attempt gets its own shell and its own folder.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../src/core/audit/log';
import { Engine } from '../../src/core/classify';
import { installShellGate, registerGatePort, type ShellGate } from '../../src/gate/install';
import { GateServer } from '../../src/gate/server';
import { GateService } from '../../src/gate/service';
import { bashLineMissing, gatedTerminalEnv, type ShellSession, SHIPPED_SHIM, startGatedShell, TypedAnswers } from './shell-session';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
/** Terminal output without colours and cursor moves. */
const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('bash Enter builtin under attack (real bash on a pty, a gate that never approves)', function () {
  this.timeout(60000);
  if (bashLineMissing()) return;
  let root: string;
  let gate: ShellGate;
  let server: GateServer;
  let service: GateService;
  let port: number;
  let work: string;
  let home: string;
  let sh: ShellSession | undefined;
  // Nobody approves: every ask is dismissed.
  const person = new TypedAnswers();
  const audit: AuditEntry[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ag-enter-robust-'));
    home = join(root, 'home');
    mkdirSync(home);
    const engine = new Engine({ tier: 'production' });
    service = new GateService({ settings: () => ({ engine, tier: 'production', workspace: work, requireTierPrefix: true }), approver: person, record: (e) => audit.push(e) });
    server = new GateServer(service);
    port = await server.listen();
    gate = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', SHIPPED_SHIM);
    registerGatePort(gate.dir, port, server.token, 'production', 'hold');
  });
  after(() => {
    server.close();
    service.dispose();
  });
  let n = 0;
  beforeEach(async () => {
    work = join(root, `work${n++}`);
    mkdirSync(join(work, 'data'), { recursive: true });
    writeFileSync(join(work, 'data', 'sentinel'), 'keep');
    sh = startGatedShell('bash', gate, gatedTerminalEnv({ gate, home, port, token: server.token, tier: 'production', unreachable: 'hold' }), work);
    await sh.run('true');
    // The builtin is what Enter runs in this shell.
    assert.match(plain(await sh.run('bind -p')), /"\\C-m": agent-guard-enter/);
  });
  afterEach(async () => {
    await sh?.close();
    sh = undefined;
  });

  const shell = (): ShellSession => sh as ShellSession;
  const intact = (): void => assert.ok(existsSync(join(work, 'data', 'sentinel')), 'data/sentinel must still be there');
  /** Types LINE and requires the editor to have been asked about it, the ask dismissed and nothing deleted. */
  async function held(line: string | Buffer = 'rm -rf data'): Promise<string> {
    const asked = person.asked.length;
    const from = audit.length;
    const out = plain(await shell().run(line, 20000));
    intact();
    assert.ok(person.asked.length > asked, `the editor was asked about ${JSON.stringify(line)}:\n${out.slice(-1500)}`);
    assert.ok(
      audit.slice(from).some((e) => e.source === 'terminal' && e.outcome === 'refused'),
      `${JSON.stringify(line)} was recorded as refused: ${JSON.stringify(audit.slice(from))}`,
    );
    assert.match(out, /held by Agent Guard \(production\)/);
    return out;
  }
  /** Types LINE, a plain line naming nothing guarded, and requires it to have been sent to the editor (the builtin did
   * not accept it by itself: a line it accepts is never recorded). */
  async function consulted(line: string, expected = true): Promise<void> {
    const from = audit.length;
    const out = plain(await shell().run(line));
    assert.equal(
      audit.slice(from).some((e) => e.source === 'terminal' && e.command === line),
      expected,
      `${JSON.stringify(line)} was ${expected ? '' : 'not '}sent to the editor:\n${out.slice(-1000)}`,
    );
  }
  /** The shell still reads and runs lines. */
  async function alive(): Promise<void> {
    assert.match(plain(await shell().run('echo alive-$((6*7))')), /\nalive-42\n/);
  }
  /** A plain guarded line (the builtin's own case) and one the shell function checks are both held; the shell answers. */
  async function guarded(): Promise<void> {
    await held('rm -rf data');
    await held('rm -rf data; true');
    await alive();
  }

  it('the editor’s ask-word array unset through a name built at run time: a plain guarded line is still asked about', async () => {
    // The gate refuses a line naming its variables; a name put together from two parts gets past the words it looks for.
    // As the shell starts, a plain line naming nothing guarded is accepted by the builtin without asking the editor.
    await consulted('sweep it now', false);
    await consulted('ls data', false);
    assert.match(plain(await shell().run('unset __agent_guard_ask_words')), /refused by Agent Guard/);
    // A name the line does not spell is asked about (shell.dynamic-name), and the person never approves: the array stays.
    await held('v=__agent; v+=_guard_ask_words; unset $v');
    assert.match(plain(await shell().run('declare -p $v 2>&1')), /declare -A __agent_guard_ask_words/);
    // The builtin reads the words worth asking about from the gate's own file, not from this array: `rm -rf data` is
    // still asked about, and a plain line of words still is not.
    await held('rm -rf data');
    await consulted('sweep it now', false);
    await alive();
    // A line the shell function checks (`rm -rf data; true`) is not held in this state: test/redteam/round7-enter.jsonl.
  });

  it('the ask-word array emptied through a name built at run time: a plain guarded line is still asked about', async () => {
    // An empty associative array is the type the array had: the builtin, which read the array, then asked about nothing.
    await held('v=__agent; v+=_guard_ask_words; unset $v; declare -gA $v');
    assert.match(plain(await shell().run('declare -p $v')), /declare -A __agent_guard_ask_words=\(.*\[rm\]/);
    await held('rm -rf data');
    await consulted('ls data', false);
    await alive();
  });

  it('the ask-word array replaced by a string or an indexed array: a plain guarded line is still asked about', async () => {
    for (const how of ['declare -g $v=rm', 'declare -ga $v', 'declare -gi $v=7']) {
      await held(`v=__agent; v+=_guard_ask_words; unset $v; ${how}`);
      assert.match(plain(await shell().run('declare -p $v 2>&1')), /declare -A/);
      await held('rm -rf data');
      await consulted('ls data', false);
    }
    await alive();
  });

  // (A line that makes bash allocate 3 × 100 kB under this limit ends bash, with the builtin or without it: bash's
  // xmalloc fails.)
  it('ulimit -v leaving bash 1 MB over what it has: plain and guarded lines, then the shell still answers', async () => {
    // Set before any line the builtin accepted, so that its heap gathering (on the first such line) runs under it too.
    // (awk adds: shell arithmetic over a value read from a file is not understood in production.)
    assert.match(plain(await shell().run(`ulimit -v "$(awk '/VmSize/ { print $2 + 1000 }' /proc/$$/status)"; ulimit -v`)), /\n\d+\n/);
    assert.match(plain(await shell().run('ls')), /\ndata\n/);
    assert.match(plain(await shell().run('ls data')), /\nsentinel\n/);
    await guarded();
    assert.match(plain(await shell().run('ls; ls data')), /\ndata\nsentinel\n/);
    await guarded();
  });

  it('ulimit -v leaving bash 600 kB: the first plain line (where the builtin gathered its heap) does not end the shell', async () => {
    assert.match(plain(await shell().run(`ulimit -v "$(awk '/VmSize/ { print $2 + 600 }' /proc/$$/status)"; ulimit -v`)), /\n\d+\n/);
    assert.match(plain(await shell().run('ls')), /\ndata\n/);
    assert.match(plain(await shell().run('ls data')), /\nsentinel\n/);
    await guarded();
  });

  it('a 1 MB line naming rm is refused with its reason, and the shell answers after it', async () => {
    const out = plain(await shell().run(`rm -rf data ${'a'.repeat(1 << 20)}`, 60000));
    intact();
    assert.match(out, /request too large for Agent Guard to judge/);
    await alive();
  });

  it('binary bytes, NULs and a quoted NUL (C-v C-@) typed into the line: guarded lines are held', async () => {
    // Control characters are editing keys (C-a, C-b); 0xff 0xfe are a word bash cannot find.
    assert.match(plain(await shell().run(Buffer.from('ls \x01\x02\xff\xfe data', 'latin1'))), /command not found/);
    await held(Buffer.from('rm -rf \x00data', 'latin1'));
    await held(Buffer.from('\x00\x00rm -rf data', 'latin1'));
    await held(Buffer.from('rm -rf data\xff', 'latin1'));
    await held(Buffer.from('r\x16\x00m -rf data', 'latin1'));
    // A NUL quoted into the middle of the line: what bash runs and what the gate checks end at the same place.
    await held(Buffer.from('ls \x16\x00; rm -rf data', 'latin1'));
    await alive();
  });

  it('aliases: a cycle, a chain of 1000, a 90 kB value, an alias ending in a blank that names itself', async () => {
    const chain = Array.from({ length: 1000 }, (_, i) => `alias c${i}=c${i + 1}`).join('; ');
    await shell().run(`alias a=b b=a; ${chain}; alias c1000=ls`);
    await shell().run(`alias big='${Array(30000).fill('ls').join(' ')}'`);
    await shell().run("alias sp='sp ' x='sp sp sp' y='y y y '");
    // Each is run (the builtin follows each alias within its budget and returns), then a guarded line is held.
    assert.match(plain(await shell().run('a')), /a: command not found/);
    assert.match(plain(await shell().run('c0')), /\ndata\n/);
    assert.match(plain(await shell().run('c500 data')), /\nsentinel\n/);
    assert.match(plain(await shell().run('big data 2>/dev/null | head -1')), /\ndata:\n/);
    assert.match(plain(await shell().run('x')), /sp: command not found/);
    assert.match(plain(await shell().run('y y y')), /y: command not found/);
    await held('a b rm -rf data; rm -rf data');
    await guarded();
  });

  it('an alias chain deeper than the builtin follows, ending in a loop’s opening: the loop’s body is still checked', async () => {
    await shell().run(`${Array.from({ length: 20 }, (_, i) => `alias d${i}=d${i + 1}`).join('; ')}; alias d20='for f in'`);
    // `d0 x` opens a for loop in bash: the builtin must hand the line on, so that the body is checked with it.
    shell().type('d0 data\r');
    shell().type('do rm -rf "$f"; done\r');
    await shell().waitFor(() => plain(shell().output).includes('held by Agent Guard (production)'), 10000, 'the loop to be held');
    intact();
    await alive();
  });

  it('enable -n / -d on the builtin: refused when typed; done through a built name, Enter still holds (the code stays mapped)', async () => {
    for (const line of ['enable -n __agent_guard_enter', 'enable -d __agent_guard_enter', 'n=__agent; n+=_guard_enter; enable -d $n']) {
      assert.match(plain(await shell().run(line)), /refused by Agent Guard: .*\n.*guard\.shell-tamper/);
    }
    // `$e` is not a word the shell looks for, but the engine follows the assignments and holds both (guard.tamper).
    // What bash does once such a line has run (-z nodelete keeps the code Enter is bound to): shell-builtins-off.test.ts.
    for (const line of ['n=__agent; n+=_guard_enter; e=ena; e+=ble; $e -d $n; echo rc=$?', 'n=__agent; n+=_guard_enter; e=ena; e+=ble; $e -n $n; echo rc=$?']) {
      assert.match(plain(await shell().run(line)), /held by Agent Guard \(production\) — guard\.tamper[\s\S]*refused/);
    }
    assert.match(plain(await shell().run('grep -c bash-line /proc/$$/maps')), /\n[1-9]\d*\n/);
    await guarded();
  });

  it('PWD unset, empty, /, 6000 characters long or the gate’s own folder: guarded lines are held', async () => {
    for (const set of ['unset PWD', 'PWD=', 'PWD=/', `PWD=${'/x'.repeat(3000)}`, `PWD=${gate.dir}`, `PWD=${gate.dir}/bin/`]) {
      await shell().run(set);
      await held('rm -rf data');
    }
    await alive();
  });

  it('HOME unset or /, and PATH unset or empty: guarded lines are held', async () => {
    for (const set of ['unset HOME', 'HOME=/', 'unset PATH', 'PATH=']) {
      await shell().run(set);
      await guarded();
    }
  });

  it('lines typed while bash reads a continuation (heredoc, backslash): checked with the command they belong to', async () => {
    // A here-document's body is data for cat: the gate lets bash read on (each line judged with the command as if it
    // ended there) and judges the whole at its end, which only prints it.
    const printed = plain(await shell().run('cat <<EOF\nrm -rf data\nEOF', 20000));
    intact();
    assert.match(printed, /\nrm -rf data\r?\n/);
    await held('ls \\\n; rm -rf data');
    await held('bash <<EOF\nrm -rf data\nEOF');
    shell().type('ls \\\r');
    await held('data; rm -rf data');
    await alive();
  });
});
