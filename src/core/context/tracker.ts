// Keeps one parser per transcript file and feeds it only the bytes appended since the last update.

import { readFile, stat } from 'node:fs/promises';
import { ClaudeSession } from './claude';
import { CodexSession } from './codex';
import { CopilotSession } from './copilot';
import { CopilotCliSession } from './copilotCli';
import { GeminiSession } from './gemini';
import type { SessionMeter, SessionParser } from './meter';
import type { TranscriptFile, TranscriptKind } from './sources';
import { TailReader } from './tail';

interface Tracked {
  kind: TranscriptKind;
  parser: SessionParser;
  /** For whole-document files (legacy Copilot .json): what was last read. */
  seen?: { mtimeMs: number; size: number };
  meter?: SessionMeter;
}

/** Legacy Copilot .json documents are rewritten whole; one larger than this is not read. */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export function createParser(kind: TranscriptKind, file: string, id: string, cwd?: string): SessionParser {
  switch (kind) {
    case 'claude':
      return new ClaudeSession(file, id);
    case 'codex':
      return new CodexSession(file, id);
    case 'copilot':
      return new CopilotSession(file, id, cwd);
    case 'gemini':
      return new GeminiSession(file, id, cwd);
    case 'copilot-cli':
      return new CopilotCliSession(file, id, cwd);
  }
}

export class SessionTracker {
  readonly reader: TailReader;
  private readonly tracked = new Map<string, Tracked>();

  constructor(reader = new TailReader()) {
    this.reader = reader;
  }

  /** Reads what changed in `file` and returns its session's meter (undefined when the file is gone). */
  async update(file: Pick<TranscriptFile, 'kind' | 'path' | 'id' | 'cwd'>): Promise<SessionMeter | undefined> {
    let t = this.tracked.get(file.path);
    if (!t) {
      t = { kind: file.kind, parser: createParser(file.kind, file.path, file.id, file.cwd) };
      this.tracked.set(file.path, t);
    }
    if (file.kind === 'copilot' && file.path.endsWith('.json')) return this.updateDocument(file.path, t);
    const parser = t.parser;
    const r = await this.reader.poll(file.path, { reset: () => parser.reset(), line: (s) => parser.line(s), oversized: (n) => parser.oversized(n) });
    if (r.missing) {
      this.forget(file.path);
      return undefined;
    }
    if (!t.meter || r.bytes > 0 || r.reset) t.meter = parser.meter();
    return t.meter;
  }

  private async updateDocument(path: string, t: Tracked): Promise<SessionMeter | undefined> {
    let s;
    try {
      s = await stat(path);
    } catch {
      this.forget(path);
      return undefined;
    }
    if (t.meter && t.seen && t.seen.mtimeMs === s.mtimeMs && t.seen.size === s.size) return t.meter;
    t.seen = { mtimeMs: s.mtimeMs, size: s.size };
    const parser = t.parser as CopilotSession;
    if (s.size > MAX_DOCUMENT_BYTES) {
      parser.reset();
      parser.oversized();
    } else {
      const text = await readFile(path, 'utf8');
      this.reader.reads++;
      this.reader.bytesRead += Buffer.byteLength(text);
      parser.document(text);
    }
    t.meter = parser.meter();
    return t.meter;
  }

  /** The last meter of every tracked file. */
  meters(): SessionMeter[] {
    return [...this.tracked.values()].flatMap((t) => (t.meter ? [t.meter] : []));
  }

  meterOf(path: string): SessionMeter | undefined {
    return this.tracked.get(path)?.meter;
  }

  has(path: string): boolean {
    return this.tracked.has(path);
  }

  paths(): string[] {
    return [...this.tracked.keys()];
  }

  forget(path: string): void {
    this.tracked.delete(path);
    this.reader.forget(path);
  }
}
