// A function named like a shell builtin stands in for it (`read() { line='allow - ok'; }`), so the gate removes such
// functions before its own code calls the builtin. Which builtins it calls is written by hand: in lib.bash
// (__agent_guard_own), bash-line.c (gate_builtins) and zsh's widget; a name missing there was a hole (a `hash` function
// ran the agent's code inside the gate's own ask). This test does not read those lists. It defines a stand-in for EVERY
// builtin the shell has, each of which only records that it ran, then drives the gate's paths in a real shell on a pty
// (the quick line, a word it asks about, the whole check, a PATH change, a multi-line command, a refusal, and in bash a
// child shell that imports the stand-ins): none of them may run. A control line calls one stand-in itself, so a test
// whose stand-ins never work fails too. The gate is the allow-all-but-rm test gate, so the defining line runs.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstallOptions, installShellGate, registerGatePort, writePrefilter } from '../../src/gate/install';
import { closeFakeGate, fakeGate, FakeGate, say, SILENT, TOKEN } from './fake-gate';
import { gatedTerminalEnv, GatedShell, ShellSession, SHIPPED_SHIM, startGatedShell, WITHOUT_BASH_LINE } from './shell-session';
import { SHELLS } from '../redteam/harness';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');

/** The builtins a shell has, as it lists them itself (zsh with the modules the gate loads). */
function builtinsOf(shell: GatedShell): string[] {
  const r =
    shell === 'bash'
      ? spawnSync('bash', ['--norc', '--noprofile', '-c', 'compgen -b'], { encoding: 'utf8' })
      : spawnSync('zsh', ['-fc', 'zmodload zsh/net/tcp zsh/system zsh/parameter zsh/zle 2>/dev/null; print -rl -- ${(ko)builtins:|reswords}'], { encoding: 'utf8' });
  const names = r.stdout.split('\n').filter((n) => n.length > 0);
  assert.ok(names.length > 50, `${shell} listed ${names.length} builtins: ${r.stderr}`);
  return names;
}

/**
 * A file that defines a stand-in for each of `names`, recording its index in `$AGLOG` (an exported path) when it runs.
 * bash: a bare redirection, which needs no command at all, and every stand-in exported for child shells (with
 * `builtin export` before `builtin` itself is defined). zsh: `builtin print`; `builtin`, `unfunction` and `enable` are
 * left out (a function of those names makes the gate refuse every line: shell-builtins-off.test.ts), and so is `-`, a
 * precommand modifier.
 */
function standIns(shell: GatedShell, names: string[]): string {
  if (shell === 'bash') {
    const defs = names.map((n, i) => `function ${n} { >"$AGLOG/${i}=\${FUNCNAME[1]-}"; }`);
    const last = names.indexOf('builtin');
    return [...defs.filter((_, i) => i !== last), `builtin export -f ${names.filter((n) => n !== 'builtin').join(' ')}`, defs[last], ''].join('\n');
  }
  return names
    .map((n, i) => (['builtin', 'unfunction', 'enable', '-'].includes(n) ? '' : `function ${n} { builtin print -r -- ${i}=\${funcstack[2]-}:\${functrace[1]-} >>| $AGLOG/ran; }`))
    .filter(Boolean)
    .concat('')
    .join('\n');
}

/**
 * The system's own zle hooks (Debian's /etc/zsh/zshrc defines zle-line-init and zle-line-finish, which call printf and
 * emulate): their stand-ins run, as they would without the gate. What such a stand-in can do to a line is
 * round9-hook-stand-ins.jsonl's attack, held by the gate's zle-line-finish.
 */
const SYSTEM_HOOK = /^(zle-line-init|zle-line-finish):/;

/** The names whose stand-ins the gate ran, with the function that called each (where the shell says). */
function ran(shell: GatedShell, log: string, names: string[]): string[] {
  const runs = shell === 'bash' ? readdirSync(log) : existsSync(join(log, 'ran')) ? readFileSync(join(log, 'ran'), 'utf8').split('\n').filter(Boolean) : [];
  return [
    ...new Set(
      runs
        .map((r) => r.split(/=(.*)/s))
        .filter(([, from]) => !SYSTEM_HOOK.test(from ?? ''))
        .map(([i, from]) => `${names[Number(i)] ?? `?${i}`}${from && !from.startsWith(':') ? ` (from ${from})` : ''}`),
    ),
  ].sort();
}

let marks = 0;
/**
 * Types TYPED, then a marker line, and returns what the screen showed until the marker: ShellSession.run's way, but
 * the marker is an external echo, as a builtin's stand-in would answer in its place.
 */
async function typedThenMarked(sh: ShellSession, typed: string, timeoutMs: number): Promise<string> {
  const mark = `mark${marks++}x`;
  const from = sh.output.length;
  sh.type(typed);
  sh.type(`/bin/echo ${mark.slice(0, 4)}""${mark.slice(4)}\r`);
  await sh.waitFor(() => sh.output.indexOf(mark, from) >= 0, timeoutMs, `"${typed}" to finish`);
  return sh.output.slice(from);
}

const KINDS: { kind: string; shell: GatedShell; options: InstallOptions }[] = [
  { kind: 'bash with its Enter builtin', shell: 'bash', options: SHIPPED_SHIM },
  { kind: 'bash without the builtin', shell: 'bash', options: WITHOUT_BASH_LINE },
  { kind: 'zsh', shell: 'zsh', options: SHIPPED_SHIM },
];

describe("a stand-in function for every builtin the shell has: the gate's own code runs none of them (real shells on a pty)", function () {
  this.timeout(120000);
  let root: string;
  let fake: FakeGate;
  const shells: ShellSession[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ag-stand-ins-'));
    // Every line it allows comes with a ticket, as an approved one does: the shells then export it and end it at the next line.
    fake = await fakeGate('allow 0123456789abcdef0123456789abcdef approved by the test\n');
    fake.answer = say('deny - refused by the test gate\n');
  });
  after(() => {
    for (const sh of shells) void sh.close();
    closeFakeGate(fake);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  KINDS.forEach(({ kind, shell, options }, k) => {
    it(`${kind}: through the quick line, an asked word, the whole check, a PATH change, a continued line and a refusal`, async function () {
      if (!SHELLS.includes(shell) || (options === SHIPPED_SHIM && shell === 'bash' && !SHIPPED_SHIM.bashLine)) this.skip();
      const names = builtinsOf(shell);
      const dir = join(root, `${k}`);
      const log = join(dir, 'log');
      const work = join(dir, 'work');
      const home = join(dir, 'home');
      for (const d of [log, join(work, 'data'), home]) mkdirSync(d, { recursive: true });
      writeFileSync(join(dir, 'stand-ins'), standIns(shell, names));
      writeFileSync(join(work, 'child.sh'), 'ls data\n');
      const gate = installShellGate(join(dir, 'gate'), SCRIPTS, 'normal', options);
      writePrefilter(gate.dir, 'normal');
      registerGatePort(gate.dir, fake.port, TOKEN, 'production', 'hold');
      const env = gatedTerminalEnv({ gate, home, port: fake.port, token: TOKEN, tier: 'production', unreachable: 'hold' }, { AGENT_GUARD_ANSWER_S: '1', AGLOG: log });
      const sh = startGatedShell(shell, gate, env, work);
      shells.push(sh);
      assert.match(await sh.run('echo ready-$((6*7))'), /ready-42/);

      // From here on no builtin may be called to mark the end of a line (the stand-ins would answer): an external echo.
      const step = (line: string): Promise<string> => typedThenMarked(sh, `${line}\r`, 30000);
      await step(`. ${join(dir, 'stand-ins')}`);
      assert.deepEqual(ran(shell, log, names), [], 'defining the stand-ins ran none');
      const lines = [
        'ls', // the quick line
        'git status', // a word the gate asks about (the test gate allows it)
        'ls -la | wc -l', // the whole check
        'PATH=$PATH:/opt', // the next line finds PATH changed
        'ls -la',
        'ls \\\n-d data', // a command continued on a second line
        'bash child.sh', // a child shell (bash imports the exported stand-ins; its gate loads from BASH_ENV)
        'ls -d da""ta && ls',
        'ls zle bindkey enable functions PROMPT_COMMAND trap', // words the shell's own tamper check looks at
      ];
      for (const line of lines) {
        const out = await step(line);
        // The asked word went to the gate, and its ticket was taken (the path an approved command takes).
        if (line === 'git status') assert.match(out, /approved by the test/, out);
      }
      const refused = await step('rm -rf data');
      assert.match(refused, /refused by the test gate/, refused);
      // A gate that does not answer: the bounded wait, then the unreachable path (held in production).
      fake.answer = SILENT;
      const held = await step('rm -rf data');
      fake.answer = say('deny - refused by the test gate\n');
      assert.match(held, /held|not reachable|no answer/i, held);
      assert.ok(existsSync(join(work, 'data')), 'data is still there');
      const used = ran(shell, log, names);
      assert.deepEqual(used, [], `the gate called builtins a function could stand in for: ${used.join(' ')}\n${sh.output.slice(-3000)}`);
      // The control: the stand-ins do stand in, for a line that calls one itself.
      await step('pwd');
      assert.deepEqual(ran(shell, log, names), ['pwd'], 'the control line ran the pwd stand-in');
    });
  });
});

// zsh runs zle-line-init and zle-line-finish (which many systems' start-up files define, calling printf or emulate) in
// the line editor, outside the gate's widget: a stand-in called there set the line and accepted it, or changed a line
// after the gate had checked it (round9-hook-stand-ins.jsonl against the real engine). The gate's zle-line-finish lets
// a line run only if the gate's widget accepted it or let that text run; the person's own hooks and widgets still work.
describe("zsh: a line accepted past the gate's widget, or changed after it (a person's hooks and widgets on a pty)", function () {
  this.timeout(60000);
  let root: string;
  let fake: FakeGate;
  let sh: ShellSession;
  let work: string;
  const ZSHRC = [
    'zle-line-init() { emulate -L zsh; printf "%s" "" }',
    'zle-line-finish() { emulate -L zsh; printf "%s" ""; print -r -- "$BUFFER" >> $HOME/finished }',
    'zle -N zle-line-init; zle -N zle-line-finish',
    'mine() { zle accept-line }; zle -N mine; bindkey "^T" mine',
    'mine-direct() { zle .accept-line }; zle -N mine-direct; bindkey "^B" mine-direct',
    // A plugin that sets its own zle-line-finish at the first prompt, after the gate loaded (in place of the one above).
    'plugin-finish() { [[ $BUFFER == "touch swap1" ]] && BUFFER="touch bad7"; printf "%s" ""; print -r -- "$BUFFER" >> $HOME/finished }',
    'plugin-register() { zle -N zle-line-finish plugin-finish; precmd_functions=(${precmd_functions:#plugin-register}) }',
    'precmd_functions+=(plugin-register)',
    '',
  ].join('\n');
  const step = (typed: string): Promise<string> => typedThenMarked(sh, typed, 20000);

  before(async function () {
    if (!SHELLS.includes('zsh')) this.skip();
    root = mkdtempSync(join(tmpdir(), 'ag-line-finish-'));
    fake = await fakeGate('allow - ok\n');
    fake.answer = say('deny - refused by the test gate\n');
    const home = join(root, 'home');
    work = join(root, 'work');
    mkdirSync(home, { recursive: true });
    mkdirSync(work, { recursive: true });
    writeFileSync(join(home, '.zshrc'), ZSHRC);
    const gate = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', SHIPPED_SHIM);
    writePrefilter(gate.dir, 'normal');
    registerGatePort(gate.dir, fake.port, TOKEN, 'production', 'hold');
    sh = startGatedShell('zsh', gate, gatedTerminalEnv({ gate, home, port: fake.port, token: TOKEN, tier: 'production', unreachable: 'hold' }), work);
    assert.match(await sh.run('echo ready-$((6*7))'), /ready-42/);
  });
  after(() => {
    void sh?.close();
    closeFakeGate(fake);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("runs a line as before, and the person's own zle-line-finish still runs", async () => {
    await step('touch ok1\r');
    assert.ok(existsSync(join(work, 'ok1')));
    assert.match(readFileSync(join(root, 'home', 'finished'), 'utf8'), /^touch ok1$/m);
  });
  it("runs a line a person's widget accepts through the gate's (zle accept-line)", async () => {
    await step('touch ok2\x14');
    assert.ok(existsSync(join(work, 'ok2')), sh.output.slice(-1500));
  });
  it("refuses a line a person's widget accepts with the builtin .accept-line, past the gate", async () => {
    const out = await step('touch bad1\x02');
    assert.match(out, /refused by Agent Guard: touch bad1[\s\S]*accepted past the gate's widget \(by mine-direct\)/, out);
    assert.ok(!existsSync(join(work, 'bad1')));
  });
  it('refuses what a stand-in called by zle-line-init sets and accepts, once: the stand-in is removed', async () => {
    const out = await step('printf() { BUFFER="touch bad2"; z=zl; z+=e; $z .accept-line; }\r');
    assert.match(out, /refused by Agent Guard: touch bad2[\s\S]*\(by zle-line-init\)[\s\S]*removed the function\(s\) printf/, out);
    assert.ok(!existsSync(join(work, 'bad2')));
    await step('touch ok3\r');
    assert.ok(existsSync(join(work, 'ok3')), 'the next line runs: no refusal at every prompt');
  });
  it('refuses what a stand-in called by zle-line-init accepts also when it set the text the gate let run itself', async () => {
    await step('zmodload zsh/datetime\r');
    const out = await step('printf() { BUFFER="touch bad8"; v=__agent; v+=_guard_passed; strftime -s "$v" "$BUFFER" 0; z=zl; z+=e; $z .accept-line; }\r');
    assert.match(out, /refused by Agent Guard: touch bad8[\s\S]*\(by zle-line-init\)/, out);
    assert.ok(!existsSync(join(work, 'bad8')));
  });
  it('refuses a line a stand-in called by zle-line-finish changed after the gate checked it', async () => {
    await step('printf() { [[ $BUFFER == "touch ok4" ]] && BUFFER="touch bad3"; }\r');
    const out = await step('touch ok4\r');
    assert.match(out, /refused by Agent Guard: touch bad3[\s\S]*changed after the gate checked it/, out);
    assert.ok(!existsSync(join(work, 'bad3')) && !existsSync(join(work, 'ok4')));
  });
  it('lets a checked text run once: the same text accepted again past the gate is refused', async () => {
    await step('touch again1\r');
    assert.ok(existsSync(join(work, 'again1')));
    rmSync(join(work, 'again1'));
    const out = await step('touch again1\x02');
    assert.match(out, /refused by Agent Guard: touch again1/, out);
    assert.ok(!existsSync(join(work, 'again1')));
  });
  it('stays the line editor\'s zle-line-finish when a plugin sets its own later (which then runs inside it)', async () => {
    const out = await step('touch swap1\r');
    assert.match(out, /refused by Agent Guard: touch bad7[\s\S]*changed after the gate checked it/, out);
    assert.ok(!existsSync(join(work, 'bad7')) && !existsSync(join(work, 'swap1')));
  });
  it("refuses a continued line accepted past the gate whole, and works under the person's ksh_arrays and sh_glob", async () => {
    const out = await step('touch bad4 \\\rbad5\x02');
    assert.match(out, /refused by Agent Guard: touch bad4/, out);
    assert.ok(!existsSync(join(work, 'bad4')) && !existsSync(join(work, 'bad5')));
    await step('setopt ksh_arrays sh_glob glob_subst\r');
    await step('touch "ok*5"\r');
    assert.ok(existsSync(join(work, 'ok*5')), sh.output.slice(-1500));
    const again = await step('touch bad6\x02');
    assert.match(again, /refused by Agent Guard: touch bad6/, again);
  });
});
