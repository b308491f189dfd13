// Tool calls the adapters used to pass over: MCP tools judged by the shape of their input, apply_patch updates that
// empty a file or move it out of the project, VS Code commands that discard work, built-in names in another case —
// each extracted by the real adapter and judged by the real engine, and the installed matchers checked against the
// names each CLI really sends.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { diskFiles, patchEmpties, type Extraction } from '../../src/cli/hooks/adapter';
import { extractClaude } from '../../src/cli/hooks/claude';
import { extractCodex } from '../../src/cli/hooks/codex';
import { extractCopilot } from '../../src/cli/hooks/copilot';
import { extractGemini } from '../../src/cli/hooks/gemini';
import { extractQwen } from '../../src/cli/hooks/qwen';
import { CLAUDE_MATCHER, CODEX_MATCHER, GEMINI_MATCHER, QWEN_MATCHER } from '../../src/core/agents/hookConfig';

describe('agent hooks: MCP tools, patches, VS Code commands and tool names no adapter judged', () => {
  let project: string;
  const engine = new Engine({ tier: 'production' });
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'ag-hooks-mcp-'));
    mkdirSync(join(project, 'data'));
    writeFileSync(join(project, 'data', 'sentinel'), 'keep\n');
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));
  const ctx = () => ({ env: {}, cwd: project, files: diskFiles });
  const payload = (tool: string, input: Record<string, unknown>) => ({ tool_name: tool, tool_input: input, cwd: project });
  /** The engine's decision on what the adapter extracted. */
  const judged = (x: Extraction) => {
    assert.equal(x.kind, 'call', JSON.stringify(x));
    if (x.kind !== 'call') throw new Error('unreachable');
    return { call: x.call, d: engine.classify(x.call.command, 'bash', { cwd: x.call.cwd }) };
  };

  it('an MCP shell tool: its command is the shell line judged (Claude, Codex, Gemini, Qwen, Copilot)', () => {
    for (const [extract, tool] of [[extractClaude, 'mcp__shell__run_command'], [extractCodex, 'mcp__shell__exec'], [extractGemini, 'mcp_shell_run'], [extractQwen, 'mcp__shell__run'], [extractCopilot, 'mcp_shell_run']] as const) {
      const { call, d } = judged(extract(payload(tool, { command: 'rm -rf data' }), ctx()));
      assert.equal(call.command, 'rm -rf data', tool);
      assert.equal(d.decision, 'confirm', tool);
      assert.equal(d.resource, 'data', tool);
    }
    // An argument vector and the other key spellings.
    assert.equal(judged(extractClaude(payload('mcp__x__exec', { cmd: ['bash', '-lc', 'git push --force'] }), ctx())).d.decision, 'confirm');
    assert.equal(judged(extractClaude(payload('mcp__x__run', { script: 'git clean -fdx' }), ctx())).d.decision, 'confirm');
    // A shape one level down, and other spellings of the command key.
    assert.equal(judged(extractClaude(payload('mcp__x__call', { arguments: { command: 'rm -rf data' } }), ctx())).d.decision, 'confirm');
    assert.equal(judged(extractGemini(payload('mcp_db_run', { params: { sql: 'TRUNCATE orders' } }), ctx())).d.decision, 'confirm');
    assert.equal(judged(extractClaude(payload('mcp__x__exec', { commandLine: 'rm -rf data' }), ctx())).d.decision, 'confirm');
    // Safe commands pass.
    assert.equal(judged(extractClaude(payload('mcp__shell__run_command', { command: 'ls -la' }), ctx())).d.decision, 'allow');
  });

  it('an MCP database tool: its SQL goes through the SQL rules, and its effect says so', () => {
    const drop = judged(extractClaude(payload('mcp__postgres__query', { sql: 'DROP TABLE users' }), ctx()));
    assert.equal(drop.d.decision, 'confirm');
    assert.deepEqual(drop.d.rules.filter((r) => r.startsWith('sql.')).length > 0, true, drop.d.rules.join());
    assert.match(drop.call.effect!, /^mcp__postgres__query runs SQL: "DROP TABLE users"/);
    // Dropping a whole database in production is refused outright.
    assert.notEqual(judged(extractGemini(payload('mcp_postgres_query', { query: 'DROP DATABASE shop' }), ctx())).d.decision, 'allow');
    assert.equal(judged(extractClaude(payload('mcp__db__execute', { statement: 'DELETE FROM orders' }), ctx())).d.decision, 'confirm');
    // Reads and filtered writes are not held.
    assert.equal(judged(extractClaude(payload('mcp__postgres__query', { sql: 'SELECT * FROM users' }), ctx())).d.decision, 'allow');
    assert.equal(judged(extractClaude(payload('mcp__postgres__query', { sql: 'DELETE FROM orders WHERE id = 3' }), ctx())).d.decision, 'allow');
  });

  it('an MCP file tool that deletes: its path is an rm; one that reads or writes is left alone', () => {
    const del = judged(extractClaude(payload('mcp__filesystem__delete_file', { path: 'data/sentinel' }), ctx()));
    assert.equal(del.call.command, 'rm -rf -- data/sentinel');
    assert.equal(del.d.decision, 'confirm');
    assert.equal(del.d.resource, 'data/sentinel');
    assert.equal(judged(extractCodex(payload('mcp__fs__remove_directory', { directory: 'data' }), ctx())).d.resource, 'data');
    assert.equal(extractClaude(payload('mcp__filesystem__read_file', { path: 'data/sentinel' }), ctx()).kind, 'ignore');
    assert.equal(extractClaude(payload('mcp__github__search_issues', { repo: 'a/b', q: 'drop' }), ctx()).kind, 'ignore');
  });

  it('an MCP tool whose name says it destroys, with nothing the guard can judge, is not understood (held where the engine holds that)', () => {
    for (const tool of ['mcp__cloud__destroy_instance', 'mcp__db__drop_collection', 'mcp__s3__purge_bucket', 'mcp__k8s__deleteNamespace', 'mcp_redis_wipe', 'mcp__x__truncate_table']) {
      const x = extractClaude(payload(tool, { name: 'prod', id: 7 }), ctx());
      assert.equal(x.kind, 'malformed', tool);
      if (x.kind === 'malformed') assert.match(x.why, /destroys/);
    }
    assert.equal(extractClaude(payload('mcp__cloud__list_instances', { name: 'prod' }), ctx()).kind, 'ignore');
  });

  it('built-in tool names in another case are the same tools', () => {
    for (const tool of ['bash', 'BASH', 'bAsh']) assert.equal(judged(extractClaude(payload(tool, { command: 'rm -rf data' }), ctx())).d.decision, 'confirm', tool);
    assert.equal(judged(extractClaude(payload('write', { file_path: 'data/sentinel', content: '' }), ctx())).d.decision, 'confirm');
    assert.equal(judged(extractCodex(payload('bash', { command: 'rm -rf data' }), ctx())).d.decision, 'confirm');
  });

  it('apply_patch: an update removing every line empties the file; one leaving a line does not', () => {
    const patch = (body: string) => `*** Begin Patch\n*** Update File: data/sentinel\n${body}*** End Patch\n`;
    const empties = judged(extractCodex(payload('apply_patch', { command: patch('@@\n-keep\n') }), ctx()));
    assert.equal(empties.d.decision, 'confirm');
    assert.match(empties.call.effect!, /apply_patch empties data\/sentinel/);
    writeFileSync(join(project, 'data', 'sentinel'), 'keep\nmore\n');
    assert.equal(extractCodex(payload('apply_patch', { command: patch('@@\n-keep\n') }), ctx()).kind, 'ignore');
    assert.equal(extractCodex(payload('apply_patch', { command: patch('@@\n-keep\n-more\n+\n') }), ctx()).kind, 'call');
    // The same line removed once from a file holding it twice leaves a line.
    assert.equal(patchEmpties('a\na\n', ['a'], []), false);
    assert.equal(patchEmpties('a\na\n', ['a', 'a'], []), true);
    assert.equal(patchEmpties('', ['a'], []), false);
    assert.equal(patchEmpties('a\n', ['a'], ['b']), false);
    // Copilot's apply_patch is the same patch.
    writeFileSync(join(project, 'data', 'sentinel'), 'keep\n');
    assert.equal(judged(extractCopilot(payload('apply_patch', { input: patch('@@\n-keep\n') }), ctx())).d.decision, 'confirm');
  });

  it('apply_patch: a move out of the project is the mv it is; a rename inside is not held', () => {
    const move = (to: string) => `*** Begin Patch\n*** Update File: data/sentinel\n*** Move to: ${to}\n@@\n keep\n*** End Patch\n`;
    const out = judged(extractCodex(payload('apply_patch', { command: move('/tmp/ag-moved-sentinel') }), ctx()));
    assert.equal(out.d.decision, 'confirm');
    assert.deepEqual(out.d.rules, ['fs.move-away']);
    assert.equal(out.d.resource, 'data/sentinel');
    assert.equal(judged(extractCodex(payload('apply_patch', { command: move('../elsewhere/sentinel') }), ctx())).d.decision, 'confirm');
    assert.equal(extractCodex(payload('apply_patch', { command: move('data/renamed') }), ctx()).kind, 'ignore');
  });

  it('Copilot run_vscode_command: the git extension’s discards and deletes, and the Explorer’s delete', () => {
    const run = (commandId: string, args: unknown[] = []) => extractCopilot(payload('run_vscode_command', { commandId, args }), ctx());
    for (const [id, args] of [['git.clean', []], ['git.clean', [{ resourceUri: { fsPath: join(project, 'data', 'sentinel') } }]], ['git.cleanAll', []], ['git.discardChanges', []], ['git.deleteBranch', [{ name: 'feature' }]], ['git.deleteBranch', []], ['deleteFile', [{ fsPath: join(project, 'data') }]], ['deleteFile', []]] as const) {
      const { d } = judged(run(id, [...args]));
      assert.equal(d.decision, 'confirm', `${id} ${JSON.stringify(args)}: ${d.reason}`);
    }
    assert.equal(judged(run('git.deleteBranch', ['feature'])).d.resource, 'feature');
    // Undo Commit is a soft reset: the changes stay staged, nothing is lost.
    assert.equal(judged(run('git.undoCommit')).d.decision, 'allow');
    assert.equal(run('git.commit').kind, 'ignore');
  });

  it('the installed matchers send the hook every MCP tool, as each CLI names them, and the built-in tools we judge', () => {
    // Each CLI tests an unanchored regular expression (Claude Code and Codex: for a matcher with other characters than
    // letters, digits, `_` and `|`; Qwen Code: for one starting with `^` or `(`; Gemini CLI: always).
    const m = (matcher: string, name: string) => new RegExp(matcher).test(name);
    for (const n of ['Bash', 'PowerShell', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'mcp__postgres__query']) assert.ok(m(CLAUDE_MATCHER, n), n);
    for (const n of ['TodoWrite', 'Read', 'WebFetch', 'mcp__']) assert.ok(!m(CLAUDE_MATCHER, n), n);
    for (const n of ['Bash', 'apply_patch', 'mcp__shell__exec']) assert.ok(m(CODEX_MATCHER, n), n);
    for (const n of ['run_shell_command', 'write_file', 'replace', 'mcp_postgres_query']) assert.ok(m(GEMINI_MATCHER, n), n);
    assert.ok(!m(GEMINI_MATCHER, 'read_file'));
    for (const n of ['run_shell_command', 'monitor', 'write_file', 'edit', 'notebook_edit', 'mcp__db__query']) assert.ok(m(QWEN_MATCHER, n), n);
    assert.ok(/^[(^]/.test(QWEN_MATCHER), 'Qwen reads a matcher as a regular expression only when it starts with ^ or (');
  });
});
