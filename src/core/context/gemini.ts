// Gemini CLI chat files: ~/.gemini/tmp/<project>/chats/session-<time>-<id>.jsonl (the folder's `.project_root` names
// the project). A log of one conversation: a header {sessionId, projectHash, startTime, kind}, then message records
// keyed by id — a later record with the same id replaces the earlier one (a reply is written once, then again with its
// tool calls and results) — `{$set: {...}}` metadata updates (which may carry the whole message list) and
// `{$rewindTo: id}`, which drops that message and everything after it. A reply (type "gemini") records
// tokens {input, output, cached, thoughts, tool, total}: its total is the context in use after that call.

import { countTokens } from './tokenizer';
import { isRecord, num, RecentList, str, toMs, type SessionMeter } from './meter';
import { TranscriptSession } from './transcriptSession';
import { knownContextWindow } from './windows';

interface Message {
  type: string;
  timestamp?: number;
  model?: string;
  tokens?: number;
  text: string;
  commands: string[];
  files: string[];
  toolCalls: number;
}

const SHELL_TOOLS = new Set(['run_shell_command', 'shell']);
const FILE_TOOLS = new Set(['write_file', 'replace', 'edit', 'read_file']);

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('\n');
}

function toMessage(rec: Record<string, unknown>): Message {
  const tokens = isRecord(rec.tokens) ? num(rec.tokens.total) || num(rec.tokens.input) + num(rec.tokens.output) : 0;
  const m: Message = { type: str(rec.type) ?? '', timestamp: toMs(rec.timestamp), model: str(rec.model), tokens: tokens || undefined, text: contentText(rec.content), commands: [], files: [], toolCalls: 0 };
  for (const call of Array.isArray(rec.toolCalls) ? rec.toolCalls : []) {
    if (!isRecord(call)) continue;
    m.toolCalls++;
    const name = str(call.name) ?? '';
    const args = isRecord(call.args) ? call.args : {};
    if (SHELL_TOOLS.has(name)) m.commands.push(str(args.command) ?? '');
    else if (FILE_TOOLS.has(name) && name !== 'read_file') {
      const f = str(args.file_path) ?? str(args.absolute_path) ?? str(args.path);
      if (f) m.files.push(f);
    }
  }
  return m;
}

export class GeminiSession extends TranscriptSession {
  readonly source = 'gemini' as const;
  private readonly messages = new Map<string, Message>();

  constructor(file?: string, fallbackId = '', private readonly cwd?: string) {
    super(file, fallbackId);
  }

  override reset(): void {
    super.reset();
    this.messages.clear();
  }

  protected record(rec: Record<string, unknown>): void {
    if (typeof rec.$rewindTo === 'string') {
      const ids = [...this.messages.keys()];
      const at = ids.indexOf(rec.$rewindTo);
      for (const id of at < 0 ? ids : ids.slice(at)) this.messages.delete(id);
      return;
    }
    if (isRecord(rec.$set)) {
      const set = rec.$set;
      this.span.see(toMs(set.lastUpdated));
      if (Array.isArray(set.messages)) {
        this.messages.clear();
        for (const m of set.messages) if (isRecord(m) && str(m.id)) this.add(m);
      }
      return;
    }
    if (str(rec.sessionId) && !str(rec.type)) {
      this.sessionId ||= rec.sessionId as string;
      this.span.see(toMs(rec.startTime));
      return;
    }
    if (str(rec.id) && str(rec.type)) this.add(rec);
  }

  private add(rec: Record<string, unknown>): void {
    const m = toMessage(rec);
    this.span.see(m.timestamp);
    this.messages.set(rec.id as string, m);
  }

  meter(): SessionMeter {
    let tokens = 0;
    let model: string | undefined;
    let estimate = 0;
    let messages = 0;
    let commands = 0;
    const recentCommands = new RecentList();
    const recentFiles = new RecentList();
    for (const m of this.messages.values()) {
      if (m.type === 'user' || m.type === 'gemini') messages++;
      model = m.model ?? model;
      if (m.tokens) {
        tokens = m.tokens;
        estimate = 0;
      } else estimate += countTokens(m.text);
      for (const c of m.commands) {
        commands++;
        if (c) recentCommands.add(c);
      }
      for (const f of m.files) recentFiles.add(f);
    }
    // Messages after the last recorded usage are not counted in it yet.
    const contextTokens = tokens + estimate;
    // Replies can be rewritten or rewound, so commands and files are gathered from the messages kept, not as read.
    return {
      ...this.commonMeterFields(),
      source: 'gemini',
      cwd: this.cwd,
      model,
      contextTokens,
      basis: tokens > 0 ? 'recorded' : contextTokens > 0 ? 'estimated' : 'none',
      contextWindow: knownContextWindow(model, contextTokens),
      messages,
      commands,
      compactions: 0,
      recentCommands: recentCommands.values(),
      recentFiles: recentFiles.values(),
    };
  }
}
