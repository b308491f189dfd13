// What every transcript parser keeps (the session's id, its time span, recent commands and files, lines it could not
// read) and the step each line goes through: parsed as one JSON object, else counted as malformed.

import { parseObject, RecentList, Span, type SessionMeter, type SessionParser, type SessionSource } from './meter';

/** The meter fields every transcript parser fills the same way. */
type CommonMeterFields = Pick<SessionMeter, 'sessionId' | 'startedAt' | 'lastActivity' | 'recentCommands' | 'recentFiles' | 'malformedLines' | 'file'>;

export abstract class TranscriptSession implements SessionParser {
  abstract readonly source: SessionSource;
  protected sessionId = '';
  protected malformed = 0;
  protected readonly span = new Span();
  protected readonly recentCommands = new RecentList();
  protected readonly recentFiles = new RecentList();

  /** `fallbackId` names the session until a record does (the agents name the file after the session). */
  constructor(protected readonly file?: string, protected readonly fallbackId = '') {}

  /** Forgets everything read: the file was rewritten and is read again from its start. */
  reset(): void {
    this.sessionId = '';
    this.malformed = 0;
    this.span.clear();
    this.recentCommands.clear();
    this.recentFiles.clear();
  }

  oversized(): void {
    this.malformed++;
  }

  line(text: string): void {
    const rec = parseObject(text);
    if (rec) this.record(rec);
    else this.malformed++;
  }

  /** One line of the transcript, parsed into an object. */
  protected abstract record(rec: Record<string, unknown>): void;

  abstract meter(): SessionMeter;

  protected commonMeterFields(): CommonMeterFields {
    return {
      sessionId: this.sessionId || this.fallbackId,
      startedAt: this.span.start,
      lastActivity: this.span.last,
      recentCommands: this.recentCommands.values(),
      recentFiles: this.recentFiles.values(),
      malformedLines: this.malformed,
      file: this.file,
    };
  }
}

/**
 * A transcript whose agent records each model call's usage: the last recorded usage is the context in use; before
 * the first one (and after a compaction) the text read is counted with the tokenizer instead.
 */
export abstract class UsageTranscriptSession extends TranscriptSession {
  protected model?: string;
  protected tokens = 0;
  protected recorded = false;
  protected estimate = 0;
  protected messages = 0;
  protected commands = 0;

  override reset(): void {
    super.reset();
    this.model = undefined;
    this.tokens = this.estimate = this.messages = this.commands = 0;
    this.recorded = false;
  }

  /** The context in use: the last recorded usage, else the estimate. */
  protected contextUse(): Pick<SessionMeter, 'contextTokens' | 'basis'> {
    return { contextTokens: this.recorded ? this.tokens : this.estimate, basis: this.recorded ? 'recorded' : this.estimate > 0 ? 'estimated' : 'none' };
  }
}
