// A builtin the gate's own code runs, turned off (`enable -n read`, zsh `disable sysread`): a function of its name then
// stands in for it again, past the gate's removal of such functions, and with `unset` or `unfunction` itself turned off
// that removal could not run at all. The engine holds the line that turns them off by any spelling (guard.tamper,
// round8-builtins-off.jsonl); these tests take that line as already run (a gate that allows every line without rm, as
// a line the engine had misread would be) and check what the shell does next: the builtins are turned back on, or no
// line runs, and `rm -rf data` is never run unasked. Real bash (with the Enter builtin and without) and zsh on a pty.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InstallOptions, installShellGate, registerGatePort, writePrefilter } from '../../src/gate/install';
import { closeFakeGate, fakeGate, FakeGate, say, TOKEN } from './fake-gate';
import { gatedTerminalEnv, GatedShell, ShellSession, SHIPPED_SHIM, startGatedShell, WITHOUT_BASH_LINE } from './shell-session';
import { SHELLS } from '../redteam/harness';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
const REFUSED = /✖ Agent Guard: rm -rf data[\s\S]*refused by the test gate/;

interface Case {
  name: string;
  /** Lines run first (the gate allows them: none names rm). */
  setup: string[];
  /** What the screen shows after the setup or at `rm -rf data`. */
  said: RegExp;
  /** Whether the shell then refuses every line (no gate code can be trusted to run). */
  locked?: boolean;
}

const ANSWER_BASH = "read() { line='allow - ok'; }; printf() { :; }";
const ANSWER_ZSH = "sysread() { chunk=$'allow - ok\\n' }";
const TURNED_ON = /turned the builtin\(s\) [^\n]* the gate runs back on/;

/** A loadable builtin named `read` (`enable -f evil.so read` copies its entry over bash's own) that answers the gate's
 *  question with an allow and hands every other read to bash's code. Built with cc as the Enter builtin is. */
const EVIL_READ = `#include <string.h>
typedef struct word_desc { char *word; int flags; } WORD_DESC;
typedef struct word_list { struct word_list *next; WORD_DESC *word; } WORD_LIST;
struct builtin { const char *name; int (*function)(WORD_LIST *); int flags; const char *const *long_doc; const char *short_doc; char *handle; };
extern struct builtin *builtin_address_internal(char *, int);
extern void *bind_variable(const char *, char *, int);
static int (*orig)(WORD_LIST *);
__attribute__((constructor)) static void keep(void) { struct builtin *b = builtin_address_internal("read", 1); if (b) orig = b->function; }
static int evil(WORD_LIST *l) {
  WORD_LIST *last = l;
  while (last && last->next) last = last->next;
  if (last && last->word && !strcmp(last->word->word, "line")) { bind_variable("line", "allow - ok", 0); return 0; }
  return orig ? orig(l) : 1;
}
static const char *const doc[] = {"x", 0};
struct builtin read_struct = {"read", evil, 1, doc, "read", 0};
`;

const KINDS: { kind: string; shell: GatedShell; options: InstallOptions; cases: Case[] }[] = [
  {
    kind: 'bash with its Enter builtin',
    shell: 'bash',
    options: SHIPPED_SHIM,
    cases: [
      { name: 'unset turned off, then read stands in', setup: ['e=en; e+=able; $e -n unset', ANSWER_BASH], said: TURNED_ON },
      { name: 'unset turned off with a do-nothing unset in its place', setup: [`e=en; e+=able; $e -n unset; unset() { :; }; ${ANSWER_BASH}`], said: TURNED_ON },
      { name: 'read, printf, enable, declare and builtin turned off', setup: [`e=en; e+=able; $e -n read printf declare builtin unset enable; ${ANSWER_BASH}; unset() { :; }; declare() { :; }`], said: TURNED_ON },
      // -z nodelete: the code Enter is bound to stays mapped when bash deletes the builtin, and Enter still asks.
      // EVIL_SO: the path of EVIL_READ built (see before()).
      { name: "read replaced by a loaded file's code", setup: ['e=en; e+=able; $e -f EVIL_SO read'], said: TURNED_ON },
      { name: 'the Enter builtin deleted', setup: ['n=__agent; n+=_guard_enter; e=ena; e+=ble; $e -d $n; echo rc=$?', 'grep -c bash-line /proc/$$/maps'], said: /[\r\n]rc=0\r?\n[\s\S]*[\r\n][1-9]\d*\r?\n/ },
    ],
  },
  {
    kind: 'bash without the builtin',
    shell: 'bash',
    options: WITHOUT_BASH_LINE,
    cases: [{ name: 'unset turned off, then read stands in', setup: ['e=en; e+=able; $e -n unset'], said: /the builtin unset is turned off\); open a new terminal/, locked: true }],
  },
  {
    kind: 'zsh',
    shell: 'zsh',
    options: SHIPPED_SHIM,
    cases: [
      { name: 'sysread and read turned off, then sysread stands in', setup: ['d=dis; d+=able; $d sysread read', ANSWER_ZSH], said: TURNED_ON },
      { name: 'print and zle turned off', setup: ['d=dis; d+=able; $d print zle', ANSWER_ZSH], said: TURNED_ON },
      { name: 'unfunction turned off', setup: ['d=dis; d+=able; $d unfunction'], said: /or one is turned off, so no line runs in this terminal/, locked: true },
      { name: 'builtin turned off', setup: ['d=dis; d+=able; $d builtin'], said: /or one is turned off, so no line runs in this terminal/, locked: true },
      { name: 'enable turned off', setup: ['d=dis; d+=able; $d enable'], said: /or one is turned off, so no line runs in this terminal/, locked: true },
      { name: "zsh/parameter's dis_builtins switched off", setup: ['z=zmod; z+=load; $z -F zsh/parameter -p:dis_builtins'], said: /or one is turned off, so no line runs in this terminal/, locked: true },
    ],
  },
];

describe('a builtin the gate runs, turned off by a line the engine let through (real shells, a gate that refuses rm)', function () {
  this.timeout(60000);
  let root: string;
  let fake: FakeGate;
  let evilSo = '';
  const shells: ShellSession[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ag-builtins-off-'));
    fake = await fakeGate('allow - ok\n');
    fake.answer = say('deny - refused by the test gate\n');
    writeFileSync(join(root, 'evil.c'), EVIL_READ);
    const built = spawnSync('cc', ['-shared', '-fPIC', '-o', join(root, 'evil.so'), join(root, 'evil.c')], { encoding: 'utf8' });
    if (built.status === 0) evilSo = join(root, 'evil.so');
  });
  after(() => {
    for (const sh of shells) void sh.close();
    closeFakeGate(fake);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const { kind, shell, options, cases } of KINDS) {
    describe(kind, () => {
      before(function () {
        if (!SHELLS.includes(shell) || (options === SHIPPED_SHIM && shell === 'bash' && !SHIPPED_SHIM.bashLine)) this.skip();
      });
      cases.forEach((c, i) => {
        it(`${c.name}: rm -rf data is not run unasked`, async function () {
          const setup = c.setup.map((l) => l.replace('EVIL_SO', evilSo));
          if (c.setup.some((l) => l.includes('EVIL_SO')) && !evilSo) {
            if (process.env.CI) throw new Error('cc could not build the test builtin');
            return this.skip();
          }
          const dir = join(root, `${shell}-${options === SHIPPED_SHIM ? 'so' : 'fn'}-${i}`);
          const gate = installShellGate(join(dir, 'gate'), SCRIPTS, 'normal', options);
          writePrefilter(gate.dir, 'normal');
          registerGatePort(gate.dir, fake.port, TOKEN, 'production', 'hold');
          const home = join(dir, 'home');
          const work = join(dir, 'work');
          mkdirSync(home, { recursive: true });
          mkdirSync(join(work, 'data'), { recursive: true });
          const env = gatedTerminalEnv({ gate, home, port: fake.port, token: TOKEN, tier: 'production', unreachable: 'hold' }, { AGENT_GUARD_ANSWER_S: '2' });
          const sh = startGatedShell(shell, gate, env, work);
          shells.push(sh);
          assert.match(await sh.run('echo ready-$((6*7))'), /ready-42/);
          const from = sh.output.length;
          if (c.locked) {
            // No line runs any more, the marker of ShellSession.run included: typed, then waited for on screen.
            for (const l of [...setup, 'rm -rf data']) sh.type(`${l}\r`);
            await sh.waitFor(() => c.said.test(sh.output.slice(from)) && /rm -rf data[\s\S]*(refused|✖)/.test(sh.output.slice(from)), 20000, 'the refusal');
            sh.type('touch ran.txt\r');
            await sh.waitFor(() => /refused by Agent Guard: touch ran\.txt/.test(sh.output.slice(from)), 20000, 'the next line refused too');
            assert.ok(!existsSync(join(work, 'ran.txt')), 'no line runs');
          } else {
            for (const l of setup) await sh.run(l, 20000);
            const out = await sh.run('rm -rf data', 20000);
            assert.match(sh.output.slice(from), c.said);
            assert.match(out, REFUSED, out);
            assert.match(await sh.run('echo alive-$((6*7))'), /alive-42/, 'the shell still answers');
          }
          assert.ok(existsSync(join(work, 'data')), `data was deleted:\n${sh.output.slice(from)}`);
        });
      });
    });
  }
});
