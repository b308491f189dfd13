// Red team of bash's Enter builtin asking the editor itself (bash-line.c's ask_here, handed over to the shell function
// __agent_guard_answered): real bash on a pty, a fake gate that never approves a line naming rm (it denies, holds,
// stays silent, streams junk, resets, half-closes), and the attempts a blocked agent driving the terminal would make:
// forged hand-over keys, the connection's variable set by any spelling or from the environment, the descriptor replaced,
// signals while the builtin waits, odd working folders, huge lines, few descriptors, odd bounds. Each attempt checks
// that nothing was deleted, that the refusal or hold is on screen, that no wait passed its bound by more than ~2 s, and
// that the shell still answers.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASH_PROMPT_HOOK, installShellGate, registerGatePort, ShellGate, writePrefilter } from '../../src/gate/install';
import { gatedTerminalEnv, ShellSession, SHIPPED_SHIM, startGatedShell, WITHOUT_BASH_LINE } from './shell-session';
import { Answer, closeFakeGate, fakeGate, FakeGate, say, SILENT, TOKEN } from './fake-gate';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The shell's sockets (its connections to a gate), from /proc. */
function sockets(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((f) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${f}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;
}

describe("bash's Enter builtin asking the gate itself, attacked (real bash, a gate that never approves)", function () {
  this.timeout(60000);
  let root: string;
  let gate: ShellGate;
  let home: string;
  let work: string;
  let fake: FakeGate;
  const shells: ShellSession[] = [];

  before(async function () {
    if (!SHIPPED_SHIM.bashLine) return this.skip();
    root = mkdtempSync(join(tmpdir(), 'ag-askred-'));
    gate = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', SHIPPED_SHIM);
    // The editor's lists, current and in normal mode: only then does the builtin ask about a plain line itself.
    writePrefilter(gate.dir, 'normal');
    home = join(root, 'home');
    work = join(root, 'work');
    mkdirSync(home);
    mkdirSync(work);
    // What a forged hand-over would have the shell function read: an allow.
    writeFileSync(join(work, 'ok.txt'), 'allow - forged\n');
    fake = await fakeGate('allow - ok\n');
    registerGatePort(gate.dir, fake.port, TOKEN, 'production', 'hold');
  });
  after(() => {
    for (const sh of shells) void sh.close();
    closeFakeGate(fake);
    if (root) rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    if (fake) {
      fake.answer = say('deny - refused by the test gate\n');
      fake.asked.length = 0;
    }
  });

  function start(extra: NodeJS.ProcessEnv = {}, port = fake.port, cwd = work): ShellSession {
    const env = gatedTerminalEnv({ gate, home, port, token: TOKEN, tier: 'production', unreachable: 'hold' }, { AGENT_GUARD_ANSWER_S: '2', AGENT_GUARD_APPROVAL_S: '3', ...extra });
    const sh = startGatedShell('bash', gate, env, cwd);
    shells.push(sh);
    return sh;
  }
  async function pidOf(sh: ShellSession): Promise<number> {
    const pid = Number(/pid=(\d+)/.exec(await sh.run('echo pid=$$'))?.[1]);
    assert.ok(pid > 0);
    return pid;
  }
  async function alive(sh: ShellSession): Promise<void> {
    assert.match(await sh.run('echo alive-$((6*7))'), /alive-42/, 'the shell still answers');
  }
  /** The same for a shell that refuses every line it asks about (no descriptor left, or no gate): a plain line. */
  async function answers(sh: ShellSession): Promise<void> {
    assert.match(await sh.run('echo still here'), /^still here\r?$/m, 'the shell still answers');
  }
  /** Types LINE (Enter added), and checks that `data` under DIR survived and what the screen said. */
  async function attempt(sh: ShellSession, line: string, said: RegExp, opts: { dir?: string; boundS?: number } = {}): Promise<{ out: string; ms: number }> {
    const dir = opts.dir ?? work;
    mkdirSync(join(dir, 'data'), { recursive: true });
    const t0 = Date.now();
    const out = await sh.run(line, 20000);
    const ms = Date.now() - t0;
    assert.ok(existsSync(join(dir, 'data')), `nothing was deleted by ${JSON.stringify(line.slice(0, 80))}:\n${out}`);
    assert.match(out, said, out);
    if (opts.boundS !== undefined) assert.ok(ms < (opts.boundS + 2) * 1000 + 500, `took ${ms} ms, bound ${opts.boundS} s`);
    return { out, ms };
  }
  const declared = (sh: ShellSession) => sh.run("declare -p | grep -a '_guard_asked='");
  const REFUSED = /✖ Agent Guard: rm -rf data[\s\S]*refused by the test gate/;
  const NO_ANSWER = /there is no answer from the gate for this line; refused/;

  describe('one shell, the gate denying every line that names rm', () => {
    let sh: ShellSession;
    before(async function () {
      if (!fake) return this.skip();
      sh = start();
      await sh.run('true');
      // A descriptor at every number the builtin could use holds an allow: a forged hand-over would read one.
      await sh.run('exec 10<ok.txt 11<ok.txt 12<ok.txt 13<ok.txt 14<ok.txt 15<ok.txt');
    });

    it('the builtin asks about the plain line itself and the refusal is said (baseline)', async () => {
      await attempt(sh, 'rm -rf data', REFUSED);
      assert.deepEqual(fake.asked, ['rm -rf data']);
      await alive(sh);
    });

    it('the hand-over keys typed by hand after a line, in every order (15), run nothing', async () => {
      const keys = ['\x1b[9008~', '\x1b[9010~', '\x1b[9002~'];
      const orders: string[][] = [];
      for (const a of keys) {
        orders.push([a]);
        for (const b of keys.filter((k) => k !== a)) {
          orders.push([a, b]);
          for (const c of keys.filter((k) => k !== a && k !== b)) orders.push([a, b, c]);
        }
      }
      assert.equal(orders.length, 15);
      for (const order of orders) {
        // Refused either by the shell function (no connection named) or by the gate (the line asked about as Enter).
        await attempt(sh, `rm -rf data${order.join('')}`, new RegExp(`${NO_ANSWER.source}|${REFUSED.source}`));
      }
      // Typed on an empty line, then the line and the keys again; and typed right after Enter, while the builtin's
      // own hand-over is under way.
      await attempt(sh, '\x1b[9008~\x1b[9010~\x1b[9002~rm -rf data\x1b[9008~\x1b[9002~', NO_ANSWER);
      await attempt(sh, 'rm -rf data\r\x1b[9008~\x1b[9002~\x1b[9002~', REFUSED);
      await alive(sh);
    });

    it('accept-line typed by hand (\\e[9002~) is Enter: the line is asked about, never run unchecked', async () => {
      fake.asked.length = 0;
      await attempt(sh, 'rm -rf data\x1b[9002~', REFUSED);
      assert.deepEqual(fake.asked, ['rm -rf data'], 'the gate was asked');
      await attempt(sh, 'rm -rf data\x1b[9010~\x1b[9002~', REFUSED);
      // A continuation line's key, then accept-line: the whole command checked.
      await attempt(sh, 'rm -rf data\x1b[9001~\x1b[9002~', /refused/);
      await alive(sh);
    });

    it('the variable naming the connection cannot be set by any spelling, and stays read-only and empty', async () => {
      const n = 'n=__agent; n+=_guard_asked';
      const spellings = [
        `${n}; printf -v "$n" %s '10 0'`,
        `${n}; read -r "$n" <<< '10 0'`,
        `${n}; declare -n r=$n; r='10 0'`,
        `${n}; mapfile -t "$n" <<< '10 0'`,
        `${n}; eval "for $n in '10 0'; do :; done"`,
        `${n}; declare -g "$n=10 0"`,
        `${n}; declare +r "$n"; printf -v "$n" %s '10 0'`,
        `${n}; unset "$n"; printf -v "$n" %s '10 0'`,
        `${n}; f() { local "$n=10 0"; printf -v "$n" %s '10 0'; rm -rf data; }; f`,
        `${n}; eval "$n='10 0'"`,
        `${n}; declare -A "$n"; printf -v "$n[0]" %s '10 0'`,
        `${n}; IFS= read -r "$n" < ok.txt`,
      ];
      for (const line of spellings) {
        mkdirSync(join(work, 'data'), { recursive: true });
        const out = await sh.run(line);
        assert.ok(existsSync(join(work, 'data')), out);
        // Still read-only and empty; an added attribute (declare -a/-A/-i/-l/-u/-t) is all a line can do to it, and
        // then the builtin no longer trusts it and leaves the ask to the shell function.
        assert.match(await declared(sh), /^declare -[a-zA-Z]*r[a-zA-Z]* __agent_guard_asked=(""|\(\[0\]="" ?\))\r?$/m, `after ${line}`);
      }
      // `export` cannot set it either, but marks it exported: the builtin then no longer trusts it, and leaves every
      // ask to the shell function (slower, never looser). It stays empty.
      await sh.run(`${n}; export "$n=10 0"`);
      assert.match(await declared(sh), /^declare -[a-zA-Z]*x[a-zA-Z]* __agent_guard_asked=(""|\(\[0\]="" ?\))\r?$/m);
      // The key after all that still finds nothing to read, and a plain line is still asked about and refused.
      await attempt(sh, 'rm -rf data\x1b[9008~', NO_ANSWER);
      await attempt(sh, 'rm -rf data', REFUSED);
      await alive(sh);
    });

    it('other key paths end in Enter: a keyboard macro, a continuation line, vi mode, then \\e[9002~', async () => {
      // C-x ( … C-x ) records keys and C-x e plays them back as a macro: not one of the builtin's, so \e[9002~ in it
      // is Enter.
      await attempt(sh, '\x18(rm -rf data\x1b[9002~\x18)', REFUSED);
      // (readline keeps only what came before the line ended: here `r`, which runs as a command of its own.)
      await attempt(sh, '\x18e', /refused|r: command not found/);
      // A continuation line, then accept-line typed by hand: the whole command is checked.
      await attempt(sh, 'true && \\\rrm -rf data\x1b[9002~', /refused by the test gate/);
      await sh.run('set -o vi');
      await attempt(sh, 'rm -rf data\x1b[9002~', REFUSED);
      await attempt(sh, 'rm -rf data\x1b\x1b[9002~', REFUSED);
      await sh.run('set -o emacs');
      await alive(sh);
    });
  });

  describe('known leak, not in the builtin (left to lib.bash)', () => {
    // bash's `read` runs a trap when a signal interrupts it, then reads on from the same descriptor number, which the
    // trap has replaced by a file saying "allow - …". A line the builtin hands to the shell function's own ask (any
    // line that is not plain: `rm -rf ./data`) is read by lib.bash's __agent_guard_answer that way: with the gate
    // holding the line, it ran 3 times out of 3 (and 3/3 in bash without the builtin). The builtin's own hand-over
    // (`rm -rf data`) held 9/9 in the same setting. With the real engine the trap itself is now held (guard.tamper: a
    // trap that reopens descriptors); this gate, which allows every line without rm, still lets it be set, so the
    // read itself stays open to it. Un-skip once lib.bash's read cannot be redirected by a trap.
    it.skip('a trap that replaces the descriptors while the gate holds a line does not turn the hold into an allow', async () => {
      const sh = start();
      await sh.run('exec 10<ok.txt 11<ok.txt 12<ok.txt 13<ok.txt 14<ok.txt 15<ok.txt');
      fake.answer = say('wait held by the test gate; approve in VS Code\n');
      await sh.run("trap 'exec 10<ok.txt 11<ok.txt 12<ok.txt 13<ok.txt 14<ok.txt 15<ok.txt 16<ok.txt 17<ok.txt 18<ok.txt' USR1");
      await sh.run('(sleep 1; kill -USR1 $$) &');
      await attempt(sh, 'rm -rf ./data', /held by the test gate[\s\S]*no answer from Agent Guard in VS Code within 3 s; refused/, { boundS: 3 });
      void sh.close();
    });
  });

  describe('known leaks in bash without the builtin (left to interactive.bash)', () => {
    // Where bash-line.so is not loaded (another system, or a bash that cannot load it), interactive.bash bound \e[9008~
    // to __agent_guard_answered and nothing made __agent_guard_asked read-only: rm -rf data ran with the gate never
    // asked. Now the key is bound only with the builtin, and the variable is read-only and empty without it.
    // \e[9002~ (accept-line, the end of every Enter macro) typed by hand still runs a line unchecked there: the README
    // names it among the limits of bash without the builtin.
    function plain(): ShellSession {
      const g = installShellGate(join(root, 'gate-without-builtin'), SCRIPTS, 'normal', WITHOUT_BASH_LINE);
      writePrefilter(g.dir, 'normal');
      registerGatePort(g.dir, fake.port, TOKEN, 'production', 'hold');
      const env = gatedTerminalEnv({ gate: g, home, port: fake.port, token: TOKEN, tier: 'production', unreachable: 'hold' }, { AGENT_GUARD_ANSWER_S: '2' });
      const sh = startGatedShell('bash', g, env, work);
      shells.push(sh);
      return sh;
    }
    it.skip('accept-line typed by hand after a line does not run it unchecked', async () => {
      const sh = plain();
      await sh.run('true');
      await attempt(sh, 'rm -rf data\x1b[9002~', REFUSED);
      void sh.close();
    });
    it('the connection variable set by a line, then \\e[9008~ typed by hand, does not run the line', async () => {
      const sh = plain();
      await sh.run('n=__agent; n+=_guard_asked; printf -v "$n" %s "10 0"; exec 10<ok.txt');
      // The key is not bound there: its bytes end up on the line, which Enter then checks (the test gate refuses it).
      await attempt(sh, 'rm -rf data\x1b[9008~', /✖ Agent Guard: rm -rf data[\s\S]*refused by the test gate/);
      void sh.close();
    });
  });

  describe("the editor's word lists changed by a line that does not name them", () => {
    const tamper = 'w=r; w+=m; n=__agent; n+=_guard_ask_words; unset "$n[$w]"; n=__agent; n+=_guard_guarded_words; unset "$n[$w]"; m=__agent; m+=_guard_marker; printf -v "$m" %s /';
    it('a plain line: the builtin reads the words from the gate\'s own file, and asks', async function () {
      if (!fake) return this.skip();
      const sh = start();
      await sh.run(tamper);
      fake.asked.length = 0;
      await attempt(sh, 'rm -rf data', REFUSED);
      assert.deepEqual(fake.asked, ['rm -rf data']);
      // A word not in the list still runs unasked, as before.
      assert.match(await sh.run('echo plain words'), /^plain words\r?$/m);
      assert.deepEqual(fake.asked, ['rm -rf data']);
      await alive(sh);
      void sh.close();
    });
    // The shell function's checks (a line that is not plain, and every line in bash without the builtin) still read
    // the shell's arrays: `rm -rf "data"` after the same line ran unasked. Un-skip once lib.bash's lists cannot be
    // changed by a line.
    it.skip('a line that is not plain, checked by the shell function, is still asked about', async () => {
      const sh = start();
      await sh.run(tamper);
      await attempt(sh, 'rm -rf "data"', /refused by the test gate/);
      void sh.close();
    });
  });

  describe('a connection name from before the gate loaded', () => {
    it("is replaced by the builtin's own when the terminal's environment carries it", async function () {
      if (!fake) return this.skip();
      const sh = start({ __agent_guard_asked: '10 0' });
      await sh.run('exec 10<ok.txt');
      assert.match(await declared(sh), /^declare -r __agent_guard_asked=""\r?$/m);
      await attempt(sh, 'rm -rf data\x1b[9008~\x1b[9010~\x1b[9002~', NO_ANSWER);
      await attempt(sh, 'rm -rf data', REFUSED);
      await alive(sh);
      void sh.close();
    });

    it('and when a startup file made it read-only, a name reference or an array', async function () {
      if (!fake) return this.skip();
      const env = gatedTerminalEnv({ gate, home, port: fake.port, token: TOKEN, tier: 'production', unreachable: 'hold' }, { AGENT_GUARD_ANSWER_S: '2' });
      for (const rc of ["declare -r __agent_guard_asked='10 0'", "declare -n __agent_guard_asked=forged; forged='10 0'", "declare -a __agent_guard_asked=('10 0'); readonly __agent_guard_asked"]) {
        const file = join(root, 'rc');
        writeFileSync(file, `${rc}\nPS1='$ '\n`);
        const sh = new ShellSession(['bash', '--rcfile', file, '-i'], { ...env, PS1: '$ ', PROMPT_COMMAND: BASH_PROMPT_HOOK }, work);
        shells.push(sh);
        await sh.run('exec 10<ok.txt');
        assert.match(await declared(sh), /^declare -r __agent_guard_asked=""\r?$/m, rc);
        await attempt(sh, 'rm -rf data\x1b[9008~', NO_ANSWER);
        await alive(sh);
        void sh.close();
      }
    });

    it('and when a line starts a new bash with it in the environment', async function () {
      if (!fake) return this.skip();
      const sh = start();
      await sh.run('env "__agent""_guard_asked=10 0" bash --norc -i');
      const pid = await pidOf(sh);
      await sh.run('exec 10<ok.txt');
      assert.match(await declared(sh), /^declare -r __agent_guard_asked=""\r?$/m);
      await attempt(sh, 'rm -rf data\x1b[9008~\x1b[9002~', NO_ANSWER);
      assert.equal(Number(/pid=(\d+)/.exec(await sh.run('echo pid=$$'))?.[1]), pid, 'still the inner shell');
      await alive(sh);
      void sh.close();
    });
  });

  describe('a gate that answers badly (bound 2 s, approval 3 s)', () => {
    let sh: ShellSession;
    let pid: number;
    before(async function () {
      if (!fake) return this.skip();
      sh = start();
      pid = await pidOf(sh);
    });
    const junk = /the gate answered with something that is not an answer; refused/;
    const held = /held[\s\S]*Agent Guard is not reachable/;
    const cases: [string, () => Answer, RegExp, number][] = [
      ['a refusal split over three packets', () => say('de', 60, 'ny - refused by the te', 60, 'st gate\n'), REFUSED, 2],
      ['"allowx - " (not allow)', () => say('allowx - yes\n'), junk, 2],
      ['" allow - " (a leading blank)', () => say(' allow - yes\n'), junk, 2],
      ['"ALLOW - "', () => say('ALLOW - yes\n'), junk, 2],
      ['"allow-" with no blank', () => say('allow-\n'), junk, 2],
      ['NUL bytes in a refusal', () => say(Buffer.from('deny\0 - refused by the test gate\0\n')), /refused by the test gate/, 2],
      ['a 5000-byte first line of junk', () => say('x'.repeat(5000) + '\n'), junk, 2],
      ['5000 bytes and no end of line', () => say('x'.repeat(5000)), /no answer from Agent Guard in VS Code within 2 s; refused/, 2],
      ['a 5000-byte hold, then silence', () => say(`wait ${'h'.repeat(5000)}\n`), /■ hhhh[\s\S]*no answer from Agent Guard in VS Code within 3 s; refused/, 3],
      ['silence', () => SILENT, /no answer from Agent Guard in VS Code within 2 s; refused/, 2],
      ['a hold, then silence', () => say('wait held by the test gate\n'), /no answer from Agent Guard in VS Code within 3 s; refused/, 3],
      ['a hold, then a refusal a second later', () => say('wait held by the test gate\n', 1000, 'deny - refused by the test gate\n'), REFUSED, 3],
      ['a hold, then a reset', () => (s) => (s.write('wait held by the test gate\n'), setTimeout(() => s.resetAndDestroy(), 200)), held, 3],
      ['a reset at once', () => (s) => s.resetAndDestroy(), held, 2],
      ['a refusal, then a reset at once', () => (s) => (s.write('deny - refused by the test gate\n'), s.resetAndDestroy()), /refused by the test gate|Agent Guard is not reachable/, 2],
      ['a half-close with no answer', () => (s) => s.end(), held, 2],
      ['the first line in 60 ms pieces, then silence', () => say('wa', 60, 'it ', 60, 'held by the test gate', 60, '\n'), /no answer from Agent Guard in VS Code within 3 s; refused/, 3],
    ];
    for (const [what, answer, said, bound] of cases) {
      it(`${what}: nothing runs, it is said, within ${bound} s + 2`, async () => {
        fake.answer = answer();
        const { ms } = await attempt(sh, 'rm -rf data', said, { boundS: bound });
        if (ms > 1000) console.log(`      ${what}: ${(ms / 1000).toFixed(1)} s`);
        await alive(sh);
        // The connection is closed after each answer, whichever side read it.
        assert.equal(sockets(pid), 0, 'no connection left open');
      });
    }
  });

  describe('signals while the builtin waits for a silent gate', () => {
    it('SIGWINCH and SIGCHLD cut the builtin\'s wait short, and the shell function waits out the rest of the bound', async function () {
      if (!fake) return this.skip();
      const sh = start();
      const pid = await pidOf(sh);
      fake.answer = SILENT;
      mkdirSync(join(work, 'data'), { recursive: true });
      const timer = setInterval(() => process.kill(pid, 'SIGWINCH'), 300);
      try {
        await sh.run('sleep 0.5 &');
        const { ms } = await attempt(sh, 'rm -rf data', /no answer from Agent Guard in VS Code within 2 s; refused/, { boundS: 2 });
        console.log(`      resized every 300 ms and a job ending: refused after ${(ms / 1000).toFixed(1)} s`);
      } finally {
        clearInterval(timer);
      }
      await alive(sh);
      void sh.close();
    });

    it('C-c while the builtin waits: nothing runs, the next line runs, no connection is left open', async function () {
      if (!fake) return this.skip();
      const sh = start();
      const pid = await pidOf(sh);
      fake.answer = SILENT;
      mkdirSync(join(work, 'data'), { recursive: true });
      sh.type('rm -rf data\r');
      await sleep(500);
      sh.type('\x03');
      await sleep(2500);
      assert.ok(existsSync(join(work, 'data')), sh.output.slice(-500));
      // The line is given up as C-c gives up any line: the next line typed runs, and no connection is left open.
      await alive(sh);
      assert.equal(sockets(pid), 0, 'no connection left open');
      assert.ok(existsSync(join(work, 'data')));
      void sh.close();
    });
  });

  describe('the working folder, the line and the shell\'s limits', () => {
    it('a working folder with a newline in its name, and one 3000 bytes long: asked about with it, refused', async function () {
      if (!fake) return this.skip();
      const odd = join(work, 'odd\nname');
      mkdirSync(odd, { recursive: true });
      let deep = work;
      while (deep.length < 3000) deep = join(deep, 'd'.repeat(200));
      mkdirSync(deep, { recursive: true });
      for (const cwd of [odd, deep]) {
        const sh = start({}, fake.port, cwd);
        await sh.run('true');
        fake.asked.length = 0;
        await attempt(sh, 'rm -rf data', REFUSED, { dir: cwd });
        assert.deepEqual(fake.asked, ['rm -rf data']);
        await alive(sh);
        void sh.close();
      }
    });

    it('a line of 100 KB of plain words naming rm: asked about whole and refused', async function () {
      if (!fake) return this.skip();
      const sh = start();
      await sh.run('true');
      fake.asked.length = 0;
      const line = `rm -rf data ${'word '.repeat(20000)}`.trimEnd();
      const t0 = Date.now();
      await attempt(sh, line, /refused by the test gate/);
      console.log(`      a ${line.length}-byte line: refused after ${Date.now() - t0} ms`);
      assert.equal(fake.asked.length, 1);
      assert.equal(fake.asked[0].length, line.length, 'the whole line was sent');
      await alive(sh);
      void sh.close();
    });

    for (const limit of [10, 11, 12, 16]) {
      it(`ulimit -n ${limit}: refused (no descriptor, or the gate's refusal), never run`, async function () {
        if (!fake) return this.skip();
        const sh = start();
        await sh.run(`ulimit -n ${limit}`);
        await attempt(sh, 'rm -rf data', /refused/, { boundS: 2 });
        await answers(sh);
        void sh.close();
      });
    }

    it('ulimit -v 60000 (little memory): the line is still asked about and refused', async function () {
      if (!fake) return this.skip();
      const sh = start();
      await sh.run('ulimit -v 60000');
      await attempt(sh, 'rm -rf data', REFUSED, { boundS: 2 });
      await alive(sh);
      void sh.close();
    });

    it('a fake listener: AGENT_GUARD_PORT cannot be pointed at it, and a terminal given its port asks nobody', async function () {
      if (!fake) return this.skip();
      const evil = await fakeGate('allow - ok\n');
      evil.answer = say('allow - evil\n');
      try {
        const sh = start();
        await sh.run(`p=AGENT; p+=_GUARD_PORT; printf -v "$p" %s ${evil.port}; declare -n q=$p; q=${evil.port}`);
        await attempt(sh, 'rm -rf data', REFUSED);
        void sh.close();
        // A terminal whose environment names the unregistered port: the builtin does not ask it; the function holds.
        const other = start({}, evil.port);
        await other.run('true');
        await attempt(other, 'rm -rf data', /held[\s\S]*not this editor window's/);
        await answers(other);
        void other.close();
        assert.deepEqual(evil.asked, [], 'the unregistered listener was never asked');
      } finally {
        closeFakeGate(evil);
      }
    });

    it('the ports file replaced by a FIFO, a directory or a huge file: no hang, held', async function () {
      if (!fake) return this.skip();
      const ports = join(gate.dir, 'ports', String(fake.port));
      const sh = start();
      await sh.run('true');
      try {
        for (const make of ['fifo', 'dir', 'huge'] as const) {
          rmSync(ports, { recursive: true, force: true });
          if (make === 'fifo') assert.equal(spawnSync('mkfifo', [ports]).status, 0);
          if (make === 'dir') mkdirSync(ports);
          if (make === 'huge') writeFileSync(ports, `${TOKEN}x`.repeat(200000));
          await attempt(sh, 'rm -rf data', /held[\s\S]*not this editor window's/, { boundS: 2 });
        }
        await answers(sh);
      } finally {
        rmSync(ports, { recursive: true, force: true });
        registerGatePort(gate.dir, fake.port, TOKEN, 'production', 'hold');
        void sh.close();
      }
    });

    for (const [value, bound] of [
      ['010', 10],
      ['0', 10],
    ] as [string, number][]) {
      it(`AGENT_GUARD_ANSWER_S=${value}: a silent gate is refused within ${bound} s + 2`, async function () {
        if (!fake) return this.skip();
        this.timeout(30000);
        const sh = start({ AGENT_GUARD_ANSWER_S: value });
        await sh.run('true');
        fake.answer = SILENT;
        const { ms } = await attempt(sh, 'rm -rf data', /no answer from Agent Guard in VS Code within \d+ s; refused/, { boundS: bound });
        console.log(`      AGENT_GUARD_ANSWER_S=${value}: refused after ${(ms / 1000).toFixed(1)} s`);
        await alive(sh);
        void sh.close();
      });
    }

    it('AGENT_GUARD_ANSWER_S=99999: a refusal that comes after 2.5 s is waited for and said', async function () {
      if (!fake) return this.skip();
      const sh = start({ AGENT_GUARD_ANSWER_S: '99999' });
      await sh.run('true');
      fake.answer = say(2500, 'deny - refused by the test gate\n');
      await attempt(sh, 'rm -rf data', REFUSED, { boundS: 3 });
      await alive(sh);
      void sh.close();
    });
  });
});

