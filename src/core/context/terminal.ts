// A fallback estimate for agents that keep no transcript we can read: the text of a guarded terminal (commands and
// their output), counted with the tokenizer as it arrives. It measures what the agent saw, not its whole context, so
// it is labelled an estimate.

import { estimateTokens } from './tokenizer';
import { RecentList, type SessionMeter } from './meter';

export class TerminalTextMeter {
  private tokens = 0;
  private commands = 0;
  private startedAt?: number;
  private lastActivity?: number;
  private readonly recentCommands = new RecentList();

  constructor(readonly terminalId: string, private readonly cwd?: string, private readonly title?: string) {}

  /** A command line the terminal ran (it counts as text, too). */
  command(line: string, at = Date.now()): void {
    this.commands++;
    this.recentCommands.add(line);
    this.text(line, at);
  }

  /** Output or input text seen in the terminal. */
  text(chunk: string, at = Date.now()): void {
    if (!chunk) return;
    this.tokens += estimateTokens(chunk);
    this.startedAt ??= at;
    this.lastActivity = at;
  }

  meter(): SessionMeter {
    return {
      source: 'terminal',
      sessionId: this.terminalId,
      cwd: this.cwd,
      title: this.title,
      contextTokens: this.tokens,
      basis: this.tokens > 0 ? 'estimated' : 'none',
      startedAt: this.startedAt,
      lastActivity: this.lastActivity,
      messages: 0,
      commands: this.commands,
      compactions: 0,
      recentCommands: this.recentCommands.values(),
      recentFiles: [],
      malformedLines: 0,
    };
  }
}
