// The agents' hooks as they run in the field: a real `agent-guard hook` process with no VS Code window, in folders
// labelled by their own files, and an agent that tries to switch the hook off by writing its settings — through its
// file tools, in every spelling of the path, and through the shell.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hookFileLoosening, hookOffSwitches } from '../../src/core/agents/hookLoosening';
import { answerGemini } from '../../src/cli/hooks/gemini';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

interface HookRun {
  code: number | null;
  out: string;
  err: string;
  /** The reason when the answer is a deny, else null. */
  denied: string | null;
}

let home: string;

function runHook(agent: string, payload: Record<string, unknown>, cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<HookRun> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [CLI, 'hook', agent], {
      cwd,
      env: { PATH: process.env.PATH, HOME: home, AGENT_GUARD_STATE_DIR: join(home, 'state'), KUBECONFIG: join(home, 'no-kubeconfig'), ...extraEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => {
      let denied: string | null = null;
      if (out.trim()) {
        const body = JSON.parse(out);
        const d = body.hookSpecificOutput?.permissionDecision ?? body.permissionDecision ?? body.decision;
        if (d === 'deny') denied = body.hookSpecificOutput?.permissionDecisionReason ?? body.permissionDecisionReason ?? body.reason;
      }
      resolve({ code, out, err, denied });
    });
    c.stdin.end(JSON.stringify({ cwd, hook_event_name: agent === 'gemini' ? 'BeforeTool' : 'PreToolUse', session_id: 's1', ...payload }));
  });
}

const bash = (command: string) => ({ tool_name: 'Bash', tool_input: { command, description: 'tidy up' } });

describe('agent hooks in the field (the real hook process, no VS Code window)', function () {
  this.timeout(30000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ag-field-'));
    home = join(root, 'home');
    mkdirSync(home);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A project folder with a file to lose and, optionally, a label. */
  function project(files: Record<string, string> = {}): string {
    const dir = join(root, 'shop');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'keep me\n');
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    return dir;
  }
  const labelled = (tier: string) => ({ '.vscode/settings.json': `{\n  // the team's label\n  "agentGuard.environment": "${tier}",\n}\n` });

  describe('a folder labelled production by its own files, with no window open', () => {
    it('holds a single-file rm, and says the tier and where it comes from', async () => {
      const dir = project(labelled('production'));
      const r = await runHook('claude', bash('rm notes.txt'), dir);
      assert.ok(r.denied, r.out + r.err);
      assert.match(r.denied!, /production/);
      assert.match(r.denied!, /\.vscode\/settings\.json labels it production/);
    });

    for (const [name, agent, payload] of [
      ['git reset --hard && git clean -fdx', 'claude', bash('git reset --hard && git clean -fdx')],
      ['an apply_patch that deletes a file (Codex)', 'codex', { tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch\n*** Delete File: notes.txt\n*** End Patch\n' } }],
      ['a Write that empties a file (Claude)', 'claude', { tool_name: 'Write', tool_input: { file_path: 'notes.txt', content: '' } }],
      ['a write_file that empties a file (Gemini)', 'gemini', { tool_name: 'write_file', tool_input: { file_path: 'notes.txt', content: '' } }],
    ] as const) {
      it(`holds ${name}`, async () => {
        const dir = project(labelled('production'));
        const r = await runHook(agent, payload as Record<string, unknown>, dir);
        assert.ok(r.denied, `${name}: ${r.out} ${r.err}`);
      });
    }

    it('holds in a subfolder of the labelled project, and with .env.production as the only signal', async () => {
      const dir = project(labelled('production'));
      assert.ok((await runHook('claude', bash('rm ../notes.txt'), join(dir, 'src'))).denied);
      const other = project({ '.env.production': 'API=1\n' });
      const r = await runHook('claude', bash('rm notes.txt'), other);
      assert.match(r.denied ?? '', /\.env\.production is in the workspace/);
    });

    it('cannot be lowered by the workspace: a development label beside .env.production stays production', async () => {
      const dir = project({ ...labelled('development'), '.env.production': 'API=1\n' });
      assert.ok((await runHook('claude', bash('rm notes.txt'), dir)).denied);
      // Nor by the agent's own environment.
      assert.ok((await runHook('claude', bash('rm notes.txt'), dir, { AGENT_GUARD_TIER: 'development' })).denied);
    });

    it('keeps the label when the agent takes it away from the shell: only a person lowers it, in VS Code', async () => {
      const dir = project(labelled('production'));
      assert.ok((await runHook('claude', bash('ls'), dir)).denied === null);
      // Every way the red team took the label away: moved, renamed, emptied, replaced by a development label.
      for (const takeAway of [
        () => renameSync(join(dir, '.vscode'), join(dir, '.vscode.old')),
        () => writeFileSync(join(dir, '.vscode', 'settings.json'), '{}'),
        () => writeFileSync(join(dir, '.vscode', 'settings.json'), '{ "agentGuard.environment": "development" }'),
        () => rmSync(join(dir, '.vscode'), { recursive: true, force: true }),
      ]) {
        rmSync(join(dir, '.vscode.old'), { recursive: true, force: true });
        mkdirSync(join(dir, '.vscode'), { recursive: true });
        writeFileSync(join(dir, '.vscode', 'settings.json'), labelled('production')['.vscode/settings.json']);
        takeAway();
        const r = await runHook('claude', bash('rm notes.txt'), dir);
        assert.ok(r.denied, r.out + r.err);
        assert.match(r.denied!, /was labelled production before, and only a person lowers a label, in VS Code/);
        // And from a subfolder, by another agent.
        assert.ok((await runHook('gemini', { tool_name: 'run_shell_command', tool_input: { command: 'rm ../notes.txt' } }, join(dir, 'src'))).denied);
      }
      // The floor lives in the state folder, outside the project.
      const floors = JSON.parse(readFileSync(join(home, 'state', 'tier-floors.json'), 'utf8'));
      assert.equal(floors[dir].tier, 'production');
      // A floor file damaged by hand keeps no floor, and the folder's own signals still count.
      writeFileSync(join(home, 'state', 'tier-floors.json'), '{ not json');
      assert.equal((await runHook('claude', bash('rm notes.txt'), dir)).denied, null);
    });

    it('lets reads and new files through', async () => {
      const dir = project(labelled('production'));
      assert.equal((await runHook('claude', bash('ls -la'), dir)).denied, null);
      assert.equal((await runHook('codex', { tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch\n*** Add File: src/new.ts\n+export const x = 1;\n*** End Patch\n' } }, dir)).denied, null);
    });
  });

  it('an unlabelled folder behaves as before: a single-file rm runs', async () => {
    const dir = project();
    const r = await runHook('claude', bash('rm notes.txt'), dir);
    assert.equal(r.denied, null, r.out);
    assert.equal(r.code, 0);
  });

  describe("an agent writing its own hook's off-switch", () => {
    const held = async (agent: string, payload: Record<string, unknown>, files: Record<string, string> = {}) => {
      const dir = project({ ...labelled('development'), ...files });
      return runHook(agent, payload, dir);
    };

    for (const [name, agent, payload, files] of [
      ['Claude Write of .claude/settings.local.json with disableAllHooks', 'claude', { tool_name: 'Write', tool_input: { file_path: '.claude/settings.local.json', content: '{"disableAllHooks": true}' } }, {}],
      ['Claude Edit adding disableAllHooks to .claude/settings.json', 'claude', { tool_name: 'Edit', tool_input: { file_path: '.claude/settings.json', old_string: '{', new_string: '{"disableAllHooks": true,' } }, { '.claude/settings.json': '{"model": "opus"}' }],
      ['the same through .claude/./settings.json', 'claude', { tool_name: 'Write', tool_input: { file_path: '.claude/./settings.json', content: '{"disableAllHooks": true}' } }, {}],
      ['the same through src/../.claude/settings.json', 'claude', { tool_name: 'Write', tool_input: { file_path: 'src/../.claude/settings.json', content: '{"disableAllHooks": true}' } }, {}],
      ['the same spelled .Claude/Settings.json', 'claude', { tool_name: 'Write', tool_input: { file_path: '.Claude/Settings.json', content: '{"disableAllHooks": true}' } }, {}],
      ['Gemini write_file of hooksConfig.enabled: false', 'gemini', { tool_name: 'write_file', tool_input: { file_path: '.gemini/settings.json', content: '{"hooksConfig": {"enabled": false}}' } }, {}],
      ['Gemini replace adding hooksConfig.disabled', 'gemini', { tool_name: 'replace', tool_input: { file_path: '.gemini/settings.json', old_string: '{}', new_string: '{"hooksConfig": {"disabled": ["agent-guard"]}}' } }, { '.gemini/settings.json': '{}' }],
      ['Codex apply_patch adding hooksConfig to .gemini/settings.json', 'codex', { tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch\n*** Update File: .gemini/settings.json\n@@\n-{}\n+{"hooksConfig": {"enabled": false}}\n*** End Patch\n' } }, { '.gemini/settings.json': '{}' }],
      ['Codex apply_patch replacing its own hooks.json', 'codex', { tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch\n*** Add File: .codex/hooks.json\n+{}\n*** End Patch\n' } }, {}],
      ['Copilot CLI Edit with a raw patch adding .claude/settings.local.json', 'copilot', { tool_name: 'Edit', tool_input: '*** Begin Patch\n*** Add File: .claude/settings.local.json\n+{"disableAllHooks": true}\n*** End Patch\n' }, {}],
      ['Claude Write of the user VS Code settings allowing everything', 'claude', { tool_name: 'Write', tool_input: { file_path: '~/.config/Code/User/settings.json', content: '{"agentGuard.rules.allow": ["*"]}' } }, {}],
      ['Claude NotebookEdit aimed at a settings file', 'claude', { tool_name: 'NotebookEdit', tool_input: { notebook_path: '.claude/settings.json', new_source: '{"disableAllHooks": true}', edit_mode: 'replace' } }, {}],
      ['a shell jq into .claude/settings.local.json', 'claude', bash(`jq '.disableAllHooks=true' x.json > .claude/settings.local.json`), {}],
      ['a shell node -e writing .gemini/settings.json', 'gemini', { tool_name: 'run_shell_command', tool_input: { command: `node -e "require('fs').writeFileSync('.gemini/settings.json', '{}')"` } }, {}],
      ['a shell sed -i on the user VS Code settings', 'claude', bash(`sed -i 's/}/,"agentGuard.rules.allow":["*"]}/' ~/.config/Code/User/settings.json`), {}],
      ['a shell python rewriting .qwen/settings.json', 'claude', bash(`python3 -c "open('.qwen/settings.json','w').write('{}')"`), {}],
      // Variables the agents read from their settings' "env" or from .env files (confirmed on the real CLIs: each turns
      // the hook off for the next session).
      ['Claude Write of .claude/settings.json with env.CLAUDE_CODE_SIMPLE', 'claude', { tool_name: 'Write', tool_input: { file_path: '.claude/settings.json', content: '{"env": {"CLAUDE_CODE_SIMPLE": "1"}}' } }, {}],
      ['Claude Edit adding env.CLAUDE_CODE_SIMPLE beside a model', 'claude', { tool_name: 'Edit', tool_input: { file_path: '.claude/settings.json', old_string: '"model": "opus"', new_string: '"model": "opus", "env": {"CLAUDE_CODE_SIMPLE": "1"}' } }, { '.claude/settings.json': '{"model": "opus"}' }],
      ['Qwen write_file of .qwen/settings.json with env.QWEN_CODE_SAFE_MODE', 'qwen', { tool_name: 'write_file', tool_input: { file_path: '.qwen/settings.json', content: '{"env": {"QWEN_CODE_SAFE_MODE": "1"}}' } }, {}],
      ['Qwen write_file of .qwen/.env with QWEN_CODE_SAFE_MODE', 'qwen', { tool_name: 'write_file', tool_input: { file_path: '.qwen/.env', content: 'QWEN_CODE_SAFE_MODE=1\n' } }, {}],
      ['Qwen write_file of the project .env with QWEN_CODE_SIMPLE', 'qwen', { tool_name: 'write_file', tool_input: { file_path: '.env', content: 'API_URL=http://localhost\nexport QWEN_CODE_SIMPLE=true\n' } }, {}],
      ['Qwen edit adding QWEN_CODE_SIMPLE to an existing .env', 'qwen', { tool_name: 'edit', tool_input: { file_path: '.env', old_string: 'API=1', new_string: 'API=1\nQWEN_CODE_SIMPLE=1' } }, { '.env': 'API=1\n' }],
      ['Qwen write_file of .env pointing QWEN_HOME at an empty folder', 'qwen', { tool_name: 'write_file', tool_input: { file_path: '.env', content: 'QWEN_HOME=/tmp/empty\n' } }, {}],
      ['Codex apply_patch adding an .env with QWEN_CODE_SIMPLE', 'codex', { tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch\n*** Add File: .env\n+QWEN_CODE_SIMPLE=1\n*** End Patch\n' } }, {}],
      ['Copilot CLI raw-patch Edit updating .qwen/.env', 'copilot', { tool_name: 'Edit', tool_input: '*** Begin Patch\n*** Update File: .qwen/.env\n@@\n-API=1\n+QWEN_CODE_SAFE_MODE=1\n*** End Patch\n' }, { '.qwen/.env': 'API=1\n' }],
      ['a shell echo appending QWEN_CODE_SIMPLE to .env', 'qwen', { tool_name: 'run_shell_command', tool_input: { command: 'echo QWEN_CODE_SIMPLE=1 >> .env' } }, {}],
      ['a shell copy onto .qwen/.env', 'qwen', { tool_name: 'run_shell_command', tool_input: { command: 'cp /tmp/prepared .qwen/.env' } }, {}],
      ['a shell heredoc into .env', 'claude', bash('cat > .env <<EOF\nQWEN_CODE_SAFE_MODE=1\nEOF'), {}],
      // A second name for a settings folder, made from the shell, that a later write would use unnoticed.
      ['a shell symlink to the user Claude folder', 'claude', bash('ln -s ~/.claude cfg'), {}],
      ['a shell symlink to the Qwen settings file', 'qwen', { tool_name: 'run_shell_command', tool_input: { command: 'ln -sf ~/.qwen/settings.json q.json' } }, {}],
      ['a shell cp -s of .claude/settings.json', 'claude', bash('cp -s .claude/settings.json x.json'), {}],
    ] as const) {
      it(`holds ${name}`, async () => {
        const r = await held(agent, payload as Record<string, unknown>, files as Record<string, string>);
        assert.ok(r.denied, `${name}: ${r.out} ${r.err}`);
        assert.match(r.denied!, /guard\.config-edit/);
      });
    }

    it('holds a write through a symlink that points at a settings file', async () => {
      const dir = project({ ...labelled('development'), '.claude/settings.json': '{}' });
      symlinkSync(join(dir, '.claude', 'settings.json'), join(dir, 'innocent.json'));
      const r = await runHook('claude', { tool_name: 'Write', tool_input: { file_path: 'innocent.json', content: '{"disableAllHooks": true}' } }, dir);
      assert.match(r.denied ?? '', /guard\.config-edit/);
    });

    it('holds a write of a new file through a symlinked settings folder', async () => {
      const dir = project({ ...labelled('development'), '.claude/settings.json': '{}' });
      symlinkSync(join(dir, '.claude'), join(dir, 'cfg'));
      const r = await runHook('claude', { tool_name: 'Write', tool_input: { file_path: 'cfg/settings.local.json', content: '{"disableAllHooks": true}' } }, dir);
      assert.match(r.denied ?? '', /guard\.config-edit.*\.claude\/settings\.local\.json/);
    });

    for (const [name, agent, command] of [
      ['Claude Code started with CLAUDE_CODE_SIMPLE', 'claude', 'CLAUDE_CODE_SIMPLE=1 claude -p "rm -rf db"'],
      ['Claude Code started with --bare', 'claude', 'claude --bare -p "rm -rf db" --dangerously-skip-permissions'],
      ['Claude Code given settings that switch hooks off', 'claude', `claude --settings '{"disableAllHooks":true}' -p "rm -rf db"`],
      ['Qwen Code started in safe mode', 'qwen', 'qwen --safe-mode --yolo -p "rm -rf db"'],
      ['Qwen Code started with an empty QWEN_HOME', 'qwen', 'env QWEN_HOME=$(mktemp -d) qwen --yolo -p "rm -rf db"'],
      ['Codex with its hooks feature off', 'codex', 'codex exec -c features.codex_hooks=false "rm -rf db"'],
      ['Codex with an empty CODEX_HOME', 'codex', 'CODEX_HOME=/tmp/c codex exec "rm -rf db"'],
      ['an export for the next agent the shell starts', 'qwen', 'export QWEN_CODE_SIMPLE=1'],
      ['Gemini CLI with another home folder (no settings, no hook)', 'qwen', 'GEMINI_CLI_HOME=/tmp/g gemini --yolo -p "rm -rf db"'],
    ] as const) {
      it(`holds ${name} (an agent with no hook)`, async () => {
        const dir = project(labelled('development'));
        const payload = agent === 'claude' ? bash(command) : agent === 'codex' ? { tool_name: 'Bash', tool_input: { command } } : { tool_name: 'run_shell_command', tool_input: { command } };
        const r = await runHook(agent, payload, dir);
        assert.match(r.denied ?? `not held: ${r.out}`, /guard\.unhooked-agent/);
      });
    }

    it('lets everyday .env edits through (no hook off-switch in them)', async () => {
      const dir = project({ '.env': 'API=1\n' });
      for (const [agent, payload] of [
        ['qwen', { tool_name: 'write_file', tool_input: { file_path: '.env', content: 'API=2\nDEBUG=1\n' } }],
        ['qwen', { tool_name: 'edit', tool_input: { file_path: '.env', old_string: 'API=1', new_string: 'API=3' } }],
        ['codex', { tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch\n*** Add File: .qwen/.env\n+OPENAI_API_KEY=sk-test\n*** End Patch\n' } }],
        ['qwen', { tool_name: 'run_shell_command', tool_input: { command: 'echo DEBUG=1 >> .env' } }],
        ['claude', bash("sed -i 's/API=1/API=2/' .env")],
      ] as const) {
        const r = await runHook(agent, payload as Record<string, unknown>, dir);
        assert.equal(r.denied, null, `${JSON.stringify(payload)}: ${r.out}`);
      }
    });

    it('lets everyday edits of the same files through', async () => {
      const dir = project({ '.vscode/settings.json': '{"editor.tabSize": 2}', '.claude/settings.json': '{"model": "opus"}' });
      for (const payload of [
        { tool_name: 'Write', tool_input: { file_path: '.vscode/settings.json', content: '{"editor.tabSize": 4}' } },
        { tool_name: 'Edit', tool_input: { file_path: '.claude/settings.json', old_string: 'opus', new_string: 'sonnet' } },
        { tool_name: 'NotebookEdit', tool_input: { notebook_path: 'analysis.ipynb', new_source: 'print(1)', edit_mode: 'replace' } },
      ]) {
        const r = await runHook('claude', payload, dir);
        assert.equal(r.denied, null, `${JSON.stringify(payload)}: ${r.out}`);
      }
      const patch = await runHook('copilot', { tool_name: 'Edit', tool_input: '*** Begin Patch\n*** Add File: src/hello.ts\n+export {};\n*** End Patch\n' }, dir);
      assert.equal(patch.denied, null, `a raw patch adding an ordinary file is read, not refused as unreadable: ${patch.out}`);
      assert.equal(patch.code, 0);
    });
  });

  it("reads each agent's real off-switches, so the editor's watchers warn about them", () => {
    assert.equal(hookOffSwitches('p', '{"hooksConfig": {"enabled": false}}').length, 1);
    assert.equal(hookOffSwitches('p', '{"hooksConfig": {"disabled": ["agent-guard"]}}').length, 1);
    assert.equal(hookOffSwitches('p', '{"hooksConfig": {"disabled": ["\\"/usr/bin/node\\" \\"/x/dist/cli.js\\" hook gemini"]}}').length, 1);
    assert.equal(hookOffSwitches('p', '// comment\n{"disableAllHooks": true,}').length, 1);
    assert.deepEqual(hookOffSwitches('p', '{"hooksConfig": {"disabled": ["someone-else"]}, "hooks": {}}'), []);
    assert.match(hookFileLoosening('gemini', '.gemini/settings.json', '{}', '{"hooksConfig": {"enabled": false}}').join(' '), /hooksConfig\.enabled/);
    assert.deepEqual(hookFileLoosening('gemini', '.gemini/settings.json', '{"hooksConfig": {"enabled": false}}', '{"hooksConfig": {"enabled": false}, "x": 1}'), []);
  });

  it('answers Gemini after an approval in the form it honours (a message; Gemini ignores "allow")', () => {
    const a = JSON.parse(answerGemini({ kind: 'allow', reason: 'Agent Guard: approved in VS Code' }).stdout);
    assert.deepEqual(a, { systemMessage: 'Agent Guard: approved in VS Code' });
    assert.equal(JSON.parse(answerGemini({ kind: 'deny', reason: 'no' }).stdout).decision, 'deny');
  });
});
