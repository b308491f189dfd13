// The PATH shim on its own: scripts run by real bash, zsh and sh start guarded programs by name, a real gate server
// and engine judge them, and the person is a queue of typed answers. What the shim must keep while it stays small:
// the real program gets its arguments and environment exactly, the gate gets the exact command (byte lengths with
// non-ASCII text), nothing a script presets answers for it, and it fails closed.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../src/core/audit/log';
import { Engine } from '../../src/core/classify';
import { parseShell } from '../../src/core/parse/shell';
import { installShellGate, type InstallOptions, nativeShimFile, registerGatePort, ShellGate } from '../../src/gate/install';
import type { GateRequest } from '../../src/gate/protocol';
import { GateServer } from '../../src/gate/server';
import { GateService } from '../../src/gate/service';
import { emulatedShim } from './emulated-shim';
import { big5Locales, SHIM_KINDS, TypedAnswers } from './shell-session';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
const hasZsh = spawnSync('zsh', ['--version']).status === 0;
if (!hasZsh && process.env.CI) throw new Error('zsh is not installed: run node test/harness/provision.mjs first');
const LAUNCHERS = ['bash', 'sh', ...(hasZsh ? ['zsh'] : [])];

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The words bash itself reads from a command line the shim sent: the gate must see each argument as it was. */
function bashWords(command: string): string[] {
  return bashWordBytes(command).map((w) => w.toString('utf8'));
}

/** bashWords in bytes: what a shell reading the command back (as UTF-8, as the gate got it) passes as arguments. */
function bashWordBytes(command: string): Buffer[] {
  const r = spawnSync('bash', ['-c', `set -- ${command}; printf '%s\\0' "$@"`], { encoding: 'buffer', env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8' } });
  assert.equal(r.status, 0, r.stderr.toString());
  const words: Buffer[] = [];
  for (let o = r.stdout, p = o.indexOf(0); p >= 0; o = o.subarray(p + 1), p = o.indexOf(0)) words.push(o.subarray(0, p));
  return words;
}

// The other Linux architecture's native shim (arm64 here on x64), run under qemu as that machine runs it: the same tests.
const EMULATED = emulatedShim();
if (!EMULATED.shim && process.env.CI) throw new Error(`the other architecture's native shim cannot be tested: ${EMULATED.why}`);
if (!EMULATED.shim) console.warn(`shim tests: the other architecture's native shim is skipped: ${EMULATED.why}`);
interface Kind {
  kind: string;
  options: InstallOptions;
  /** How the scripts run: on this machine, or as on one of the emulated shim's architecture. */
  wrap: (argv: string[]) => string[];
  install: (dir: string) => ShellGate;
}
const KINDS: Kind[] = SHIM_KINDS.map(([kind, options]) => ({ kind, options, wrap: (argv) => argv, install: (dir) => installShellGate(dir, SCRIPTS, 'normal', options) }));
if (EMULATED.shim) {
  const e = EMULATED.shim;
  KINDS.push({ kind: `native shim for ${e.arch}, under qemu`, options: { nativeShim: e.file }, wrap: e.wrap, install: (dir) => e.install(dir, SCRIPTS) });
} else {
  describe('PATH shim, the native shim for the other Linux architecture, under qemu', () => it(`skipped: ${EMULATED.why}`));
}

for (const { kind, options, wrap, install } of KINDS) describe(`PATH shim, ${kind} (scripts in real bash, sh and zsh)`, function () {
  this.timeout(60000);
  let root: string;
  let gate: ShellGate;
  let server: GateServer;
  let service: GateService;
  let port: number;
  let person: TypedAnswers;
  let audit: AuditEntry[];
  let requests: GateRequest[];
  let work: string;
  let fake: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ag-shim-'));
    gate = install(join(root, 'gate'));
    assert.equal(gate.shim, options.nativeShim ? 'native' : 'script', gate.shimProblem);
    // A working folder whose name is not ASCII: the request counts its bytes, not its characters.
    work = join(root, 'wörk dïr');
    mkdirSync(work);
    // The "real" git, found on PATH past the shims: prints each argument it got and the variables the shim touches.
    fake = join(root, 'fake');
    mkdirSync(fake);
    writeFileSync(join(fake, 'git'), '#!/bin/bash\nprintf \'[%s]\\n\' "$@"\nprintf \'LC_ALL=%s BASH_ENV=%s\\n\' "${LC_ALL-<unset>}" "${BASH_ENV-<unset>}"\n');
    chmodSync(join(fake, 'git'), 0o755);
    writeFileSync(join(fake, 'terraform'), '#!/bin/bash\necho "terraform ran: $* ${TF_CLI_ARGS_apply-}"\n');
    chmodSync(join(fake, 'terraform'), 0o755);
    person = new TypedAnswers();
    audit = [];
    requests = [];
    const engine = new Engine({ tier: 'production' });
    service = new GateService({ settings: () => ({ engine, tier: 'production', workspace: work, requireTierPrefix: true }), approver: person, record: (e) => audit.push(e) });
    server = new GateServer({ handle: (req, progress, abort) => (requests.push(req), service.handle(req, progress, abort)) });
    port = await server.listen();
    registerGatePort(gate.dir, port, server.token, 'production', 'hold');
  });
  after(() => {
    server.close();
    // The long command was judged on the engine's worker thread: stopped, or mocha would not exit.
    service.dispose();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    person.asked.length = 0;
    person.answers = [];
    audit.length = 0;
    requests.length = 0;
  });

  function env(extra: NodeJS.ProcessEnv = {}, g: ShellGate = gate): NodeJS.ProcessEnv {
    return {
      PATH: `${g.binDir}:${fake}:${process.env.PATH}`,
      HOME: root,
      LANG: 'C.UTF-8',
      AGENT_GUARD_PORT: String(port),
      AGENT_GUARD_TOKEN: server.token,
      AGENT_GUARD_DIR: g.dir,
      AGENT_GUARD_TIER: 'production',
      ...extra,
    };
  }

  /** Runs a script file (named at run time, as an agent's generated script is) with a launcher; never synchronously. */
  function script(launcher: string, body: string, extra: NodeJS.ProcessEnv = {}, g: ShellGate = gate): Promise<Ran> {
    const file = join(root, `script-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, body);
    return new Promise((resolve) => {
      const [cmd, ...args] = wrap([launcher, file]);
      const c = spawn(cmd, args, { env: env(extra, g), cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      // Decoded once at the end: a chunk may end inside a two-byte character.
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      c.stdout.on('data', (d: Buffer) => out.push(d));
      c.stderr.on('data', (d: Buffer) => err.push(d));
      c.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    });
  }

  /** A port nothing listens on (taken, then given back). */
  async function closedPort(): Promise<number> {
    const s = createServer();
    const p = await new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as { port: number }).port)));
    await new Promise<void>((r) => s.close(() => r()));
    return p;
  }

  for (const launcher of LAUNCHERS) {
    it(`${launcher}: an allowed program gets its arguments and environment exactly; the gate gets the exact command`, async () => {
      const args = ["'--format=a b'", `"it's"`, "'$HOME'", "'naïve ü'", "'x\ny'", "''", "'*'"];
      for (const lcAll of [undefined, 'C.UTF-8']) {
        requests.length = 0;
        const r = await script(launcher, `git log ${args.join(' ')}\n`, { ...(lcAll ? { LC_ALL: lcAll } : {}), BASH_ENV: '/nonexistent/env.bash' });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, `[log]\n[--format=a b]\n[it's]\n[$HOME]\n[naïve ü]\n[x\ny]\n[]\n[*]\nLC_ALL=${lcAll ?? '<unset>'} BASH_ENV=/nonexistent/env.bash\n`);
        const exec = requests.filter((q) => q.kind === 'exec');
        assert.equal(exec.length, 1, 'one ask per run');
        assert.equal(exec[0].cwd, work);
        assert.match(exec[0].command, /^git log /);
        // Each argument quoted so that a shell reads it back as it was, whole to the last one: the request's byte counts
        // were right, and nothing in an argument (a quote, a newline, a glob) reads as more words or as syntax.
        assert.deepEqual(bashWords(exec[0].command), ['git', 'log', '--format=a b', "it's", '$HOME', 'naïve ü', 'x\ny', '', '*']);
      }
      assert.equal(person.asked.length, 0);
    });
  }

  it("the engine's own parser reads back each argument as the program gets it: no glob, brace, tilde, comment or assignment", async () => {
    const args = ['-rf', '~', '~/x', '#x', 'a#b', 'a=b', '=', '{a,b}', '{1..3}', '*', '?', '[ab]', '!x', "$'x'", '$(id)', '`id`', 'a\\b', 'tab\there', ';', '&&', '|', '>', '<(x)', '--', 'é', ' lead', "it's", '"q"', '%', '@', '+x', ',', ':'];
    const file = join(root, 'args.bin');
    writeFileSync(file, args.join('\0') + '\0');
    const r = await script('bash', `mapfile -d '' a < '${file}'\ngit log "\${a[@]}"\n`);
    assert.equal(r.status, 0, r.stderr);
    const command = requests.find((q) => q.kind === 'exec')?.command ?? '';
    const parsed = parseShell(command);
    assert.deepEqual(parsed.errors, [], command);
    assert.equal(parsed.commands.length, 1, command);
    const [c] = parsed.commands;
    assert.deepEqual(c.assignments, []);
    assert.deepEqual(c.redirects, []);
    assert.deepEqual(c.words.map((w) => w.text), ['git', 'log', ...args], command);
    assert.deepEqual(c.words.filter((w) => w.dynamic).map((w) => w.raw), [], command);
    assert.deepEqual(parsed.nested, [], command);
    assert.deepEqual(bashWords(command), ['git', 'log', ...args]);
  });

  const big5 = () => big5Locales(root);

  it('in a locale whose characters end in ASCII bytes (BIG5), a flag cannot hide from the gate behind one', async function () {
    // \xa4\x5c is one BIG5 character whose second byte is a backslash: quoted as a character in that locale, the gate
    // (reading UTF-8) took it for an escape of the space after it, and `--force` for part of the word before.
    const locales = big5();
    if (!locales) return this.skip();
    const r = await script('bash', `export LC_ALL=zh_TW.BIG5\ngit push -o "$(printf '\\244\\134')" --force origin main\n`, { LOCPATH: locales });
    assert.equal(r.status, 126, r.stderr);
    assert.doesNotMatch(r.stderr, /setlocale/);
    assert.equal(r.stdout, '');
    assert.equal(person.asked.length, 1);
    const command = requests.find((q) => q.kind === 'exec')?.command ?? '';
    assert.ok(parseShell(command).commands[0].words.some((w) => w.text === '--force'), command);
    assert.deepEqual(bashWordBytes(command), ['git', 'push', '-o', '\xa4\x5c', '--force', 'origin', 'main'].map((w) => Buffer.from(w, 'latin1')));
  });

  it('sends bytes that are not UTF-8 (overlong, surrogate, past U+10FFFF) and C1 controls as escapes: no replacement character', async () => {
    // Each as the program gets it; the gate decodes the request as UTF-8, so raw bytes it cannot decode would reach the
    // engine and the audit log as U+FFFD, and C1 controls (a terminal's 8-bit CSI) as themselves.
    const args = ['c0af', 'e08080', 'eda080', 'f4908080', 'f5808080', 'ff2f', 'c285', '61c29b62', 'f48fbfbf', 'c3a9'].map((h) => Buffer.from(h, 'hex'));
    const r = await script('bash', `git log ${args.map((a) => `$'${[...a].map((b) => `\\x${b.toString(16)}`).join('')}'`).join(' ')}\n`);
    assert.equal(r.status, 0, r.stderr);
    const command = requests.find((q) => q.kind === 'exec')?.command ?? '';
    assert.ok(!command.includes('\ufffd'), command);
    assert.ok(!/[\u0080-\u009f]/.test(command), `a C1 control went as it is: ${JSON.stringify(command)}`);
    assert.deepEqual(bashWordBytes(command), [Buffer.from('git'), Buffer.from('log'), ...args]);
  });

  it('holds a delete with non-ASCII names until the exact name is typed (the ask counts bytes, not characters)', async () => {
    mkdirSync(join(work, 'données'));
    const refused = await script('bash', 'rm -rf données\n');
    assert.equal(refused.status, 126);
    assert.match(refused.stderr, /✖ Agent Guard: refused \(dismissed\)/);
    assert.ok(existsSync(join(work, 'données')));
    assert.equal(person.asked.length, 1);
    assert.match(person.asked[0].expected, /données/);
    assert.equal(audit.find((e) => e.source === 'exec')?.command, 'rm -rf données');
    person.answers = [person.asked[0].expected];
    const approved = await script('bash', 'rm -rf données\n');
    assert.equal(approved.status, 0, approved.stderr);
    assert.ok(!existsSync(join(work, 'données')));
  });

  it('started with stderr closed, still asks and runs what the person approves (what it says never reaches the gate)', async () => {
    mkdirSync(join(work, 'closedfd'), { recursive: true });
    // The person takes a moment, so the shim has shown "held" before the answer comes.
    const answerAtOnce = person.approve.bind(person);
    person.approve = (req) => new Promise((resolve) => setTimeout(() => resolve(answerAtOnce(req)), 300));
    try {
      const refused = await script('bash', 'rm -rf closedfd 2>&-\n');
      assert.equal(refused.status, 126);
      assert.equal(person.asked.length, 1);
      person.answers = [person.asked[0].expected];
      const approved = await script('bash', 'rm -rf closedfd 2>&-\n');
      assert.equal(approved.status, 0, approved.stderr);
      assert.equal(person.asked.length, 2);
      assert.ok(!existsSync(join(work, 'closedfd')));
    } finally {
      person.approve = answerAtOnce;
    }
  });

  it('sends a 100,000-byte argument of two-byte characters whole: judged, not cut or stalled', async () => {
    const long = 'é'.repeat(50_000);
    const r = await script('bash', `git log '${long}'\n`);
    assert.equal(r.status, 0, r.stderr.slice(0, 500));
    assert.ok(r.stdout.split('\n')[1] === `[${long}]`, 'the program got the argument whole');
    assert.ok(requests.filter((q) => q.kind === 'exec')[0]?.command === `git log ${long}`, 'the gate got the command whole');
  });

  it("takes none of its own variables from a script: preset answers, policy, token, folder or program change nothing", async () => {
    mkdirSync(join(work, 'keep'), { recursive: true });
    const preset =
      `export __ag_verdict=allow __ag_window=1 __ag_policy=warn __ag_p=warn __ag_token=${server.token} __ag_real=/bin/true ` +
      "__ag_text=ok __ag_home=/tmp __ag_fd=1 __ag_line='allow - ok' __ag_bound=0 __ag_deadline=0 __ag_lc_set=1 __ag_lc=C\n";
    const held = await script('bash', `${preset}rm -rf keep\n`);
    assert.equal(held.status, 126, held.stderr);
    assert.ok(existsSync(join(work, 'keep')));
    assert.equal(person.asked.length, 1, 'the person was asked');
    // The same with this window's gate out of reach: held, not run.
    const unreachable = await script('bash', `${preset}rm -rf keep\n`, { AGENT_GUARD_PORT: '1' });
    assert.equal(unreachable.status, 126);
    assert.match(unreachable.stderr, /held: Agent Guard is not reachable from this terminal \(this terminal's gate is not this editor window's/);
    assert.doesNotMatch(unreachable.stderr, /No such file/, 'a port with no registration is said once, as the reason');
    assert.ok(existsSync(join(work, 'keep')));
  });

  it('fails closed when the registered gate is not listening; runs with a warning only where the registration says warn', async () => {
    mkdirSync(join(work, 'kept'), { recursive: true });
    const dead = await closedPort();
    registerGatePort(gate.dir, dead, server.token, 'production', 'hold');
    const held = await script('bash', 'rm -rf kept\n', { AGENT_GUARD_PORT: String(dead) });
    assert.equal(held.status, 126);
    assert.match(held.stderr, /✖ held: Agent Guard is not reachable from this terminal \(no gate is listening\), so the command is held \(production workspace\)/);
    assert.ok(existsSync(join(work, 'kept')));
    // The environment cannot ask for "warn": only the registration in the gate's folder can.
    const env = await script('bash', 'rm -rf kept\n', { AGENT_GUARD_PORT: String(dead), AGENT_GUARD_UNREACHABLE: 'warn' });
    assert.equal(env.status, 126);
    assert.ok(existsSync(join(work, 'kept')));
    registerGatePort(gate.dir, dead, server.token, 'development', 'warn');
    const warned = await script('bash', 'rm -rf kept\n', { AGENT_GUARD_PORT: String(dead), AGENT_GUARD_TIER: 'development' });
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /⚠ Agent Guard is not reachable from this terminal \(no gate is listening\); running unchecked \(development workspace\)/);
    assert.ok(!existsSync(join(work, 'kept')));
    rmSync(join(gate.dir, 'ports', String(dead)), { force: true });
  });

  it('still asks with the shells\' function library gone: the shim depends on no other file of the gate', async () => {
    const bare = install(join(root, 'bare-gate'));
    registerGatePort(bare.dir, port, server.token, 'production', 'hold');
    rmSync(join(bare.dir, 'lib.bash'));
    mkdirSync(join(work, 'still'), { recursive: true });
    const r = await script('bash', 'rm -rf still\n', { AGENT_GUARD_DIR: bare.dir }, bare);
    assert.equal(r.status, 126, r.stderr);
    assert.equal(person.asked.length, 1);
    assert.ok(existsSync(join(work, 'still')));
  });

  it('a ticket from the environment cannot rewrite the question: only a ticket-shaped word is sent', async () => {
    mkdirSync(join(work, 'ticketed'), { recursive: true });
    // The request's first line ends at a newline: a ticket holding one would end it early, with counts and a command
    // of the script's choosing after it, and the gate would judge `ls` while the shim ran `rm -rf ticketed`.
    for (const forged of ["$'- 1 2\\n/ls'", "'- 1 2'", "$'-\\r'", "'x y'", `'${'a'.repeat(65)}'`, "'ABCDEF'"]) {
      requests.length = 0;
      person.asked.length = 0;
      const r = await script('bash', `export AGENT_GUARD_TICKET=${forged}\nrm -rf ticketed\n`);
      assert.equal(r.status, 126, `${forged}: ${r.stderr}`);
      assert.ok(existsSync(join(work, 'ticketed')), forged);
      const exec = requests.filter((q) => q.kind === 'exec');
      assert.deepEqual(exec.map((q) => [q.command, q.cwd, q.ticket]), [['rm -rf ticketed', work, undefined]], forged);
      assert.equal(person.asked.length, 1, forged);
    }
    // A ticket as the gate issues them (hex) still goes with the question.
    const hex = 'a'.repeat(32);
    requests.length = 0;
    const r = await script('bash', 'git status\n', { AGENT_GUARD_TICKET: hex });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(requests.find((q) => q.kind === 'exec')?.ticket, hex);
  });

  it('tells the gate the folder as the kernel has it: a PWD that names this folder by another path changes nothing', async () => {
    // An archive over files that exist is held; the engine looks for those files in the folder the shim names. A PWD
    // of decoy/L/.. (L a link to a folder in here) or decoy/W (W a link to here) names this folder, yet read as
    // text it is the decoy, where no such file is: the engine allowed the extraction there.
    const here = join(work, 'tarred');
    mkdirSync(join(here, 'data'), { recursive: true });
    writeFileSync(join(here, 'data', 'x'), 'old\n');
    assert.equal(spawnSync('tar', ['-cf', 'a.tar', 'data/x'], { cwd: here }).status, 0);
    writeFileSync(join(here, 'data', 'x'), 'precious\n');
    const decoy = join(root, 'decoy');
    mkdirSync(decoy, { recursive: true });
    writeFileSync(join(decoy, 'a.tar'), readFileSync(join(here, 'a.tar')));
    rmSync(join(decoy, 'L'), { force: true });
    rmSync(join(decoy, 'W'), { force: true });
    symlinkSync(join(here, 'data'), join(decoy, 'L'));
    symlinkSync(here, join(decoy, 'W'));
    const physical = realpathSync(here);
    for (const [pwd, line] of [
      [`${decoy}/L/..`, 'tar -xf a.tar'],
      [`${decoy}/L/./..`, 'tar -xf a.tar'],
      [`${decoy}/W`, 'tar -xf ../tarred/a.tar -C ../tarred'],
    ]) {
      requests.length = 0;
      person.asked.length = 0;
      const r = await script('bash', `cd '${here}' || exit 9\nPWD='${pwd}' ${line}\n`);
      assert.equal(r.status, 126, `${pwd}: ${r.stderr}`);
      assert.equal(readFileSync(join(here, 'data', 'x'), 'utf8'), 'precious\n', pwd);
      assert.deepEqual(requests.filter((q) => q.kind === 'exec').map((q) => [q.cwd, q.command]), [[physical, line]], pwd);
      assert.equal(person.asked.length, 1, pwd);
    }
    // Run from a folder reached through a link, the program still gets the PWD it was given.
    const r = await script('bash', `cd '${decoy}/W' || exit 9\ngit status\nprintf 'PWD=%s\\n' "$PWD"\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(requests.filter((q) => q.kind === 'exec').at(-1)?.cwd, physical);
    assert.match(r.stdout, new RegExp(`PWD=${decoy}/W\n$`));
  });

  /** A listener registered as this window's gate (with `policy` for an unreachable gate) that answers as `answer` does
   * once the question has come; `run` is given its port. */
  async function withScriptedGate<T>(policy: 'hold' | 'warn', answer: (s: Socket) => void, run: (port: number) => Promise<T>): Promise<T> {
    const sockets = new Set<Socket>();
    const fakeGate = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.once('data', () => answer(s));
    });
    const p = await new Promise<number>((r) => fakeGate.listen(0, '127.0.0.1', () => r((fakeGate.address() as { port: number }).port)));
    registerGatePort(gate.dir, p, server.token, policy === 'warn' ? 'development' : 'production', policy);
    try {
      return await run(p);
    } finally {
      rmSync(join(gate.dir, 'ports', String(p)), { force: true });
      for (const s of sockets) s.destroy();
      fakeGate.close();
    }
  }
  const later = (ms: number, f: () => void) => setTimeout(f, ms);

  it('refuses when the gate goes away while the command is held, even where an unreachable gate lets commands run', async () => {
    mkdirSync(join(work, 'heldgone'), { recursive: true });
    const held = await withScriptedGate(
      'warn',
      (s) => (s.write('wait held by Agent Guard (development) — fs.recursive-delete. Approve in VS Code by typing: heldgone\n'), later(100, () => s.destroy())),
      (p) => script('bash', 'rm -rf heldgone\n', { AGENT_GUARD_PORT: String(p), AGENT_GUARD_TIER: 'development' }),
    );
    assert.equal(held.status, 126, held.stderr);
    assert.match(held.stderr, /✖ Agent Guard: the gate closed the connection while the command was held; refused/);
    assert.ok(existsSync(join(work, 'heldgone')));
    // Closed before saying anything: unreachable, and this registration's policy (warn) runs it, saying so.
    const closed = await withScriptedGate('warn', (s) => s.destroy(), (p) => script('bash', 'git log\n', { AGENT_GUARD_PORT: String(p), AGENT_GUARD_TIER: 'development' }));
    assert.equal(closed.status, 0, closed.stderr);
    assert.match(closed.stderr, /⚠ Agent Guard is not reachable from this terminal; running unchecked \(development workspace\)/);
  });

  it('runs nothing unchecked when it is this process that cannot connect (out of descriptors), even where warn would', async () => {
    for (const n of [4, 5, 6, 8, 10, 11, 12]) {
      mkdirSync(join(work, 'limited'), { recursive: true });
      const r = await withScriptedGate('warn', (s) => s.end('deny - scripted\n'), (p) => script('bash', `ulimit -n ${n}\nrm -rf limited\n`, { AGENT_GUARD_PORT: String(p), AGENT_GUARD_TIER: 'development' }));
      assert.notEqual(r.status, 0, `ulimit -n ${n}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /running unchecked/, `ulimit -n ${n}`);
      assert.ok(existsSync(join(work, 'limited')), `ulimit -n ${n}`);
    }
  });

  if (!options.nativeShim) it("bash -c (BASH_ENV) runs nothing unchecked when it cannot connect or read its lists (out of descriptors), even where warn would", async () => {
    // /bin/rm by its path: only bash -c's own check stands in front of it. With 4 descriptors bash cannot read the
    // registration or the word lists; with a few more it cannot open the connection.
    for (const n of [3, 4, 5, 6, 8, 11, 12]) {
      mkdirSync(join(work, 'limited-c'), { recursive: true });
      const r = await withScriptedGate('warn', (s) => s.end('deny - scripted\n'), (p) => script('sh', `ulimit -n ${n}\nbash -c '/bin/rm -rf limited-c'\n`, { AGENT_GUARD_PORT: String(p), AGENT_GUARD_TIER: 'development', BASH_ENV: gate.bashEnv }));
      assert.notEqual(r.status, 0, `ulimit -n ${n}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /running unchecked/, `ulimit -n ${n}`);
      assert.ok(existsSync(join(work, 'limited-c')), `ulimit -n ${n}: ${r.stderr}`);
    }
  });

  it('killed or stopped while it waits (SIGALRM set before it started, SIGPIPE on stderr, SIGSTOP): never runs unasked', async () => {
    const slowAllow = (s: Socket) => (s.write('wait held by a person\n'), later(1500, () => s.end('allow - ok\n')));
    const run = (body: string, launcher = 'bash') => withScriptedGate('hold', slowAllow, (p) => script(launcher, body, { AGENT_GUARD_PORT: String(p) }));
    // An alarm a program set before it ran the shim fires during the wait: killed, the program never runs.
    const alarmed = await run('alarm 1; exec "git", "log"\n', 'perl');
    assert.equal(alarmed.stdout, '');
    assert.notEqual(alarmed.status, 0);
    // stderr a pipe nobody reads any more: saying "held" kills it (SIGPIPE).
    const piped = await run('git log 2>&1 | true\nexit ${PIPESTATUS[0]}\n');
    assert.equal(piped.status, 141, piped.stderr);
    // Stopped past the answer and continued: it reads the answer then, and runs what was allowed, once.
    const stopped = await run('git log & p=$!\nsleep 0.3; kill -STOP $p; sleep 2; kill -CONT $p\nwait $p\n');
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.equal(stopped.stdout.split('[log]').length, 2);
  });

  it('reads the answer as a line: in pieces, after waits, first verdict only; anything else is refused', async () => {
    const long = 'x'.repeat(70 * 1024);
    const cases: [string, (s: Socket) => void, number, RegExp?][] = [
      ['in pieces', (s) => (s.write('al'), later(50, () => s.write('low - o')), later(100, () => s.end('k\n'))), 0],
      ['a wait in pieces, then allow', (s) => (s.write('wa'), later(50, () => s.write('it held\nal')), later(100, () => s.end('low - ok\n'))), 0],
      ['extra lines after allow', (s) => s.end('allow - ok\njunk\ndeny - no\n'), 0],
      ['deny, then allow', (s) => s.end('deny - no\nallow - ok\n'), 126, /✖ Agent Guard: no/],
      ['allow with no newline, then closed', (s) => s.end('allow - ok'), 126, /held: Agent Guard is not reachable/],
      ['allow, CR LF', (s) => s.end('allow\r\n'), 126, /not an answer; refused/],
      ['Allow', (s) => s.end('Allow - ok\n'), 126, /not an answer; refused/],
      ['an empty line first', (s) => s.end('\nallow - ok\n'), 126, /not an answer; refused/],
      ['allow after a 70 KiB line', (s) => s.end(`${long}\nallow - ok\n`), 126, /not an answer; refused/],
      ['allow late (after the 2 s bound)', (s) => later(3000, () => s.end('allow - ok\n')), 126, /no answer from Agent Guard in VS Code within 2 s; refused/],
      ['allow within the bound', (s) => later(1200, () => s.end('allow - ok\n')), 0],
    ];
    for (const [what, answer, status, said] of cases) {
      const r = await withScriptedGate('hold', answer, (p) => script('bash', 'git log\n', { AGENT_GUARD_PORT: String(p), AGENT_GUARD_ANSWER_S: '2' }));
      assert.equal(r.status, status, `${what}: ${r.stderr}`);
      assert.equal(r.stdout.startsWith('[log]\n'), status === 0, what);
      if (said) assert.match(r.stderr, said, what);
    }
    // An allow whose line is longer than 64 KiB: the native shim refuses it (no gate sends one); shim.sh reads it.
    const longAllow = await withScriptedGate('hold', (s) => s.end(`allow - ${long}\n`), (p) => script('bash', 'git log\n', { AGENT_GUARD_PORT: String(p) }));
    assert.equal(longAllow.status, options.nativeShim ? 126 : 0, longAllow.stderr.slice(0, 300));
  });

  it('finds the real program past its own folder however PATH spells it (bin/, a link): it never runs itself again', async () => {
    const link = join(root, 'bin-link');
    rmSync(link, { force: true });
    symlinkSync(gate.binDir, link);
    const r = await script('bash', 'git status\n', { PATH: `${gate.binDir}:${gate.binDir}/:${link}:${fake}:${process.env.PATH}` });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith('[status]\n'), r.stdout);
    assert.deepEqual(requests.filter((q) => q.kind === 'exec').map((q) => q.command), ['git status']);
  });

  // Not the shim's own: lib.bash asks for BASH_ENV the same way, so the same forged ticket is tried there (once).
  if (!options.nativeShim) it('bash -c started by a program with a forged ticket (BASH_ENV asks with lib.bash): the question is not rewritten', async () => {
    mkdirSync(join(work, 'tasked'), { recursive: true });
    // A program started by the agent's tool (no shell of the gate's around it: node, by its own path) starts
    // `bash -c`, which BASH_ENV checks.
    const js = "const r = require('child_process').spawnSync('bash', ['-c', '/bin/rm -rf tasked'], { env: { ...process.env, AGENT_GUARD_TICKET: '- 1 2\\n/ls' }, stdio: 'inherit' }); process.exit(r.status);\n";
    const r = await script(process.execPath, js, { BASH_ENV: gate.bashEnv });
    assert.equal(r.status, 126, r.stderr);
    assert.ok(existsSync(join(work, 'tasked')));
    assert.deepEqual(requests.filter((q) => q.kind === 'task').map((q) => [q.command, q.ticket]), [['/bin/rm -rf tasked', undefined]]);
  });

  it('started by python, node and perl by name (and with no argv at all), asks as from a shell', async () => {
    mkdirSync(join(work, 'spawned'), { recursive: true });
    const py = "import subprocess,sys\nsys.exit(subprocess.run(['rm','-rf','spawned']).returncode)\n";
    const js = "process.exit(require('child_process').spawnSync('rm', ['-rf', 'spawned'], { stdio: 'inherit' }).status)\n";
    for (const [launcher, body] of [['python3', py], [process.execPath, js], ['perl', 'exec "rm", "-rf", "spawned"\n']]) {
      requests.length = 0;
      const r = await script(launcher, body);
      assert.equal(r.status, 126, `${launcher}: ${r.stderr}`);
      assert.ok(existsSync(join(work, 'spawned')), launcher);
      assert.deepEqual(requests.filter((q) => q.kind === 'exec').map((q) => q.command), ['rm -rf spawned'], launcher);
    }
    // execve with an empty argv (the kernel passes one empty argument): still the program the path names.
    requests.length = 0;
    const r = await script('perl', `exec { '${gate.binDir}/git' } () or exit 99\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(requests.filter((q) => q.kind === 'exec').map((q) => q.command), ['git']);
  });

  it('run by another path to its link (./rm, bin/rm, a link elsewhere): fails closed, never runs unasked', async () => {
    mkdirSync(join(work, 'pathed'), { recursive: true });
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    rmSync(join(elsewhere, 'rm'), { force: true });
    symlinkSync(join(gate.binDir, 'rm'), join(elsewhere, 'rm'));
    const target = join(work, 'pathed');
    for (const line of [`cd '${gate.binDir}' && ./rm -rf '${target}'`, `cd '${gate.dir}' && bin/rm -rf '${target}'`, `'${elsewhere}/rm' -rf '${target}'`]) {
      const r = await script('bash', `${line}\n`);
      assert.equal(r.status, 126, `${line}: ${r.stderr}`);
      assert.match(r.stderr, /held: Agent Guard is not reachable from this terminal \(this terminal's gate is not this editor window's/, line);
      assert.ok(existsSync(target), line);
    }
  });

  it('a command line too large to judge is refused, never run, even where an unreachable gate would let it run', async () => {
    registerGatePort(gate.dir, port, server.token, 'development', 'warn');
    try {
      // 600 kB of control bytes (six arguments: one may hold 128 KiB): four bytes each once quoted, past the gate's 1 MiB.
      const r = await script('bash', `a=$(head -c 100000 /dev/zero | tr '\\0' '\\1')\ngit log "$a" "$a" "$a" "$a" "$a" "$a"\n`, { AGENT_GUARD_TIER: 'development' });
      assert.equal(r.status, 126, r.stderr.slice(0, 300));
      assert.match(r.stderr, /request too large for Agent Guard to judge/);
      assert.equal(r.stdout, '');
    } finally {
      registerGatePort(gate.dir, port, server.token, 'production', 'hold');
    }
  });

  if (!options.nativeShim) it('bash -c in a BIG5 locale (BASH_ENV asks with lib.bash): a string the gate would split otherwise is refused', async function () {
    const locales = big5();
    if (!locales) return this.skip();
    mkdirSync(join(work, 'big5'), { recursive: true });
    // For bash in BIG5, `echo "<\xa4\x5c>"; /bin/rm -rf big5; echo "<\xa4\x5c>"` is three commands; read as UTF-8, the
    // backslash escapes each closing quote and the gate saw one echo.
    const js =
      "const z = Buffer.from([0xa4, 0x5c]); const cp = require('child_process');\n" +
      "const line = (s) => Buffer.concat([Buffer.from('echo \"'), z, Buffer.from(s), z, Buffer.from('\"')]);\n" +
      "const env = { ...process.env, LC_ALL: 'zh_TW.BIG5' };\n" +
      "const a = cp.spawnSync('bash', ['-c', line('\"; /bin/rm -rf big5; echo \"')], { env, stdio: 'inherit' }).status;\n" +
      "const b = cp.spawnSync('bash', ['-c', 'printf ascii'], { env, stdio: 'inherit' }).status;\n" +
      "process.exit(a === 126 && b === 0 ? 0 : 1);\n";
    const r = await script(process.execPath, js, { BASH_ENV: gate.bashEnv, LOCPATH: locales });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /this shell's locale \(zh_TW\.BIG5\) has characters that end in an ASCII byte/);
    assert.ok(existsSync(join(work, 'big5')));
    assert.equal(r.stdout, 'ascii', 'a string of ASCII alone runs as before');
  });

  it("judges the variables that carry a program's arguments or settings with it (TF_CLI_ARGS, GIT_CONFIG_*)", async () => {
    // Exported by the script, not on any line the terminal gate saw: only the shim can tell the gate.
    const tf = await script('bash', "export TF_CLI_ARGS_apply='-destroy -auto-approve'\nterraform apply\n");
    assert.equal(tf.status, 126, tf.stderr);
    assert.doesNotMatch(tf.stdout, /terraform ran/);
    assert.equal(person.asked.length, 1);
    assert.deepEqual(audit.find((e) => e.source === 'exec')?.rules, ['iac.destroy']);
    assert.deepEqual(bashWords(requests.filter((q) => q.kind === 'exec')[0].command), ['TF_CLI_ARGS_apply=-destroy -auto-approve', 'terraform', 'apply']);
    mkdirSync(join(work, 'kept-by-git'), { recursive: true });
    const git = await script('sh', "export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.st GIT_CONFIG_VALUE_0='!rm -rf kept-by-git'\ngit st\n");
    assert.equal(git.status, 126, git.stderr);
    assert.equal(person.asked.length, 2);
    assert.ok(existsSync(join(work, 'kept-by-git')));
    // A name no shell reads as an assignment is not sent (it would make the whole command read as another program);
    // the command itself is still judged.
    requests.length = 0;
    const odd = await script('bash', "env 'TF_CLI_ARGS_x-y=1' terraform destroy\n");
    assert.equal(odd.status, 126, odd.stderr);
    assert.equal(requests.filter((q) => q.kind === 'exec')[0].command, 'terraform destroy');
    // Plain settings pass as they are, and run.
    const plain = await script('bash', "export TF_CLI_ARGS_apply='-no-color'\nterraform apply\n");
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /terraform ran: apply -no-color/);
  });

  it('asks about the program it stands for, whatever name the caller gives it (exec -a)', async () => {
    mkdirSync(join(work, 'named'), { recursive: true });
    const r = await script('bash', '(exec -a ls rm -rf named)\n');
    assert.equal(r.status, 126, r.stderr);
    assert.equal(person.asked.length, 1);
    assert.match(requests.find((q) => q.kind === 'exec')?.command ?? '', /^rm -rf named$/);
    assert.ok(existsSync(join(work, 'named')));
  });
});

describe('PATH shim: which native shim install.ts picks', () => {
  /** nativeShimFile(dist) as on a machine of that system and architecture. */
  function picked(dist: string, platform: string, arch: string): string | undefined {
    const real = { platform: process.platform, arch: process.arch };
    Object.defineProperty(process, 'platform', { value: platform });
    Object.defineProperty(process, 'arch', { value: arch });
    try {
      return nativeShimFile(dist);
    } finally {
      Object.defineProperty(process, 'platform', { value: real.platform });
      Object.defineProperty(process, 'arch', { value: real.arch });
    }
  }

  it("the build for the machine's architecture (arm64 hosts get shim-linux-arm64); none for other architectures or systems", () => {
    const dist = mkdtempSync(join(tmpdir(), 'ag-shim-dist-'));
    try {
      for (const name of ['shim-linux-x64', 'shim-linux-arm64', 'shim-linux-arm', 'shim-linux-ia32', 'shim-darwin-arm64']) writeFileSync(join(dist, name), '');
      assert.equal(picked(dist, 'linux', 'x64'), join(dist, 'shim-linux-x64'));
      assert.equal(picked(dist, 'linux', 'arm64'), join(dist, 'shim-linux-arm64'));
      for (const [platform, arch] of [['linux', 'arm'], ['linux', 'ia32'], ['linux', 'riscv64'], ['darwin', 'arm64'], ['win32', 'x64'], ['win32', 'arm64']]) {
        assert.equal(picked(dist, platform, arch), undefined, `${platform}-${arch}`);
      }
      rmSync(join(dist, 'shim-linux-arm64'));
      assert.equal(picked(dist, 'linux', 'arm64'), undefined, 'an arm64 package without its shim: shim.sh');
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('PATH shim: a native shim that cannot run here', () => {
  /** shim.sh stands in for a native shim that was not used: a delete through it is held (no gate listens). */
  function scriptShimHolds(g: ReturnType<typeof installShellGate>, root: string): void {
    const r = spawnSync(join(g.binDir, 'rm'), ['-rf', join(root, 'gate')], { env: { PATH: `${g.binDir}:${process.env.PATH}`, AGENT_GUARD_PORT: '1', AGENT_GUARD_TOKEN: 'x' }, encoding: 'utf8' });
    assert.equal(r.status, 126, r.stderr);
    assert.match(r.stderr, /held: Agent Guard is not reachable/);
    assert.ok(existsSync(join(root, 'gate')));
  }

  it('is not used: the shims run shim.sh, say why, and still ask', () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-shim-bad-'));
    try {
      // Not a program for this machine (as a shim for another architecture, or on a noexec mount, would be).
      const bad = join(root, 'shim-linux-x64');
      writeFileSync(bad, Buffer.from('\x7fELF this is not a program'), { mode: 0o755 });
      const g = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', { nativeShim: bad });
      assert.equal(g.shim, 'script');
      assert.match(g.shimProblem ?? '', /did not run here/);
      assert.ok(!existsSync(join(g.dir, 'shim')), 'no unproven shim is left in the folder');
      scriptShimHolds(g, root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('one that starts but cannot find and run a program (every guarded program would be "not found") is not used', () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-shim-blind-'));
    try {
      // Says what a shim says with no PATH, whatever PATH is: as a shim whose file system calls a filter refuses would.
      const blind = join(root, 'shim-linux-x64');
      writeFileSync(blind, '#!/bin/sh\necho "${0##*/}: command not found" >&2\nexit 127\n', { mode: 0o755 });
      const g = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', { nativeShim: blind });
      assert.equal(g.shim, 'script');
      assert.match(g.shimProblem ?? '', /^it could not run a program here \(exit 127: \.shim-\d+-[0-9a-f]{12}: command not found\)$/);
      assert.deepEqual(readdirSync(g.dir).filter((f) => f.startsWith('.') || f === 'shim'), [], 'nothing of the probe is left in the folder');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  const other = join(__dirname, '..', '..', '..', 'dist', `shim-linux-${process.arch === 'arm64' ? 'x64' : 'arm64'}`);
  it("the real shim built for the other architecture is not used here (the package carries both): shim.sh stands in", function () {
    if (process.platform !== 'linux' || !existsSync(other)) return this.skip();
    const root = mkdtempSync(join(tmpdir(), 'ag-shim-other-'));
    try {
      const g = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', { nativeShim: other });
      assert.equal(g.shim, 'script');
      // Node's spawn hands a file the kernel will not run (ENOEXEC) to /bin/sh, as execvp does: that run fails too.
      assert.match(g.shimProblem ?? '', /did not run here \((exit|spawnSync)/);
      assert.ok(!existsSync(join(g.dir, 'shim')));
      scriptShimHolds(g, root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
