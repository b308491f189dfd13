// What the context meter knows about one agent session, and the small pieces every transcript parser shares.

export const SESSION_SOURCES = ['claude', 'codex', 'copilot', 'gemini', 'copilot-cli', 'terminal'] as const;
export type SessionSource = (typeof SESSION_SOURCES)[number];

export const SOURCE_LABELS: Readonly<Record<SessionSource, string>> = {
  claude: 'Claude Code',
  codex: 'Codex',
  copilot: 'Copilot Chat',
  gemini: 'Gemini CLI',
  'copilot-cli': 'Copilot CLI',
  terminal: 'Terminal',
};

export interface SessionMeter {
  source: SessionSource;
  sessionId: string;
  /** The session's working directory (Claude, Codex) or workspace (Copilot, terminal). */
  cwd?: string;
  title?: string;
  model?: string;
  /** Tokens in the model's context now: from the last recorded usage, else a tokenizer estimate. */
  contextTokens: number;
  /** recorded: the agent wrote the usage down; estimated: counted here with the tokenizer. */
  basis: 'recorded' | 'estimated' | 'none';
  /** The model's context window, when the transcript or a known model says so. */
  contextWindow?: number;
  /** Epoch ms. */
  startedAt?: number;
  lastActivity?: number;
  /** User and assistant turns recorded. */
  messages: number;
  /** Shell commands the agent ran, where the transcript records them. */
  commands: number;
  /** Times the agent compacted (summarised) its own context. */
  compactions: number;
  recentCommands: string[];
  recentFiles: string[];
  /** Lines that were not valid JSON objects (or too long to hold): skipped and counted. */
  malformedLines: number;
  /** The transcript file, when there is one. */
  file?: string;
}

/** A parser of one session's transcript: fed line by line, reset when the file is rewritten. */
export interface SessionParser {
  readonly source: SessionSource;
  reset(): void;
  line(text: string): void;
  oversized(bytes: number): void;
  meter(): SessionMeter;
}

const RECENT = 20;

/** Keeps the last few distinct values, newest last. */
export class RecentList {
  private items: string[] = [];
  constructor(private readonly max = RECENT) {}
  add(value: string): void {
    const v = value.length > 500 ? value.slice(0, 500) + '…' : value;
    const i = this.items.indexOf(v);
    if (i !== -1) this.items.splice(i, 1);
    this.items.push(v);
    if (this.items.length > this.max) this.items.shift();
  }
  values(): string[] {
    return this.items.slice();
  }
  clear(): void {
    this.items = [];
  }
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function num(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0;
}

export function str(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

/** Epoch ms from an ISO string or a number of ms (or seconds). */
export function toMs(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x) && x > 0) return x < 1e11 ? x * 1000 : x;
  if (typeof x === 'string') {
    const t = Date.parse(x);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** Parses one JSON line into an object, or undefined for anything else. */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Start, last activity: kept as min and max of the timestamps seen. */
export class Span {
  start?: number;
  last?: number;
  see(t: number | undefined): void {
    if (t === undefined) return;
    if (this.start === undefined || t < this.start) this.start = t;
    if (this.last === undefined || t > this.last) this.last = t;
  }
  clear(): void {
    this.start = undefined;
    this.last = undefined;
  }
}

/** A short name for a session in lists: the first 8 characters of its id. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
