// GitHub Copilot CLI sessions: $COPILOT_HOME/session-state/<session id>/events.jsonl ($COPILOT_HOME defaults to
// ~/.copilot), beside a workspace.yaml naming the cwd. One event per line, {type, data, id, timestamp, parentId}:
// session.start (sessionId, selectedModel, context.cwd), user.message, assistant.message (model, toolRequests),
// session.usage_record (usage.inputTokens/outputTokens of one model call: their sum is the context in use after it),
// tool.execution_start (toolName, arguments: bash's command, apply_patch's patch text), tool.execution_complete
// (fileEdits). Compaction events were not seen in the runs this reader was checked on, so compactions stay 0.

import { countTokens } from './tokenizer';
import { patchFiles } from './codex';
import { isRecord, num, str, toMs, type SessionMeter } from './meter';
import { UsageTranscriptSession } from './transcriptSession';

const SHELL_TOOLS = new Set(['bash', 'shell', 'powershell']);

export class CopilotCliSession extends UsageTranscriptSession {
  readonly source = 'copilot-cli' as const;
  private cwd?: string;

  constructor(file?: string, fallbackId = '', cwd?: string) {
    super(file, fallbackId);
    this.cwd = cwd;
  }

  protected record(rec: Record<string, unknown>): void {
    if (typeof rec.type !== 'string') {
      this.malformed++;
      return;
    }
    this.span.see(toMs(rec.timestamp));
    const d = isRecord(rec.data) ? rec.data : {};
    switch (rec.type) {
      case 'session.start':
      case 'session.resume':
        this.sessionId ||= str(d.sessionId) ?? '';
        this.model = str(d.selectedModel) ?? this.model;
        if (isRecord(d.context)) this.cwd = str(d.context.cwd) ?? this.cwd;
        return;
      case 'user.message':
        this.messages++;
        if (!this.recorded) this.estimate += countTokens(str(d.content) ?? '');
        return;
      case 'assistant.message':
        this.messages++;
        this.model = str(d.model) ?? this.model;
        if (!this.recorded) this.estimate += countTokens(str(d.content) ?? '');
        return;
      case 'session.usage_record': {
        const u = isRecord(d.usage) ? d.usage : {};
        const used = num(u.inputTokens) + num(u.outputTokens);
        if (used > 0) {
          this.tokens = used;
          this.recorded = true;
        }
        this.model = str(u.model) ?? this.model;
        return;
      }
      case 'tool.execution_start': {
        const name = str(d.toolName) ?? '';
        const args = d.arguments;
        if (SHELL_TOOLS.has(name)) {
          this.commands++;
          const c = isRecord(args) ? str(args.command) : undefined;
          if (c) this.recentCommands.add(c);
        } else if (typeof args === 'string') {
          for (const f of patchFiles(args)) this.recentFiles.add(f);
        } else if (isRecord(args)) {
          const f = str(args.path) ?? str(args.file_path);
          if (f && name !== 'view') this.recentFiles.add(f);
        }
        return;
      }
      case 'tool.execution_complete':
        for (const e of Array.isArray(d.fileEdits) ? d.fileEdits : []) if (isRecord(e) && str(e.path)) this.recentFiles.add(e.path as string);
        return;
    }
  }

  meter(): SessionMeter {
    return {
      ...this.commonMeterFields(),
      ...this.contextUse(),
      source: 'copilot-cli',
      cwd: this.cwd,
      model: this.model,
      messages: this.messages,
      commands: this.commands,
      compactions: 0,
    };
  }
}
