// The gate in real shells: a real bash and zsh on a pseudo-terminal, a real gate server, a real engine.
// The person is played by a queue of typed answers; the shells cannot answer for them.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../src/core/audit/log';
import { Engine } from '../../src/core/classify';
import { BASH_PROMPT_HOOK, installShellGate, registerGatePort, ShellGate, writePrefilter } from '../../src/gate/install';
import { GateServer } from '../../src/gate/server';
import { GateService } from '../../src/gate/service';
import { big5Locales, gatedTerminalEnv, type GatedShell, ShellSession, SHIPPED_SHIM, startGatedShell, TypedAnswers, vscodeBashIntegration, WITHOUT_BASH_LINE } from './shell-session';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
const hasZsh = spawnSync('zsh', ['--version']).status === 0;
// npm test installs zsh before the unit tests; only a bare `mocha` run on a machine without it skips those cases.
if (!hasZsh && process.env.CI) throw new Error('zsh is not installed: run node test/harness/provision.mjs first');

describe('shell gate (real bash and zsh)', function () {
  this.timeout(60000);
  let gate: ShellGate;
  let gateWithoutBuiltin: ShellGate;
  let server: GateServer;
  let service: GateService;
  let port: number;
  let person: TypedAnswers;
  let audit: AuditEntry[];
  let work: string;
  let home: string;

  let root: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ag-shell-'));
    gate = installShellGate(join(root, 'gate'), SCRIPTS, 'normal', SHIPPED_SHIM);
    gateWithoutBuiltin = installShellGate(join(root, 'gate-without-builtin'), SCRIPTS, 'normal', WITHOUT_BASH_LINE);
    home = join(root, 'home');
    work = join(root, 'work');
    mkdirSync(home);
    mkdirSync(work);
    person = new TypedAnswers();
    audit = [];
    const engine = new Engine({ tier: 'production' });
    service = new GateService({ settings: () => ({ engine, tier: 'production', workspace: work, requireTierPrefix: true }), approver: person, record: (e) => audit.push(e) });
    server = new GateServer(service);
    port = await server.listen();
    registerGatePort(gate.dir, port, server.token, 'production', 'hold');
    registerGatePort(gateWithoutBuiltin.dir, port, server.token, 'production', 'hold');
  });
  after(() => server.close());
  beforeEach(() => {
    person.asked.length = 0;
    person.answers = [];
    audit.length = 0;
  });

  const env = (): NodeJS.ProcessEnv => gatedTerminalEnv({ gate, home, port, token: server.token, tier: 'production', unreachable: 'hold' });
  // bash as shipped (Enter is the builtin where it is built), bash where the builtin does not load, and zsh.
  const shells: [string, GatedShell, () => ShellGate][] = [
    ['bash', 'bash', () => gate],
    ...(SHIPPED_SHIM.bashLine ? [['bash, Enter as a shell function (no builtin)', 'bash', () => gateWithoutBuiltin] as [string, GatedShell, () => ShellGate]] : []),
    ...(hasZsh ? [['zsh', 'zsh', () => gate] as [string, GatedShell, () => ShellGate]] : []),
  ];

  for (const [label, name, gateOf] of shells) {
    describe(label, () => {
      let sh: ShellSession;
      // This shell's gate folder: the tests below speak of `gate` and `env()`.
      let gate: ShellGate;
      const env = (): NodeJS.ProcessEnv => gatedTerminalEnv({ gate, home, port, token: server.token, tier: 'production', unreachable: 'hold' });
      before(async () => {
        gate = gateOf();
        sh = startGatedShell(name, gate, env(), work);
        await sh.run('true');
      });
      after(() => sh.close());

      it('refuses a line with characters whose last byte is ASCII in such a locale (BIG5): the shell would split it otherwise', async function () {
        const locales = big5Locales(root);
        if (!locales) return this.skip();
        mkdirSync(join(work, 'big5'), { recursive: true });
        const big5 = startGatedShell(name, gate, { ...env(), LOCPATH: locales, LC_ALL: 'zh_TW.BIG5' }, work);
        try {
          await big5.run('true');
          // For the shell, `echo "<\xa4\x5c>"; rm -rf big5; echo "<\xa4\x5c>"` is three commands; read as UTF-8 the
          // backslash escapes each closing quote, and the gate saw one echo.
          const z = Buffer.from([0xa4, 0x5c]);
          const line = Buffer.concat([Buffer.from('echo "'), z, Buffer.from('"; rm -rf big5; echo "'), z, Buffer.from('"')]);
          const out = await big5.run(line);
          assert.match(out, /locale \(zh_TW\.BIG5\) has characters that end in an ASCII byte/);
          assert.ok(existsSync(join(work, 'big5')), 'nothing was deleted');
          // A line of ASCII alone runs as before.
          assert.match(await big5.run('echo plain-$((40 + 2))'), /plain-42/);
        } finally {
          big5.close();
        }
      });

      it("a terminal started before bin/ exists (the editor's first start) looks its programs up past the shims once bin/ is there", async () => {
        const dir = join(root, `late-bin-${label.replace(/\W+/g, '-')}`);
        const late = installShellGate(dir, SCRIPTS, 'normal', gate === gateWithoutBuiltin ? WITHOUT_BASH_LINE : SHIPPED_SHIM);
        registerGatePort(late.dir, port, server.token, 'production', 'hold');
        renameSync(late.binDir, `${late.binDir}-later`);
        const git = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
        const early = startGatedShell(name, late, gatedTerminalEnv({ gate: late, home, port, token: server.token, tier: 'production', unreachable: 'hold' }), work);
        try {
          await early.run('true');
          renameSync(`${late.binDir}-later`, late.binDir);
          // The next prompt finds bin/: this shell's own lookups go past the shims (the line gate checks its lines).
          await early.run('true');
          const out = await early.run('type git');
          assert.ok([`git is hashed (${git})`, `git is hashed to ${git}`].some((said) => out.includes(said)), out);
          assert.ok(!out.includes(late.binDir), out);
          // A script it starts still meets the shims: the hash table is not inherited.
          const child = await early.run(`bash -c 'type -p git'`);
          assert.ok(child.includes(`${late.binDir}/git`), child);
        } finally {
          await early.close();
        }
      });

      it('announces its line gate to the editor with its own process id (the per-terminal status)', async () => {
        const out = await sh.run('echo "pid=$$"');
        const pid = Number(/pid=(\d+)/.exec(out)?.[1]);
        assert.ok(pid > 0, out);
        const r = service.shells.get(pid);
        assert.equal(r?.shell, name, JSON.stringify(r));
        assert.equal(service.shells.stateOf(pid), 'loaded');
        assert.equal(service.shells.stateOf(pid + 100000), 'not loaded');
      });

      it('holds rm -rf until the person types the resource; a wrong name refuses and nothing is deleted', async () => {
        mkdirSync(join(work, 'data'), { recursive: true });
        person.answers = ['data'];
        const out = await sh.run('rm -rf data');
        assert.equal(person.asked.length, 1);
        assert.equal(person.asked[0].expected, 'production/data');
        assert.match(out, /held by Agent Guard \(production\) — fs\.recursive-delete/);
        assert.match(out, /refused \(the typed name did not match\)/);
        assert.ok(existsSync(join(work, 'data')), 'data must still be there');
        assert.equal(audit[0].outcome, 'refused');
        assert.equal(audit[0].decidedBy, 'wrong-name');
      });

      it('runs it once the exact name is typed, and records who approved', async () => {
        mkdirSync(join(work, 'data'), { recursive: true });
        person.answers = ['production/data'];
        const out = await sh.run('rm -rf data');
        assert.match(out, /approved by tester/);
        assert.ok(!existsSync(join(work, 'data')), 'data must be gone');
        assert.equal(person.asked.length, 1, 'the rm shim is covered by the line approval, not asked again');
        assert.equal(audit.find((e) => e.source === 'terminal')?.decidedBy, 'typed');
        assert.equal(audit.find((e) => e.source === 'terminal')?.approver, 'tester');
      });

      it('lets unguarded and harmless commands run without asking anyone', async () => {
        writeFileSync(join(work, 'notes.txt'), 'hello');
        const out = await sh.run('cat notes.txt; ls');
        assert.match(out, /hello/);
        const git = await sh.run('git --version');
        assert.match(git, /git version/);
        assert.equal(person.asked.length, 0);
      });

      it('follows the editor’s word lists as they change: freeze asks about every line, lifting it stops asking', async () => {
        const asked = () => audit.filter((e) => e.source === 'terminal' && e.command === 'true').length;
        await sh.run('true');
        assert.equal(asked(), 0, 'an unguarded line is not asked about');
        // What the editor does on freeze: new lists and a new version; the shell's marker for the old one goes.
        writePrefilter(gate.dir, 'all');
        try {
          await sh.run('true');
          assert.equal(asked(), 1, 'in freeze the shell asks about every line');
        } finally {
          writePrefilter(gate.dir, 'normal');
        }
        await sh.run('true');
        assert.equal(asked(), 1, 'after the freeze is lifted, an unguarded line is not asked about again');
      });

      it('answers only the plainest lines in the key binding: the gate’s folder, a line above it and nocasematch take the whole check', async () => {
        const asked = (cmd: string) => audit.filter((e) => e.source === 'terminal' && e.command === cmd).length;
        await sh.run('true');
        assert.equal(asked('true'), 0, 'a plain line away from the gate is answered in the shell');
        const parent = join(gate.dir, '..');
        const gateName = gate.dir.slice(parent.length + 1);
        try {
          // Inside the gate's folder every line is asked about, the plainest too.
          await sh.run(`cd ${gate.dir}`);
          await sh.run('true');
          assert.equal(asked('true'), 1, 'a line typed in the gate’s folder is asked about');
          // Above it, a line naming the next folder down towards it is asked about.
          await sh.run(`cd ${parent}`);
          await sh.run(`ls ${gateName}`);
          assert.equal(asked(`ls ${gateName}`), 1, 'a line naming the way down to the gate is asked about');
        } finally {
          await sh.run(`cd ${work}`);
        }
        // With nounset on, a blank line (no word for the check's loop) still runs without an error from the gate.
        await sh.run('set -u');
        try {
          const blank = await sh.run('   ');
          assert.doesNotMatch(blank, /unbound|parameter not set/);
        } finally {
          await sh.run('set +u');
        }
        if (name === 'bash') {
          // With nocasematch on, [a-z] also matches upper-case letters: the plain-line test must not let
          // `printf -v INPUTRC x` through as lower-case words (it changes a variable the gate holds).
          await sh.run('shopt -s nocasematch');
          try {
            const out = await sh.run('printf -v INPUTRC x');
            assert.match(out, /refused by Agent Guard: [^\n]*\n[^\n]*guard\.shell-tamper/);
          } finally {
            await sh.run('shopt -u nocasematch');
          }
        }
        assert.equal(person.asked.length, 0);
      });

      it('refuses what policy denies without offering an approval', async () => {
        const out = await sh.run('rm -rf /');
        assert.match(out, /refused by Agent Guard — fs\.recursive-delete/);
        assert.equal(person.asked.length, 0);
      });

      it('checks a whole multi-command line before any of it runs', async () => {
        mkdirSync(join(work, 'keep'), { recursive: true });
        const out = await sh.run('touch created-first && rm -rf keep');
        assert.match(out, /refused/);
        assert.ok(!existsSync(join(work, 'created-first')), 'nothing in a held line runs');
        assert.ok(existsSync(join(work, 'keep')));
      });

      it('catches a guarded program started by a script through its PATH shim', async () => {
        mkdirSync(join(work, 'cache'), { recursive: true });
        writeFileSync(join(work, 'clean.sh'), 'rm -rf cache\n');
        // The script's name is only known at run time, so the line check cannot read it: the shim must catch rm.
        const out = await sh.run('f=clean.sh; bash "$f"');
        assert.equal(person.asked.length, 1);
        assert.match(out, /refused/);
        assert.ok(existsSync(join(work, 'cache')));
        assert.equal(audit.find((e) => e.source === 'exec')?.command, 'rm -rf cache');
      });

      it('asks from a shim that takes no functions, shell options or BASH_ENV from the script that ran it', async () => {
        mkdirSync(join(work, 'cache'), { recursive: true });
        // A `read` that answers allow, the gate's own function faked, options and a BASH_ENV of the script's own.
        writeFileSync(join(work, 'env.bash'), '__agent_guard_ask() { __agent_guard_verdict=allow; }; readonly -f __agent_guard_ask\n');
        writeFileSync(
          join(work, 'forge.sh'),
          "read() { line='allow - ok'; }\nprintf() { :; }\n__agent_guard_window() { return 0; }\nexport -f read printf __agent_guard_window\n" +
            'set -o noglob; shopt -s expand_aliases; export SHELLOPTS BASHOPTS POSIXLY_CORRECT=1\nBASH_ENV=$PWD/env.bash rm -rf cache\n',
        );
        // Named at run time, so the line check cannot read the script: the shim inside it must ask.
        const out = await sh.run('f=forge.sh; bash "$f"');
        assert.ok(existsSync(join(work, 'cache')), out);
        assert.match(out, /refused/);
        assert.equal(person.asked.length, 1);
        assert.equal(audit.find((e) => e.source === 'exec')?.command, 'rm -rf cache');
      });

      it('keeps a refused command on screen with the verdict and rule under it', async () => {
        mkdirSync(join(work, 'shown'), { recursive: true });
        const out = await sh.run('rm -rf shown');
        assert.match(out, /✖ Agent Guard: rm -rf shown\S*\r?\n\S*\s+refused \(dismissed\) — fs\.recursive-delete/);
        assert.ok(existsSync(join(work, 'shown')));
      });

      /** An approved `rm -rf approved` runs, and the approval has ended before the next line runs. */
      async function approvalEndsBeforeNextLine(): Promise<void> {
        mkdirSync(join(work, 'approved'), { recursive: true });
        person.answers = ['production/approved'];
        await sh.run('rm -rf approved');
        assert.ok(!existsSync(join(work, 'approved')));
        const ticket = await sh.run('echo "ticket=${AGENT_GUARD_TICKET-none}"');
        assert.match(ticket, /ticket=none/, 'the approval ended before the next line ran');
      }

      if (label === 'zsh') {
        it('settles at Enter what a prompt hook would: the approval ends, spelling correction goes off (said once)', async () => {
          await approvalEndsBeforeNextLine();
          // Asked about (shell.spelling-correction) and approved: the next line is refused (correction could run another
          // command than the one checked), and the option is off from the next prompt on, said once.
          person.answers = ['production/correct'];
          sh.type('setopt correct\r');
          const refused = await sh.run('print -r -- "first=$options[correct]"');
          assert.match(refused, /spelling correction is on[\s\S]*spelling correction is off in this terminal/);
          assert.doesNotMatch(refused, /first=o/, 'the line typed while it was on did not run');
          const next = await sh.run('print -r -- "correct=$options[correct]"');
          assert.match(next, /correct=off/);
          assert.doesNotMatch(next, /spelling correction/, 'said once');
        });
      }

      if (label === 'bash' && SHIPPED_SHIM.bashLine) {
        it('binds Enter to its builtin where it loads: the common line is accepted there, any other goes to the shell function', async () => {
          const keys = await sh.run('bind -p');
          for (const key of ['\\C-m', '\\C-j', '\\C-o', '\\e[9007~']) assert.match(keys, new RegExp(`"${key.replace(/[\\[]/g, '\\$&')}": agent-guard-enter`), `${key} is the builtin's`);
          // M-# runs its line through the builtin too, which starts a command as Enter does.
          const macros = await sh.run('bind -s');
          assert.match(macros, /"\\e#": "\\e\[9004~#\\e\[9007~"/);
          // The prompt hook no longer calls the shell function: a ticket and PATH are settled at the next Enter.
          await approvalEndsBeforeNextLine();
        });

        it('asks about a plain line itself, and nothing but the builtin can hand the shell function an answer to act on', async () => {
          // A plain line with a word worth asking about, allowed outright: asked once (from the builtin), and it runs.
          const asked = audit.length;
          const ran = await sh.run('git --version');
          assert.match(ran, /git version \d/);
          assert.equal(audit.length, asked + 1, 'one question, one entry');
          assert.equal(audit.at(-1)?.command, 'git --version');
          // The variable that names the builtin's connection to the shell function is read-only: no line sets it,
          // whatever spelling hides its name from the checks.
          const set = await sh.run(`n=__agent; n+=_guard_asked; printf -v "$n" %s '10 0'; read -r "$n" <<< '10 0'; echo "rc=$?"`);
          assert.match(set, /readonly variable|refused|held/, set);
          const shown = () => sh.run("declare -p | grep -a 'guard_asked='");
          assert.match(await shown(), /declare -r __agent_guard_asked=""/);
          // The key that hands the function a connection, typed by hand after a line: refused, and nothing runs.
          mkdirSync(join(work, 'forged'), { recursive: true });
          const forged = await sh.run('rm -rf forged\x1b[9008~\x1b[9002~');
          assert.ok(existsSync(join(work, 'forged')), 'nothing was deleted');
          assert.match(forged, /there is no answer from the gate for this line; refused/, forged);
          // After a real hand-over (a refusal, read by the function), the connection's name is emptied at once.
          person.answers = ['wrong name'];
          const refused = await sh.run('rm -rf forged');
          assert.match(refused, /refused/, refused);
          assert.ok(existsSync(join(work, 'forged')));
          assert.match(await shown(), /declare -r __agent_guard_asked=""/);
          const again = await sh.run('rm -rf forged\x1b[9008~\x1b[9002~');
          assert.ok(existsSync(join(work, 'forged')), 'nothing was deleted');
          assert.match(again, /there is no answer from the gate for this line; refused/, again);
        });

        it('in a VS Code terminal (its shell integration loaded), leaves nothing for the prompt to run, and still holds', async function () {
          const integration = vscodeBashIntegration();
          if (!integration) {
            if (process.env.CI) throw new Error('VS Code is not provisioned: run node test/harness/provision.mjs first');
            return this.skip();
          }
          // VS Code puts the hook in front of PROMPT_COMMAND and runs it from its own copy, __vsc_original_prompt_command.
          const vs = new ShellSession(['bash', '--init-file', integration, '-i'], { ...env(), VSCODE_INJECTION: '1', PS1: '$ ', PROMPT_COMMAND: `${BASH_PROMPT_HOOK}true` }, work);
          try {
            await vs.run('true');
            const copy = await vs.run('declare -p __vsc_original_prompt_command');
            assert.match(copy, /__vsc_original_prompt_command="true"/, 'the gate took its hook out of VS Code\'s copy, and only it');
            mkdirSync(join(work, 'vs'), { recursive: true });
            const held = await vs.run('rm -rf vs');
            assert.match(held, /refused/);
            assert.ok(existsSync(join(work, 'vs')));
          } finally {
            await vs.close();
          }
        });

        it('hands a line that may continue to the shell function, so what bash runs is checked whole (reserved words, aliases)', async () => {
          mkdirSync(join(work, 'kept'), { recursive: true });
          // `for d in kept` is all lower-case words: the builtin must not accept it alone and lose it, or the next
          // line would be checked as `do rm -rf $d; done` without it.
          const out = await sh.run('for d in kept\rdo rm -rf $d; done');
          assert.ok(existsSync(join(work, 'kept')), 'nothing was deleted');
          assert.match(out, /refused/, out);
          assert.equal(audit.at(-1)?.command, 'for d in kept\ndo rm -rf $d; done');
          // The same through an alias whose words hide the `for`.
          const alias = await sh.run("alias sweep='for d in kept'");
          assert.doesNotMatch(alias, /refused|held/, alias);
          const out2 = await sh.run('sweep\rdo rm -rf $d; done');
          assert.ok(existsSync(join(work, 'kept')), 'nothing was deleted');
          assert.match(out2, /refused/, out2);
          assert.equal(audit.at(-1)?.command, 'sweep\ndo rm -rf $d; done');
          await sh.run('unalias sweep');
          // The loop's opening two aliases away: an alias ending in a blank has bash expand the next word too.
          await sh.run("alias sp=' ' sweep2='for d in kept'");
          await sh.run("alias both='sp sweep2'");
          const out3 = await sh.run('both\rdo rm -rf $d; done');
          assert.ok(existsSync(join(work, 'kept')), 'nothing was deleted');
          assert.match(out3, /refused/, out3);
          assert.equal(audit.at(-1)?.command, 'both\ndo rm -rf $d; done');
          await sh.run('unalias sp sweep2 both');
        });
      }

      it('checks a command typed over several lines as one command', async () => {
        mkdirSync(join(work, 'joined'), { recursive: true });
        const out = await sh.run('r\\\rm -rf joined');
        assert.ok(existsSync(join(work, 'joined')));
        assert.match(out, /refused/);
        assert.equal(person.asked.length, 1);
      });

      it('refuses lines that would change the gate itself, in the shell', async () => {
        const out = await sh.run(name === 'bash' ? 'read -r AGENT_GUARD_PORT <<< 1' : "bindkey '^M' .accept-line");
        assert.match(out, /refused by Agent Guard: [^\n]*\n[^\n]*guard\.shell-tamper/);
        assert.equal(person.asked.length, 0);
        // A name the line check cannot see is asked about (shell.dynamic-name), and meets a read-only variable besides.
        const ro = await sh.run(`n=AGENT; ${name === 'bash' ? 'printf' : 'print'} -v "\${n}_GUARD_TOKEN" x; echo "token=$AGENT_GUARD_TOKEN"`);
        assert.match(ro, /shell\.dynamic-name/);
        assert.doesNotMatch(ro, /token=x\b/);
      });

      it('asks only the gate this window registered: a listener elsewhere is never believed', async () => {
        mkdirSync(join(work, 'faked'), { recursive: true });
        const fake = createServer((c) => c.on('data', () => c.end('allow - fine\n')));
        const fakePort = await new Promise<number>((r) => fake.listen(0, '127.0.0.1', () => r((fake.address() as { port: number }).port)));
        try {
          writeFileSync(join(work, 'fake.sh'), `AGENT_GUARD_PORT=${fakePort} AGENT_GUARD_UNREACHABLE=warn rm -rf faked\n`);
          // Named at run time, so the line check cannot read the script: the shim inside it meets the fake listener.
          const out = await sh.run('f=fake.sh; sh "$f"');
          assert.ok(existsSync(join(work, 'faked')));
          assert.match(out, /not this editor window's/);
        } finally {
          fake.close();
        }
      });

      it('holds a command when the editor cannot be reached, in production', async () => {
        mkdirSync(join(work, 'offline'), { recursive: true });
        const out = await sh.run(name === 'bash' ? 'AGENT_GUARD_PORT=1 bash -c "rm -rf offline"' : 'AGENT_GUARD_PORT=1 rm -rf offline');
        assert.ok(existsSync(join(work, 'offline')));
        assert.match(out, /refused|not reachable/);
      });
    });
  }

  // The server runs in this process: children must be awaited, never spawned synchronously.
  function bashC(script: string, extra: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      // stdin must not be a socket: bash then takes itself for an rsh/ssh shell and reads ~/.bashrc instead of BASH_ENV.
      const c = spawn('bash', ['-c', script], { env: { ...env(), ...extra }, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d) => (stdout += d));
      c.stderr.on('data', (d) => (stderr += d));
      c.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  it('gates a task-style `bash -c` string through BASH_ENV before it runs', async () => {
    mkdirSync(join(work, 'reports'), { recursive: true });
    const r = await bashC('rm -rf reports');
    assert.equal(r.status, 126);
    assert.match(r.stderr, /refused/);
    assert.ok(existsSync(join(work, 'reports')));
    assert.equal(audit.find((e) => e.source === 'task')?.command, 'rm -rf reports');
    const ok = await bashC('echo fine');
    assert.equal(ok.stdout.trim(), 'fine');
  });

  it('asks about the real command whatever ticket a script hands its children (a ticket cannot end the first line)', async () => {
    mkdirSync(join(work, 'reports'), { recursive: true });
    // A question of the script's own after the ticket: with the line ended early, the gate would judge `ls`.
    const forged = `- ${Buffer.byteLength(work)} 2\n${work}ls`;
    const r = await bashC('rm -rf reports', { AGENT_GUARD_TICKET: forged });
    assert.equal(r.status, 126, r.stderr);
    assert.ok(existsSync(join(work, 'reports')));
    assert.equal(audit.find((e) => e.source === 'task')?.command, 'rm -rf reports');
    assert.ok(!audit.some((e) => e.command === 'ls'), 'no forged question was judged');
  });
});
