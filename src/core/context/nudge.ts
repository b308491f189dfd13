// When to suggest a fresh session: thresholds, the level a session has reached, and which nudges were already shown
// or snoozed. Data in, data out; the editor shows the message.

import type { SessionMeter } from './meter';

export interface Thresholds {
  /** A gentle nudge at this many context tokens. */
  gentleTokens: number;
  /** A firm nudge at this many. */
  firmTokens: number;
  /** A gentle nudge when the session is this old (minutes). Every threshold: 0 turns it off. */
  gentleAgeMinutes: number;
  /** Shares of a known context window that nudge gently / firmly (windows smaller than the token thresholds). */
  gentleWindowShare: number;
  firmWindowShare: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { gentleTokens: 150_000, firmTokens: 400_000, gentleAgeMinutes: 120, gentleWindowShare: 0.6, firmWindowShare: 0.85 };
/** Lower defaults for workspaces labelled production, where a fading instruction costs more. */
export const PRODUCTION_THRESHOLDS: Readonly<Thresholds> = { gentleTokens: 80_000, firmTokens: 200_000, gentleAgeMinutes: 60, gentleWindowShare: 0.5, firmWindowShare: 0.75 };

export type NudgeLevel = 'none' | 'gentle' | 'firm';
const RANK: Readonly<Record<NudgeLevel, number>> = { none: 0, gentle: 1, firm: 2 };

export interface Assessment {
  level: NudgeLevel;
  /** Why, in words for the message: "182k tokens", "2h 10m old", "71% of the 200k window". */
  reasons: string[];
}

/**
 * Thresholds from layered settings where a folder or workspace may only lower what the user set: a repository's own
 * settings file is agent-writable, and raising thresholds there would silence the nudges.
 */
export function lowerOnly(base: Thresholds, ...layers: (Partial<Thresholds> | undefined)[]): Thresholds {
  const out = { ...base };
  for (const layer of layers) {
    if (!layer) continue;
    for (const key of Object.keys(out) as (keyof Thresholds)[]) {
      const v = layer[key];
      // 0 turns a threshold off: only the user's own layer (`base`) may do that.
      if (typeof v === 'number' && Number.isFinite(v) && v > 0 && (out[key] === 0 || v < out[key])) out[key] = v;
    }
  }
  return out;
}

export function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const h = Math.floor(minutes / 60);
  if (h < 48) return `${h}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function assess(m: SessionMeter, t: Thresholds, now: number): Assessment {
  const reasons: string[] = [];
  let level: NudgeLevel = 'none';
  const raise = (to: NudgeLevel, why: string): void => {
    if (RANK[to] > RANK[level]) level = to;
    if (!reasons.includes(why)) reasons.push(why);
  };
  const tokens = m.contextTokens;
  if (t.firmTokens > 0 && tokens >= t.firmTokens) raise('firm', `${formatTokens(tokens)} tokens`);
  else if (t.gentleTokens > 0 && tokens >= t.gentleTokens) raise('gentle', `${formatTokens(tokens)} tokens`);
  if (m.contextWindow && m.contextWindow > 0) {
    const share = tokens / m.contextWindow;
    const why = `${Math.round(share * 100)}% of the ${formatTokens(m.contextWindow)} window`;
    if (t.firmWindowShare > 0 && share >= t.firmWindowShare) raise('firm', why);
    else if (t.gentleWindowShare > 0 && share >= t.gentleWindowShare) raise('gentle', why);
  }
  if (t.gentleAgeMinutes > 0 && m.startedAt !== undefined && now - m.startedAt >= t.gentleAgeMinutes * 60_000) {
    raise('gentle', `${formatAge(now - m.startedAt)} old`);
  }
  return { level, reasons };
}

export function sessionKey(m: Pick<SessionMeter, 'source' | 'sessionId'>): string {
  return `${m.source}:${m.sessionId}`;
}

export interface Nudge {
  key: string;
  level: Exclude<NudgeLevel, 'none'>;
  reasons: string[];
  meter: SessionMeter;
}

/**
 * Remembers which level each session was already nudged at, and snoozes. A session is nudged once per level; when it
 * falls back under every threshold (compacted, or the agent started over) it can be nudged again.
 */
export class NudgeTracker {
  private readonly shown = new Map<string, NudgeLevel>();
  private readonly snoozes = new Map<string, number>();
  private snoozedUntil = 0;

  /** Only sessions active this recently are nudged: an idle transcript from yesterday is history, not a risk. */
  constructor(private readonly activeWithinMs = 30 * 60_000) {}

  decide(m: SessionMeter, t: Thresholds, now: number): Nudge | undefined {
    const key = sessionKey(m);
    const { level, reasons } = assess(m, t, now);
    if (level === 'none') {
      this.shown.delete(key);
      return undefined;
    }
    if (m.lastActivity !== undefined && now - m.lastActivity > this.activeWithinMs) return undefined;
    if (RANK[level] <= RANK[this.shown.get(key) ?? 'none']) return undefined;
    if (this.isSnoozed(key, now)) return undefined;
    return { key, level, reasons, meter: m };
  }

  /** Called once the nudge was shown. */
  shownAt(n: Nudge): void {
    this.shown.set(n.key, n.level);
  }

  snoozeSession(key: string, until: number): void {
    this.snoozes.set(key, until);
  }

  snoozeAll(until: number): void {
    this.snoozedUntil = until;
  }

  /** The time all nudges are snoozed until, or 0. */
  snoozedUntilAll(now: number): number {
    return this.snoozedUntil > now ? this.snoozedUntil : 0;
  }

  isSnoozed(key: string, now: number): boolean {
    return now < this.snoozedUntil || now < (this.snoozes.get(key) ?? 0);
  }
}

/** Commands that start a fresh conversation, per agent, in the order to try; the first one registered wins. */
export const FRESH_SESSION_COMMANDS: Readonly<Record<SessionMeter['source'], readonly string[]>> = {
  claude: ['claude-vscode.editor.open', 'claude-vscode.newConversation'],
  codex: ['chatgpt.newChat', 'chatgpt.newCodexPanel'],
  copilot: ['workbench.action.chat.newChat'],
  gemini: [],
  'copilot-cli': [],
  terminal: [],
};

export function freshSessionCommand(source: SessionMeter['source'], registered: ReadonlySet<string>): string | undefined {
  return FRESH_SESSION_COMMANDS[source].find((c) => registered.has(c));
}

/** What to tell a person whose agent offers no command: how to start over by hand. */
export const FRESH_SESSION_HINTS: Readonly<Record<SessionMeter['source'], string>> = {
  claude: 'In the Claude Code CLI, type /clear (or /compact to keep a summary).',
  codex: 'In the Codex CLI, type /new (or /compact to keep a summary).',
  copilot: 'Start a new chat from the Chat view (the + button).',
  gemini: 'In the Gemini CLI, type /clear (or /compress to keep a summary).',
  'copilot-cli': 'In the Copilot CLI, type /clear (or /compact to keep a summary).',
  terminal: 'Start a new agent session in a fresh terminal.',
};
