// The context meter's engine: transcript readers, token counting, thresholds. No `vscode` here.

export { TailReader, readFirstLine, type LineSink, type PollResult } from './tail';
export { SESSION_SOURCES, SOURCE_LABELS, shortId, type SessionMeter, type SessionParser, type SessionSource } from './meter';
export { ClaudeSession, claudeContextTokens, claudeProjectDirName } from './claude';
export { CodexSession, codexUsageTokens } from './codex';
export { CopilotSession, copilotUsage } from './copilot';
export { CopilotCliSession } from './copilotCli';
export { GeminiSession } from './gemini';
export { TerminalTextMeter } from './terminal';
export { TOKENIZER_NAME, countTokens, estimateTokens } from './tokenizer';
export { knownContextWindow } from './windows';
export {
  DEFAULT_THRESHOLDS,
  PRODUCTION_THRESHOLDS,
  FRESH_SESSION_COMMANDS,
  FRESH_SESSION_HINTS,
  NudgeTracker,
  assess,
  formatAge,
  formatTokens,
  freshSessionCommand,
  lowerOnly,
  sessionKey,
  type Assessment,
  type Nudge,
  type NudgeLevel,
  type Thresholds,
} from './nudge';
export { handoffSummary, sessionAuditEntries, type HandoffAuditEntry } from './handoff';
export { claudeProjectsDir, codexSessionsDir, copilotCliStateDir, geminiTmpDir, claudeTranscripts, codexTranscripts, copilotCliTranscripts, copilotTranscripts, geminiTranscripts, isWithin, type TranscriptFile, type TranscriptKind } from './sources';
export { SessionTracker, createParser } from './tracker';
export { ContextMonitor, type MonitorOptions } from './monitor';
