import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClaudeSession,
  ContextMonitor,
  CodexSession,
  CopilotSession,
  DEFAULT_THRESHOLDS,
  NudgeTracker,
  PRODUCTION_THRESHOLDS,
  SessionTracker,
  TailReader,
  TerminalTextMeter,
  assess,
  claudeProjectDirName,
  claudeTranscripts,
  codexTranscripts,
  copilotTranscripts,
  countTokens,
  formatAge,
  formatTokens,
  freshSessionCommand,
  handoffSummary,
  lowerOnly,
  type SessionMeter,
  type SessionParser,
} from '../../src/core/context';
import { ACTION_COPY, ACTION_FRESH, ACTION_SNOOZE, showNudge, type NudgeUi } from '../../src/vscode/context/nudges';
import { generateClaudeLines, generatedContextTokens } from '../bench/context';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'context');
const fixture = (name: string): string => join(FIXTURES, name);

function parseFile(parser: SessionParser, name: string): SessionMeter {
  for (const line of readFileSync(fixture(name), 'utf8').split('\n')) if (line) parser.line(line);
  return parser.meter();
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ag-context-'));
}

describe('context meter: transcripts', function () {
  this.timeout(30_000); // the first test loads the tokenizer's ranks
  it('Claude Code: context is the last main-thread usage (input + cache creation + cache read + output)', () => {
    const m = parseFile(new ClaudeSession('x.jsonl', 'file-id'), 'claude-session.jsonl');
    assert.equal(m.contextTokens, 3 + 1204 + 48211 + 377);
    assert.equal(m.basis, 'recorded');
    assert.equal(m.model, 'claude-sonnet-4-5-20250929');
    assert.equal(m.contextWindow, 200_000);
    assert.equal(m.sessionId, '7f3c2a10-5b8e-4d2f-9a61-0c4e8b2d1f37');
    assert.equal(m.cwd, '/home/dev/shop-api');
    assert.equal(m.title, 'Add retry to the deploy script');
    assert.equal(m.commands, 2);
    assert.deepEqual(m.recentCommands, ['cat scripts/deploy.sh', 'bash -n scripts/deploy.sh && git diff --stat']);
    assert.deepEqual(m.recentFiles, ['/home/dev/shop-api/scripts/deploy.sh']);
    assert.equal(m.messages, 5); // one prompt, three assistant turns, one API error
    assert.equal(m.startedAt, Date.parse('2025-10-14T09:00:00.000Z'));
    assert.equal(m.lastActivity, Date.parse('2025-10-14T09:00:20.000Z'));
    assert.equal(m.malformedLines, 0);
  });

  it('Claude Code: after a compaction the context drops to the next recorded usage', () => {
    const m = parseFile(new ClaudeSession(), 'claude-compacted.jsonl');
    assert.equal(m.contextTokens, 10 + 14890 + 11400 + 88);
    assert.equal(m.compactions, 1);
    // Between the boundary and the next call, the old usage is stale: the summary is estimated.
    const p = new ClaudeSession();
    const lines = readFileSync(fixture('claude-compacted.jsonl'), 'utf8').split('\n');
    for (const line of lines.slice(0, 4)) p.line(line);
    const between = p.meter();
    assert.equal(between.basis, 'estimated');
    assert.equal(between.contextTokens, countTokens('This session is being continued from a previous conversation...'));
  });

  it('skips and counts malformed lines without losing the valid ones', () => {
    const m = parseFile(new ClaudeSession(), 'claude-malformed.jsonl');
    assert.equal(m.malformedLines, 3); // truncated JSON, plain text, a JSON array
    assert.equal(m.contextTokens, 49795);
    assert.equal(m.commands, 1);
  });

  it('Codex: context is the last token_count last_token_usage.total_tokens, window from the event', () => {
    const m = parseFile(new CodexSession(), 'codex-rollout.jsonl');
    assert.equal(m.contextTokens, 13193);
    assert.equal(m.contextWindow, 272_000);
    assert.equal(m.model, 'gpt-5-codex');
    assert.equal(m.sessionId, '0199e2c4-7a1b-7c30-b5d2-6f0e8a9c1d24');
    assert.equal(m.cwd, '/home/dev/shop-api');
    assert.equal(m.commands, 2);
    assert.deepEqual(m.recentCommands, ['npm test', 'npm test -- cart']);
    assert.deepEqual(m.recentFiles, ['src/cart/total.ts', '/home/dev/shop-api/src/cart/total.ts']);
    assert.equal(m.messages, 2);
    assert.equal(m.malformedLines, 0);
  });

  it('Codex: older rollouts with only the running total use its growth', () => {
    const p = new CodexSession();
    const tc = (total: number): string => JSON.stringify({ type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { input_tokens: total - 10, output_tokens: 10, total_tokens: total } } } });
    p.line(tc(9000));
    assert.equal(p.meter().basis, 'none');
    p.line(tc(21000));
    assert.equal(p.meter().contextTokens, 12000);
    const first = new CodexSession();
    first.line(JSON.stringify({ type: 'event_msg', payload: { type: 'token_count', input_tokens: 5120, cached_input_tokens: 0, output_tokens: 310, reasoning_output_tokens: 64, total_tokens: 5430 } }));
    assert.equal(first.meter().contextTokens, 5430);
  });

  it('Codex: a compaction makes the last usage stale until the next token_count', () => {
    const p = new CodexSession();
    for (const line of readFileSync(fixture('codex-rollout.jsonl'), 'utf8').split('\n')) if (line) p.line(line);
    p.line(JSON.stringify({ timestamp: '2025-10-14T11:00:00Z', type: 'compacted', payload: { message: 'Summary: fixed cart rounding; tests pass.' } }));
    p.line(JSON.stringify({ timestamp: '2025-10-14T11:00:00Z', type: 'event_msg', payload: { type: 'context_compacted' } }));
    let m = p.meter();
    assert.equal(m.compactions, 1);
    assert.equal(m.basis, 'estimated');
    assert.equal(m.contextTokens, countTokens('Summary: fixed cart rounding; tests pass.'));
    p.line(JSON.stringify({ type: 'event_msg', payload: { type: 'token_count', info: { last_token_usage: { input_tokens: 4000, output_tokens: 100, total_tokens: 4100 }, model_context_window: 272000 } } }));
    m = p.meter();
    assert.equal(m.basis, 'recorded');
    assert.equal(m.contextTokens, 4100);
  });

  it('Copilot Chat .jsonl: replays the mutation log; usage from either place; re-pushed tool calls count once', () => {
    const m = parseFile(new CopilotSession('s.jsonl', 'file-id', '/home/dev/shop-api'), 'copilot-session.jsonl');
    assert.equal(m.contextTokens, 41234 + 812);
    assert.equal(m.basis, 'recorded');
    assert.equal(m.contextWindow, 127805);
    assert.equal(m.model, 'claude-sonnet-4.5');
    assert.equal(m.title, 'CI build failure in tsconfig');
    assert.equal(m.sessionId, '3f9d0b6e-2c41-4e8a-a7d5-91b2c6e04f18');
    assert.equal(m.commands, 2);
    assert.deepEqual(m.recentCommands, ['npm run build', 'npm test']);
    assert.deepEqual(m.recentFiles, ['/home/dev/shop-api/tsconfig.json']);
    assert.equal(m.messages, 4);
    assert.equal(m.startedAt, 1760436000000);
    assert.equal(m.lastActivity, 1760436200000);
  });

  it('Copilot Chat legacy .json without usage: estimated with the tokenizer', async () => {
    const tracker = new SessionTracker();
    const m = await tracker.update({ kind: 'copilot', path: fixture('copilot-legacy.json'), id: 'legacy' });
    assert.ok(m);
    assert.equal(m.basis, 'estimated');
    const expected = countTokens('Explain what this regex does: ^a+b$') + countTokens('It matches one or more a characters followed by a single b, and nothing else.');
    assert.equal(m.contextTokens, expected);
    assert.equal(m.model, 'gpt-4.1');
  });
});

describe('context meter: token estimate, calibrated on o200k_base', function () {
  this.timeout(60_000);
  // gpt-tokenizer is a development dependency only: the reference the shipped estimate is measured against.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const o200k = (require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o?: object): number }).countTokens;
  const exact = (t: string) => o200k(t, { disallowedSpecial: new Set() });

  function texts(): [string, string][] {
    const root = join(__dirname, '..', '..', '..');
    const out: [string, string][] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|bash|zsh|sh|jsonl|json|md)$/.test(n)) out.push([p, readFileSync(p, 'utf8')]);
      }
    };
    for (const d of ['src', 'test/corpus', 'test/fixtures/context']) walk(join(root, d));
    for (const f of ['README.md', 'CHANGELOG.md']) out.push([f, readFileSync(join(root, f), 'utf8')]);
    return out.filter(([, t]) => t.length > 0);
  }

  it('stays within a few per cent of o200k_base over code, prose, commands and session files', () => {
    let counted = 0;
    let estimated = 0;
    const errors: number[] = [];
    for (const [, t] of texts()) {
      const a = exact(t);
      const e = countTokens(t);
      counted += a;
      estimated += e;
      errors.push(Math.abs(e - a) / a);
    }
    errors.sort((a, b) => a - b);
    const total = (estimated - counted) / counted;
    const p90 = errors[Math.floor(errors.length * 0.9)];
    console.log(`      token estimate vs o200k_base: ${counted} tokens in ${errors.length} files, total ${(total * 100).toFixed(1)} %, 90 % of files within ${(p90 * 100).toFixed(1)} %`);
    assert.ok(Math.abs(total) < 0.08, `total off by ${total}`);
    assert.ok(p90 < 0.15, `90th percentile off by ${p90}`);
  });

  it('counts short sentences close to o200k_base, special markers as plain text, and nothing as nothing', () => {
    for (const t of ['The quick brown fox jumps over the lazy dog.', 'Agent Guard puts a human keystroke between an AI coding agent and irreversible damage.', 'rm -rf /var/lib/postgresql && echo done']) {
      assert.ok(Math.abs(countTokens(t) - exact(t)) <= 3, `${t}: ${countTokens(t)} vs ${exact(t)}`);
    }
    assert.ok(countTokens('a <|endoftext|> b') > 3);
    assert.equal(countTokens(''), 0);
  });

  it('terminal text meter sums the tokens it saw', () => {
    const t = new TerminalTextMeter('term-1', '/w', 'agent terminal');
    t.command('npm test', 1000);
    t.text('12 passing (3s)\n', 2000);
    const m = t.meter();
    assert.equal(m.contextTokens, countTokens('npm test') + countTokens('12 passing (3s)\n'));
    assert.equal(m.basis, 'estimated');
    assert.equal(m.commands, 1);
    assert.equal(m.startedAt, 1000);
    assert.equal(m.lastActivity, 2000);
  });
});

describe('context meter: incremental reading', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a 50 MB transcript once, then only the appended megabyte', async function () {
    this.timeout(120_000);
    const file = join(dir, 'big.jsonl');
    const MB = 1024 * 1024;
    const big = generateClaudeLines(50 * MB);
    writeFileSync(file, big.text);
    const size = Buffer.byteLength(big.text);
    const tracker = new SessionTracker();
    const cold = await tracker.update({ kind: 'claude', path: file, id: 'big' });
    assert.equal(cold?.contextTokens, generatedContextTokens(big.last));
    assert.equal(tracker.reader.bytesRead, size);

    const more = generateClaudeLines(MB, big.last + 1);
    appendFileSync(file, more.text);
    const reads0 = tracker.reader.reads;
    const bytes0 = tracker.reader.bytesRead;
    const warm = await tracker.update({ kind: 'claude', path: file, id: 'big' });
    const appended = Buffer.byteLength(more.text);
    const readNow = tracker.reader.bytesRead - bytes0;
    assert.ok(readNow >= appended && readNow <= appended + 64, `read ${readNow} bytes for ${appended} appended`);
    assert.ok(tracker.reader.reads - reads0 <= 2, `${tracker.reader.reads - reads0} read calls`);
    assert.equal(warm?.contextTokens, generatedContextTokens(more.last));
    assert.equal(warm?.commands, more.last + 1);

    // Nothing appended: nothing read.
    const bytes1 = tracker.reader.bytesRead;
    await tracker.update({ kind: 'claude', path: file, id: 'big' });
    assert.equal(tracker.reader.bytesRead, bytes1);
  });

  it('holds a partial last line until its newline arrives', async () => {
    const file = join(dir, 's.jsonl');
    const lines = readFileSync(fixture('claude-session.jsonl'), 'utf8').split('\n').filter(Boolean);
    const last = lines[10]; // the assistant record with 49795 tokens
    writeFileSync(file, lines.slice(0, 10).join('\n') + '\n' + last.slice(0, 100));
    const tracker = new SessionTracker();
    let m = await tracker.update({ kind: 'claude', path: file, id: 's' });
    assert.equal(m?.contextTokens, 6 + 412 + 18234 + 233);
    assert.equal(m?.malformedLines, 0);
    appendFileSync(file, last.slice(100) + '\n');
    m = await tracker.update({ kind: 'claude', path: file, id: 's' });
    assert.equal(m?.contextTokens, 49795);
    assert.equal(m?.malformedLines, 0);
  });

  it('splits lines correctly when multi-byte characters straddle read chunks', async () => {
    const file = join(dir, 'u.jsonl');
    const texts = ['héllo wörld ✓', '日本語のテキスト', 'emoji 🚀🚀 end'];
    writeFileSync(file, texts.join('\n') + '\n');
    const reader = new TailReader({ chunkBytes: 7 });
    const got: string[] = [];
    await reader.poll(file, { reset: () => got.splice(0), line: (s) => got.push(s) });
    assert.deepEqual(got, texts);
  });

  it('notices truncation and starts again', async () => {
    const file = join(dir, 't.jsonl');
    writeFileSync(file, readFileSync(fixture('claude-session.jsonl')));
    const tracker = new SessionTracker();
    assert.equal((await tracker.update({ kind: 'claude', path: file, id: 't' }))?.contextTokens, 49795);
    truncateSync(file, 0);
    appendFileSync(file, readFileSync(fixture('claude-compacted.jsonl')));
    const m = await tracker.update({ kind: 'claude', path: file, id: 't' });
    assert.equal(m?.contextTokens, 26388);
    assert.equal(m?.commands, 0);
  });

  it('notices a file replaced by a new one (rotation) and starts again', async () => {
    const file = join(dir, 'r.jsonl');
    writeFileSync(file, readFileSync(fixture('claude-compacted.jsonl')));
    const tracker = new SessionTracker();
    assert.equal((await tracker.update({ kind: 'claude', path: file, id: 'r' }))?.contextTokens, 26388);
    renameSync(file, join(dir, 'r.old'));
    writeFileSync(file, readFileSync(fixture('claude-session.jsonl')));
    const m = await tracker.update({ kind: 'claude', path: file, id: 'r' });
    assert.equal(m?.contextTokens, 49795);
    assert.equal(m?.compactions, 0);
  });

  it('notices a file rewritten in place to a larger size (Copilot compacting its log)', async () => {
    const file = join(dir, 'c.jsonl');
    const reader = new TailReader();
    const events: string[] = [];
    const sink = { reset: () => events.push('reset'), line: (s: string) => events.push(s) };
    writeFileSync(file, 'aaaa\nbbbb\n');
    await reader.poll(file, sink);
    writeFileSync(file, 'cccc\ndddd\neeee\n'); // same inode, longer, different bytes
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const r = await reader.poll(file, sink);
    assert.equal(r.reset, true);
    assert.deepEqual(events, ['aaaa', 'bbbb', 'reset', 'cccc', 'dddd', 'eeee']);
  });

  it('a line past the size limit is skipped and counted; the next lines are read', async () => {
    const file = join(dir, 'o.jsonl');
    const lines = readFileSync(fixture('claude-session.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, `{"type":"user","pad":"${'z'.repeat(5000)}"}\n${lines[10]}\n`);
    const tracker = new SessionTracker(new TailReader({ chunkBytes: 1024, maxLineBytes: 4096 }));
    const m = await tracker.update({ kind: 'claude', path: file, id: 'o' });
    assert.equal(m?.malformedLines, 1);
    assert.equal(m?.contextTokens, 49795);
  });

  it('a deleted transcript reports missing and is forgotten', async () => {
    const file = join(dir, 'd.jsonl');
    writeFileSync(file, readFileSync(fixture('claude-compacted.jsonl')));
    const tracker = new SessionTracker();
    await tracker.update({ kind: 'claude', path: file, id: 'd' });
    rmSync(file);
    assert.equal(await tracker.update({ kind: 'claude', path: file, id: 'd' }), undefined);
    assert.equal(tracker.has(file), false);
  });
});

describe('context meter: finding transcripts', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('Claude project folders are the cwd with every non-alphanumeric character as a dash', async () => {
    assert.equal(claudeProjectDirName('/home/dev/shop-api'), '-home-dev-shop-api');
    assert.equal(claudeProjectDirName('/Users/me/.config/x_y'), '-Users-me--config-x-y');
    for (const d of ['-home-dev-shop-api', '-home-dev-shop-api-packages-web', '-home-dev-other']) {
      mkdirSync(join(dir, d));
      writeFileSync(join(dir, d, 'a1.jsonl'), '{}\n');
    }
    const found = await claudeTranscripts(dir, ['/home/dev/shop-api'], 0);
    assert.deepEqual(found.map((f) => f.path.slice(dir.length + 1)).sort(), ['-home-dev-shop-api-packages-web/a1.jsonl', '-home-dev-shop-api/a1.jsonl']);
    assert.equal(found[0].id, 'a1');
  });

  it('Codex rollouts of the last days are kept when their session_meta cwd is in a workspace folder', async () => {
    const now = Date.UTC(2025, 9, 14, 12);
    const day = join(dir, '2025', '10', '14');
    mkdirSync(day, { recursive: true });
    const meta = (cwd: string): string => JSON.stringify({ timestamp: 'x', type: 'session_meta', payload: { id: 'i', cwd } }) + '\n';
    writeFileSync(join(day, 'rollout-2025-10-14T10-00-00-0199e2c4-7a1b-7c30-b5d2-6f0e8a9c1d24.jsonl'), meta('/home/dev/shop-api/sub'));
    writeFileSync(join(day, 'rollout-2025-10-14T11-00-00-0199e2c4-0000-7c30-b5d2-6f0e8a9c1d25.jsonl'), meta('/home/dev/shop-api-2'));
    const found = await codexTranscripts(dir, ['/home/dev/shop-api'], 0, now);
    assert.equal(found.length, 1);
    assert.equal(found[0].id, '0199e2c4-7a1b-7c30-b5d2-6f0e8a9c1d24');
    assert.equal(found[0].cwd, '/home/dev/shop-api/sub');
  });

  it('Copilot: a session with both .json and .jsonl is read from the .jsonl', async () => {
    for (const f of ['s1.json', 's1.jsonl', 's2.json']) writeFileSync(join(dir, f), '{}');
    const found = await copilotTranscripts(dir, '/w', 0);
    assert.deepEqual(found.map((f) => f.path.slice(dir.length + 1)).sort(), ['s1.jsonl', 's2.json']);
  });
});

describe('context meter: monitoring a workspace', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds each agent\'s sessions for the workspace, newest first, and rereads only what changed', async () => {
    const ws = '/home/dev/shop-api';
    const claudeDir = join(dir, 'claude', 'projects');
    const codexDir = join(dir, 'codex', 'sessions');
    const chatDir = join(dir, 'workspaceStorage', 'abc123', 'chatSessions');
    mkdirSync(join(claudeDir, claudeProjectDirName(ws)), { recursive: true });
    mkdirSync(join(claudeDir, claudeProjectDirName(ws + '-admin')), { recursive: true }); // a sibling, not ours
    mkdirSync(chatDir, { recursive: true });
    const now = Date.now();
    const day = new Date(now);
    const codexDay = join(codexDir, String(day.getFullYear()), String(day.getMonth() + 1).padStart(2, '0'), String(day.getDate()).padStart(2, '0'));
    mkdirSync(codexDay, { recursive: true });
    const claudeFile = join(claudeDir, claudeProjectDirName(ws), '7f3c2a10-5b8e-4d2f-9a61-0c4e8b2d1f37.jsonl');
    writeFileSync(claudeFile, readFileSync(fixture('claude-session.jsonl')));
    writeFileSync(join(claudeDir, claudeProjectDirName(ws + '-admin'), 'other.jsonl'), readFileSync(fixture('claude-session.jsonl'), 'utf8').replaceAll('/home/dev/shop-api', '/home/dev/shop-api-admin'));
    writeFileSync(join(codexDay, 'rollout-2025-10-14T10-00-00-0199e2c4-7a1b-7c30-b5d2-6f0e8a9c1d24.jsonl'), readFileSync(fixture('codex-rollout.jsonl')));
    writeFileSync(join(chatDir, '3f9d0b6e-2c41-4e8a-a7d5-91b2c6e04f18.jsonl'), readFileSync(fixture('copilot-session.jsonl')));
    const old = (now - 3000) / 1000;
    utimesSync(join(chatDir, '3f9d0b6e-2c41-4e8a-a7d5-91b2c6e04f18.jsonl'), old, old);

    const monitor = new ContextMonitor({ folders: [ws], sources: new Set(['claude', 'codex', 'copilot']), claudeProjectsDir: claudeDir, codexSessionsDir: codexDir, copilotChatSessionsDir: chatDir, lookBackMs: 86_400_000 });
    const meters = await monitor.refresh(now);
    assert.deepEqual(meters.map((m) => [m.source, m.contextTokens]).sort(), [['claude', 49795], ['codex', 13193], ['copilot', 42046]]);
    assert.equal(meters[meters.length - 1].source, 'copilot'); // least recently written
    assert.ok((await monitor.watchDirs(now)).includes(join(claudeDir, claudeProjectDirName(ws))));

    const bytes0 = monitor.tracker.reader.bytesRead;
    await monitor.refresh(now);
    assert.equal(monitor.tracker.reader.bytesRead, bytes0, 'nothing changed, nothing read');
    const line = readFileSync(fixture('claude-compacted.jsonl'), 'utf8').split('\n')[1] + '\n';
    appendFileSync(claudeFile, line);
    const after = await monitor.refresh(Date.now());
    assert.equal(monitor.tracker.reader.bytesRead - bytes0, Buffer.byteLength(line) + 64); // the line, plus the 64-byte rewrite check
    assert.equal(after.find((m) => m.source === 'claude')?.contextTokens, 2 + 3000 + 181000 + 500);
  });
});

describe('context meter: nudge actions', () => {
  function fakeUi(choice: string | undefined, registered: string[]) {
    const calls: string[] = [];
    const ui: NudgeUi = {
      info: async (m, ...a) => (calls.push(`info:${m}`), a.length ? choice : undefined),
      warn: async (m, ...a) => (calls.push(`warn:${m}`), a.length ? choice : undefined),
      commands: async () => registered,
      execute: async (c) => void calls.push(`run:${c}`),
      copy: async (t) => void calls.push(`copy:${t.split('\n')[0]}`),
    };
    return { ui, calls };
  }
  const nudge = (source: SessionMeter['source'], level: 'gentle' | 'firm' = 'gentle') => ({ key: `${source}:s1`, level, reasons: ['182k tokens'], meter: meter({ source, contextTokens: 182_000 }) });

  it('"Start fresh session" copies the hand-off summary and runs the agent\'s new-chat command', async () => {
    const { ui, calls } = fakeUi(ACTION_FRESH, ['workbench.action.chat.newChat', 'other']);
    await showNudge(nudge('copilot'), { ui, auditEntries: async () => [], snooze: () => assert.fail(), log: () => undefined });
    assert.match(calls[0], /^info:This Copilot Chat session is getting long \(182k tokens\)/);
    assert.match(calls[1], /^copy:Hand-off from a previous Copilot Chat session/);
    assert.equal(calls[2], 'run:workbench.action.chat.newChat');
  });

  it('without a command for the agent, says how to start over by hand; firm nudges are warnings', async () => {
    const { ui, calls } = fakeUi(ACTION_FRESH, []);
    await showNudge(nudge('claude', 'firm'), { ui, auditEntries: async () => [], snooze: () => assert.fail(), log: () => undefined });
    assert.match(calls[0], /^warn:This Claude Code session is very long/);
    assert.ok(!calls.some((c) => c.startsWith('run:')));
    assert.match(calls[calls.length - 1], /type \/clear/);
  });

  it('"Copy hand-off summary" copies; "Snooze" snoozes that session', async () => {
    const copy = fakeUi(ACTION_COPY, []);
    await showNudge(nudge('codex'), { ui: copy.ui, auditEntries: async () => [{ time: new Date().toISOString(), command: 'npm test', decision: 'allow' }], snooze: () => assert.fail(), log: () => undefined });
    assert.ok(copy.calls.some((c) => c.startsWith('copy:Hand-off')));
    const snoozed: string[] = [];
    const sn = fakeUi(ACTION_SNOOZE, []);
    await showNudge(nudge('codex'), { ui: sn.ui, auditEntries: async () => [], snooze: (k) => snoozed.push(k), log: () => undefined });
    assert.deepEqual(snoozed, ['codex:s1']);
  });
});

function meter(over: Partial<SessionMeter>): SessionMeter {
  return { source: 'claude', sessionId: 's1', contextTokens: 0, basis: 'recorded', messages: 0, commands: 0, compactions: 0, recentCommands: [], recentFiles: [], malformedLines: 0, ...over };
}

describe('context meter: nudges', () => {
  const now = Date.UTC(2025, 9, 14, 12);

  it('defaults: gentle at 150k tokens or 2 h, firm at 400k', () => {
    assert.equal(assess(meter({ contextTokens: 149_999, startedAt: now - 60_000 }), DEFAULT_THRESHOLDS, now).level, 'none');
    assert.equal(assess(meter({ contextTokens: 150_000 }), DEFAULT_THRESHOLDS, now).level, 'gentle');
    assert.equal(assess(meter({ contextTokens: 1000, startedAt: now - 120 * 60_000 }), DEFAULT_THRESHOLDS, now).level, 'gentle');
    const firm = assess(meter({ contextTokens: 400_000, startedAt: now - 3 * 3_600_000 }), DEFAULT_THRESHOLDS, now);
    assert.equal(firm.level, 'firm');
    assert.deepEqual(firm.reasons, ['400k tokens', '3h 00m old']);
  });

  it('a known small window nudges by its share (Copilot windows are smaller than 150k)', () => {
    const a = assess(meter({ contextTokens: 110_000, contextWindow: 127_805 }), DEFAULT_THRESHOLDS, now);
    assert.equal(a.level, 'firm');
    assert.deepEqual(a.reasons, ['86% of the 128k window']);
  });

  it('production thresholds are lower; folder settings may only lower thresholds, never raise or turn them off', () => {
    assert.equal(assess(meter({ contextTokens: 90_000 }), PRODUCTION_THRESHOLDS, now).level, 'gentle');
    const t = lowerOnly(DEFAULT_THRESHOLDS, { gentleTokens: 1_000_000, firmTokens: 0 }, { gentleTokens: 100_000, gentleAgeMinutes: 0 });
    assert.equal(t.gentleTokens, 100_000);
    assert.equal(t.firmTokens, 400_000);
    assert.equal(t.gentleAgeMinutes, 120);
    // The user's own layer may turn the age nudge off; a folder may turn it back on.
    assert.equal(lowerOnly({ ...DEFAULT_THRESHOLDS, gentleAgeMinutes: 0 }, { gentleAgeMinutes: 30 }).gentleAgeMinutes, 30);
  });

  it('nudges once per level, again after the context fell back, and not while snoozed or idle', () => {
    const n = new NudgeTracker(30 * 60_000);
    const m = meter({ contextTokens: 200_000, lastActivity: now });
    const first = n.decide(m, DEFAULT_THRESHOLDS, now);
    assert.equal(first?.level, 'gentle');
    n.shownAt(first!);
    assert.equal(n.decide(m, DEFAULT_THRESHOLDS, now), undefined);
    const firm = n.decide({ ...m, contextTokens: 450_000 }, DEFAULT_THRESHOLDS, now);
    assert.equal(firm?.level, 'firm');
    n.shownAt(firm!);
    assert.equal(n.decide({ ...m, contextTokens: 20_000 }, DEFAULT_THRESHOLDS, now), undefined); // compacted: re-armed
    assert.equal(n.decide(m, DEFAULT_THRESHOLDS, now)?.level, 'gentle');
    n.snoozeSession('claude:s1', now + 3_600_000);
    assert.equal(n.decide(m, DEFAULT_THRESHOLDS, now + 60_000), undefined);
    assert.equal(n.decide({ ...m, lastActivity: now + 3_600_001 }, DEFAULT_THRESHOLDS, now + 3_600_001)?.level, 'gentle');
    n.snoozeAll(now + 7_200_000);
    assert.equal(n.decide({ ...m, sessionId: 's2' }, DEFAULT_THRESHOLDS, now + 60_000), undefined);
    assert.equal(n.decide({ ...m, sessionId: 's3', lastActivity: now - 3_600_000 }, DEFAULT_THRESHOLDS, now + 7_200_001), undefined); // idle
  });

  it('picks the first fresh-session command the agent registered', () => {
    assert.equal(freshSessionCommand('copilot', new Set(['workbench.action.chat.newChat'])), 'workbench.action.chat.newChat');
    assert.equal(freshSessionCommand('claude', new Set(['claude-vscode.newConversation'])), 'claude-vscode.newConversation');
    assert.equal(freshSessionCommand('codex', new Set()), undefined);
  });

  it('formats tokens and ages for the status bar', () => {
    assert.deepEqual([formatTokens(950), formatTokens(182_345), formatTokens(1_250_000)], ['950', '182k', '1.3M']);
    assert.deepEqual([formatAge(59_000), formatAge(130 * 60_000), formatAge(50 * 3_600_000)], ['0m', '2h 10m', '2d 2h']);
  });
});

describe('context meter: hand-off summary', () => {
  it('lists the session\'s audited commands with decisions, held ones, and files touched', () => {
    const m = meter({
      sessionId: '7f3c2a10-5b8e-4d2f', model: 'claude-sonnet-4-5', contextTokens: 182_000, startedAt: Date.parse('2025-10-14T09:00:00Z'),
      cwd: '/home/dev/shop-api', commands: 3, recentFiles: ['/home/dev/shop-api/scripts/deploy.sh'], recentCommands: ['ignored when audit has entries'],
    });
    const audit = [
      { time: '2025-10-14T08:00:00Z', command: 'too early', decision: 'allow', cwd: '/home/dev/shop-api' },
      { time: '2025-10-14T09:05:00Z', command: 'npm test', decision: 'allow', cwd: '/home/dev/shop-api', outcome: 'ran' },
      { time: '2025-10-14T09:06:00Z', command: 'ls', decision: 'allow', cwd: '/home/dev/elsewhere' },
      { time: '2025-10-14T09:07:00Z', command: 'git push --force origin main', decision: 'confirm', cwd: '/home/dev/shop-api/sub', outcome: 'held' },
    ];
    const text = handoffSummary(m, audit, { now: Date.parse('2025-10-14T11:10:00Z') });
    assert.match(text, /^Hand-off from a previous Claude Code session \(id 7f3c2a10, claude-sonnet-4-5, 182k tokens of context, 2h 10m long, 3 commands\)\./);
    assert.match(text, /- `npm test` \(allow\)/);
    assert.match(text, /- `git push --force origin main` \(confirm, held\)/);
    assert.match(text, /Held or refused by Agent Guard[^\n]*\n- `git push --force origin main`/);
    assert.match(text, /Files touched:\n- \/home\/dev\/shop-api\/scripts\/deploy\.sh/);
    assert.doesNotMatch(text, /too early|`ls`|ignored when/);
  });

  it('falls back to the transcript\'s commands when the audit log has none', () => {
    const text = handoffSummary(meter({ source: 'codex', recentCommands: ['npm test'] }), []);
    assert.match(text, /Codex session/);
    assert.match(text, /Recent commands \(newest last\):\n- `npm test`/);
  });
});
