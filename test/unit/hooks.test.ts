// The agents' hooks: each adapter fed its agent's documented JSON (safe, held, refused, unreadable) answers in that
// agent's exact JSON and exit code; a held call waits on a real gate until a person's typed answer releases or
// refuses it; install-hooks merges into a person's own configuration, changes nothing the second time, and takes out
// only its own entry.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { AuditEntry } from '../../src/core/audit/log';
import { Engine } from '../../src/core/classify';
import { main } from '../../src/cli/main';
import { diskFiles, type AgentId } from '../../src/cli/hooks/adapter';
import { hookCommand, isConnected, isOurCommand, parseJsonc, planInstall, planRemove } from '../../src/core/agents/hookConfig';
import { autoApproveLoosening, autoApproveMatches, hookFileLoosening, hookLocationsLoosening } from '../../src/core/agents/hookLoosening';
import { renderDiff } from '../../src/core/agents/unifiedDiff';
import { installHooksCommand, readHookFile, writeHookFile, type InstallDeps } from '../../src/cli/hooks/install';
import { runHook, type HookDeps } from '../../src/cli/hooks/runner';
import { ask } from '../../src/gate/client';
import { findWindow, listensOn, registerWindow, registryDir, unverifiedWindows, windowForGate, type WindowEntry } from '../../src/gate/registry';
import { GateServer } from '../../src/gate/server';
import { ApprovalOutcome, ApprovalRequest, GateService } from '../../src/gate/service';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

interface Run {
  code: number;
  out: string;
  err: string;
  audit: AuditEntry[];
}

function io(stdin: string | PassThrough) {
  const input = typeof stdin === 'string' ? new PassThrough() : stdin;
  if (typeof stdin === 'string') input.end(stdin);
  const r = { out: '', err: '' };
  return { r, io: { stdin: input, stdout: { write: (s: string) => (r.out += s) }, stderr: { write: (s: string) => (r.err += s) } } };
}

async function hook(agent: string, payload: unknown, args: string[] = ['--env', 'production'], deps: Partial<HookDeps> = {}): Promise<Run> {
  const audit: AuditEntry[] = [];
  const { r, io: streams } = io(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const code = await runHook([agent, ...args], streams, {
    env: {},
    cwd: '/home/dev/shop',
    files: diskFiles,
    now: () => new Date('2026-11-26T09:41:07.512Z'),
    findWindow: () => null,
    ask,
    record: (e) => audit.push(e),
    ...deps,
  });
  return { code, out: r.out, err: r.err, audit };
}

/** Checks the whole stdout against the agent's exact shape for a decision; returns the reason. */
function answered(agent: AgentId, decision: 'allow' | 'deny', out: string): string {
  const body = JSON.parse(out);
  let reason: string;
  let expected: unknown;
  switch (agent) {
    case 'copilot':
      reason = body.permissionDecisionReason;
      expected = { permissionDecision: decision, permissionDecisionReason: reason, hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason } };
      break;
    case 'claude':
    case 'codex':
    case 'qwen':
      reason = body.hookSpecificOutput.permissionDecisionReason;
      expected = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason } };
      break;
    case 'cursor':
      reason = body.user_message ?? '';
      expected = decision === 'allow' ? { permission: 'allow' } : { permission: 'deny', user_message: reason, agent_message: reason };
      break;
    case 'gemini':
      reason = body.reason;
      expected = { decision, reason };
      break;
  }
  assert.equal(out, JSON.stringify(expected) + '\n', `${agent} answers exactly its own shape`);
  if (decision === 'deny' || agent !== 'cursor') assert.equal(typeof reason, 'string');
  return reason;
}

// ---- the agents' documented payloads (research notes, /work/research/hooks.md) ----

const vscodeLocal = (command: string) => ({
  timestamp: '2026-11-26T09:41:07.512Z',
  hook_event_name: 'PreToolUse',
  session_id: '8b0c3c8e-6a3e-4a57-9f7e-2f4c1d0b9a11',
  transcript_path: '/home/dev/.config/Code/User/workspaceStorage/3f1c/GitHub.copilot-chat/transcripts/8b0c3c8e.jsonl',
  cwd: '/home/dev/shop',
  tool_name: 'run_in_terminal',
  tool_input: { command, explanation: 'Delete the payments namespace to reset the environment.', goal: 'Reset staging', isBackground: false, timeout: 0 },
  tool_use_id: 'call_Q2x7__vscode-1764150067512',
});
const copilotPascal = (command: string) => ({ hook_event_name: 'PreToolUse', session_id: '5d1f', timestamp: '2026-11-26T09:41:07.512Z', cwd: '/home/dev/shop', tool_name: 'Bash', tool_input: { command, description: 'Tear down infra' } });
const copilotCamel = (command: string) => ({ sessionId: '5d1f', timestamp: 1764150067512, cwd: '/home/dev/shop', toolName: 'bash', toolArgs: JSON.stringify({ command, description: 'Tear down infra' }) });
const claudeBash = (command: string, cwd = '/home/dev/shop') => ({
  session_id: 'abc123',
  prompt_id: '550e8400-e29b-41d4-a716-446655440000',
  transcript_path: '/home/dev/.claude/projects/-home-dev-shop/abc123.jsonl',
  cwd,
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command, description: 'Force-push rewritten history', timeout: 120000, run_in_background: false },
  tool_use_id: 'toolu_01ABC123',
});
const cursorShell = (command: string) => ({
  conversation_id: '0f6e2a54-9d1b-4c1e-8d3a-6a1f0c7b2e90',
  generation_id: '9a1c5e7d-0b3f-4f2a-a6c1-2d8e4b7f9c31',
  model: 'default',
  hook_event_name: 'beforeShellExecution',
  cursor_version: '3.9.16',
  workspace_roots: ['/home/dev/shop'],
  user_email: 'dev@example.com',
  transcript_path: null,
  session_id: '0f6e2a54-9d1b-4c1e-8d3a-6a1f0c7b2e90',
  command,
  cwd: '/home/dev/shop',
  sandbox: false,
});
const codexCall = (tool: string, input: Record<string, unknown>, cwd = '/home/dev/shop') => ({
  session_id: '019a7c2e-5b1d-7f3a-9c2e-4d8b1a6f0e21',
  turn_id: '019a7c2e-6c0f-7a11-8e3d-2b9f5c1a7d44',
  transcript_path: null,
  cwd,
  hook_event_name: 'PreToolUse',
  model: 'gpt-5.1-codex',
  permission_mode: 'default',
  tool_name: tool,
  tool_use_id: 'call_8fK2mQ',
  tool_input: input,
});
const geminiCall = (tool: string, input: Record<string, unknown>, cwd = '/home/dev/shop') => ({
  session_id: 'c4a1e2b0-7f3d-4e58-9a61-0d2b8f5c3e17',
  transcript_path: '/home/dev/.gemini/tmp/6f1c/chats/session.json',
  cwd,
  hook_event_name: 'BeforeTool',
  timestamp: '2026-11-26T09:41:07.512Z',
  tool_name: tool,
  tool_input: input,
});

// Qwen Code 0.24.4's PreToolUse payload (its hook input: Claude's common fields, its own tool ids).
const qwenCall = (tool: string, input: Record<string, unknown>, cwd = '/home/dev/shop') => ({
  session_id: '5d0c8e9a-61b2-4f7e-a3c4-2b9e7f01d6aa',
  transcript_path: '/home/dev/.qwen/projects/-home-dev-shop/chats/5d0c8e9a.jsonl',
  cwd,
  hook_event_name: 'PreToolUse',
  timestamp: '2026-12-04T05:12:44.019Z',
  permission_mode: 'yolo',
  tool_name: tool,
  tool_input: input,
  tool_use_id: 'toolu_01HQ3',
  tool_call_id: 'call_ag_0',
});

describe('agent hooks: each adapter answers in its agent’s exact JSON', () => {
  it('VS Code Copilot (Local harness): silent on safe, both decision forms on refusals, reasons and session in the log', async () => {
    const safe = await hook('copilot', vscodeLocal('git status'));
    assert.deepEqual([safe.code, safe.out], [0, ''], 'no opinion: Copilot’s own confirmation stays in charge');
    assert.equal(safe.audit[0].outcome, 'ran');

    const refused = await hook('copilot', vscodeLocal('kubectl delete namespace payments'));
    assert.equal(refused.code, 0);
    assert.match(answered('copilot', 'deny', refused.out), /Refused in production: Deletes a whole namespace.*k8s\.delete-namespace.*No approval is offered/);
    const e = refused.audit[0];
    assert.deepEqual([e.source, e.agent, e.outcome, e.decidedBy, e.sessionId], ['hook:copilot', 'copilot', 'refused', 'policy', '8b0c3c8e-6a3e-4a57-9f7e-2f4c1d0b9a11']);
    assert.equal(e.why, 'Delete the payments namespace to reset the environment. — goal: Reset staging');

    const held = await hook('copilot', vscodeLocal('rm -rf ./data'));
    const reason = answered('copilot', 'deny', held.out);
    assert.match(reason, /typing "\.\/data" in VS Code, but no VS Code window with Agent Guard has \/home\/dev\/shop open/);
    assert.match(reason, /run it themselves in a terminal: rm -rf \.\/data$/);
    assert.deepEqual([held.audit[0].decision, held.audit[0].outcome, held.audit[0].decidedBy], ['confirm', 'refused', 'unreachable']);
  });

  it('Copilot CLI / Copilot harness: PascalCase (Claude tool names) and camelCase (toolArgs as a JSON string)', async () => {
    for (const payload of [copilotPascal('terraform destroy -auto-approve'), copilotCamel('terraform destroy -auto-approve')]) {
      const r = await hook('copilot', payload);
      assert.match(answered('copilot', 'deny', r.out), /iac\.destroy/);
      assert.equal(r.audit[0].why, 'Tear down infra');
      assert.equal(r.audit[0].sessionId, '5d1f');
    }
    assert.equal((await hook('copilot', copilotCamel('ls -la'))).out, '');
    const bad = await hook('copilot', { sessionId: 's', cwd: '/w', toolName: 'bash', toolArgs: '{not json' });
    assert.match(answered('copilot', 'deny', bad.out), /could not read this GitHub Copilot tool call \(bash: tool input is not a JSON object\)/);
  });

  it('Claude Code: Bash with its description as the reason; allow is silence', async () => {
    assert.deepEqual(await hook('claude', claudeBash('git log --oneline -5')).then((r) => [r.code, r.out]), [0, '']);
    const held = await hook('claude', claudeBash('git push --force origin main'));
    assert.equal(held.code, 0);
    assert.match(answered('claude', 'deny', held.out), /git\.force-push\) A person must approve it by typing "main"/);
    assert.deepEqual([held.audit[0].why, held.audit[0].sessionId, held.audit[0].source], ['Force-push rewritten history', 'abc123', 'hook:claude']);
    const refused = await hook('claude', claudeBash('rm -rf /'));
    assert.match(answered('claude', 'deny', refused.out), /Refused in production/);
    const dev = await hook('claude', claudeBash('rm -rf /'), ['--env', 'development']);
    assert.match(answered('claude', 'deny', dev.out), /Held in development.*no VS Code window/, 'development: the engine holds it, and with no window it is refused with instructions');
  });

  it('Cursor: an explicit allow (the hook fails closed), a flat deny with user and agent messages', async () => {
    const safe = await hook('cursor', cursorShell('npm test'));
    assert.equal(safe.code, 0);
    answered('cursor', 'allow', safe.out);
    const held = await hook('cursor', cursorShell(`psql "$PROD_URL" -c 'DROP TABLE orders'`));
    assert.match(answered('cursor', 'deny', held.out), /sql\.drop\) A person must approve it by typing "orders"/);
    assert.equal(held.audit[0].sessionId, '0f6e2a54-9d1b-4c1e-8d3a-6a1f0c7b2e90');
    const refused = await hook('cursor', cursorShell('rm -rf ~'));
    assert.match(answered('cursor', 'deny', refused.out), /Refused in production/);
  });

  it('Codex: allow is silence, never "ask"; a held command is a deny that says how to run it', async () => {
    assert.deepEqual(await hook('codex', codexCall('Bash', { command: 'cargo test' })).then((r) => [r.code, r.out]), [0, '']);
    const held = await hook('codex', codexCall('Bash', { command: 'aws s3 rb s3://shop-prod-assets --force' }));
    const reason = answered('codex', 'deny', held.out);
    assert.match(reason, /typing "s3:\/\/shop-prod-assets" in VS Code.*run it themselves in a terminal: aws s3 rb s3:\/\/shop-prod-assets --force/);
    assert.doesNotMatch(held.out, /"ask"|"allow"/);
    const argv = await hook('codex', codexCall('Bash', { command: ['bash', '-lc', 'rm -rf ./data'] }));
    assert.match(answered('codex', 'deny', argv.out), /fs\.recursive-delete/);
    assert.equal(argv.audit[0].command, 'rm -rf ./data');
  });

  it('Gemini CLI: run_shell_command with its description and dir_path', async () => {
    assert.equal((await hook('gemini', geminiCall('run_shell_command', { command: 'ls' }))).out, '');
    const held = await hook('gemini', geminiCall('run_shell_command', { command: 'rm -rf ./data', description: 'Remove local data dir', dir_path: 'services/api' }));
    assert.match(answered('gemini', 'deny', held.out), /fs\.recursive-delete.*open \/home\/dev\/shop\/services\/api in VS Code/);
    assert.deepEqual([held.audit[0].why, held.audit[0].cwd], ['Remove local data dir', '/home/dev/shop/services/api']);
    assert.equal((await hook('gemini', geminiCall('read_file', { file_path: '/etc/passwd' }))).out, '', 'tools the guard does not judge: no opinion');
  });

  it('Qwen Code: run_shell_command and monitor with their directory, write_file, edit and notebook_edit, answered as permissionDecision', async () => {
    assert.equal((await hook('qwen', qwenCall('run_shell_command', { command: 'ls' }))).out, '');
    const held = await hook('qwen', qwenCall('run_shell_command', { command: 'rm -rf ./data', description: 'Remove local data dir', directory: '/home/dev/shop/services/api' }));
    assert.match(answered('qwen', 'deny', held.out), /fs\.recursive-delete.*open \/home\/dev\/shop\/services\/api in VS Code/);
    assert.deepEqual([held.audit[0].why, held.audit[0].cwd, held.audit[0].source], ['Remove local data dir', '/home/dev/shop/services/api', 'hook:qwen']);
    const monitor = await hook('qwen', qwenCall('monitor', { command: 'kubectl delete namespace payments', description: 'watch' }));
    assert.match(answered('qwen', 'deny', monitor.out), /k8s\.delete-namespace/);
    assert.equal((await hook('qwen', qwenCall('read_file', { absolute_path: '/etc/passwd' }))).out, '', 'tools the guard does not judge: no opinion');
    const project = mkdtempSync(join(tmpdir(), 'ag-qwen-'));
    try {
      writeFileSync(join(project, 'app.ts'), 'export const x = 1;\n');
      assert.match(answered('qwen', 'deny', (await hook('qwen', qwenCall('write_file', { file_path: join(project, 'app.ts'), content: '' }, project))).out), /write_file empties app\.ts/);
      assert.match(answered('qwen', 'deny', (await hook('qwen', qwenCall('edit', { file_path: join(project, 'app.ts'), old_string: 'export const x = 1;\n', new_string: '' }, project))).out), /edit empties app\.ts/);
      assert.equal((await hook('qwen', qwenCall('edit', { file_path: join(project, 'app.ts'), old_string: '1', new_string: '2' }, project))).out, '', 'an ordinary edit');
      const off = await hook('qwen', qwenCall('write_file', { file_path: join(project, '.qwen', 'settings.json'), content: '{"disableAllHooks": true}' }, project));
      assert.match(answered('qwen', 'deny', off.out), /guard\.config-edit/);
      const nb = await hook('qwen', qwenCall('notebook_edit', { notebook_path: join(project, '.qwen', 'settings.json'), new_source: '{"disableAllHooks": true}', edit_mode: 'replace', cell_id: '0' }, project));
      assert.match(answered('qwen', 'deny', nb.out), /guard\.config-edit/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('unreadable input: refused in production (logged), no opinion in development, never a crash', async () => {
    const agents: AgentId[] = ['copilot', 'claude', 'cursor', 'codex', 'gemini', 'qwen'];
    for (const agent of agents) {
      for (const junk of ['', 'not json', '[1,2]', '"text"', '\u0000\u0001\u00ff', '{"tool_name":"Bash","tool_input":"rm"}']) {
        const prod = await hook(agent, junk);
        assert.equal(prod.code, 0, `${agent} ${JSON.stringify(junk)}`);
        const reason = answered(agent, 'deny', prod.out);
        assert.match(reason, /could not read this .* tool call .*refused it \(production\)/);
        assert.equal(prod.audit[0].outcome, 'refused');
        const dev = await hook(agent, junk, ['--env', 'development']);
        if (agent === 'cursor') answered('cursor', 'allow', dev.out);
        else assert.equal(dev.out, '', `${agent} dev`);
        assert.match(dev.err, /could not read/);
      }
    }
    const noCommand = await hook('claude', { ...claudeBash('x'), tool_input: { description: 'no command' } });
    assert.match(answered('claude', 'deny', noCommand.out), /Bash call without a command/);
    const big = await hook('claude', claudeBash('ls'), ['--env', 'production'], { maxInputBytes: 64 });
    assert.match(answered('claude', 'deny', big.out), /input larger than 64 bytes/);
    const broken = { size: () => { throw new Error('disk on fire'); }, read: () => null };
    const crashed = await hook('claude', { ...claudeBash('x'), tool_name: 'Write', tool_input: { file_path: '/w/a', content: '' } }, ['--env', 'production'], { files: broken });
    assert.match(answered('claude', 'deny', crashed.out), /internal error: disk on fire/);
    assert.match(crashed.err, /internal error/);
    const { r, io: streams } = io(new PassThrough());
    const code = await runHook(['claude', '--env', 'production'], streams, { env: {}, cwd: '/w', files: diskFiles, now: () => new Date(), findWindow: () => null, ask, record: () => {}, stdinTimeoutMs: 50 });
    assert.equal(code, 0);
    assert.match(answered('claude', 'deny', r.out), /no complete input within/);
  });

  it('events other than the pre-tool one, and a misconfigured hook command', async () => {
    assert.equal((await hook('claude', { ...claudeBash('rm -rf /'), hook_event_name: 'PostToolUse' })).out, '');
    const bad = await hook('claude', claudeBash('ls'), ['--env', 'prodd']);
    assert.match(answered('claude', 'deny', bad.out), /misconfigured \(--env takes one of/);
    const unknown = io('{}');
    assert.equal(await main(['hook', 'vim'], unknown.io), 2);
    assert.match(unknown.r.err, /hook needs one of copilot, claude, cursor, codex, gemini, qwen/);
  });

  it('answers the caller’s format: VS Code runs ~/.claude hooks with its own payload, the Copilot CLI sets COPILOT_CLI', async () => {
    const viaClaudeFile = await hook('claude', vscodeLocal('kubectl delete namespace payments'));
    assert.match(answered('copilot', 'deny', viaClaudeFile.out), /k8s\.delete-namespace/);
    assert.equal(viaClaudeFile.audit[0].source, 'hook:copilot');
    const cli = await hook('claude', claudeBash('rm -rf /'), ['--env', 'production'], { env: { COPILOT_CLI: '1' } });
    answered('copilot', 'deny', cli.out);
  });

  it('tier: the window’s label wins over --env, then AGENT_GUARD_TIER, then unknown', async () => {
    const win: WindowEntry = { port: 1, token: 't', pid: process.pid, folders: ['/home/dev'], started: '', tier: 'development' };
    const w = await hook('claude', claudeBash('kubectl delete namespace payments'), ['--env', 'production'], { findWindow: () => win, ask: async () => ({ verdict: 'unreachable', message: 'x' }) });
    assert.equal(w.audit[0].tier, 'development');
    assert.equal(w.audit[0].workspace, '/home/dev');
    assert.equal((await hook('claude', claudeBash('ls'), [], { env: { AGENT_GUARD_TIER: 'staging' } })).audit[0].tier, 'staging');
    assert.equal((await hook('claude', claudeBash('ls'), [])).audit[0].tier, 'unknown');
  });
});

describe('agent hooks: file tools where content would be lost', () => {
  let root: string;
  let project: string;
  let outside: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ag-hookfiles-'));
    project = join(root, 'shop');
    outside = join(root, 'home');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(join(project, '.vscode'));
    mkdirSync(outside);
    writeFileSync(join(project, 'src', 'app.ts'), 'export const app = 1;\n');
  });
  const claudeTool = (tool: string, input: Record<string, unknown>) => ({ ...claudeBash('x', project), tool_name: tool, tool_input: input });

  it('Claude Write: emptying an existing file, or replacing one outside the project, is judged as deleting it', async () => {
    const empties = await hook('claude', claudeTool('Write', { file_path: join(project, 'src', 'app.ts'), content: '' }));
    assert.match(answered('claude', 'deny', empties.out), /Write empties src\/app\.ts: Held in production: Deletes files.*typing "src\/app\.ts"/);
    assert.equal(empties.audit[0].command, 'rm -f -- src/app.ts');
    assert.equal(empties.audit[0].why, undefined, 'Write carries no reason of its own');
    assert.match(empties.audit[0].reason!, /^Write empties src\/app\.ts: Held in production/);
    // A file in the person's home (the temp folder stands for the project; /tmp itself counts as scratch).
    const homeFiles = { size: (p: string) => (p === '/home/dev/.bashrc' ? 30 : diskFiles.size(p)), read: diskFiles.read };
    const replaces = await hook('claude', claudeTool('Write', { file_path: '/home/dev/.bashrc', content: 'echo hi\n' }), ['--env', 'production'], { files: homeFiles });
    assert.match(answered('claude', 'deny', replaces.out), /Write replaces \/home\/dev\/\.bashrc \(outside the project\): Held in production.*typing "\/home\/dev\/\.bashrc"/);
    assert.equal((await hook('claude', claudeTool('Write', { file_path: join(project, 'src', 'app.ts'), content: 'export const app = 2;\n' }))).out, '', 'an ordinary rewrite in the project');
    assert.equal((await hook('claude', claudeTool('Write', { file_path: join(outside, 'new.txt'), content: '' }))).out, '', 'a new file loses nothing');
    const dev = await hook('claude', claudeTool('Write', { file_path: join(project, 'src', 'app.ts'), content: '' }), ['--env', 'development']);
    assert.equal(dev.out, '', 'deleting one file is allowed in development, as in the terminal');
    assert.equal(dev.audit[0].outcome, 'ran');
  });

  it('Claude Edit / MultiEdit: only an edit that leaves the file empty', async () => {
    const file = join(project, 'src', 'app.ts');
    const empties = await hook('claude', claudeTool('Edit', { file_path: file, old_string: 'export const app = 1;\n', new_string: '', replace_all: false }));
    assert.match(answered('claude', 'deny', empties.out), /Edit empties src\/app\.ts/);
    assert.equal((await hook('claude', claudeTool('Edit', { file_path: file, old_string: '1', new_string: '2' }))).out, '');
    const multi = await hook('claude', claudeTool('MultiEdit', { file_path: file, edits: [{ old_string: 'export ', new_string: '' }, { old_string: 'const app = 1;', new_string: '' }] }));
    assert.match(answered('claude', 'deny', multi.out), /MultiEdit empties/);
  });

  it('Copilot apply_patch `*** Delete File:`, create_file, multi-file replacements', async () => {
    const local = (tool: string, input: Record<string, unknown>) => ({ ...vscodeLocal('x'), cwd: project, tool_name: tool, tool_input: input });
    const patch = `*** Begin Patch\n*** Delete File: ${join(project, 'src', 'app.ts')}\n*** Update File: README.md\n@@\n-a\n+b\n*** End Patch`;
    const del = await hook('copilot', local('apply_patch', { input: patch, explanation: 'Remove the unused app module' }));
    assert.match(answered('copilot', 'deny', del.out), /apply_patch deletes src\/app\.ts: Held in production.*typing "src\/app\.ts"/);
    assert.equal(del.audit[0].why, 'Remove the unused app module');
    assert.equal((await hook('copilot', local('apply_patch', { input: '*** Begin Patch\n*** Update File: a.ts\n@@\n-a\n+b\n*** End Patch' }))).out, '');
    assert.match(answered('copilot', 'deny', (await hook('copilot', local('create_file', { filePath: join(project, 'src', 'app.ts'), content: '' }))).out), /create_file empties/);
    const multi = await hook('copilot', local('multi_replace_string_in_file', { explanation: 'x', replacements: [{ filePath: join(project, 'src', 'app.ts'), oldString: 'export const app = 1;\n', newString: '' }] }));
    assert.match(answered('copilot', 'deny', multi.out), /multi_replace_string_in_file empties/);
    const cliDelete = await hook('copilot', { ...copilotCamel('x'), cwd: project, toolName: 'apply_patch', toolArgs: JSON.stringify({ input: patch }) });
    answered('copilot', 'deny', cliDelete.out);
  });

  it('Copilot tasks and VS Code commands: the task’s command line, text sent to a terminal, the guard’s own commands', async () => {
    writeFileSync(join(project, '.vscode', 'tasks.json'), '{\n  // JSONC, as VS Code writes it\n  "version": "2.0.0",\n  "tasks": [\n    { "label": "wipe", "type": "shell", "command": "rm", "args": ["-rf", "data"], },\n    { "label": "build", "type": "shell", "command": "npm run build" },\n  ]\n}\n');
    const local = (tool: string, input: Record<string, unknown>) => ({ ...vscodeLocal('x'), cwd: project, tool_name: tool, tool_input: input });
    const wipe = await hook('copilot', local('run_task', { workspaceFolder: project, id: 'shell: wipe' }));
    assert.match(answered('copilot', 'deny', wipe.out), /fs\.recursive-delete/);
    assert.equal(wipe.audit[0].command, 'rm -rf data');
    assert.equal((await hook('copilot', local('run_task', { workspaceFolder: project, id: 'build' }))).out, '');
    assert.equal((await hook('copilot', local('run_task', { workspaceFolder: project, id: 'unknown' }))).out, '', 'an unknown task is left to the task gate');
    const created = await hook('copilot', local('create_and_run_task', { workspaceFolder: project, task: { label: 'reset', type: 'shell', command: 'git', args: ['push', '--force', 'origin', 'main'] } }));
    assert.match(answered('copilot', 'deny', created.out), /git\.force-push/);
    const typed = await hook('copilot', local('run_vscode_command', { commandId: 'workbench.action.terminal.sendSequence', name: 'Send', args: [{ text: 'rm -rf data\n' }] }));
    assert.match(answered('copilot', 'deny', typed.out), /fs\.recursive-delete/);
    const guard = await hook('copilot', local('run_vscode_command', { commandId: 'agentGuard.connectAgents', name: 'Connect' }), ['--env', 'development']);
    assert.match(answered('copilot', 'deny', guard.out), /Agent Guard's own commands \(agentGuard\.connectAgents\) are for the person/);
    assert.equal((await hook('copilot', local('run_vscode_command', { commandId: 'editor.action.formatDocument', name: 'Format' }))).out, '');
  });

  it('Codex apply_patch and Gemini write_file', async () => {
    const patch = `*** Begin Patch\n*** Delete File: src/app.ts\n*** End Patch`;
    assert.match(answered('codex', 'deny', (await hook('codex', codexCall('apply_patch', { command: patch }, project))).out), /deletes src\/app\.ts/);
    assert.match(answered('gemini', 'deny', (await hook('gemini', geminiCall('write_file', { file_path: 'src/app.ts', content: '' }, project))).out), /write_file empties src\/app\.ts/);
  });
});

/** Plays the person: answers each approval from a script, or waits until asked to. */
class ScriptedPerson {
  readonly asked: ApprovalRequest[] = [];
  readonly pending: { req: ApprovalRequest; abort: AbortSignal; resolve: (o: ApprovalOutcome) => void }[] = [];
  approve(req: ApprovalRequest, abort: AbortSignal): Promise<ApprovalOutcome> {
    this.asked.push(req);
    return new Promise((resolve) => {
      this.pending.push({ req, abort, resolve });
      abort.addEventListener('abort', () => resolve({ approved: false, how: 'cancelled' }));
    });
  }
  refused(): void {}
  async next(): Promise<(typeof this.pending)[number]> {
    while (!this.pending.length) await new Promise((r) => setTimeout(r, 5));
    return this.pending.shift()!;
  }
}

describe('agent hooks: a held call waits on the editor’s gate', function () {
  this.timeout(20000);
  let server: GateServer;
  let port: number;
  let person: ScriptedPerson;
  let gateLog: AuditEntry[];
  let state: string;
  let work: string;

  beforeEach(async () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-hookgate-'));
    state = join(root, 'state');
    work = join(root, 'shop');
    mkdirSync(work);
    person = new ScriptedPerson();
    gateLog = [];
    const engine = new Engine({ tier: 'production' });
    server = new GateServer(new GateService({ settings: () => ({ engine, tier: 'production', workspace: work, requireTierPrefix: false }), approver: person, record: (e) => gateLog.push(e) }));
    port = await server.listen();
    registerWindow(registryDir(state), { port, token: server.token, pid: process.pid, folders: [work], started: new Date().toISOString(), tier: 'production' });
  });
  afterEach(() => server.close());

  /** The real registry lookup under a temp state folder; the hook's own log lines are collected apart from the gate's. */
  function viaRegistry(): Partial<HookDeps> {
    return { env: { AGENT_GUARD_STATE_DIR: state }, findWindow: (cwd) => findWindow(registryDir(state), cwd), windowForGate: (g) => windowForGate(registryDir(state), g), unverifiedWindows: (cwd) => unverifiedWindows(registryDir(state), cwd) };
  }

  it('waits while the person types, and a matching name releases it (explicit allow; the gate logs it, the hook does not)', async () => {
    let settled = false;
    const run = hook('claude', claudeBash('git push --force origin main', work), [], viaRegistry()).finally(() => (settled = true));
    const p = await person.next();
    assert.equal(p.req.expected, 'main');
    assert.equal(p.req.agent, 'claude');
    assert.equal(p.req.why, 'Force-push rewritten history');
    assert.equal(p.req.source, 'hook:claude');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(settled, false, 'the hook is still waiting for the person');
    p.resolve({ approved: true, by: 'ana' });
    const r = await run;
    assert.equal(r.code, 0);
    assert.match(answered('claude', 'allow', r.out), /approved in VS Code — approved by ana \(typed "main"\)/);
    assert.deepEqual(r.audit, [], 'no double logging');
    assert.deepEqual([gateLog[0].source, gateLog[0].why, gateLog[0].sessionId, gateLog[0].outcome, gateLog[0].decidedBy], ['hook:claude', 'Force-push rewritten history', 'abc123', 'ran', 'typed']);
  });

  it('a wrong name refuses it', async () => {
    const run = hook('gemini', geminiCall('run_shell_command', { command: 'rm -rf ./data', description: 'Remove local data dir' }, work), [], viaRegistry());
    (await person.next()).resolve({ approved: false, how: 'wrong-name' });
    const r = await run;
    assert.match(answered('gemini', 'deny', r.out), /refused \(the typed name did not match\)/);
    assert.deepEqual(r.audit, []);
    assert.equal(gateLog[0].decidedBy, 'wrong-name');
  });

  it('gives up before the agent’s own timeout would let the call through: refused, and the prompt is withdrawn', async () => {
    const run = hook('codex', codexCall('Bash', { command: 'aws s3 rb s3://shop-prod-assets --force' }, work), ['--deadline', '0.3'], viaRegistry());
    const p = await person.next();
    const r = await run;
    assert.match(answered('codex', 'deny', r.out), /no one approved it in time/);
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(p.abort.aborted, true);
    assert.deepEqual(r.audit, [], 'the gate logged the withdrawn prompt');
    assert.equal(gateLog[0].decidedBy, 'cancelled');
  });

  it('a registered window that does not answer: refused with instructions, logged by the hook, at the window’s tier', async () => {
    server.close();
    const r = await hook('claude', claudeBash('git push --force origin main', work), [], viaRegistry());
    assert.match(answered('claude', 'deny', r.out), /the VS Code window registered for .* does not answer on its port/);
    assert.match(r.out, /a VS Code window that no longer answers labelled it production/);
    assert.deepEqual([r.audit[0].decidedBy, r.audit[0].tier], ['unreachable', 'production']);
  });

  it('the real CLI in a child process (async spawn) waits on the gate found from its environment, and answers Copilot', async () => {
    const child = spawn(process.execPath, [CLI, 'hook', 'copilot'], {
      // The window is registered in `state`; the hook trusts the address in its environment because that window owns it.
      env: { PATH: process.env.PATH, AGENT_GUARD_PORT: String(port), AGENT_GUARD_TOKEN: server.token, AGENT_GUARD_STATE_DIR: state },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((res) => child.on('close', res));
    child.stdin.end(JSON.stringify({ ...vscodeLocal('rm -rf ./data'), cwd: work }));
    const p = await person.next();
    assert.equal(p.req.agent, 'copilot');
    p.resolve({ approved: true, by: 'ana' });
    assert.equal(await exited, 0, err);
    assert.match(answered('copilot', 'allow', out), /approved by ana/);
    assert.equal(existsSync(join(state, 'audit.jsonl')), false, 'the gate decided: the hook wrote nothing');
  });

  /** A listener of the agent's own, in another process, that answers "allow" to anything. */
  async function fakeGate(): Promise<{ port: number; pid: number; hits: () => number; stop: () => void }> {
    const child = spawn(process.execPath, ['-e', `
      let hits = 0;
      const s = require('node:net').createServer((c) => { hits++; process.stderr.write('hit\\n'); c.on('data', () => c.end('allow T approved by nobody\\n')); });
      s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
    `], { stdio: ['ignore', 'pipe', 'pipe'] });
    let hits = 0;
    child.stderr.on('data', (d) => (hits += String(d).split('hit').length - 1));
    const fport = await new Promise<number>((res) => child.stdout.once('data', (d) => res(Number(String(d).trim()))));
    return { port: fport, pid: child.pid!, hits: () => hits, stop: () => child.kill('SIGKILL') };
  }

  it('a gate address planted in the environment (agent settings, .env) is not trusted: the window’s own gate is asked', async () => {
    const fake = await fakeGate();
    try {
      const run = hook('claude', claudeBash('rm -rf ./data', work), [], { ...viaRegistry(), env: { AGENT_GUARD_STATE_DIR: state, AGENT_GUARD_PORT: String(fake.port), AGENT_GUARD_TOKEN: 'x' } });
      const p = await person.next();
      p.resolve({ approved: false, how: 'dismissed' });
      const r = await run;
      assert.match(answered('claude', 'deny', r.out), /refused \(dismissed\)/);
      assert.match(r.err, /ignored AGENT_GUARD_PORT=\d+: no VS Code window with Agent Guard listens there/);
      assert.equal(fake.hits(), 0, 'the planted listener was never asked');
      // Outside every window's folders there is no one to ask: refused, not approved by the planted listener.
      const outside = await hook('claude', claudeBash('rm -rf ./data', tmpdir()), ['--env', 'production'], { ...viaRegistry(), env: { AGENT_GUARD_STATE_DIR: state, AGENT_GUARD_PORT: String(fake.port), AGENT_GUARD_TOKEN: 'x' } });
      assert.match(answered('claude', 'deny', outside.out), /no VS Code window with Agent Guard has/);
      assert.equal(fake.hits(), 0);
    } finally {
      fake.stop();
    }
  });

  it('a registry entry for a listener the named process does not own is not a window (nor its tier)', async () => {
    const fake = await fakeGate();
    try {
      const sub = join(work, 'sub');
      mkdirSync(sub);
      // A more specific folder, a live pid (this test's own process) that does not listen on the planted port.
      registerWindow(registryDir(state), { port: fake.port, token: 't', pid: process.pid, folders: [sub], started: new Date().toISOString(), tier: 'development' });
      assert.equal(listensOn(process.pid, fake.port), false);
      assert.equal(listensOn(process.pid, port), true, 'the real gate is this process’s');
      assert.equal(listensOn(fake.pid, fake.port), true);
      assert.equal(findWindow(registryDir(state), sub)?.port, port, 'the real window, not the planted entry');
      const run = hook('claude', claudeBash('rm -rf ./data', sub), [], viaRegistry());
      (await person.next()).resolve({ approved: false, how: 'dismissed' });
      assert.match(answered('claude', 'deny', (await run).out), /refused \(dismissed\)/);
      assert.equal(fake.hits(), 0);
    } finally {
      fake.stop();
    }
  });

  it('a file tool reaches the person as what it would do, with the agent’s reason', async () => {
    const patch = '*** Begin Patch\n*** Delete File: src/app.ts\n*** End Patch';
    const run = hook('copilot', { ...vscodeLocal('x'), cwd: work, tool_name: 'apply_patch', tool_input: { input: patch, explanation: 'Remove the unused app module' } }, [], viaRegistry());
    const p = await person.next();
    assert.deepEqual([p.req.expected, p.req.why], ['src/app.ts', '[apply_patch deletes src/app.ts] Remove the unused app module']);
    p.resolve({ approved: false, how: 'dismissed' });
    assert.match(answered('copilot', 'deny', (await run).out), /refused \(dismissed\)/);
  });

  it('Codex: an approval is silence (Codex cannot take an explicit allow)', async () => {
    const run = hook('codex', codexCall('Bash', { command: 'rm -rf ./data' }, work), [], viaRegistry());
    (await person.next()).resolve({ approved: true, by: 'ana' });
    assert.deepEqual(await run.then((r) => [r.code, r.out]), [0, '']);
  });
});

describe('install-hooks', () => {
  let home: string;
  const program = { node: '/opt/node/bin/node', cli: '/opt/agent-guard/dist/cli.js' };
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'ag-home-'));
  });
  function deps(extra: Partial<InstallDeps> = {}): InstallDeps {
    return { home, env: {}, program, read: readHookFile, write: writeHookFile, ...extra };
  }
  async function install(argv: string[], d = deps()) {
    const { r, io: streams } = io('');
    const code = await installHooksCommand(argv, streams, d);
    return { code, out: r.out };
  }
  const ours = (agent: AgentId) => hookCommand(agent, program);

  it('merges into a person’s own Claude settings, printing the change before writing; again changes nothing; --remove takes out only ours', async () => {
    const path = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const theirs = {
      model: 'opus',
      permissions: { allow: ['Bash(npm test)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/my-linter' }] }],
        PostToolUse: [{ matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --write' }] }],
      },
    };
    const original = JSON.stringify(theirs, null, 2) + '\n';
    writeFileSync(path, original);

    const first = await install(['claude']);
    assert.equal(first.code, 0);
    assert.ok(first.out.indexOf(`--- ${path} (before)`) < first.out.indexOf(`wrote ${path}`), 'the diff comes first');
    assert.ok(first.out.includes(`\n+            "command": ${JSON.stringify(ours('claude'))},\n`));
    assert.match(first.out, /note: Claude Code loads hooks when a session starts/);
    const after = JSON.parse(readFileSync(path, 'utf8'));
    assert.deepEqual(after, {
      ...theirs,
      hooks: {
        ...theirs.hooks,
        PreToolUse: [theirs.hooks.PreToolUse[0], { matcher: '^(Bash|PowerShell|Write|Edit|MultiEdit|NotebookEdit|mcp__.+)$', hooks: [{ type: 'command', command: ours('claude'), timeout: 300 }] }],
      },
    });

    const bytes = readFileSync(path, 'utf8');
    const again = await install(['claude']);
    assert.match(again.out, /already connected; nothing to change/);
    assert.equal(readFileSync(path, 'utf8'), bytes, 'idempotent');

    const removed = await install(['claude', '--remove']);
    assert.match(removed.out, /^-.*hook claude/m);
    assert.equal(readFileSync(path, 'utf8'), original, 'back to exactly what the person had');
    assert.match((await install(['claude', '--remove'])).out, /not connected; nothing to change/);
  });

  it('--dry-run prints the change and writes nothing', async () => {
    const r = await install(['copilot', 'cursor', '--dry-run']);
    assert.equal(r.code, 0);
    assert.match(r.out, /--- \/dev\/null\n\+\+\+ .*agent-guard\.json \(after\)/);
    assert.equal((r.out.match(/\(dry run: nothing written\)/g) ?? []).length, 2);
    assert.equal(existsSync(join(home, '.copilot')), false);
    assert.equal(existsSync(join(home, '.cursor')), false);
  });

  it('Copilot gets its own file (removed again by --remove); Cursor, Codex and Gemini merge with what is there', async () => {
    assert.equal((await install(['copilot'])).code, 0);
    const copilotPath = join(home, '.copilot', 'hooks', 'agent-guard.json');
    assert.equal(readFileSync(copilotPath, 'utf8'), JSON.stringify({ version: 1, hooks: { PreToolUse: [{ type: 'command', command: ours('copilot'), timeoutSec: 300 }] } }, null, 2) + '\n');

    mkdirSync(join(home, '.cursor'));
    writeFileSync(join(home, '.cursor', 'hooks.json'), JSON.stringify({ version: 1, hooks: { beforeShellExecution: [{ command: './audit.sh' }], afterFileEdit: [{ command: './format.sh' }] } }));
    mkdirSync(join(home, '.gemini'));
    writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify({ theme: 'GitHub', hooks: { BeforeTool: [{ matcher: 'write_file', hooks: [{ name: 'fmt', type: 'command', command: 'fmt.sh' }] }] } }, null, 4));
    assert.equal((await install(['cursor', 'codex', 'gemini'])).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(home, '.cursor', 'hooks.json'), 'utf8')), {
      version: 1,
      hooks: { beforeShellExecution: [{ command: './audit.sh' }, { command: ours('cursor'), timeout: 300, failClosed: true }], afterFileEdit: [{ command: './format.sh' }] },
    });
    assert.deepEqual(JSON.parse(readFileSync(join(home, '.codex', 'hooks.json'), 'utf8')), {
      hooks: { PreToolUse: [{ matcher: '^(Bash|apply_patch|mcp__.+)$', hooks: [{ type: 'command', command: ours('codex'), timeout: 300, statusMessage: 'Agent Guard' }] }] },
    });
    const gemini = readFileSync(join(home, '.gemini', 'settings.json'), 'utf8');
    assert.match(gemini, /^ {4}"theme"/m, 'the file keeps its own indentation');
    assert.deepEqual(JSON.parse(gemini).hooks.BeforeTool[1], { matcher: '^(run_shell_command|write_file|replace|mcp_.+)$', hooks: [{ name: 'agent-guard', type: 'command', command: ours('gemini'), timeout: 300000 }] });

    assert.equal((await install(['all', '--remove'])).code, 0);
    assert.equal(existsSync(copilotPath), false, 'our own file goes when nothing else is in it');
    assert.deepEqual(JSON.parse(readFileSync(join(home, '.cursor', 'hooks.json'), 'utf8')), { version: 1, hooks: { beforeShellExecution: [{ command: './audit.sh' }], afterFileEdit: [{ command: './format.sh' }] } });
    assert.deepEqual(JSON.parse(readFileSync(join(home, '.codex', 'hooks.json'), 'utf8')), {});
    assert.deepEqual(JSON.parse(readFileSync(join(home, '.gemini', 'settings.json'), 'utf8')).hooks.BeforeTool, [{ matcher: 'write_file', hooks: [{ name: 'fmt', type: 'command', command: 'fmt.sh' }] }]);
  });

  it('Qwen Code: its settings.json (or $QWEN_HOME/settings.json) gets a PreToolUse group with a timeout in seconds; --remove keeps the rest', async () => {
    mkdirSync(join(home, '.qwen'));
    writeFileSync(join(home, '.qwen', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'openai' } }, hooks: { PreToolUse: [{ matcher: 'write_file', hooks: [{ type: 'command', command: 'fmt.sh' }] }] } }, null, 2));
    assert.equal((await install(['qwen'])).code, 0);
    const qwen = JSON.parse(readFileSync(join(home, '.qwen', 'settings.json'), 'utf8'));
    assert.deepEqual(qwen.hooks.PreToolUse[1], { matcher: '^(run_shell_command|monitor|write_file|edit|notebook_edit|mcp__.+)$', hooks: [{ name: 'agent-guard', type: 'command', command: ours('qwen'), timeout: 300 }] });
    assert.equal(qwen.security.auth.selectedType, 'openai');
    assert.equal((await install(['qwen', '--remove'])).code, 0);
    assert.deepEqual(JSON.parse(readFileSync(join(home, '.qwen', 'settings.json'), 'utf8')).hooks.PreToolUse, [{ matcher: 'write_file', hooks: [{ type: 'command', command: 'fmt.sh' }] }]);
    const moved = join(home, 'qwen-home');
    assert.equal((await install(['qwen'], deps({ env: { QWEN_HOME: moved } }))).code, 0);
    assert.equal(JSON.parse(readFileSync(join(moved, 'settings.json'), 'utf8')).hooks.PreToolUse[0].hooks[0].command, ours('qwen'));
  });

  it('a new install path replaces the old entry in place, never a second one', async () => {
    await install(['claude'], deps({ program: { node: '/old/node', cli: '/old/ext-0.1.0/dist/cli.js' } }));
    const path = join(home, '.claude', 'settings.json');
    const before = JSON.parse(readFileSync(path, 'utf8'));
    before.hooks.PreToolUse.push({ matcher: 'Bash', hooks: [{ type: 'command', command: 'mine.sh' }] });
    writeFileSync(path, JSON.stringify(before, null, 2) + '\n');
    const r = await install(['claude']);
    assert.match(r.out, /^-.*\/old\/ext-0\.1\.0\/dist\/cli\.js/m);
    const list = JSON.parse(readFileSync(path, 'utf8')).hooks.PreToolUse;
    assert.equal(list.length, 2);
    assert.equal(list[0].hooks[0].command, ours('claude'));
    assert.equal(list[1].hooks[0].command, 'mine.sh');
  });

  it('refuses files it cannot rewrite safely, and says what to do', async () => {
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, '.claude', 'settings.json'), '{ "model": ');
    mkdirSync(join(home, '.gemini'));
    const jsonc = '{\n  // my settings\n  "theme": "GitHub",\n}\n';
    writeFileSync(join(home, '.gemini', 'settings.json'), jsonc);
    const r = await install(['claude', 'gemini']);
    assert.equal(r.code, 1);
    assert.match(r.out, /settings\.json is not valid JSON .*fix it and run this again/);
    assert.match(r.out, /has comments or trailing commas.*\n.*Add this to "hooks"."BeforeTool" by hand:\n {4}\{\n {6}"matcher"/);
    assert.equal(readFileSync(join(home, '.claude', 'settings.json'), 'utf8'), '{ "model": ');
    assert.equal(readFileSync(join(home, '.gemini', 'settings.json'), 'utf8'), jsonc);
  });

  it('--workspace DIR writes the repository’s files and warns that agents can edit them; usage errors exit 64', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ag-repo-'));
    const r = await install(['claude', 'copilot', '--workspace', repo]);
    assert.match(r.out, /agents working in it, which could take the guard out/);
    assert.ok(existsSync(join(repo, '.claude', 'settings.local.json')));
    assert.ok(existsSync(join(repo, '.github', 'hooks', 'agent-guard.json')));
    for (const argv of [['install-hooks'], ['install-hooks', 'vim'], ['install-hooks', 'claude', '--bogus'], ['install-hooks', 'claude', '--user', '--workspace', repo]]) {
      const x = io('');
      assert.equal(await main(argv, x.io), 64, argv.join(' '));
      assert.match(x.r.err, /^agent-guard: /);
    }
  });
});

describe('hook configuration (pure)', () => {
  it('knows its own commands, whatever path they were installed from', () => {
    assert.equal(hookCommand('claude', { node: '/a b/node', cli: '/x/cli.js' }), '"/a b/node" "/x/cli.js" hook claude');
    assert.equal(hookCommand('codex', { node: '/vsc/code', cli: '/ext/dist/cli.js', electron: true }), 'ELECTRON_RUN_AS_NODE=1 "/vsc/code" "/ext/dist/cli.js" hook codex');
    assert.ok(isOurCommand('"/n" "/old/dist/cli.js" hook claude', 'claude'));
    assert.ok(!isOurCommand('"/n" "/old/dist/cli.js" hook claude', 'codex'));
    assert.ok(!isOurCommand('my-hook claude'));
    assert.ok(isConnected('copilot', planInstall('copilot', 'f', null, hookCommand('copilot', { node: 'n', cli: 'cli.js' })).after));
    assert.equal(planRemove('claude', 'f', null).changed, false);
    assert.deepEqual(parseJsonc('{"a": "// not a comment", /* c */ "b": [1,],}'), { a: '// not a comment', b: [1] });
  });

  it('renders a unified diff with context', () => {
    const before = ['{', '  "a": 1,', '  "b": 2,', '  "c": 3,', '  "d": 4,', '  "e": 5', '}', ''].join('\n');
    const after = before.replace('"c": 3', '"c": 30');
    assert.equal(renderDiff('f.json', before, after), ['--- f.json (before)', '+++ f.json (after)', '@@ -1,7 +1,7 @@', ' {', '   "a": 1,', '   "b": 2,', '-  "c": 3,', '+  "c": 30,', '   "d": 4,', '   "e": 5', ' }', ''].join('\n'));
    assert.equal(renderDiff('f', null, 'x\n'), '--- /dev/null\n+++ f (after)\n@@ -0,0 +1,1 @@\n+x\n');
    assert.equal(renderDiff('f', 'x\n', null), '--- f (before)\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-x\n');
  });

  it('spots changes that loosen protection: our hook removed, disableAllHooks, auto-approve of gated commands, hook locations switched off', () => {
    const connected = planInstall('claude', 'f', '{}', hookCommand('claude', { node: 'n', cli: 'cli.js' })).after;
    assert.match(hookFileLoosening('claude', '~/.claude/settings.json', connected, '{}').join(), /hook for Claude Code was removed/);
    assert.match(hookFileLoosening('claude', 'p', connected, JSON.stringify({ ...JSON.parse(connected!), disableAllHooks: true })).join(), /disableAllHooks/);
    assert.deepEqual(hookFileLoosening('claude', 'p', connected, connected), []);

    assert.ok(autoApproveMatches('rm', 'rm -rf data'));
    assert.ok(!autoApproveMatches('rm', 'rmdir x'));
    assert.ok(autoApproveMatches('/^git (push|pull)\\b/', 'git push --force origin main'));
    const samples = [{ command: 'rm -rf data', rule: 'fs.recursive-delete' }, { command: 'git push --force origin main', rule: 'git.force-push' }];
    assert.match(autoApproveLoosening({}, { rm: true }, samples).join(), /"rm" now approves commands Agent Guard gates without asking, e\.g\. rm -rf data/);
    assert.match(autoApproveLoosening({}, { '/.*/': true }, samples).join(), /approves every command/);
    assert.match(autoApproveLoosening({ 'git push': false }, { 'git push': { approve: true, matchCommandLine: false } }, samples).join(), /"git push"/);
    assert.deepEqual(autoApproveLoosening({ rm: true }, { rm: true, ls: true, 'git status': true }, samples), []);
    assert.ok(autoApproveLoosening({}, { rm: true }).length, 'the rules’ own gated examples are the default samples');

    assert.match(hookLocationsLoosening({}, { '~/.copilot/hooks': false }, ['~/.copilot/hooks/agent-guard.json', '~/.claude/settings.json']).join(), /no longer runs Agent Guard's hook in ~\/\.copilot\/hooks\/agent-guard\.json/);
    assert.deepEqual(hookLocationsLoosening({}, { '.github/hooks': false }, ['~/.claude/settings.json']), []);
  });
});
