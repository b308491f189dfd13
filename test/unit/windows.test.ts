// Windows: the labelled PowerShell and cmd corpus through the engine, the CLI (`--shell`) and the Copilot, Copilot
// CLI and Claude `powershell` tools; a held PowerShell call re-judged as PowerShell by the editor's gate; the readers'
// own edge cases; Windows paths with path.win32's rules.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, win32 } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AuditEntry } from '../../src/core/audit/log';
import { Engine } from '../../src/core/classify';
import { candidateShells, shellKindOf, type ShellKind } from '../../src/core/parse/dialect';
import { expand } from '../../src/core/parse/invocation';
import { parsePowerShell } from '../../src/core/parse/powershell';
import { decodeUtf16Base64, splitWindowsArgs } from '../../src/core/parse/windows';
import { auditLogPath, isWithin, stateDir } from '../../src/core/paths';
import { isCatastrophicPath, isRegenerable } from '../../src/core/rules/fs';
import { VERDICTS, type Verdict } from '../../src/core/types';
import { isWindowsCatastrophicPath } from '../../src/core/winpaths';
import { diskFiles } from '../../src/cli/hooks/adapter';
import { runHook, type HookDeps } from '../../src/cli/hooks/runner';
import { main } from '../../src/cli/main';
import { ask } from '../../src/gate/client';
import { findWindow, registerWindow, registryDir } from '../../src/gate/registry';
import { GateServer } from '../../src/gate/server';
import { ApprovalOutcome, ApprovalRequest, GateService } from '../../src/gate/service';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const CORPUS_DIR = join(__dirname, '..', '..', '..', 'test', 'corpus', 'windows');

interface Entry {
  cmd: string;
  prod: Verdict;
  dev?: Verdict;
  rules?: string[];
  resource?: string;
  note?: string;
  shell: ShellKind;
  where: string;
}

function load(file: string, shell: ShellKind): Entry[] {
  const out: Entry[] = [];
  readFileSync(join(CORPUS_DIR, file), 'utf8').split('\n').forEach((text, i) => {
    if (!text.trim() || text.trimStart().startsWith('#')) return;
    out.push({ ...JSON.parse(text), shell, where: `${file}:${i + 1}` });
  });
  return out;
}

const corpus = [...load('powershell.jsonl', 'powershell'), ...load('cmd.jsonl', 'cmd')];
const short = (s: string) => JSON.stringify(s.length > 70 ? s.slice(0, 70) + '…' : s);

describe('Windows corpus: PowerShell and cmd lines through the engine', () => {
  const prod = new Engine({ tier: 'production' });
  const dev = new Engine({ tier: 'development' });

  it('holds at least 200 labelled lines, gated and allowed, naming resources; false alarms at most 5 %', () => {
    assert.ok(corpus.length >= 200, `corpus has ${corpus.length}`);
    const gated = corpus.filter((c) => c.prod !== 'allow');
    const allowed = corpus.filter((c) => c.prod === 'allow');
    assert.ok(gated.length >= 100 && allowed.length >= 80, `${gated.length} gated, ${allowed.length} allowed`);
    assert.ok(gated.filter((c) => c.resource).length >= 100, 'gated lines name what a person types');
    const seen = new Set<string>();
    for (const c of corpus) {
      const key = `${c.shell}\0${c.cmd}`;
      assert.ok(!seen.has(key), `${c.where} repeats a line`);
      seen.add(key);
    }
    // A false alarm: a line labelled allow that production holds or refuses.
    const falseAlarms = allowed.filter((c) => prod.classify(c.cmd, c.shell).decision !== 'allow');
    const missed = gated.filter((c) => prod.classify(c.cmd, c.shell).decision === 'allow');
    const rate = (100 * falseAlarms.length) / allowed.length;
    console.log(`      Windows corpus: ${corpus.length} lines (${gated.length} gated, ${allowed.length} allowed); false alarms ${falseAlarms.length}/${allowed.length} = ${rate.toFixed(1)} %; missed ${missed.length}/${gated.length}`);
    assert.ok(rate <= 5, `false alarms ${rate.toFixed(1)} %: ${falseAlarms.map((c) => c.cmd).join(' | ')}`);
  });

  for (const c of corpus) {
    it(`${c.where} ${short(c.cmd)}`, () => {
      const d = prod.classify(c.cmd, c.shell);
      const got = JSON.stringify({ decision: d.decision, rules: d.rules, resource: d.resource, parseError: d.parseError });
      assert.equal(d.decision, c.prod, `production decision; got ${got}`);
      if (c.rules) assert.deepEqual([...d.rules].sort(), [...c.rules].sort(), `rules; got ${got}`);
      if (c.resource !== undefined) assert.equal(d.resource, c.resource, `resource; got ${got}`);
      if (c.dev) assert.equal(dev.classify(c.cmd, c.shell).decision, c.dev, 'development decision');
      // Not understood is said, never silent.
      if (c.prod !== 'allow' && !c.rules) assert.ok(d.parseError || d.rules.length, `held with a reason; got ${got}`);
    });
  }

  it('the same lines read as bash would mostly pass: the reader is what catches them', () => {
    const bash = new Engine({ tier: 'production' });
    const caughtOnlyAsWindows = corpus.filter((c) => c.prod !== 'allow' && bash.classify(c.cmd).decision === 'allow');
    assert.ok(caughtOnlyAsWindows.length >= 50, `${caughtOnlyAsWindows.length} gated lines are allowed when read as bash`);
  });
});

async function cli(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const input = new PassThrough();
  input.end(stdin);
  let out = '';
  let err = '';
  const code = await main(argv, { stdin: input, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe('Windows corpus through the CLI', function () {
  this.timeout(60000);

  for (const shell of ['powershell', 'cmd'] as const) {
    it(`classify --shell ${shell} --jsonl answers every ${shell} line as labelled`, async () => {
      const lines = corpus.filter((c) => c.shell === shell);
      const r = await cli(['classify', '--env', 'production', '--shell', shell, '--jsonl'], lines.map((c) => JSON.stringify({ command: c.cmd })).join('\n') + '\n');
      assert.equal(r.code, 0, r.err);
      const answers = r.out.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(answers.length, lines.length);
      lines.forEach((c, i) => {
        assert.equal(answers[i].decision, c.prod, `${c.where} ${c.cmd}`);
        if (c.resource !== undefined) assert.equal(answers[i].resource, c.resource, `${c.where} ${c.cmd}`);
      });
    });
  }

  it('a line may name its own shell; a bad --shell is a usage error', async () => {
    const r = await cli(['classify', '--env', 'production', '--jsonl'], [JSON.stringify({ command: 'rd /s /q data', shell: 'cmd' }), JSON.stringify({ command: 'rd /s /q data' }), JSON.stringify({ command: 'x', shell: 'tcsh' })].join('\n') + '\n');
    const [a, b, c] = r.out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(a.decision, 'confirm');
    assert.equal(a.resource, 'data');
    assert.equal(b.decision, 'allow', 'read as bash, rd is an unknown program');
    assert.match(c.error, /"shell" must be one of bash, powershell, cmd/);
    const bad = await cli(['check', '--shell', 'tcsh', '--', 'ls']);
    assert.equal(bad.code, 64);
    assert.match(bad.err, /--shell takes one of bash, powershell, cmd; got "tcsh"/);
  });

  it('check --shell powershell in a real process: exit codes and the name to type', () => {
    const held = spawnSync(process.execPath, [CLI, 'check', '--env', 'production', '--shell', 'powershell', '--', 'Remove-Item -Recurse -Force C:\\Users\\me\\source\\api'], { encoding: 'utf8' });
    assert.equal(held.status, 1, held.stderr);
    assert.match(held.stdout, /fs\.recursive-delete/);
    assert.match(held.stdout, /typing: C:\\Users\\me\\source\\api/);
    const refused = spawnSync(process.execPath, [CLI, 'check', '--env=production', '--shell=cmd', '--json', '--', 'rd /s /q C:\\'], { encoding: 'utf8' });
    assert.equal(refused.status, 2, refused.stderr);
    assert.equal(JSON.parse(refused.stdout).resource, 'C:\\');
    const fine = spawnSync(process.execPath, [CLI, 'check', '--env', 'production', '--shell', 'powershell', '--', 'Get-ChildItem -Recurse | Select-Object -First 5'], { encoding: 'utf8' });
    assert.equal(fine.status, 0, fine.stdout);
  });
});

// ---- the agents' powershell tools ----

const copilotCliPowershell = (command: string, cwd: string) => ({ sessionId: '5d1f', timestamp: 1764150067512, cwd, toolName: 'powershell', toolArgs: JSON.stringify({ command, description: 'Clean up' }) });
const copilotPascalPowerShell = (command: string, cwd: string) => ({ hook_event_name: 'PreToolUse', session_id: '5d1f', cwd, tool_name: 'PowerShell', tool_input: { command, description: 'Clean up' } });
const claudePowerShell = (command: string, cwd: string) => ({ session_id: 'abc123', hook_event_name: 'PreToolUse', cwd, tool_name: 'PowerShell', tool_input: { command, description: 'Clean up' } });
const copilotTerminal = (command: string, cwd: string) => ({ hook_event_name: 'PreToolUse', session_id: '5d1f', cwd, tool_name: 'run_in_terminal', tool_input: { command, explanation: 'Clean up', isBackground: false } });

async function hook(agent: string, payload: unknown, deps: Partial<HookDeps> = {}): Promise<{ code: number; out: string; audit: AuditEntry[] }> {
  const audit: AuditEntry[] = [];
  const input = new PassThrough();
  input.end(JSON.stringify(payload));
  let out = '';
  const code = await runHook([agent, '--env', 'production'], { stdin: input, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} } }, {
    env: {},
    cwd: 'C:\\Users\\me\\source\\shop',
    files: diskFiles,
    now: () => new Date('2026-12-04T09:41:07.512Z'),
    findWindow: () => null,
    ask,
    record: (e) => audit.push(e),
    detectTier: () => ({ tier: 'production', evidence: ['test'] }),
    ...deps,
  });
  return { code, out, audit };
}

/** The decision an agent was given: its JSON's permission decision, or none (left to the agent). */
function decisionOf(agent: 'copilot' | 'claude', out: string): { decision: 'none' | 'allow' | 'deny'; reason: string } {
  if (!out.trim()) return { decision: 'none', reason: '' };
  const body = JSON.parse(out);
  const inner = body.hookSpecificOutput;
  assert.equal(inner.hookEventName, 'PreToolUse');
  if (agent === 'copilot') assert.equal(body.permissionDecision, inner.permissionDecision, 'Copilot reads both');
  return { decision: inner.permissionDecision, reason: inner.permissionDecisionReason };
}

describe('Windows corpus through the agents’ powershell tools', function () {
  this.timeout(120000);
  const tools: [string, 'copilot' | 'claude', (cmd: string, cwd: string) => unknown][] = [
    ['Copilot CLI powershell', 'copilot', copilotCliPowershell],
    ['Copilot PowerShell', 'copilot', copilotPascalPowerShell],
    ['Claude Code PowerShell', 'claude', claudePowerShell],
  ];
  // cmd lines reach a PowerShell tool as `cmd /c '…'`.
  const asPowerShell = (c: Entry) => (c.shell === 'powershell' ? c.cmd : `cmd /c '${c.cmd.replace(/'/g, "''")}'`);

  for (const [name, agent, payload] of tools) {
    it(`${name}: every line answered as labelled (no window: held lines are refused with the name to type)`, async () => {
      const wrong: string[] = [];
      for (const c of corpus) {
        const r = await hook(agent, payload(asPowerShell(c), 'C:\\Users\\me\\source\\shop'));
        const got = decisionOf(agent, r.out);
        const want = c.prod === 'allow' ? 'none' : 'deny';
        if (got.decision !== want) wrong.push(`${c.where} ${c.cmd}: ${got.decision} ${got.reason}`);
        else if (c.prod === 'confirm' && c.resource !== undefined && !got.reason.includes(`typing "${c.resource}"`)) wrong.push(`${c.where} ${c.cmd}: ${got.reason}`);
        else if (c.prod === 'deny' && !/No approval is offered/.test(got.reason)) wrong.push(`${c.where} ${c.cmd}: ${got.reason}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('the audit entry keeps the PowerShell line as written', async () => {
    const r = await hook('claude', claudePowerShell('Remove-Item -Recurse -Force .\\data', 'C:\\Users\\me\\source\\shop'));
    assert.equal(r.audit[0].command, 'Remove-Item -Recurse -Force .\\data');
    assert.deepEqual(r.audit[0].rules, ['fs.recursive-delete']);
    assert.equal(r.audit[0].resource, '.\\data');
  });

  it('Copilot’s terminal tool on Windows names no shell: read as bash and as PowerShell, the stricter wins', async () => {
    const win = await hook('copilot', copilotTerminal('Remove-Item -Recurse -Force .\\data', 'C:\\Users\\me\\source\\shop'), { platform: 'win32' });
    assert.equal(decisionOf('copilot', win.out).decision, 'deny');
    assert.match(decisionOf('copilot', win.out).reason, /typing "\.\\data"/);
    // A bash line in the same terminal is still judged as bash.
    const bashLine = await hook('copilot', copilotTerminal('AGENT_GUARD_PORT= rm -rf data', 'C:\\Users\\me\\source\\shop'), { platform: 'win32' });
    assert.equal(decisionOf('copilot', bashLine.out).decision, 'deny');
    // On Linux the terminal is bash: Remove-Item is an unknown program there.
    const linux = await hook('copilot', copilotTerminal('Remove-Item -Recurse -Force ./data', '/home/me/shop'), { platform: 'linux', cwd: '/home/me/shop' });
    assert.equal(decisionOf('copilot', linux.out).decision, 'none');
  });

  it('an argv command naming powershell (Codex) is read into: bash sees through to PowerShell', async () => {
    const r = await hook('codex', { session_id: 's', cwd: 'C:\\w', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: ['powershell.exe', '-NoProfile', '-Command', 'Remove-Item -Recurse -Force C:\\data'] } });
    const body = JSON.parse(r.out);
    assert.match(JSON.stringify(body), /C:\\\\data/);
  });
});

/** Plays the person at the gate. */
class Person {
  readonly asked: ApprovalRequest[] = [];
  private answer: ApprovalOutcome = { approved: false, how: 'wrong-name' };
  approve(req: ApprovalRequest): Promise<ApprovalOutcome> {
    this.asked.push(req);
    return Promise.resolve(this.answer);
  }
  refused(): void {}
  answers(o: ApprovalOutcome): void {
    this.answer = o;
  }
}

describe('a held PowerShell call is judged as PowerShell by the editor’s gate too', function () {
  this.timeout(20000);
  let server: GateServer;
  let person: Person;
  let state: string;
  let work: string;

  beforeEach(async () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-win-'));
    state = join(root, 'state');
    work = join(root, 'shop');
    mkdirSync(work);
    person = new Person();
    const engine = new Engine({ tier: 'production' });
    server = new GateServer(new GateService({ settings: () => ({ engine, tier: 'production', workspace: work, requireTierPrefix: false }), approver: person, record: () => {} }));
    const port = await server.listen();
    registerWindow(registryDir(state), { port, token: server.token, pid: process.pid, folders: [work], started: new Date().toISOString(), tier: 'production' });
  });
  afterEach(() => server.close());

  it('the person is asked for the PowerShell resource; approval releases it, a wrong name refuses it', async () => {
    const deps: Partial<HookDeps> = { env: { AGENT_GUARD_STATE_DIR: state }, findWindow: (cwd) => findWindow(registryDir(state), cwd), cwd: work };
    person.answers({ approved: true, by: 'ana' });
    const ok = await hook('claude', claudePowerShell('Remove-Item -Recurse -Force .\\data', work), deps);
    assert.equal(person.asked.length, 1, 'the gate held it: read as bash it would have been allowed without asking');
    assert.equal(person.asked[0].expected, '.\\data');
    assert.equal(decisionOf('claude', ok.out).decision, 'allow');
    person.answers({ approved: false, how: 'wrong-name' });
    const no = await hook('copilot', copilotCliPowershell('cmd /c rd /s /q .\\uploads', work), deps);
    assert.equal(person.asked[1].expected, '.\\uploads');
    assert.equal(decisionOf('copilot', no.out).decision, 'deny');
  });
});

// ---- the readers ----

describe('PowerShell and cmd readers', () => {
  const prod = new Engine({ tier: 'production' });
  const ps = (cmd: string) => prod.classify(cmd, 'powershell');

  it('reads statements, pipelines, blocks, here-strings and comments', () => {
    const p = parsePowerShell('Get-ChildItem | ? { $_.Length -gt 0 } ; git status && npm test || Write-Host "failed: $(Get-Date)"\n@"\nhi\n"@ | Out-Host # done');
    assert.deepEqual(p.errors, []);
    const names = p.commands.filter((c) => c.kind === 'command').map((c) => c.name!.text);
    for (const n of ['Get-ChildItem', '?', 'git', 'npm', 'Write-Host', 'Get-Date', 'Out-Host']) assert.ok(names.includes(n), `${n} in ${names}`);
  });

  it('-EncodedCommand is base64 of UTF-16LE; anything else is not understood', () => {
    const enc = Buffer.from('Remove-Item -Recurse C:\\data', 'utf16le').toString('base64');
    assert.equal(decodeUtf16Base64(enc), 'Remove-Item -Recurse C:\\data');
    assert.equal(decodeUtf16Base64('not base64!'), null);
    const d = ps('powershell -EncodedCommand not-base64');
    assert.equal(d.decision, 'confirm');
    assert.match(d.parseError ?? '', /EncodedCommand/);
  });

  it('splits Windows command lines as the C runtime does', () => {
    assert.deepEqual(splitWindowsArgs('/c rd /s /q "C:\\My Data" a\\\\"b c" "x""y"'), ['/c', 'rd', '/s', '/q', 'C:\\My Data', 'a\\b c', 'x"y']);
  });

  it('names the shell from a tool, a path or a flag', () => {
    assert.equal(shellKindOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'powershell');
    assert.equal(shellKindOf('powershell'), 'powershell');
    assert.equal(shellKindOf('C:\\Windows\\System32\\cmd.exe'), 'cmd');
    assert.equal(shellKindOf('/bin/zsh'), 'bash');
    assert.equal(shellKindOf('nu'), undefined);
    assert.deepEqual(candidateShells('cmd', true, 'C:\\w'), ['cmd']);
    assert.deepEqual(candidateShells(undefined, true, 'C:\\w', 'linux'), ['bash', 'powershell']);
    assert.deepEqual(candidateShells(undefined, false, 'C:\\w', 'win32'), ['bash']);
    assert.deepEqual(candidateShells(undefined, true, '/home/me', 'linux'), ['bash']);
  });

  it('bash lines that start a Windows shell are read in that shell’s language', () => {
    for (const line of ['pwsh -c "Remove-Item -Recurse data"', "powershell.exe -Command 'rd data -r'", 'cmd //c "rd /s /q data"', 'cmd.exe /C rd /S /Q data']) {
      const d = prod.classify(line);
      assert.equal(d.decision, 'confirm', line);
      assert.equal(d.resource, 'data', line);
    }
  });

  it('huge, binary and deeply nested input: an answer, never a crash', () => {
    const deep = '('.repeat(5000) + 'Remove-Item -Recurse data' + ')'.repeat(5000);
    assert.equal(ps(deep).decision, 'confirm');
    assert.equal(ps('{'.repeat(3000)).decision, 'confirm');
    assert.equal(ps('\u0000\u00ff\ud800 Remove-Item').decision, 'allow');
    const long = 'Write-Host ' + 'a'.repeat(1 << 20) + '; Remove-Item -Recurse -Force data';
    const d = ps(long);
    assert.equal(d.resource, 'data');
    assert.equal(prod.classify('"'.repeat(999), 'cmd').decision, 'confirm', 'an odd number of quotes leaves one open');
    for (const kind of ['powershell', 'cmd'] as const) assert.doesNotThrow(() => expand('@"\n`\n$(\n{\n', kind));
  });

  it('-WhatIf only looks; -Confirm still changes things (an agent can answer the prompt), so it is judged as usual', () => {
    assert.equal(ps('Remove-Item -Recurse -Force C:\\data -WhatIf').decision, 'allow');
    assert.equal(ps('Remove-Item -Recurse -Force C:\\data -WhatIf:$false').decision, 'confirm');
    assert.equal(ps('Remove-Item -Recurse -Force C:\\data -Confirm').decision, 'confirm');
    assert.equal(new Engine({ tier: 'production', freeze: true }).classify('Remove-Item C:\\x.txt -WhatIf', 'powershell').decision, 'allow');
    assert.equal(new Engine({ tier: 'production', freeze: true }).classify('New-Item -ItemType Directory x', 'powershell').decision, 'confirm', 'freeze holds what changes state');
    assert.equal(new Engine({ tier: 'production', freeze: true }).classify('Get-ChildItem -Recurse | Select-String TODO', 'powershell').decision, 'allow');
  });
});

describe('fuzz: PowerShell and cmd readers', () => {
  const PIECES = ['Remove-Item', ' -Recurse', ' -fo', ' ', '"', "'", '`', '$(', ')', '(', '{', '}', '@{', '@(', '@"\n', '\n"@', "@'\n", "\n'@", '\n', ';', '&&', '||', '|', '&', '>', '2>&1', '#', '<#', '#>', '$', '$env:', '%', '%USERPROFILE%', '^', ',', '=', '-', '\u2013', '\u201c', 'iex ', 'cmd /c ', 'rd /s /q ', 'pwsh -c ', 'powershell -enc ', 'UgBtAA==', 'Start-Process ', '[scriptblock]::Create(', '[IO.Directory]::Delete(', 'C:\\', 'data', '--%', '@p', 'if ', 'for %i in (x) do ', '\u0000', '\ud800'];
  it('survives 10,000 random splices of PowerShell and cmd syntax, with a resource for every hold', () => {
    let seed = 1337;
    const next = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const engine = new Engine({ tier: 'production' });
    for (let i = 0; i < 10000; i++) {
      let line = '';
      const n = 1 + Math.floor(next() * 12);
      for (let j = 0; j < n; j++) line += PIECES[Math.floor(next() * PIECES.length)];
      for (const shell of ['powershell', 'cmd'] as const) {
        const d = engine.classify(line, shell);
        assert.ok(VERDICTS.includes(d.decision), `bad decision for ${JSON.stringify(line)}`);
        if (d.decision === 'confirm') assert.ok(d.resource && d.resource.trim().length > 0, `confirm without a resource for ${shell} ${JSON.stringify(line)}`);
      }
    }
  });
});

// ---- Windows paths, with path.win32's rules ----

describe('Windows paths', () => {
  it('catastrophic: drives, system folders, homes, shares and registry roots, any case or separator', () => {
    for (const p of ['C:\\', 'c:', 'C:/', 'C:\\*', 'C:\\*.*', 'D:\\', '\\', 'C:\\Windows', 'c:\\windows\\system32', 'C:\\Program Files', 'C:\\Program Files (x86)\\', 'C:\\ProgramData', 'C:\\Users', 'C:\\Users\\ana', 'C:\\Users\\ana\\*', 'c:/users/ana/', '%USERPROFILE%', '"%USERPROFILE%\\*"', '%SystemRoot%', '%SystemRoot%\\System32', '%HOMEDRIVE%%HOMEPATH%', '$env:USERPROFILE', '${env:USERPROFILE}\\*', '$env:windir', '$HOME', '~', '\\\\fileserver\\share', '\\\\fileserver\\c$\\', '\\\\?\\C:\\', '\\\\?\\C:\\Windows', 'HKLM:\\SOFTWARE', 'hkcu:\\']) {
      assert.ok(isWindowsCatastrophicPath(p), p);
      assert.ok(isCatastrophicPath(p), p);
    }
    for (const p of ['C:\\Users\\ana\\source\\api', 'C:\\data', 'D:\\backups\\old', '.\\data', 'C:\\Windows\\Temp', '%TEMP%\\x', '$env:TEMP\\build', '\\\\fileserver\\share\\team\\old', 'HKCU:\\Software\\MyApp', '%USERPROFILE%\\Documents\\old', 'data', '*']) {
      assert.ok(!isWindowsCatastrophicPath(p), p);
    }
  });

  it('regenerable folders with backslashes', () => {
    for (const p of ['.\\node_modules', 'node_modules\\', 'src\\app\\bin', 'obj\\']) assert.ok(isRegenerable(p), p);
    for (const p of ['.\\src', '..\\node_modules', '$env:TEMP\\node_modules']) assert.ok(!isRegenerable(p), p);
  });

  it('inside a folder: case-insensitive, either separator, other drives and shares outside', () => {
    assert.ok(isWithin('C:\\Users\\Ana\\shop', 'c:\\users\\ana\\SHOP\\src\\app.ts', win32));
    assert.ok(isWithin('C:\\Users\\Ana\\shop', 'C:/Users/Ana/shop/src', win32));
    assert.ok(isWithin('C:\\Users\\Ana\\shop', 'C:\\Users\\Ana\\shop', win32));
    assert.ok(isWithin('C:\\Users\\Ana\\shop', 'C:\\Users\\Ana\\shop\\..cache\\x', win32), 'a name starting with two dots is inside');
    assert.ok(!isWithin('C:\\Users\\Ana\\shop', 'C:\\Users\\Ana\\shopping\\x', win32));
    assert.ok(!isWithin('C:\\Users\\Ana\\shop', 'D:\\Users\\Ana\\shop\\x', win32));
    assert.ok(!isWithin('C:\\Users\\Ana\\shop', 'C:\\Users\\Ana', win32));
    assert.ok(isWithin('\\\\srv\\share\\proj', '\\\\SRV\\Share\\proj\\a.txt', win32));
    assert.ok(!isWithin('\\\\srv\\share\\proj', '\\\\srv\\other\\proj\\a.txt', win32));
  });

  it('state and audit log under %LOCALAPPDATA%, joined with backslashes', () => {
    assert.equal(stateDir({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'C:\\Users\\ana', 'win32'), 'C:\\Users\\ana\\AppData\\Local\\agent-guard');
    assert.equal(stateDir({}, 'C:\\Users\\ana', 'win32'), 'C:\\Users\\ana\\AppData\\Local\\agent-guard');
    assert.equal(auditLogPath({ LOCALAPPDATA: 'D:\\Profiles\\ana\\Local' }, 'C:\\Users\\ana', 'win32'), 'D:\\Profiles\\ana\\Local\\agent-guard\\audit.jsonl');
    assert.equal(auditLogPath({ AGENT_GUARD_STATE_DIR: '\\\\srv\\ag' }, 'C:\\Users\\ana', 'win32'), '\\\\srv\\ag\\audit.jsonl');
  });
});
