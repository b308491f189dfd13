// Claude Code session transcripts: ~/.claude/projects/<cwd with every non-alphanumeric character as '-'>/<session>.jsonl
// ($CLAUDE_CONFIG_DIR replaces ~/.claude). One JSON object per line: user, assistant, system, summary records, each
// with sessionId, cwd, timestamp. Assistant records carry message.usage of that API call; the context in use is the
// last main-thread call's input_tokens + cache_creation_input_tokens + cache_read_input_tokens + output_tokens.
// Subagent records (isSidechain) have their own context and are not counted; "<synthetic>" records carry zero usage.
// After a compact_boundary the context is the compacted summary: estimated with the tokenizer until the next usage.

import { countTokens } from './tokenizer';
import { knownContextWindow } from './windows';
import { isRecord, num, str, toMs, type SessionMeter } from './meter';
import { UsageTranscriptSession } from './transcriptSession';

const FILE_TOOLS = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit']);
const SHELL_TOOLS = new Set(['Bash']);

/** The folder name Claude Code gives a working directory under projects/. */
export function claudeProjectDirName(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

/** Context tokens of one recorded usage, or undefined when the usage is empty (synthetic or failed calls). */
export function claudeContextTokens(usage: unknown): number | undefined {
  if (!isRecord(usage)) return undefined;
  const total = num(usage.input_tokens) + num(usage.cache_creation_input_tokens) + num(usage.cache_read_input_tokens) + num(usage.output_tokens);
  return total > 0 ? total : undefined;
}

export class ClaudeSession extends UsageTranscriptSession {
  readonly source = 'claude' as const;
  private cwd?: string;
  private title?: string;
  private compactions = 0;
  private lastAssistantId?: string;
  private readonly toolIds = new Set<string>();

  override reset(): void {
    super.reset();
    this.cwd = this.title = this.lastAssistantId = undefined;
    this.compactions = 0;
    this.toolIds.clear();
  }

  protected record(rec: Record<string, unknown>): void {
    const type = rec.type;
    if (type === 'summary') {
      this.title = str(rec.summary) ?? this.title;
      return;
    }
    if (!this.sessionId) this.sessionId = str(rec.sessionId) ?? '';
    this.cwd = str(rec.cwd) ?? this.cwd;
    this.span.see(toMs(rec.timestamp));
    if (type === 'system' && rec.subtype === 'compact_boundary') {
      // The usage before the boundary is stale: estimate from the summary until the next call records usage.
      this.compactions++;
      this.recorded = false;
      this.tokens = this.estimate = 0;
      return;
    }
    if (rec.isSidechain === true) return;
    const message = rec.message;
    if (!isRecord(message)) return;
    if (type === 'assistant') this.assistant(message);
    else if (type === 'user' && rec.isMeta !== true) this.user(message);
  }

  private assistant(message: Record<string, unknown>): void {
    const id = str(message.id);
    if (!id || id !== this.lastAssistantId) this.messages++;
    this.lastAssistantId = id;
    const model = str(message.model);
    const used = claudeContextTokens(message.usage);
    if (used !== undefined && model !== '<synthetic>') {
      this.tokens = used;
      this.recorded = true;
      if (model) this.model = model;
    }
    const content = message.content;
    if (!Array.isArray(content)) return;
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'text' && !this.recorded) this.estimate += countTokens(str(block.text) ?? '');
      if (block.type !== 'tool_use') continue;
      const toolId = str(block.id);
      if (toolId) {
        if (this.toolIds.has(toolId)) continue;
        this.toolIds.add(toolId);
      }
      const name = str(block.name) ?? '';
      const input = isRecord(block.input) ? block.input : {};
      if (SHELL_TOOLS.has(name)) {
        this.commands++;
        const cmd = str(input.command);
        if (cmd) this.recentCommands.add(cmd);
      } else if (FILE_TOOLS.has(name)) {
        const f = str(input.file_path) ?? str(input.notebook_path);
        if (f) this.recentFiles.add(f);
      }
    }
  }

  private user(message: Record<string, unknown>): void {
    const content = message.content;
    if (typeof content === 'string') {
      this.messages++;
      if (!this.recorded) this.estimate += countTokens(content);
      return;
    }
    if (!Array.isArray(content)) return;
    let prompt = false;
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'text') {
        prompt = true;
        if (!this.recorded) this.estimate += countTokens(str(block.text) ?? '');
      } else if (block.type === 'tool_result' && !this.recorded && typeof block.content === 'string') {
        this.estimate += countTokens(block.content);
      }
    }
    if (prompt) this.messages++;
  }

  meter(): SessionMeter {
    const use = this.contextUse();
    return {
      ...this.commonMeterFields(),
      ...use,
      source: 'claude',
      cwd: this.cwd,
      title: this.title,
      model: this.model,
      contextWindow: knownContextWindow(this.model, use.contextTokens),
      messages: this.messages,
      commands: this.commands,
      compactions: this.compactions,
    };
  }
}
