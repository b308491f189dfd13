// The context meter's readers on session files the real agent CLIs wrote (test/agents runs them against a scripted
// model; AG_SAVE_SESSIONS=<dir> copies the files out). Each run: five tool calls — rm -rf db (rm -r db for Codex) and
// rm notes.txt held by Agent Guard, ls, adding added.txt, writing the agent's hook off-switch (held) — then a reply.
// The mock reported usage input 120/150/200 + 10 per tool result so far, output 12 (Anthropic/Gemini/Responses).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClaudeSession } from '../../src/core/context/claude';
import { CodexSession } from '../../src/core/context/codex';
import { CopilotCliSession } from '../../src/core/context/copilotCli';
import { GeminiSession } from '../../src/core/context/gemini';
import type { SessionParser } from '../../src/core/context/meter';
import { ContextMonitor } from '../../src/core/context/monitor';

const DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'agent-sessions');
const read = (parser: SessionParser, name: string) => {
  for (const line of readFileSync(join(DIR, name), 'utf8').split('\n')) if (line) parser.line(line);
  return parser.meter();
};

describe('context meter: session files written by the real agent CLIs', () => {
  const cases = [
    { name: 'Claude Code 2.1.197', file: 'claude-2.1.197.jsonl', parser: () => new ClaudeSession(), tokens: 120 + 50 + 12, del: 'rm -rf db', model: /claude/ },
    { name: 'Gemini CLI 0.61.0', file: 'gemini-cli-0.61.0-session.jsonl', parser: () => new GeminiSession(), tokens: 150 + 50 + 12, del: 'rm -rf db', model: /gemini-2\.5-flash/, window: 1_048_576 },
    { name: 'Codex 0.171.0', file: 'codex-0.171.0-rollout.jsonl', parser: () => new CodexSession(), tokens: 200 + 50 + 12, del: 'rm -r db', model: /gpt-5\.5/ },
    { name: 'Copilot CLI 1.0.102', file: 'copilot-cli-1.0.102-events.jsonl', parser: () => new CopilotCliSession(), tokens: 200 + 50 + 12, del: 'rm -rf db', model: /gpt-5\.4/ },
  ];
  for (const c of cases) {
    it(`${c.name}: the last call's recorded usage, the session's cwd and model, its commands and files`, () => {
      const m = read(c.parser(), c.file);
      const why = JSON.stringify(m, null, 1);
      assert.equal(m.basis, 'recorded', why);
      assert.equal(m.contextTokens, c.tokens, why);
      assert.match(m.model ?? '', c.model, why);
      if (c.window) assert.equal(m.contextWindow, c.window, why);
      if (!(m.source === 'gemini')) assert.match(m.cwd ?? '', /^\/tmp\/ag-real-\w+\/project$/, why);
      assert.match(m.sessionId, /^[0-9a-f-]{8,}$/, why);
      assert.equal(m.malformedLines, 0, why);
      assert.ok(m.messages >= 2, why);
      assert.deepEqual(m.recentCommands.filter((x) => [c.del, 'rm notes.txt', 'ls'].includes(x)), [c.del, 'rm notes.txt', 'ls'], why);
      assert.ok(m.recentFiles.some((f) => f.endsWith('added.txt')), why);
      assert.ok(m.startedAt && m.lastActivity && m.lastActivity >= m.startedAt, why);
    });
  }

  it('Gemini CLI: a rewind drops the rewound message and everything after it; a later record of an id replaces it', () => {
    const lines = readFileSync(join(DIR, 'gemini-cli-0.61.0-session.jsonl'), 'utf8').split('\n').filter(Boolean);
    const p = new GeminiSession();
    for (const l of lines) p.line(l);
    const whole = p.meter();
    const firstReply = lines.map((l) => JSON.parse(l)).find((r) => r.type === 'gemini');
    p.line(JSON.stringify({ $rewindTo: firstReply.id }));
    const rewound = p.meter();
    assert.equal(rewound.commands, 0);
    assert.ok(rewound.messages < whole.messages);
    assert.notEqual(rewound.basis, 'recorded');
  });

  it('the monitor finds Gemini CLI and Copilot CLI sessions of the open folder only, laid out as the CLIs lay them out', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-sessions-'));
    try {
      const project = join(root, 'project');
      const gemini = join(root, 'gemini-tmp');
      const copilot = join(root, 'session-state');
      for (const [dir, projectRoot] of [['project', project], ['other', join(root, 'other')]] as const) {
        mkdirSync(join(gemini, dir, 'chats'), { recursive: true });
        writeFileSync(join(gemini, dir, '.project_root'), projectRoot);
        writeFileSync(join(gemini, dir, 'chats', 'session-2026-12-04T04-49-6d60475c.jsonl'), readFileSync(join(DIR, 'gemini-cli-0.61.0-session.jsonl')));
      }
      const events = readFileSync(join(DIR, 'copilot-cli-1.0.102-events.jsonl'), 'utf8');
      const realCwd = /"cwd":"([^"]+)"/.exec(events)![1];
      for (const [id, cwd] of [['169786df-b618-45b8-9423-423a777a5743', project], ['2a0b1c2d-0000-4000-8000-000000000000', join(root, 'other')]]) {
        mkdirSync(join(copilot, id), { recursive: true });
        writeFileSync(join(copilot, id, 'events.jsonl'), events.split(realCwd).join(cwd));
        writeFileSync(join(copilot, id, 'workspace.yaml'), `id: ${id}\ncwd: ${cwd}\nclient_name: github/cli\n`);
      }
      const monitor = new ContextMonitor({ folders: [project], sources: new Set(['gemini', 'copilot-cli']), claudeProjectsDir: join(root, 'none'), codexSessionsDir: join(root, 'none'), geminiTmpDir: gemini, copilotCliStateDir: copilot, lookBackMs: 3_600_000 });
      const meters = await monitor.refresh();
      assert.deepEqual(meters.map((m) => [m.source, m.cwd]).sort(), [['copilot-cli', project], ['gemini', project]]);
      assert.ok((await monitor.watchDirs()).includes(join(gemini, 'project', 'chats')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
