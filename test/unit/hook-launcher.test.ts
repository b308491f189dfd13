// The hook launcher and `agent-guard doctor`, as a person's machine has them: installed by the real CLI into a
// throwaway home, run by /bin/sh as the agents run it, after the extension moved, with its CLI gone, crashing, or
// with no Node; and the doctor telling a working hook from one that is broken, switched off or untrusted.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'out', 'src', 'cli', 'main.js');
const BUNDLE = join(ROOT, 'dist', 'cli.js');

describe('hook launcher and doctor (real CLI, real /bin/sh)', function () {
  this.timeout(60000);
  let root: string;
  let home: string;
  let state: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ag-launcher-'));
    home = join(root, 'home');
    state = join(root, 'state');
    mkdirSync(home);
    env = { PATH: process.env.PATH, HOME: home, AGENT_GUARD_STATE_DIR: state, KUBECONFIG: join(home, 'none') };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { env, cwd: root, encoding: 'utf8' });
  const hookCommand = () => {
    const settings = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8'));
    return settings.hooks.PreToolUse[0].hooks[0].command as string;
  };
  const runAs = (command: string, payload: object, e: NodeJS.ProcessEnv = env) =>
    spawnSync('/bin/sh', ['-c', command], { env: e, cwd: root, input: JSON.stringify({ hook_event_name: 'PreToolUse', cwd: root, ...payload }), encoding: 'utf8' });
  const launcher = () => join(state, 'bin', 'agent-guard-hook');
  const setLauncher = (key: 'AG_CLI' | 'AG_NODE', value: string) => {
    const text = readFileSync(launcher(), 'utf8').replace(new RegExp(`^${key}=.*$`, 'm'), `${key}='${value}'`);
    writeFileSync(launcher(), text);
  };

  it('install-hooks points every hook at one launcher outside the extension, which answers as the CLI does', () => {
    const r = cli('install-hooks', 'claude');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Hook launcher: .*agent-guard-hook/);
    const command = hookCommand();
    assert.equal(command, `"${launcher()}" hook claude`);
    assert.equal(readFileSync(launcher(), 'utf8').startsWith('#!/bin/sh'), true);
    const held = runAs(command, { tool_name: 'Bash', tool_input: { command: 'rm -rf /' } });
    assert.equal(JSON.parse(held.stdout).hookSpecificOutput.permissionDecision, 'deny');
    const fine = runAs(command, { tool_name: 'Bash', tool_input: { command: 'ls' } });
    assert.equal(fine.status, 0);
    assert.equal(fine.stdout, '');
  });

  it('keeps its own state folder whatever the agent’s environment says: a planted registry and gate are never asked', async () => {
    cli('install-hooks', 'claude');
    mkdirSync(join(root, '.vscode'));
    writeFileSync(join(root, '.vscode', 'settings.json'), '{ "agentGuard.environment": "production" }\n');
    mkdirSync(join(root, 'data'));
    // The agent's own listener, in its own process, answering "allow" to anything; a registry naming it, in a folder
    // the agent writes, for this very folder, labelled development.
    const fake = spawn(process.execPath, ['-e', "const s=require('node:net').createServer((c)=>{process.stderr.write('asked\\n');c.on('data',()=>c.end('allow T approved\\n'))});s.listen(0,'127.0.0.1',()=>process.stdout.write(s.address().port+'\\n'))"], { stdio: ['ignore', 'pipe', 'pipe'] });
    let asked = '';
    fake.stderr.on('data', (d) => (asked += d));
    try {
      const port = await new Promise<number>((res) => fake.stdout.once('data', (d) => res(Number(String(d).trim()))));
      const planted = join(root, 'planted');
      mkdirSync(join(planted, 'windows'), { recursive: true });
      writeFileSync(join(planted, 'windows', `${fake.pid}-${port}.json`), JSON.stringify({ pid: fake.pid, port, token: 'mine', folders: [root], started: new Date().toISOString(), tier: 'development' }));
      for (const moved of [{ AGENT_GUARD_STATE_DIR: planted }, { XDG_STATE_HOME: planted, AGENT_GUARD_STATE_DIR: undefined }]) {
        const e = { ...env, ...moved, AGENT_GUARD_PORT: String(port), AGENT_GUARD_TOKEN: 'mine' };
        const r = runAs(hookCommand(), { tool_name: 'Bash', tool_input: { command: 'rm -rf data' } }, e);
        assert.equal(JSON.parse(r.stdout).hookSpecificOutput.permissionDecision, 'deny', r.stdout + r.stderr);
        assert.match(r.stdout, /no VS Code window with Agent Guard has/);
      }
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(asked, '', 'the planted listener was never asked');
      assert.equal(existsSync(join(planted, 'audit.jsonl')), false);
      assert.equal(existsSync(join(state, 'audit.jsonl')), true, 'the refusals are in the real log');
      assert.equal(existsSync(join(root, 'data')), true);
    } finally {
      fake.kill('SIGKILL');
    }
  });

  it('finds the CLI of an updated extension when the recorded one is gone', function () {
    if (!existsSync(BUNDLE)) this.skip();
    cli('install-hooks', 'claude');
    const moved = join(home, '.vscode', 'extensions', 'agent-guard.agent-guard-9.9.9', 'dist');
    mkdirSync(moved, { recursive: true });
    copyFileSync(BUNDLE, join(moved, 'cli.js'));
    // The entry loads the tool beside it.
    copyFileSync(join(BUNDLE, '..', 'cli-main.js'), join(moved, 'cli-main.js'));
    setLauncher('AG_CLI', join(root, 'old-version', 'dist', 'cli.js'));
    const held = runAs(hookCommand(), { tool_name: 'Bash', tool_input: { command: 'rm -rf /' } });
    assert.equal(JSON.parse(held.stdout).hookSpecificOutput.permissionDecision, 'deny', held.stderr);
  });

  for (const [name, breakIt, expect] of [
    ['its CLI is gone everywhere', () => setLauncher('AG_CLI', '/nowhere/cli.js'), /command-line tool was not found/],
    ['its CLI crashes before answering', () => {
      writeFileSync(join(root, 'broken.js'), 'throw new Error("half an update");\n');
      setLauncher('AG_CLI', join(root, 'broken.js'));
    }, /stopped with exit code 1 before answering/],
    ['there is no Node to run it', () => setLauncher('AG_NODE', '/nowhere/node'), /no Node\.js to run it/],
  ] as const) {
    it(`refuses (never lets the call through) when ${name}, and the doctor says so`, () => {
      cli('install-hooks', 'claude', 'gemini');
      breakIt();
      // No Node anywhere on PATH: only the few tools the launcher itself uses.
      const tools = join(root, 'tools');
      mkdirSync(tools, { recursive: true });
      for (const t of ['dirname', 'date']) spawnSync('ln', ['-sf', spawnSync('/bin/sh', ['-c', `command -v ${t}`], { encoding: 'utf8' }).stdout.trim(), join(tools, t)]);
      const e = name.includes('no Node') ? { ...env, PATH: tools } : env;
      const r = runAs(hookCommand(), { tool_name: 'Bash', tool_input: { command: 'ls' } }, e);
      assert.equal(r.status, 2);
      const body = JSON.parse(r.stdout);
      assert.equal(body.hookSpecificOutput.permissionDecision, 'deny');
      assert.match(body.hookSpecificOutput.permissionDecisionReason, expect);
      // Gemini's own refusal shape from the same launcher.
      const g = spawnSync('/bin/sh', ['-c', `"${launcher()}" hook gemini`], { env: e, input: '{}', encoding: 'utf8' });
      assert.equal(JSON.parse(g.stdout).decision, 'deny');
      assert.match(readFileSync(join(state, 'hook-failures.log'), 'utf8'), expect);
      const d = cli('doctor', '--json');
      const claude = (JSON.parse(d.stdout) as { agent: string; protected: boolean; findings: { ok: boolean; text: string }[] }[]).find((s) => s.agent === 'claude')!;
      assert.equal(claude.protected, false);
      assert.ok(claude.findings.some((f) => !f.ok && /could not run|failed a harmless test call|refused a harmless/.test(f.text)), JSON.stringify(claude.findings));
      assert.equal(d.status, 1);
    });
  }

  it('doctor: protected when the hook works; not when a project switches it off, it is untrusted (Codex) or missing', () => {
    assert.equal(cli('install-hooks', 'claude', 'codex', 'gemini').status, 0);
    let statuses = JSON.parse(cli('doctor', '--json').stdout) as { agent: string; protected: boolean; findings: { ok: boolean; text: string }[] }[];
    const by = (a: string) => statuses.find((s) => s.agent === a)!;
    assert.equal(by('claude').protected, true, JSON.stringify(by('claude').findings));
    assert.equal(by('gemini').protected, true, JSON.stringify(by('gemini').findings));
    assert.equal(by('codex').protected, false);
    assert.ok(by('codex').findings.some((f) => /not trusted the hook/.test(f.text)));

    mkdirSync(join(root, '.claude'));
    writeFileSync(join(root, '.claude', 'settings.local.json'), '{"disableAllHooks": true}');
    mkdirSync(join(root, '.gemini'));
    writeFileSync(join(root, '.gemini', 'settings.json'), '{"hooksConfig": {"disabled": ["agent-guard"]}}');
    statuses = JSON.parse(cli('doctor', '--json').stdout);
    assert.equal(by('claude').protected, false);
    assert.ok(by('claude').findings.some((f) => /disableAllHooks/.test(f.text)));
    assert.equal(by('gemini').protected, false);
    assert.ok(by('gemini').findings.some((f) => /hooksConfig\.disabled/.test(f.text)));

    rmSync(launcher());
    const text = cli('doctor');
    assert.match(text.stdout, /✖ Claude Code: NOT protected/);
    assert.match(text.stdout, /its command is missing or not executable/);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /Terminals: no VS Code window with Agent Guard holds this folder/);
    chmodSync(root, 0o755);
  });

  it('doctor: Qwen Code and Claude Code are not protected while a variable switches their hooks off (environment, .env, settings env)', () => {
    assert.equal(cli('install-hooks', 'claude', 'qwen').status, 0);
    const status = (e: NodeJS.ProcessEnv = env) => JSON.parse(spawnSync(process.execPath, [CLI, 'doctor', '--json'], { env: e, cwd: root, encoding: 'utf8' }).stdout) as { agent: string; protected: boolean; findings: { ok: boolean; text: string }[] }[];
    const by = (list: ReturnType<typeof status>, a: string) => list.find((s) => s.agent === a)!;
    let now = status();
    assert.equal(by(now, 'qwen').protected, true, JSON.stringify(by(now, 'qwen').findings));
    assert.equal(by(now, 'claude').protected, true);
    now = status({ ...env, QWEN_CODE_SAFE_MODE: '1', CLAUDE_CODE_SIMPLE: 'true' });
    assert.ok(by(now, 'qwen').findings.some((f) => !f.ok && /the environment sets QWEN_CODE_SAFE_MODE, which turns every hook off/.test(f.text)));
    assert.ok(by(now, 'claude').findings.some((f) => !f.ok && /the environment sets CLAUDE_CODE_SIMPLE/.test(f.text)));
    assert.equal(by(status({ ...env, QWEN_CODE_SAFE_MODE: '0' }), 'qwen').protected, true, 'a variable set to 0 switches nothing off');
    writeFileSync(join(root, '.env'), 'API=1\nQWEN_CODE_SIMPLE=1\n');
    now = status();
    assert.ok(by(now, 'qwen').findings.some((f) => !f.ok && /\.env sets QWEN_CODE_SIMPLE/.test(f.text)), JSON.stringify(by(now, 'qwen').findings));
    rmSync(join(root, '.env'));
    mkdirSync(join(root, '.qwen'));
    writeFileSync(join(root, '.qwen', 'settings.json'), '{"env": {"QWEN_CODE_SAFE_MODE": "1"}}');
    mkdirSync(join(root, '.claude'));
    writeFileSync(join(root, '.claude', 'settings.json'), '{"env": {"CLAUDE_CODE_SIMPLE": "1"}}');
    now = status();
    assert.equal(by(now, 'qwen').protected, false);
    assert.ok(by(now, 'qwen').findings.some((f) => /"env" sets QWEN_CODE_SAFE_MODE/.test(f.text)));
    assert.equal(by(now, 'claude').protected, false);
    assert.ok(by(now, 'claude').findings.some((f) => /"env" sets CLAUDE_CODE_SIMPLE/.test(f.text)));
  });
});
