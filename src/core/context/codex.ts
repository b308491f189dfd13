// Codex session rollouts: $CODEX_HOME/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl ($CODEX_HOME defaults to ~/.codex).
// Each line is {timestamp, type, payload}: session_meta (id, cwd), turn_context (model, cwd), response_item (messages,
// tool calls), event_msg (user_message, agent_message, token_count, ...), compacted. token_count carries
// info.last_token_usage (the last call: its total_tokens is the context in use — what Codex itself shows),
// info.total_token_usage (running sum) and info.model_context_window; info is null before the first call. After a
// compaction the last usage is stale: the summary is estimated with the tokenizer until the next token_count.

import { countTokens } from './tokenizer';
import { isRecord, num, str, toMs, type SessionMeter } from './meter';
import { UsageTranscriptSession } from './transcriptSession';

const SHELL_TOOLS = new Set(['shell', 'exec_command', 'container.exec', 'local_shell', 'shell_command']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'fish', 'pwsh', 'powershell']);

/** Context tokens of one token usage record: total_tokens, else input + output. */
export function codexUsageTokens(usage: unknown): number | undefined {
  if (!isRecord(usage)) return undefined;
  const total = num(usage.total_tokens) || num(usage.input_tokens) + num(usage.output_tokens);
  return total > 0 ? total : undefined;
}

/** The command line a shell tool call ran: `bash -lc "x"` gives x; other argv is joined with spaces. */
export function codexCommandText(command: unknown): string | undefined {
  if (typeof command === 'string') return command || undefined;
  if (!Array.isArray(command) || !command.every((c) => typeof c === 'string')) return undefined;
  const argv = command as string[];
  if (argv.length >= 3 && SHELLS.has(argv[0].replace(/^.*[\\/]/, '')) && /^-\w*c$/.test(argv[1])) return argv[2];
  return argv.join(' ') || undefined;
}

/** Files named in an apply_patch body. */
export function patchFiles(patch: string): string[] {
  const files: string[] = [];
  for (const line of patch.split('\n')) {
    const m = /^\*\*\* (?:Add|Update|Delete) File: (.+)$/.exec(line) ?? /^\*\*\* Move to: (.+)$/.exec(line);
    if (m) files.push(m[1].trim());
  }
  return files;
}

export class CodexSession extends UsageTranscriptSession {
  readonly source = 'codex' as const;
  private cwd?: string;
  private window?: number;
  private previousTotal?: number;
  /** Codex 0.171 and later write no user_message/agent_message events: their response_item messages are counted. */
  private itemMessages = 0;
  private itemEstimate = 0;
  private compactions = 0;
  private justCompacted = false;

  override reset(): void {
    super.reset();
    this.cwd = this.window = this.previousTotal = undefined;
    this.itemMessages = this.itemEstimate = this.compactions = 0;
    this.justCompacted = false;
  }

  protected record(rec: Record<string, unknown>): void {
    this.span.see(toMs(rec.timestamp));
    const payload = isRecord(rec.payload) ? rec.payload : undefined;
    switch (rec.type) {
      case 'session_meta':
        if (payload) {
          this.sessionId ||= str(payload.id) ?? '';
          this.cwd = str(payload.cwd) ?? this.cwd;
          this.span.see(toMs(payload.timestamp));
        }
        return;
      case 'turn_context':
        if (payload) {
          this.model = str(payload.model) ?? this.model;
          this.cwd = str(payload.cwd) ?? this.cwd;
        }
        return;
      case 'compacted':
        // The usage before is stale: estimate from the summary until the next token_count.
        this.compacted();
        if (payload) this.estimate += countTokens(str(payload.message) ?? '');
        return;
      case 'event_msg':
        if (payload) this.event(payload);
        return;
      case 'response_item':
        if (payload) this.item(payload);
        return;
      default:
        // Rollouts before the {type, payload} envelope started with a bare session header.
        if (rec.type === undefined && str(rec.id) && !this.sessionId) {
          this.sessionId = rec.id as string;
          this.span.see(toMs(rec.timestamp));
        }
    }
  }

  private event(p: Record<string, unknown>): void {
    switch (p.type) {
      case 'token_count': {
        // The first rollouts put one call's usage straight in the payload, without `info`.
        const info = isRecord(p.info) ? p.info : p.info === undefined && (num(p.total_tokens) || num(p.input_tokens)) ? { last_token_usage: p } : undefined;
        if (!info) return;
        if (num(info.model_context_window)) this.window = num(info.model_context_window);
        const total = codexUsageTokens(info.total_token_usage);
        let used = codexUsageTokens(info.last_token_usage);
        // Older rollouts have only the running total: the last call is its growth since the previous event.
        if (used === undefined && total !== undefined && this.previousTotal !== undefined && total > this.previousTotal) used = total - this.previousTotal;
        if (total !== undefined) this.previousTotal = total;
        if (used !== undefined) {
          this.tokens = used;
          this.recorded = true;
          this.justCompacted = false;
        }
        return;
      }
      case 'user_message':
      case 'agent_message':
        this.messages++;
        if (!this.recorded) this.estimate += countTokens(str(p.message) ?? '');
        return;
      case 'context_compacted':
        if (!this.justCompacted) this.compacted();
        return;
      case 'patch_apply_end':
      case 'patch_apply_begin':
        if (isRecord(p.changes)) for (const f of Object.keys(p.changes)) this.recentFiles.add(f);
        return;
    }
  }

  private item(p: Record<string, unknown>): void {
    const name = str(p.name) ?? '';
    if (p.type === 'message' && (p.role === 'user' || p.role === 'assistant')) {
      this.itemMessages++;
      if (!this.recorded && Array.isArray(p.content)) for (const c of p.content) if (isRecord(c)) this.itemEstimate += countTokens(str(c.text) ?? '');
      return;
    }
    if (p.type === 'function_call') {
      let args: unknown;
      try {
        args = typeof p.arguments === 'string' ? JSON.parse(p.arguments) : p.arguments;
      } catch {
        args = undefined;
      }
      const a = isRecord(args) ? args : {};
      if (SHELL_TOOLS.has(name)) this.ran(codexCommandText(a.command) ?? codexCommandText(a.cmd));
      else if (name === 'apply_patch') for (const f of patchFiles(str(a.input) ?? str(a.patch) ?? '')) this.recentFiles.add(f);
    } else if (p.type === 'local_shell_call') {
      const action = isRecord(p.action) ? p.action : {};
      this.ran(codexCommandText(action.command));
    } else if (p.type === 'custom_tool_call' && name === 'apply_patch') {
      for (const f of patchFiles(str(p.input) ?? '')) this.recentFiles.add(f);
    }
  }

  private compacted(): void {
    this.compactions++;
    this.recorded = false;
    this.tokens = this.estimate = this.itemEstimate = 0;
    this.justCompacted = true;
  }

  private ran(command: string | undefined): void {
    this.commands++;
    if (command) this.recentCommands.add(command);
  }

  meter(): SessionMeter {
    return {
      ...this.commonMeterFields(),
      source: 'codex',
      cwd: this.cwd,
      model: this.model,
      contextTokens: this.recorded ? this.tokens : this.messages ? this.estimate : this.itemEstimate,
      basis: this.recorded ? 'recorded' : (this.messages ? this.estimate : this.itemEstimate) > 0 ? 'estimated' : 'none',
      contextWindow: this.window,
      messages: this.messages || this.itemMessages,
      commands: this.commands,
      compactions: this.compactions,
    };
  }
}
